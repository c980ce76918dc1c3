-- Staging: one row per stored article (copies included) with its outlet, publication day and story.
CREATE OR REPLACE VIEW stg_articles AS
WITH source AS (
    SELECT * FROM articles
),

final AS (
    SELECT
        article_id,
        url,
        page_url,
        source AS outlet,
        title,
        -- NULL when the page gave no date: the load date would misplace the article in time series.
        published AS day,
        word_count,
        cluster_id AS story_id,
        is_canonical,
        run_id,
        loaded_at
    FROM source
)

SELECT * FROM final;
