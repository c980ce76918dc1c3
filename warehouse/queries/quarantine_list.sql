-- `newsetl quarantine`: every rule each quarantined page broke, optionally for one rule or source.
SELECT
    q.url,
    q.source,
    s.state,
    q.stage,
    q.rule,
    q.detail,
    q.value,
    q.quarantined_at,
    q.run_id,
    -- What a page refused as an article was (migration 013); NULL for other rejections.
    q.title,
    q.authors,
    q.published,
    q.language
FROM quarantine AS q
LEFT JOIN url_status AS s USING (url)
WHERE ($1::VARCHAR IS NULL OR q.rule = $1) AND ($2::VARCHAR IS NULL OR q.source = $2)
ORDER BY q.url, q.rule;
