-- Every suite run of the latest ? flow runs, newest run first: what the validation report page shows.
WITH latest AS (
    SELECT run_id, flow, status, started_at, finished_at
    FROM runs
    ORDER BY started_at DESC
    LIMIT ?
)

SELECT
    l.run_id,
    l.flow,
    l.status,
    l.started_at,
    l.finished_at,
    v.batch,
    v.suite,
    v.evaluated,
    v.failed_rows,
    v.warned_rows,
    v.pass_rate,
    v.success,
    v.failures::VARCHAR AS failures,
    v.validated_at
FROM latest AS l
LEFT JOIN validations AS v USING (run_id)
ORDER BY l.started_at DESC, v.batch, v.suite
