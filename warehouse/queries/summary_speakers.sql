-- The most quoted speakers by the name they resolve to (the quotes mart: original articles, and what a
-- near-copy adds that its story had not printed, so a copy's annotations are never counted twice), with how often they went unnamed or did not
-- comment. Unresolved speakers are left out here and counted by summary_unresolved_speakers.
SELECT
    canonical_speaker AS speaker,
    count(*) AS attributions,
    count(DISTINCT article_id) AS articles,
    count(*) FILTER (WHERE anonymous) AS anonymous,
    count(*) FILTER (WHERE kind = 'no_comment') AS no_comment
FROM quotes
WHERE canonical_speaker IS NOT NULL
GROUP BY 1
ORDER BY attributions DESC, speaker
LIMIT 10;
