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
        -- What was said: the speaker's words a content encloses ("“A,” said Jane Smith, a lawyer. “B.”")
        -- become an ellipsis (migration 018); the table keeps the passage as written, with its offsets.
        CASE
            WHEN aside_start IS NULL THEN content
            ELSE rtrim(substring(content, 1, aside_start - content_start)) || ' … '
                || ltrim(substring(content, aside_end - content_start + 1))
        END AS content
    FROM source
)

SELECT * FROM final;
