-- The canonical member of a story cluster: its arrival-order key (published, length) and page URL.
SELECT article_id, published, length(text), page_url
FROM articles
WHERE cluster_id = ? AND is_canonical;
