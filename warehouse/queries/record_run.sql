-- Insert or update the row of one flow run; the process and flow run columns are set when it starts.
INSERT INTO runs (run_id, flow, started_at, finished_at, status, counts, flow_run_id, host, pid, message)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id) DO UPDATE SET
    finished_at = excluded.finished_at,
    status = excluded.status,
    counts = coalesce(excluded.counts, runs.counts),
    message = excluded.message;
