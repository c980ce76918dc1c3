-- Attributions (as the quotes mart counts them: original articles and what copies add) whose speaker could not be resolved
-- to a name (a pronoun, a relative word, a description with no earlier name), and their share.
SELECT
    count(*) FILTER (WHERE speaker_type = 'unresolved') AS unresolved,
    count(*) AS attributions,
    round(coalesce(avg((speaker_type = 'unresolved')::INTEGER), 0), 3) AS share
FROM quotes;
