-- Why discovery refused a URL (robots.txt disallow, or robots.txt unreachable).
ALTER TABLE discovered_urls ADD COLUMN reason VARCHAR;
