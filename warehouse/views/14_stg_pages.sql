-- Staging: one row per fetched URL, its latest response (pages keeps every distinct response).
CREATE OR REPLACE VIEW stg_pages AS
WITH source AS (
    SELECT * FROM pages
),

final AS (
    SELECT
        url,
        source AS outlet,
        status,
        error,
        content_type,
        fetched_at
    FROM source
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, page_id) = 1
)

SELECT * FROM final;
