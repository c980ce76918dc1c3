-- Story clusters joined after they were stored (issue 16): an article linking two stored stories, or an
-- original arriving after its copies were stored as stories of their own. One row per cluster folded:
-- its members moved to `into_cluster`, its canonical article became a copy (a duplicates row, out of the
-- marts); rows keep their ids. `layer`/`similarity`: how the linking article matched the folded cluster.
CREATE TABLE cluster_merges (
    cluster_id    VARCHAR NOT NULL,
    into_cluster  VARCHAR NOT NULL,
    layer         VARCHAR NOT NULL,
    similarity    DOUBLE NOT NULL,
    merged_at     TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    PRIMARY KEY (cluster_id, into_cluster)
);

-- The text length (characters) of each article, for arrival_order (earliest published, then longest, is a
-- story's canonical member): read with the fingerprints at the start of a run, not from the text column.
ALTER TABLE article_fingerprints ADD COLUMN text_chars INTEGER;
UPDATE article_fingerprints SET text_chars = (
    SELECT length(a.text) FROM articles AS a WHERE a.article_id = article_fingerprints.article_id
);
