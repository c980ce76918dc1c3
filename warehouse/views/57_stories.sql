-- Stories (dedup clusters): the original, every outlet that ran it and when, and how copies were found.
CREATE OR REPLACE VIEW stories AS
WITH copies AS (
    SELECT story_id, count(*) AS copies, list(DISTINCT layer ORDER BY layer) AS found_by
    FROM stg_duplicates
    GROUP BY story_id
),

members AS (
    SELECT
        story_id,
        any_value(title) FILTER (WHERE is_canonical) AS title,
        any_value(outlet) FILTER (WHERE is_canonical) AS original_outlet,
        min(day) AS first_day,
        max(day) AS last_day,
        count(*) AS articles,
        list(DISTINCT outlet ORDER BY outlet) AS outlets,
        list({'outlet': outlet, 'day': day, 'url': url, 'original': is_canonical}
             ORDER BY day NULLS LAST, outlet, url) AS appearances
    FROM stg_articles
    GROUP BY story_id
),

final AS (
    SELECT
        m.story_id,
        m.title,
        m.original_outlet,
        m.first_day,
        m.last_day,
        m.articles,
        m.outlets,
        coalesce(c.copies, 0) AS copies,
        coalesce(c.found_by, []) AS found_by,
        m.appearances
    FROM members AS m
    LEFT JOIN copies AS c USING (story_id)
)

SELECT * FROM final
ORDER BY articles DESC, first_day NULLS LAST, story_id;
