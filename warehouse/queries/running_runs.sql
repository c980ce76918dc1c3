-- Runs still marked running: (run_id, started_at, flow_run_id, host, pid), oldest first.
SELECT run_id, started_at, flow_run_id, host, pid
FROM runs
WHERE status = 'running'
ORDER BY started_at
