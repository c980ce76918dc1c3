-- Every stored article (or only the ids in $1, when given) in load order, in the column order
-- DedupIndex.from_rows reads.
SELECT
    a.article_id,
    a.url,
    f.text_hash,
    f.minhash,
    f.title_key,
    a.cluster_id,
    d.layer,
    d.similarity,
    a.published,
    f.text_chars
FROM articles AS a
JOIN article_fingerprints AS f USING (article_id)
LEFT JOIN duplicates AS d ON d.article_id = a.article_id
WHERE $1::VARCHAR[] IS NULL OR a.article_id IN (SELECT unnest($1::VARCHAR[]))
ORDER BY a.loaded_at, a.article_id;
