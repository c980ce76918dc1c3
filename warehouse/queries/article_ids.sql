-- The id of every stored article (copies included).
SELECT article_id FROM articles;
