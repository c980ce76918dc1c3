-- Entities per outlet, ranked by mentions (filter rank <= N for a top N).
CREATE OR REPLACE VIEW top_entities_by_outlet AS
WITH per_outlet AS (
    SELECT
        outlet,
        entity_id,
        any_value(entity) AS entity,
        any_value(label) AS label,
        sum(mentions)::BIGINT AS mentions,
        count(*) AS articles,
        min(day) AS first_day,
        max(day) AS last_day
    FROM int_article_entities
    GROUP BY outlet, entity_id
),

final AS (
    SELECT
        *,
        rank() OVER (PARTITION BY outlet ORDER BY mentions DESC, articles DESC) AS rank
    FROM per_outlet
)

SELECT * FROM final
ORDER BY outlet, rank, entity;
