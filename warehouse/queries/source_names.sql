-- Sources named in the sources table, else every source that discovered a URL.
SELECT name FROM sources
UNION
SELECT DISTINCT source FROM discovered_urls WHERE NOT EXISTS (SELECT 1 FROM sources)
ORDER BY 1;
