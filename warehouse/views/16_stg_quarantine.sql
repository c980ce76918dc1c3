-- Staging: one row per quarantined URL and broken rule.
CREATE OR REPLACE VIEW stg_quarantine AS
WITH source AS (
    SELECT * FROM quarantine
),

final AS (
    SELECT
        url,
        rule,
        source AS outlet,
        stage,
        severity,
        detail,
        value,
        quarantined_at,
        run_id,
        title,  -- title, authors, published, language: a page refused as an article (migration 013)
        authors,
        published,
        language
    FROM source
)

SELECT * FROM final;
