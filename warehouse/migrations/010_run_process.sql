-- Runs record the process that runs them and their Prefect flow run: a later run marks a `running`
-- run whose process is gone as `abandoned` (and its Prefect run Crashed). `message` says why a run
-- ended as it did (the error, interrupted, abandoned).
ALTER TABLE runs ADD COLUMN flow_run_id VARCHAR;
ALTER TABLE runs ADD COLUMN host VARCHAR;
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN message VARCHAR;
