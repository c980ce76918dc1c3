-- One speech event, one statement: "she said, adding ..." is two attributions (PolNeAR marks two) and
-- one statement, numbered by the seq of its first row (transforms/attributions.py _statements), so
-- "how often was X quoted" can count statements. Rows loaded before are each a statement of their own.
ALTER TABLE attributions ADD COLUMN statement INTEGER;
UPDATE attributions SET statement = seq;
