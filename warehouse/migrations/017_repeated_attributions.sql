-- The attributions of near-copies that repeat what their story printed before (one row each; the quotes
-- mart leaves them out), kept up to date by every load for the stories it touches
-- (warehouse/queries/repeated_attributions.sql). Copies stored before were not enriched and have no
-- attributions, so the table starts empty.
CREATE TABLE repeated_attributions (
    article_id VARCHAR NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);
