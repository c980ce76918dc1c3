-- One terminal state per discovered URL, with the reason when it did not load. `error`: a stage raised
-- on the URL's batch (quarantine rule stage_error; `newsetl requeue --rule stage_error` retries it);
-- `pending`: discovered, not fetched yet (a later batch of a run still going, or a run that ended
-- early: interrupted, abandoned, stopped by the quality gate); the next run fetches it.
-- `skipped_language`: the article is in a language its source's `languages:` list leaves out
-- (quarantine rule skipped_language; not a quality failure; requeue takes it after the list changes).
CREATE OR REPLACE VIEW url_status AS
WITH quarantine_reasons AS (
    SELECT
        url,
        string_agg(rule || ': ' || coalesce(detail, ''), '; ' ORDER BY rule) AS reason,
        bool_or(rule = 'stage_error') AS stage_error,
        bool_and(rule = 'skipped_language') AS skipped_language
    FROM stg_quarantine
    GROUP BY url
),

final AS (
    SELECT
        d.url,
        d.outlet AS source,
        d.via,
        CASE
            WHEN NOT d.robots_allowed THEN 'robots_denied'
            WHEN dup.url IS NOT NULL THEN 'duplicate'
            WHEN a.article_id IS NOT NULL THEN 'loaded'
            WHEN q.stage_error THEN 'error'
            WHEN q.skipped_language THEN 'skipped_language'
            WHEN q.url IS NOT NULL THEN 'quarantined'
            WHEN p.status = 304 THEN 'unchanged'
            WHEN p.error IS NOT NULL THEN 'fetch_failed'
            ELSE 'pending'
        END AS state,
        CASE
            WHEN NOT d.robots_allowed THEN coalesce(d.discovery_reason, 'disallowed by robots.txt')
            WHEN dup.url IS NOT NULL THEN dup.layer || ' copy of ' || dup.duplicate_of
            WHEN a.article_id IS NOT NULL THEN NULL
            WHEN q.url IS NOT NULL THEN q.reason
            ELSE p.error
        END AS reason,
        p.status AS http_status,
        p.fetched_at,
        coalesce(a.article_id, dup.article_id) AS article_id
    FROM stg_discovered_urls AS d
    LEFT JOIN stg_pages AS p ON p.url = d.url
    LEFT JOIN stg_duplicates AS dup ON dup.url = d.url
    LEFT JOIN stg_articles AS a ON a.page_url = d.url
    LEFT JOIN quarantine_reasons AS q ON q.url = d.url
)

SELECT * FROM final;
