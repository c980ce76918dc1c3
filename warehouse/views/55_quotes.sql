-- One row per attribution in an original article, with where and when it ran and the article's
-- entities, so one query answers "who was quoted about X, by which outlets, how often anonymously":
--   SELECT canonical_speaker, outlet, count(*), avg(anonymous::INT) FROM quotes
--   WHERE list_contains(entities, 'X') GROUP BY ALL
CREATE OR REPLACE VIEW quotes AS
WITH originals AS (
    SELECT * FROM stg_articles WHERE is_canonical
),

article_entities AS (
    SELECT article_id, list(entity ORDER BY entity) AS entities
    FROM (SELECT DISTINCT article_id, entity FROM int_article_entities)
    GROUP BY article_id
),

final AS (
    SELECT
        a.outlet,
        a.day,
        t.speaker,
        t.canonical_speaker,
        t.kind,
        t.anonymous,
        t.content,
        a.url,
        a.title,
        coalesce(e.entities, []) AS entities,
        t.article_id,
        t.seq,
        a.story_id
    FROM stg_attributions AS t
    JOIN originals AS a USING (article_id)
    LEFT JOIN article_entities AS e USING (article_id)
)

SELECT * FROM final
ORDER BY day NULLS LAST, outlet, article_id, seq;
