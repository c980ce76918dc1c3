-- The $3 most quoted named speakers over publication days [$1, $2], counts per attribution kind
-- (in the order of transforms.models.ATTRIBUTION_KINDS) and the outlets that quoted them.
SELECT
    canonical_speaker AS speaker,
    count(*) AS total,
    count(*) FILTER (WHERE kind = 'direct'),
    count(*) FILTER (WHERE kind = 'indirect'),
    count(*) FILTER (WHERE kind = 'according_to'),
    count(*) FILTER (WHERE kind = 'no_comment'),
    string_agg(DISTINCT outlet, ', ' ORDER BY outlet) AS outlets
FROM quotes
WHERE day BETWEEN $1 AND $2 AND canonical_speaker IS NOT NULL AND NOT anonymous
GROUP BY canonical_speaker
ORDER BY total DESC, speaker
LIMIT $3;
