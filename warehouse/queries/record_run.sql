-- Insert or update the row of one flow run: (run_id, flow, started_at, finished_at, status, counts).
INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id) DO UPDATE SET
    finished_at = excluded.finished_at,
    status = excluded.status,
    counts = excluded.counts;
