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
        -- An unresolved speaker keeps its words; only a capital that the sentence start put there goes,
        -- so "People familiar with the matter" and "people familiar with the matter" are one speaker.
        coalesce(speaker_entity, lower(speaker[1]) || speaker[2:]) AS canonical_speaker,
        anonymous,
        speaker_type,  -- person, organization, anonymous, author, unresolved (issue 17)
        speaker_name,  -- the name a pronoun or description resolves to
        -- the speech event: rows of one statement ("said, adding ...") share it (migration 015)
        coalesce(statement, seq) AS statement,
        -- a cue that says nothing was said ("is not saying whether ..."): no quote (migration 016)
        coalesce(negated, false) AS negated,
        kind = 'no_comment' AS no_comment,
        cue,
        content
    FROM source
)

SELECT * FROM final;
