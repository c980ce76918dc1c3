-- Each source's `languages:` list from its stored configuration (an empty list keeps every language).
SELECT name, coalesce(CAST(json_extract(config, '$.languages') AS VARCHAR[]), []) AS languages
FROM sources
ORDER BY name;
