-- End a run that is still marked running with a status and why (a run that finished meanwhile keeps its own).
UPDATE runs SET status = ?, finished_at = ?, message = ?
WHERE run_id = ? AND status = 'running'
