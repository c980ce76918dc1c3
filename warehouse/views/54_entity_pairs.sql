-- Entities mentioned together in the same original article, each pair once, with how often.
CREATE OR REPLACE VIEW entity_pairs AS
WITH pairs AS (
    SELECT
        x.article_id,
        x.outlet,
        x.day,
        x.entity_id AS entity_id_a,
        x.entity AS entity_a,
        x.label AS label_a,
        y.entity_id AS entity_id_b,
        y.entity AS entity_b,
        y.label AS label_b
    FROM int_article_entities AS x
    JOIN int_article_entities AS y
        ON x.article_id = y.article_id
        AND (x.entity < y.entity OR (x.entity = y.entity AND x.entity_id < y.entity_id))
),

final AS (
    SELECT
        entity_id_a,
        any_value(entity_a) AS entity_a,
        any_value(label_a) AS label_a,
        entity_id_b,
        any_value(entity_b) AS entity_b,
        any_value(label_b) AS label_b,
        count(*) AS articles,
        list(DISTINCT outlet ORDER BY outlet) AS outlets,
        min(day) AS first_day,
        max(day) AS last_day
    FROM pairs
    GROUP BY entity_id_a, entity_id_b
)

SELECT * FROM final
ORDER BY articles DESC, entity_a, entity_b;
