-- The report's headline over publication days [$1, $2]: articles, outlets, stories and attributions.
SELECT
    (SELECT sum(articles)::BIGINT FROM articles_per_outlet_day WHERE day BETWEEN $1 AND $2),
    (SELECT count(DISTINCT outlet) FROM articles_per_outlet_day WHERE day BETWEEN $1 AND $2),
    (SELECT count(*) FROM stories WHERE first_day BETWEEN $1 AND $2),
    (SELECT count(*) FROM quotes WHERE day BETWEEN $1 AND $2);
