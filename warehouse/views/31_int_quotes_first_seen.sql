-- Intermediate: one row per attribution that counts once in its story (the quotes mart reads it).
-- An original article's attributions all count. A near-copy is enriched too (flows/worker_tasks.to_enrich:
-- a live blog's later version adds items and quotes), but its attribution counts only when its words occur
-- in no article of the story that comes before it: the original first, then the earlier copies by day, then
-- by arrival. So a syndicated copy's quote never counts twice, and an item that live blog v2 added and v3
-- repeats counts once, in v2. The words are the content ("declined to comment" has none: its speaker and
-- cue, as written in the copy), compared lowercased with every run of characters other than letters and
-- digits (spacing, quotation marks, apostrophes, dashes) read as one space: copies of one text differ in
-- typography, not in what was said. Compared with the earlier articles' text rather than their
-- attributions: an attribution found in a copy but missed in the original is not news.
CREATE OR REPLACE VIEW int_quotes_first_seen AS
WITH members AS (
    SELECT
        article_id,
        story_id,
        is_canonical,
        row_number() OVER (
            PARTITION BY story_id ORDER BY is_canonical DESC, day NULLS LAST, loaded_at, article_id
        ) AS place
    FROM stg_articles
),

copy_words AS (
    SELECT
        t.article_id,
        t.seq,
        m.story_id,
        m.place,
        ' ' || trim(regexp_replace(lower(coalesce(
            t.content,
            substring(a.text, least(coalesce(s.speaker_start, s.cue_start), s.cue_start) + 1,
                      greatest(coalesce(s.speaker_end, s.cue_end), s.cue_end)
                      - least(coalesce(s.speaker_start, s.cue_start), s.cue_start))
        )), '[^\pL\pN]+', ' ', 'g')) || ' ' AS words
    FROM stg_attributions AS t
    JOIN members AS m USING (article_id)
    JOIN attributions AS s USING (article_id, seq)  -- the offsets, which staging leaves out
    JOIN articles AS a USING (article_id)
    WHERE NOT m.is_canonical
),

-- The text of every article that comes before a copy with attributions (only those stories are read).
earlier_texts AS (
    SELECT
        m.story_id,
        m.place,
        ' ' || trim(regexp_replace(lower(a.text), '[^\pL\pN]+', ' ', 'g')) || ' ' AS words
    FROM members AS m
    JOIN articles AS a USING (article_id)
    WHERE m.story_id IN (SELECT story_id FROM copy_words)
),

repeated AS (
    SELECT DISTINCT c.article_id, c.seq
    FROM copy_words AS c
    JOIN earlier_texts AS e ON e.story_id = c.story_id AND e.place < c.place
    WHERE contains(e.words, c.words)
),

final AS (
    SELECT t.*
    FROM stg_attributions AS t
    ANTI JOIN repeated AS r USING (article_id, seq)
)

SELECT * FROM final;
