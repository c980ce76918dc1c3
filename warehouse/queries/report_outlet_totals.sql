-- Articles, originals and copies per outlet over publication days [$1, $2], most articles first.
SELECT
    outlet,
    sum(articles)::BIGINT,
    sum(originals)::BIGINT,
    sum(copies)::BIGINT
FROM articles_per_outlet_day
WHERE day BETWEEN $1 AND $2
GROUP BY outlet
ORDER BY 2 DESC, outlet;
