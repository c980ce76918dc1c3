-- Staging: one row per flow run, its stage counts unpacked from the counts JSON.
CREATE OR REPLACE VIEW stg_runs AS
WITH source AS (
    SELECT * FROM runs
),

final AS (
    SELECT
        run_id,
        flow,
        status,
        started_at,
        finished_at,
        round(epoch(finished_at - started_at), 1) AS seconds,
        (counts ->> 'discovered')::INTEGER AS discovered,
        (counts ->> 'robots_denied')::INTEGER AS robots_denied,
        (counts ->> 'fetched')::INTEGER AS fetched,
        (counts ->> 'fetch_failed')::INTEGER AS fetch_failed,
        (counts ->> 'extracted')::INTEGER AS extracted,
        (counts ->> 'duplicates')::INTEGER AS duplicates,
        (counts ->> 'quarantined')::INTEGER AS quarantined,
        (counts ->> 'loaded')::INTEGER AS loaded
    FROM source
)

SELECT * FROM final;
