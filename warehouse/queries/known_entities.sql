-- Every stored entity with the texts written for it: which of them a batch's names join is the
-- Python rule's decision (transforms/entity_linking.py), kept in one place.
SELECT canonical, label, aliases
FROM entities
ORDER BY canonical, label;
