-- Staging: one row per entity mention, named by the entity's canonical name and typed by the entity's
-- label (the vote of all its mentions, kept current in entities), not by the label linked at load.
CREATE OR REPLACE VIEW stg_mentions AS
WITH source AS (
    SELECT m.* REPLACE (coalesce(e.label, m.label) AS label)
    FROM mentions AS m
    LEFT JOIN entities AS e USING (entity_id)
),

final AS (
    SELECT
        article_id,
        start_char,
        entity_id,
        canonical AS entity,
        label,
        text AS mention,
        in_lead,
        article_canonical
    FROM source
)

SELECT * FROM final;
