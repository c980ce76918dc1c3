-- Staging: one row per discovered URL.
CREATE OR REPLACE VIEW stg_discovered_urls AS
WITH source AS (
    SELECT * FROM discovered_urls
),

final AS (
    SELECT
        url,
        source AS outlet,
        via,
        robots_allowed,
        reason AS discovery_reason,
        first_seen,
        last_seen
    FROM source
)

SELECT * FROM final;
