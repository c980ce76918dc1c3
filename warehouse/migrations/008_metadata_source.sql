-- Where an article's title, author and date come from, and trafilatura's own value for each:
-- {"author": {"from": "json-ld", "library": "Wendle Gazette"}, ...}. `from` is "library" when
-- newsetl kept the library's value, else the evidence that replaced it (library_cleaned, json-ld,
-- rel-author); `library` lets a user see what bare trafilatura said.
ALTER TABLE articles ADD COLUMN metadata_source JSON;
