-- Who each attribution's speaker is (issue 17): speaker_type is person, organization, anonymous,
-- author (the writer's own "I"/"we": the byline names them) or unresolved; speaker_name is the name
-- the speaker resolves to ("he" -> "Dmitry Peskov"), also when the entity stage missed the name,
-- so it may name no entities row (speaker_entity still does).
ALTER TABLE attributions ADD COLUMN speaker_type VARCHAR;
ALTER TABLE attributions ADD COLUMN speaker_name VARCHAR;

-- Rows loaded before: an anonymous source stays anonymous, a resolved entity is a person or an
-- organization by its mentions' label, the writer's "I"/"we" is the author, and the rest (pronouns,
-- relative words, descriptions left unresolved) is unresolved rather than a name.
UPDATE attributions SET
    speaker_name = CASE WHEN NOT anonymous THEN speaker_entity END,
    speaker_type = CASE
        WHEN anonymous THEN 'anonymous'
        WHEN speaker_entity IS NOT NULL THEN 'organization'
        WHEN lower(speaker) IN ('i', 'we') THEN 'author'
        ELSE 'unresolved'
    END;

UPDATE attributions AS t SET speaker_type = 'person'
FROM (SELECT DISTINCT article_id, canonical FROM mentions WHERE label = 'PERSON') AS m
WHERE t.speaker_type = 'organization' AND m.article_id = t.article_id AND m.canonical = t.speaker_entity;
