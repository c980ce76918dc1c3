-- Staging: one row per entity mention, named by the entity's canonical name.
CREATE OR REPLACE VIEW stg_mentions AS
WITH source AS (
    SELECT * FROM mentions
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
