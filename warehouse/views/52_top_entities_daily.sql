-- Entities per publication day, ranked by mentions (filter rank <= N for a top N).
CREATE OR REPLACE VIEW top_entities_daily AS
WITH per_day AS (
    SELECT
        day,
        entity_id,
        any_value(entity) AS entity,
        any_value(label) AS label,
        sum(mentions)::BIGINT AS mentions,
        count(*) AS articles,
        count(DISTINCT outlet) AS outlets
    FROM int_article_entities
    GROUP BY day, entity_id
),

final AS (
    SELECT
        *,
        rank() OVER (PARTITION BY day ORDER BY mentions DESC, articles DESC) AS rank
    FROM per_day
)

SELECT * FROM final
ORDER BY day NULLS LAST, rank, entity;
