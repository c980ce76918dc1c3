-- Per run: what each stage counted, what was stored, validated and quarantined.
CREATE OR REPLACE VIEW run_quality AS
WITH stored AS (
    SELECT
        run_id,
        count(*) AS articles_stored,
        count(*) FILTER (WHERE NOT is_canonical) AS copies_stored
    FROM stg_articles
    GROUP BY run_id
),

validated AS (
    SELECT
        run_id,
        sum(evaluated)::BIGINT AS rows_validated,
        sum(failed_rows)::BIGINT AS rows_failed,
        count(*) FILTER (WHERE NOT success) AS failed_batches
    FROM stg_validations
    GROUP BY run_id
),

quarantined AS (
    SELECT
        run_id,
        count(DISTINCT url) FILTER (WHERE stage = 'extract') AS quarantined_extract,
        count(DISTINCT url) FILTER (WHERE stage = 'validate') AS quarantined_validate
    FROM stg_quarantine
    GROUP BY run_id
),

final AS (
    SELECT
        r.run_id,
        r.flow,
        r.status,
        r.started_at,
        r.seconds,
        r.discovered,
        r.fetched,
        r.fetch_failed,
        r.extracted,
        r.duplicates,
        r.loaded,
        coalesce(s.articles_stored, 0) AS articles_stored,
        coalesce(s.copies_stored, 0) AS copies_stored,
        coalesce(v.rows_validated, 0) AS rows_validated,
        coalesce(v.rows_failed, 0) AS rows_failed,
        coalesce(v.failed_batches, 0) AS failed_batches,
        coalesce(q.quarantined_extract, 0) AS quarantined_extract,
        coalesce(q.quarantined_validate, 0) AS quarantined_validate
    FROM stg_runs AS r
    LEFT JOIN stored AS s USING (run_id)
    LEFT JOIN validated AS v USING (run_id)
    LEFT JOIN quarantined AS q USING (run_id)
)

SELECT * FROM final
ORDER BY started_at DESC;
