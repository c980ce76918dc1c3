-- URLs with a stored 200 response, optionally only for some sources (NULL: all).
SELECT DISTINCT url
FROM pages
WHERE status = 200 AND body_gzip IS NOT NULL
  AND ($1::VARCHAR[] IS NULL OR list_contains($1::VARCHAR[], source))
ORDER BY url;
