-- Staging: one row per copy found by dedup, with the story it belongs to.
CREATE OR REPLACE VIEW stg_duplicates AS
WITH source AS (
    SELECT * FROM duplicates
),

final AS (
    SELECT
        url,
        article_id,
        duplicate_of,
        cluster_id AS story_id,
        layer,
        similarity,
        detected_at
    FROM source
)

SELECT * FROM final;
