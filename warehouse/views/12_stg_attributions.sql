-- Staging: one row per attribution, with the speaker resolved to its entity when there is one.
CREATE OR REPLACE VIEW stg_attributions AS
WITH source AS (
    SELECT * FROM attributions
),

final AS (
    SELECT
        article_id,
        seq,
        kind,
        speaker,
        coalesce(speaker_entity, speaker) AS canonical_speaker,
        anonymous,
        kind = 'no_comment' AS no_comment,
        cue,
        content
    FROM source
)

SELECT * FROM final;
