-- The most quoted speakers, with how often they went unnamed or did not comment.
SELECT
    coalesce(speaker_entity, speaker) AS speaker,
    count(*) AS attributions,
    count(DISTINCT article_id) AS articles,
    count(*) FILTER (WHERE anonymous) AS anonymous,
    count(*) FILTER (WHERE kind = 'no_comment') AS no_comment
FROM attributions
WHERE speaker IS NOT NULL
GROUP BY 1
ORDER BY attributions DESC, speaker
LIMIT 10;
