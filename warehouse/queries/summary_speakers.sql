-- The most quoted speakers by the name they resolve to, with how often they went unnamed or did
-- not comment. Unresolved speakers (a pronoun, a relative word, a description no name was found
-- for) are left out here and counted by summary_unresolved_speakers.
WITH resolved AS (
    SELECT
        t.article_id,
        t.kind,
        t.anonymous,
        CASE t.speaker_type
            WHEN 'person' THEN t.speaker_name
            WHEN 'organization' THEN t.speaker_name
            -- an anonymous source keeps its description; a capital the sentence start put there goes
            WHEN 'anonymous' THEN lower(t.speaker[1]) || t.speaker[2:]
            WHEN 'author' THEN a.authors[1]
        END AS name
    FROM attributions AS t
    LEFT JOIN articles AS a USING (article_id)
)

SELECT
    name AS speaker,
    count(*) AS attributions,
    count(DISTINCT article_id) AS articles,
    count(*) FILTER (WHERE anonymous) AS anonymous,
    count(*) FILTER (WHERE kind = 'no_comment') AS no_comment
FROM resolved
WHERE name IS NOT NULL
GROUP BY 1
ORDER BY attributions DESC, speaker
LIMIT 10;
