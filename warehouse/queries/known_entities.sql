-- Every stored entity with the texts written for it and how often it is written: which of them a
-- batch's names join is the Python rule's decision (transforms/entity_linking.py), kept in one place.
SELECT canonical, label, aliases, mention_count
FROM entities
ORDER BY canonical, label;
