-- Speakers by outlet with their share of anonymous and no-comment attributions.
CREATE OR REPLACE VIEW top_speakers AS
WITH attributed AS (
    SELECT
        coalesce(t.speaker_entity, t.speaker) AS speaker,
        a.source AS outlet,
        t.kind,
        t.anonymous
    FROM attributions AS t
    JOIN articles AS a USING (article_id)
    WHERE t.speaker IS NOT NULL
),

final AS (
    SELECT
        speaker,
        outlet,
        count(*) AS attributions,
        count(*) FILTER (WHERE kind = 'direct') AS direct_quotes,
        round(avg(anonymous::INTEGER), 3) AS anonymous_share,
        round(avg((kind = 'no_comment')::INTEGER), 3) AS no_comment_share
    FROM attributed
    GROUP BY speaker, outlet
)

SELECT * FROM final
ORDER BY attributions DESC, speaker, outlet;
