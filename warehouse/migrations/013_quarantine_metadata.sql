-- A page refused as an article at extraction (no_article, too_short) keeps the metadata newsetl read from it,
-- so `newsetl quarantine` shows what was refused (issue 18: a short post's title and date are not lost).
-- NULL for every other rejection (empty or non-HTML bodies, validation, language, stage errors).
ALTER TABLE quarantine ADD COLUMN title VARCHAR;
ALTER TABLE quarantine ADD COLUMN authors VARCHAR[];
ALTER TABLE quarantine ADD COLUMN published DATE;
ALTER TABLE quarantine ADD COLUMN language VARCHAR;
