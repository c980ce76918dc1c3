-- Articles per outlet per publication day in [$1, $2].
SELECT day, outlet, articles
FROM articles_per_outlet_day
WHERE day BETWEEN $1 AND $2
ORDER BY day, outlet;
