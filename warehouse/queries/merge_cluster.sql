-- Fold story cluster $from into cluster $into (whose canonical member is in this batch): every member
-- of $from becomes a copy, its former canonical one gets its duplicates row; the marts read canonicals only.
UPDATE duplicates SET cluster_id = $into, duplicate_of = $into WHERE cluster_id = $from;
INSERT INTO duplicates (url, article_id, duplicate_of, cluster_id, layer, similarity, detected_at)
SELECT page_url, article_id, $into, $into, $layer, $similarity, now()::TIMESTAMP
FROM articles WHERE cluster_id = $from AND is_canonical
ON CONFLICT DO NOTHING;
UPDATE articles SET cluster_id = $into, is_canonical = false WHERE cluster_id = $from;
