-- Recompute which attributions of copies repeat their story (the quotes mart leaves them out) for the
-- stories in the temp table touched_stories: those a batch loaded or folded (load_batch.sql), or all
-- (warehouse.loader.refresh_repeats). Stored by the load rather than read in a view: on 12,000 articles
-- with 6,000 copies the view form took 17 s at every read of quotes.
--
-- An original article's attributions all count. A near-copy is enriched too (flows/worker_tasks.to_enrich:
-- a live blog's later version adds items and quotes), but its attribution counts only when it was not
-- printed before in its story: by the original first, then by the earlier copies (by day, then arrival).
-- So a syndicated copy's quote never counts twice, and an item that live blog v2 added and v3 repeats
-- counts once, in v2. "Printed before": at least half of the word trigrams of the attribution's span
-- (speaker, cue and content as written in the copy) occur in the earlier articles' text. Words are
-- compared lowercased, every run of characters other than letters and digits (spacing, quotation marks,
-- apostrophes, dashes) read as one space: copies differ in typography, not in what was said. Trigrams
-- rather than the whole content: a copy edits what it repeats ("after this week" -> "after the past
-- week"). On the 840 PolNeAR train articles (README, "Copies that add quotes"), half A: repeats had
-- 0.72-0.93 of their trigrams printed before, new items 0-0.05, so a majority is the line; half B: repeats
-- 0.57-0.81 and one rewritten sentence at 0.39 (still counted), new items 0-0.33. Compared with the
-- earlier articles' text rather than their attributions: a quote the original printed but extraction
-- missed there is no news in the copy.
DELETE FROM repeated_attributions WHERE article_id IN (
    SELECT article_id FROM articles WHERE cluster_id IN (SELECT story_id FROM touched_stories)
);
INSERT OR REPLACE INTO repeated_attributions
WITH members AS (
    SELECT
        article_id,
        story_id,
        is_canonical,
        row_number() OVER (
            PARTITION BY story_id ORDER BY is_canonical DESC, day NULLS LAST, loaded_at, article_id
        ) AS place
    FROM stg_articles
    WHERE story_id IN (SELECT story_id FROM touched_stories)
),

copy_spans AS (
    SELECT
        t.article_id,
        t.seq,
        m.story_id,
        m.place,
        -- least/greatest skip NULLs; an attribution stored without offsets is compared by its content
        coalesce(
            CASE WHEN t.content IS NULL OR t.content_start IS NOT NULL THEN substring(
                a.text,
                least(t.speaker_start, t.cue_start, t.content_start) + 1,
                greatest(t.speaker_end, t.cue_end, t.content_end) - least(t.speaker_start, t.cue_start, t.content_start)
            ) END,
            t.content, t.speaker, ''
        ) AS said
    FROM attributions AS t
    JOIN members AS m USING (article_id)
    JOIN articles AS a USING (article_id)
    WHERE NOT m.is_canonical
),

copy_grams AS (
    SELECT
        article_id,
        seq,
        story_id,
        place,
        -- the span's word trigrams (a span of one or two words is its own one "trigram")
        CASE WHEN len(w) < 3 THEN [array_to_string(w, ' ')]
             ELSE list_transform(range(1, len(w) - 1), lambda i: array_to_string(w[i:i + 2], ' '))
        END AS grams
    FROM (
        SELECT
            *,
            string_split(trim(regexp_replace(lower(said), '[^\pL\pN]+', ' ', 'g')), ' ') AS w
        FROM copy_spans
    )
),

-- Per copy with attributions, the words of every article of its story before it, in one string.
printed_before AS (
    SELECT c.article_id, string_agg(' ' || trim(regexp_replace(lower(a.text), '[^\pL\pN]+', ' ', 'g')) || ' ', '|') AS words
    FROM (SELECT DISTINCT article_id, story_id, place FROM copy_grams) AS c
    JOIN members AS m ON m.story_id = c.story_id AND m.place < c.place
    JOIN articles AS a ON a.article_id = m.article_id
    GROUP BY c.article_id
),

repeated AS (
    SELECT g.article_id, g.seq
    FROM copy_grams AS g
    JOIN printed_before AS p USING (article_id)
    -- half: a majority of the span printed before is a repeat (see above for the measured spread)
    WHERE len(list_filter(g.grams, lambda x: contains(p.words, ' ' || x || ' '))) >= 0.5 * len(g.grams)
)

SELECT article_id, seq FROM repeated;

DROP TABLE touched_stories;
