-- Per outlet over publication days [$1, $2]: attributions, those citing an anonymous source, and their share.
SELECT
    outlet,
    count(*) AS attributions,
    count(*) FILTER (WHERE anonymous) AS anonymous,
    round(avg(anonymous::INTEGER), 3) AS share
FROM quotes
WHERE day BETWEEN $1 AND $2
GROUP BY outlet
ORDER BY share DESC, outlet;
