-- The warehouse's record of the run a Prefect flow run made: its status and counts.
SELECT status, counts::VARCHAR AS counts
FROM runs
WHERE flow_run_id = ?
ORDER BY started_at DESC
LIMIT 1
