-- The most mentioned entities.
SELECT canonical AS entity, label, mention_count AS mentions, article_count AS articles
FROM entities
ORDER BY mention_count DESC, canonical
LIMIT 10;
