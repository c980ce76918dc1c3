-- One row per attribution in an original article, or new in a copy (int_quotes_first_seen: a live blog's
-- later version), with where and when it ran and the article's entities (but not a negated cue, "has not
-- said whether ...": it quotes nobody), so one query answers "who was quoted about X, by which outlets,
-- how often anonymously":
--   SELECT canonical_speaker, outlet, count(*), avg(anonymous::INT) FROM quotes
--   WHERE list_contains(entities, 'X') GROUP BY ALL
-- canonical_speaker is the name the speaker resolves to ("he said" -> "Dmitry Peskov"), the
-- byline for the writer's own "I"/"we", the description of an anonymous source, and NULL for a
-- speaker that could not be resolved: a pronoun or relative word is never shown as a speaker.
CREATE OR REPLACE VIEW quotes AS
-- The byline's first name; read from the articles table itself, as articles_mart does:
-- stg_articles keeps only what the counting marts need.
WITH bylines AS (
    SELECT article_id, authors[1] AS byline FROM articles
),

-- Every article's own entities (int_article_entities keeps originals only; a copy's new quote needs its own).
article_entities AS (
    SELECT article_id, list(entity ORDER BY entity) AS entities
    FROM (SELECT DISTINCT article_id, entity FROM stg_mentions)
    GROUP BY article_id
),

final AS (
    SELECT
        a.outlet,
        a.day,
        t.speaker,
        CASE t.speaker_type
            WHEN 'person' THEN t.speaker_name
            WHEN 'organization' THEN t.speaker_name
            WHEN 'anonymous' THEN t.canonical_speaker
            WHEN 'author' THEN b.byline
        END AS canonical_speaker,
        t.speaker_type,
        t.kind,
        t.anonymous,
        t.content,
        a.url,
        a.title,
        coalesce(e.entities, []) AS entities,
        t.article_id,
        t.seq,
        t.statement,  -- count(DISTINCT (article_id, statement)) counts "said, adding ..." once
        a.story_id
    FROM int_quotes_first_seen AS t
    JOIN stg_articles AS a USING (article_id)
    LEFT JOIN bylines AS b USING (article_id)
    LEFT JOIN article_entities AS e USING (article_id)
    -- "Trump has not said whether ...", "did not mention Clinton": nobody was quoted (stg_attributions keeps them)
    WHERE NOT t.negated
)

SELECT * FROM final
ORDER BY day NULLS LAST, outlet, article_id, seq;
