-- The speaker's words a content encloses ("“A,” said Jane Smith, a lawyer. “B.”", "The plan, Mr. Obama
-- said, will work"): offsets into the article inside content_start .. content_end (transforms/attributions.py
-- _asides). The content column keeps the passage as written; stg_attributions leaves the aside out of
-- what was said. Rows loaded before have none: `newsetl reprocess` recomputes them from the stored pages.
ALTER TABLE attributions ADD COLUMN aside_start INTEGER;
ALTER TABLE attributions ADD COLUMN aside_end INTEGER;
