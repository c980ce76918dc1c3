-- Mentions per day of the entities named in $3, over publication days [$1, $2].
SELECT entity, day, sum(mentions)::BIGINT
FROM top_entities_daily
WHERE day BETWEEN $1 AND $2 AND entity IN (SELECT unnest($3::VARCHAR[]))
GROUP BY ALL;
