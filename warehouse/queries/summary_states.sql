-- URLs per terminal state for the given sources.
SELECT state, count(*) AS urls
FROM url_status
WHERE source IN (SELECT unnest(?::VARCHAR[]))
GROUP BY state
ORDER BY urls DESC, state;
