-- Every way the original articles write each entity, with counts: "Trump", "Donald J. Trump" and
-- "Mr. Trump" under Donald Trump. `joined` counts the mentions the article alone named otherwise
-- (a lone surname the corpus linked to the one full name it knows, an acronym to its expansion).
CREATE OR REPLACE VIEW entity_aliases AS
WITH originals AS (
    SELECT article_id FROM stg_articles WHERE is_canonical
),

mentions AS (
    SELECT
        m.article_id,
        m.entity_id,
        m.entity,
        m.label,
        regexp_replace(m.mention, '\s+', ' ', 'g') AS alias,
        coalesce(m.article_canonical, m.entity) <> m.entity AS joined
    FROM stg_mentions AS m
    JOIN originals AS a USING (article_id)
),

final AS (
    SELECT
        entity_id,
        any_value(entity) AS entity,
        any_value(label) AS label,
        alias,
        count(*) AS mentions,
        count(DISTINCT article_id) AS articles,
        count(*) FILTER (WHERE joined) AS joined
    FROM mentions
    GROUP BY entity_id, alias
)

SELECT * FROM final
ORDER BY entity, mentions DESC, alias;
