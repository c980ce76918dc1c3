-- Intermediate: one row per original article and entity it mentions; copies are left out so that
-- a syndicated story counts once in every entity and speaker mart. An entity is one real-world
-- entity across all articles (names linked corpus-wide at load): entity_id keys it, entity names it.
CREATE OR REPLACE VIEW int_article_entities AS
WITH originals AS (
    SELECT * FROM stg_articles WHERE is_canonical
),

final AS (
    SELECT
        a.article_id,
        a.story_id,
        a.outlet,
        a.day,
        m.entity_id,
        m.entity,
        m.label,
        count(*) AS mentions
    FROM stg_mentions AS m
    JOIN originals AS a USING (article_id)
    GROUP BY ALL
)

SELECT * FROM final;
