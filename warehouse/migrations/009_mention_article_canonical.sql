-- The name an article alone gives a mention, before names are linked across the corpus: a lone
-- "Trump" stored under Donald Trump keeps "Trump" here, so every corpus-wide join can be seen
-- (entity_aliases.joined) and undone. NULL on rows loaded before linking existed.
ALTER TABLE mentions ADD COLUMN article_canonical VARCHAR;
