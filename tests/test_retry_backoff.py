"""Rejected URLs (quarantined, HTTP 404/410/403...) wait out a doubling backoff before they are fetched again."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from flows.ingest import plan_fetches
from flows.settings import FetchConfig, Settings
from flows.sources import Source
from transforms.models import ArticleRecord, DiscoveredUrl, ExtractedArticle, Page, Rejection
from warehouse import store
from warehouse.db import connect
from warehouse.loader import LoadBatch, load_batch

B = "https://gazette.example/2026/03/02/"
URLS = {name: B + name for name in ("story", "teaser", "gone", "slow", "new", "blocked", "busy")}
DAY0 = datetime(2026, 3, 2, 9, 0)
SOURCES = {"gazette": Source(name="gazette", sitemaps=[B + "sitemap.xml"])}


def _batch(at: datetime) -> LoadBatch:
    """One run's outcomes: a loaded story, a quarantined teaser, a 404, a timeout, a 403, a 429; `new` only discovered."""
    story, teaser, gone, slow = URLS["story"], URLS["teaser"], URLS["gone"], URLS["slow"]
    record = ArticleRecord(article_id="a1", url=story, page_url=story, page_id="p1", source="gazette",
                           article=ExtractedArticle(text="Body text. " * 30, title="Story", language="en"),
                           text_hash="h1")
    return LoadBatch(
        "run1", sources=[{"name": "gazette", "title": "The Gazette", "config": {}}],
        discovered=[DiscoveredUrl(u, "gazette", "sitemap") for u in URLS.values()],
        pages=[Page(story, "gazette", final_url=story, status=200, body=b"<p>story</p>", fetched_at=at),
               Page(teaser, "gazette", final_url=teaser, status=200, body=b"<p>x</p>", fetched_at=at),
               Page(gone, "gazette", final_url=gone, status=404, error="http_404", fetched_at=at),
               Page(slow, "gazette", error="timeout: ReadTimeout", fetched_at=at),
               Page(URLS["blocked"], "gazette", final_url=URLS["blocked"], status=403, error="http_403", fetched_at=at),
               Page(URLS["busy"], "gazette", final_url=URLS["busy"], status=429, error="http_429", fetched_at=at)],
        articles=[record] if at == DAY0 else [],
        rejections=[Rejection(teaser, "gazette", "too_short", "extract", "17 characters")],
    )


def _planned(db, at: datetime, fetch: FetchConfig | None = None) -> tuple[set[str], int, int]:
    with connect(db, read_only=True) as con:
        requests, skipped, held = plan_fetches(con, [DiscoveredUrl(u, "gazette", "sitemap") for u in URLS.values()],
                                               SOURCES, fetch, at=at)
    return {r.url for r in requests}, skipped, held


def test_rejections_wait_a_doubling_number_of_days_and_transient_failures_none(tmp_path):
    db = tmp_path / "news.duckdb"
    with connect(db) as con:
        load_batch(con, _batch(DAY0))
    teaser, gone, slow, new = URLS["teaser"], URLS["gone"], URLS["slow"], URLS["new"]
    blocked, busy = URLS["blocked"], URLS["busy"]
    # Later the same day: the quarantined page, the 404 and the 403 are held back, the timeout, the 429
    # (too many requests: transient) and the new URL go,
    # the loaded story is skipped as before.
    assert _planned(db, DAY0 + timedelta(hours=8)) == ({slow, busy, new}, 1, 3)
    # The next day (one rejection: one day's wait) both are retried, whatever the hour.
    assert _planned(db, DAY0 + timedelta(hours=16)) == ({teaser, gone, blocked, slow, busy, new}, 1, 0)
    # The same rejections come back on day 1: the wait doubles to two days.
    with connect(db) as con:
        load_batch(con, _batch(DAY0 + timedelta(days=1)))
        counts = dict(con.execute("SELECT url, fetch_count FROM pages").fetchall())
    assert counts[teaser] == counts[gone] == counts[blocked] == 2
    assert _planned(db, DAY0 + timedelta(days=2, hours=12)) == ({slow, busy, new}, 1, 3)
    assert _planned(db, DAY0 + timedelta(days=3)) == ({teaser, gone, blocked, slow, busy, new}, 1, 0)
    # 0 disables the backoff; the cap bounds the wait.
    assert _planned(db, DAY0 + timedelta(days=2), FetchConfig(retry_rejected_after_days=0))[2] == 0
    # The statuses are a setting: without 403 in the list, the blocked page goes every run.
    only_gone = FetchConfig(retry_rejected_statuses=[404, 410])
    assert _planned(db, DAY0 + timedelta(days=2), only_gone) == ({blocked, slow, busy, new}, 1, 2)
    capped = FetchConfig(retry_rejected_after_days=1, retry_rejected_max_days=1)
    assert _planned(db, DAY0 + timedelta(days=2), capped) == ({teaser, gone, blocked, slow, busy, new}, 1, 0)
    # Held-back URLs keep their recorded state and reason.
    with connect(db, read_only=True) as con:
        states = dict(con.execute("SELECT url, state || ': ' || coalesce(reason, '') FROM url_status").fetchall())
    assert states[teaser] == "quarantined: too_short: 17 characters"
    assert states[gone] == "fetch_failed: http_404"
    assert states[slow] == "fetch_failed: timeout: ReadTimeout"


# The flow run starts Prefect's ephemeral API (~30 s on a busy machine).
@pytest.mark.slow
def test_second_run_does_not_request_the_quarantined_page_and_reports_it(http_server, tmp_path):
    from test_quality import STORY, page_html

    from flows.pipelines import ingest

    http_server.reply("/news/ferry", body=page_html("Ferry to run through winter", STORY))
    http_server.reply("/news/teaser", body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    # /news/gone has no route: the server answers 404.
    sources = tmp_path / "sources.yaml"
    urls = "".join(f"\n      - {http_server.base}{p}" for p in ("/news/ferry", "/news/teaser", "/news/gone"))
    sources.write_text(f"sources:\n  - name: gazette\n    allow_private: true\n    urls:{urls}\n", encoding="utf-8")
    settings = Settings(db_path=tmp_path / "warehouse" / "news.duckdb")
    first = ingest(str(sources), settings)
    assert first.stages.get("retry_later", 0) == 0 and first.stages["loaded"] == 1
    second = ingest(str(sources), settings)
    pages = {path: n for path, n in http_server.hits.items() if path.startswith("/news/")}
    assert pages == {"/news/ferry": 1, "/news/teaser": 1, "/news/gone": 1}
    assert second.stages["retry_later"] == 2 and second.stages["already_loaded"] == 1
    with connect(settings.db_path, read_only=True) as con:
        assert dict(store.url_states(con, ["gazette"])) == {"loaded": 1, "quarantined": 1, "fetch_failed": 1}
