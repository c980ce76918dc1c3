-- Of the given URLs, those already loaded (or copies, or unchanged), with the validators of their
-- latest 200 response for a conditional GET.
SELECT s.url, p.etag, p.last_modified
FROM url_status AS s
LEFT JOIN pages AS p ON p.page_id = (
    SELECT any_value(page_id ORDER BY fetched_at DESC)
    FROM pages
    WHERE pages.url = s.url AND status = 200
)
WHERE s.state IN ('loaded', 'duplicate', 'unchanged') AND s.url IN (SELECT unnest(?::VARCHAR[]));
