-- One entity, one id, whatever order its articles arrived in (issue 19). Before, entity_id hashed the
-- canonical name and the label, and the label was fixed by the first batch naming the entity: daily
-- runs and one run disagreed on labels, and so on ids. Now entity_id = left(sha1(canonical), 16)
-- (transforms.ids.entity_id), and the label is the vote of all the entity's mentions (load_batch.sql).

-- The label the article alone gave each mention, before corpus-wide linking: the label vote reads it.
-- NULL on rows loaded before (the vote reads their linked label).
ALTER TABLE mentions ADD COLUMN article_label VARCHAR;

-- The trace of the ids this migration rewrites: every old id, the new id it became, and the name and
-- label it stood for (an old id of two labels of one name now is one entity).
CREATE TABLE entity_id_changes (
    old_entity_id VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    canonical     VARCHAR NOT NULL,
    label         VARCHAR,
    PRIMARY KEY (old_entity_id, entity_id)
);
INSERT INTO entity_id_changes
SELECT old_entity_id, entity_id, any_value(canonical ORDER BY canonical), any_value(label ORDER BY label)
FROM (
    SELECT entity_id AS old_entity_id, left(sha1(canonical), 16) AS entity_id, canonical, label FROM mentions
    UNION ALL
    SELECT entity_id, left(sha1(speaker_entity), 16), speaker_entity, NULL
    FROM attributions WHERE entity_id IS NOT NULL AND speaker_entity IS NOT NULL
    UNION ALL
    SELECT entity_id, left(sha1(canonical), 16), canonical, label FROM entities
)
WHERE old_entity_id <> entity_id
GROUP BY ALL;

-- Every table that names an entity moves to the new ids in this one transaction.
UPDATE mentions SET entity_id = left(sha1(canonical), 16);
UPDATE attributions SET entity_id = left(sha1(speaker_entity), 16)
WHERE entity_id IS NOT NULL AND speaker_entity IS NOT NULL;

-- The label an entity's mentions vote for, one row per (label, originals, mentions) group: the most
-- votes from original articles, then from all articles; a tie goes to PERSON, as in
-- transforms.entities.label_vote (spaCy's small model splits one person between PERSON and a place or
-- body), then to the first label by name. Used here, by load_batch.sql and by the entities suite.
CREATE MACRO voted_label(label, originals, mentions) AS
    first(label ORDER BY originals DESC, mentions DESC, label <> 'PERSON', label);

-- The entities recounted as load_batch.sql counts them, the label voted over all stored mentions.
DELETE FROM entities;
INSERT INTO entities
WITH votes AS (
    SELECT
        m.entity_id,
        coalesce(m.article_label, m.label) AS label,
        count(*) FILTER (WHERE a.is_canonical) AS originals,
        count(*) AS mentions
    FROM mentions AS m
    JOIN articles AS a USING (article_id)
    GROUP BY ALL
),

voted AS (
    SELECT entity_id, voted_label(label, originals, mentions) AS label
    FROM votes
    GROUP BY entity_id
)

SELECT
    m.entity_id,
    any_value(m.canonical ORDER BY m.canonical) AS canonical,
    any_value(v.label) AS label,
    list_sort(list_distinct(list(m.text))) AS aliases,
    count(*) FILTER (WHERE a.is_canonical) AS mention_count,
    count(DISTINCT m.article_id) FILTER (WHERE a.is_canonical) AS article_count
FROM mentions AS m
JOIN articles AS a USING (article_id)
JOIN voted AS v USING (entity_id)
GROUP BY m.entity_id;
