-- Entities mentioned together in the same original article, each pair once, with how often.
CREATE OR REPLACE VIEW entity_pairs AS
WITH pairs AS (
    SELECT
        x.article_id,
        x.outlet,
        x.day,
        x.entity AS entity_a,
        x.label AS label_a,
        y.entity AS entity_b,
        y.label AS label_b
    FROM int_article_entities AS x
    JOIN int_article_entities AS y
        ON x.article_id = y.article_id
        AND (x.entity < y.entity OR (x.entity = y.entity AND x.label < y.label))
),

final AS (
    SELECT
        entity_a,
        label_a,
        entity_b,
        label_b,
        count(*) AS articles,
        list(DISTINCT outlet ORDER BY outlet) AS outlets,
        min(day) AS first_day,
        max(day) AS last_day
    FROM pairs
    GROUP BY entity_a, label_a, entity_b, label_b
)

SELECT * FROM final
ORDER BY articles DESC, entity_a, entity_b;
