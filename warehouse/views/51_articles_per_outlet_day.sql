-- Articles each outlet published per day: originals and copies of stories first run elsewhere.
CREATE OR REPLACE VIEW articles_per_outlet_day AS
WITH final AS (
    SELECT
        outlet,
        day,
        count(*) AS articles,
        count(*) FILTER (WHERE is_canonical) AS originals,
        count(*) FILTER (WHERE NOT is_canonical) AS copies,
        sum(word_count)::BIGINT AS words
    FROM stg_articles
    GROUP BY outlet, day
)

SELECT * FROM final
ORDER BY day NULLS LAST, outlet;
