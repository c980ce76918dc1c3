-- The entities suite's rows: every entity the articles of one run mention, with what its mentions count.
-- stored_id is NULL when mentions name an entity that has no entities row (a broken relationship).
WITH touched AS (
    SELECT DISTINCT m.entity_id
    FROM mentions AS m
    JOIN articles AS a USING (article_id)
    WHERE a.run_id = ?
),

-- Counted as the loader counts them: mentions in original articles (copies are not counted twice).
counted AS (
    SELECT
        m.entity_id,
        count(*) FILTER (WHERE a.is_canonical) AS mentions_found,
        count(DISTINCT m.article_id) FILTER (WHERE a.is_canonical) AS articles_found
    FROM mentions AS m
    JOIN articles AS a USING (article_id)
    WHERE m.entity_id IN (SELECT entity_id FROM touched)
    GROUP BY m.entity_id
),

-- The label its mentions vote for, as the loader votes (load_batch.sql): the label must not depend on arrival order.
voted AS (
    SELECT entity_id, voted_label(label, originals, mentions) AS label_voted
    FROM (
        SELECT
            m.entity_id,
            coalesce(m.article_label, m.label) AS label,
            count(*) FILTER (WHERE a.is_canonical) AS originals,
            count(*) AS mentions
        FROM mentions AS m
        JOIN articles AS a USING (article_id)
        WHERE m.entity_id IN (SELECT entity_id FROM touched)
        GROUP BY ALL
    )
    GROUP BY entity_id
)

SELECT
    c.entity_id,
    e.entity_id AS stored_id,
    e.canonical,
    e.label,
    v.label_voted,
    e.mention_count,
    e.article_count,
    c.mentions_found,
    c.articles_found
FROM counted AS c
LEFT JOIN entities AS e USING (entity_id)
JOIN voted AS v USING (entity_id)
ORDER BY c.entity_id;
