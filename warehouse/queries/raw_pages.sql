-- The latest stored 200 response of each given URL: the input of reprocessing.
SELECT url, source, final_url, status, content_type, body_gzip, fetched_at
FROM pages
WHERE url IN (SELECT unnest(?::VARCHAR[])) AND status = 200 AND body_gzip IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, page_id) = 1
ORDER BY url;
