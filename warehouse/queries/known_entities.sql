-- Stored entities that a batch's names may link to: the same name, a full name ending with one of
-- the batch's words (a surname), an alias the batch writes, or a name whose initials are one of
-- the batch's acronyms. Parameters: names, words, acronyms (VARCHAR[] each).
SELECT canonical, label, aliases
FROM entities
WHERE canonical IN (SELECT unnest(?::VARCHAR[]))
    OR string_split(canonical, ' ')[-1] IN (SELECT unnest(?::VARCHAR[]))
    OR entity_id IN (
        SELECT entity_id FROM (SELECT entity_id, unnest(aliases) AS alias FROM entities)
        WHERE alias IN (SELECT unnest(?::VARCHAR[]))
    )
    OR array_to_string(
        list_transform(
            list_filter(
                string_split(replace(canonical, '-', ' '), ' '),
                lambda w: regexp_matches(w, '^[[:upper:]]') AND lower(w) NOT IN ('of', 'the', 'and', 'for', 'de', 'in', 'on', 'at')
            ),
            lambda w: w[1]
        ),
        ''
    ) IN (SELECT unnest(?::VARCHAR[]))
ORDER BY canonical, label;
