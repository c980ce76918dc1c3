-- Upsert one batch, registered as batch_* Arrow tables; runs inside the loader's transaction.

INSERT INTO sources BY NAME SELECT * FROM batch_sources
ON CONFLICT (name) DO UPDATE SET title = excluded.title, config = excluded.config, updated_at = excluded.updated_at;

INSERT INTO discovered_urls BY NAME SELECT * FROM batch_discovered
ON CONFLICT (url) DO UPDATE SET
    last_seen = excluded.last_seen,
    robots_allowed = excluded.robots_allowed,
    reason = excluded.reason;

-- An identical response seen again: count it, keep the first row.
INSERT INTO pages BY NAME SELECT * FROM batch_pages
ON CONFLICT (page_id) DO UPDATE SET
    fetched_at = excluded.fetched_at,
    attempts = excluded.attempts,
    elapsed_ms = excluded.elapsed_ms,
    fetch_count = pages.fetch_count + 1;

-- A URL processed again gets a fresh verdict: its old quarantine rows are replaced.
DELETE FROM quarantine WHERE url IN (
    SELECT url FROM batch_pages
    UNION SELECT page_url FROM batch_articles
    UNION SELECT url FROM batch_duplicates
    UNION SELECT url FROM batch_quarantine
);
INSERT INTO quarantine BY NAME SELECT * FROM batch_quarantine
ON CONFLICT (url, rule) DO NOTHING;

-- Annotations of re-loaded articles are replaced, never appended.
-- So are the entities of stored articles whose story this batch joins to another (their counts change).
CREATE OR REPLACE TEMP TABLE touched_entities AS
SELECT entity_id FROM mentions WHERE article_id IN (SELECT article_id FROM batch_articles)
UNION
SELECT entity_id FROM batch_mentions
UNION
SELECT entity_id FROM mentions WHERE article_id IN (
    SELECT a.article_id FROM articles AS a JOIN batch_merges AS m ON a.cluster_id = m.cluster_id
);

-- The stories whose copies' repeats repeated_attributions.sql recomputes after this file: the ones the
-- batch's articles leave, join or fold.
CREATE OR REPLACE TEMP TABLE touched_stories AS
SELECT cluster_id AS story_id FROM articles WHERE article_id IN (SELECT article_id FROM batch_articles)
UNION SELECT cluster_id FROM batch_articles
UNION SELECT into_cluster FROM batch_merges;

DELETE FROM mentions WHERE article_id IN (SELECT article_id FROM batch_articles);
DELETE FROM attributions WHERE article_id IN (SELECT article_id FROM batch_articles);

INSERT OR REPLACE INTO articles BY NAME SELECT * FROM batch_articles;
INSERT OR REPLACE INTO article_fingerprints BY NAME SELECT * FROM batch_fingerprints;
INSERT OR REPLACE INTO duplicates BY NAME SELECT * FROM batch_duplicates;

-- Stored story clusters the batch joins to another (an article linking them, an original arriving after its
-- copies): their members move to the cluster kept and their canonical article becomes a copy, out of the
-- marts (which read canonical articles only). Rows keep their ids; the batch's own rows come decided.
INSERT INTO duplicates BY NAME
SELECT
    a.page_url AS url,
    a.article_id,
    m.into_cluster AS duplicate_of,
    m.into_cluster AS cluster_id,
    m.layer,
    m.similarity,
    m.merged_at AS detected_at
FROM articles AS a
JOIN batch_merges AS m ON a.cluster_id = m.cluster_id
WHERE a.is_canonical
ON CONFLICT (url) DO UPDATE SET
    duplicate_of = excluded.duplicate_of,
    cluster_id = excluded.cluster_id,
    layer = excluded.layer,
    similarity = excluded.similarity;
UPDATE duplicates SET cluster_id = m.into_cluster, duplicate_of = m.into_cluster
FROM batch_merges AS m
WHERE duplicates.cluster_id = m.cluster_id;
UPDATE articles SET cluster_id = m.into_cluster, is_canonical = false
FROM batch_merges AS m
WHERE articles.cluster_id = m.cluster_id;
INSERT OR REPLACE INTO cluster_merges BY NAME SELECT * FROM batch_merges;

INSERT INTO mentions BY NAME SELECT * FROM batch_mentions;
INSERT INTO attributions BY NAME SELECT * FROM batch_attributions;
INSERT OR REPLACE INTO validations BY NAME SELECT * FROM batch_validations;

-- Entities touched by this batch are recounted: aliases from all their mentions, counts from original
-- articles only (a story's copies are not counted twice, as in the marts). The label is the vote of all
-- the entity's stored mentions, each with the label its article gave it (rows older than migration 014
-- have only the label linked at load), by the voted_label macro (migration 014): the same whatever
-- order the articles arrived in.
DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM touched_entities);
INSERT INTO entities
WITH votes AS (
    SELECT
        m.entity_id,
        coalesce(m.article_label, m.label) AS label,
        count(*) FILTER (WHERE a.is_canonical) AS originals,
        count(*) AS mentions
    FROM mentions AS m
    JOIN articles AS a USING (article_id)
    WHERE m.entity_id IN (SELECT entity_id FROM touched_entities)
    GROUP BY ALL
),

voted AS (
    SELECT entity_id, voted_label(label, originals, mentions) AS label
    FROM votes
    GROUP BY entity_id
),

final AS (
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
    WHERE m.entity_id IN (SELECT entity_id FROM touched_entities)
    GROUP BY m.entity_id
)

SELECT * FROM final;

DROP TABLE touched_entities;
