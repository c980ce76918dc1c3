-- Speakers by the name they resolve to (never a pronoun or relative word: quotes leaves those
-- unnamed), with the outlets that quoted them and their share of anonymous and no-comment attributions.
CREATE OR REPLACE VIEW top_speakers AS
WITH named AS (
    SELECT * FROM quotes WHERE canonical_speaker IS NOT NULL
),

final AS (
    SELECT
        canonical_speaker AS speaker,
        mode(speaker_type) AS speaker_type,
        list(DISTINCT outlet ORDER BY outlet) AS outlets,
        count(*) AS attributions,
        count(DISTINCT article_id) AS articles,
        count(*) FILTER (WHERE kind = 'direct') AS direct_quotes,
        round(avg(anonymous::INTEGER), 3) AS anonymous_share,
        round(avg((kind = 'no_comment')::INTEGER), 3) AS no_comment_share,
        min(day) AS first_day,
        max(day) AS last_day
    FROM named
    GROUP BY canonical_speaker
)

SELECT * FROM final
ORDER BY attributions DESC, speaker;
