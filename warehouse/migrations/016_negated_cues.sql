-- A cue that says nothing was said ("is not saying whether ...", "did not explain why", "No official
-- said ..."): the row stays, as PolNeAR marks about half of them, and quotes leaves it out
-- (transforms/attributions.py _negated). Rows loaded before are not flagged: `newsetl reprocess`
-- recomputes them from the stored pages.
ALTER TABLE attributions ADD COLUMN negated BOOLEAN DEFAULT false;
