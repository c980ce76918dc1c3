-- Of the given URLs, those rejected for a reason a refetch rarely cures (quarantined by the extraction
-- or validation rules, or fetch_failed with one of the given HTTP statuses, FetchConfig's
-- retry_rejected_statuses) whose wait has not passed yet: the wait is ? days doubled for each identical rejection the latest response row counts (fetch_count),
-- capped at ? days, counted in calendar days from the day of the latest attempt to ? (the clock), so a
-- daily run retries a URL rejected once on the next day whatever the hour. Parameters: urls, base days,
-- max days, now, statuses.
WITH latest AS (
    SELECT url, fetch_count
    FROM pages
    WHERE url IN (SELECT unnest($1::VARCHAR[]))
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, page_id) = 1
),

final AS (
    SELECT s.url
    FROM url_status AS s
    JOIN latest AS p ON p.url = s.url
    WHERE (s.state = 'quarantined' OR (s.state = 'fetch_failed' AND s.http_status IN (SELECT unnest($5::INTEGER[]))))
      AND $4::TIMESTAMP::DATE < s.fetched_at::DATE
          + least($2 * pow(2, least(p.fetch_count, 30) - 1), $3)::INTEGER
)

SELECT url FROM final;
