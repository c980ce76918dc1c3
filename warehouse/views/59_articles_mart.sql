-- Mart: one row per stored article with its text and metadata, for notebooks and other tools
-- (`newsetl export` writes it as articles.parquet). Copies of a story are kept, flagged by is_canonical.
-- It reads the articles table itself: stg_articles keeps only what the counting marts need.
CREATE OR REPLACE VIEW articles_mart AS
WITH source AS (
    SELECT * FROM articles
),

final AS (
    SELECT
        article_id,
        url,
        page_url,
        source AS outlet,
        sitename,
        title,
        authors,
        published,
        modified,
        language,
        section,
        tags,
        description,
        text,
        word_count,
        cluster_id AS story_id,
        is_canonical,
        run_id,
        loaded_at
    FROM source
)

SELECT * FROM final;
