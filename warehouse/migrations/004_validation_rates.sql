-- Validations record the pass rate and the rows that broke only warn rules (recorded, let through).
ALTER TABLE validations ADD COLUMN warned_rows INTEGER;
ALTER TABLE validations ADD COLUMN pass_rate DOUBLE;
