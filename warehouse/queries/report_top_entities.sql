-- The $3 most mentioned entities over publication days [$1, $2].
SELECT
    entity,
    any_value(label),
    sum(mentions)::BIGINT AS mentions,
    sum(articles)::BIGINT AS articles
FROM top_entities_daily
WHERE day BETWEEN $1 AND $2
GROUP BY entity
ORDER BY mentions DESC, articles DESC, entity
LIMIT $3;
