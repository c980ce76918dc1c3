"""The warehouse's front door: named queries only, every query used, typed reads of what a batch wrote."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from transforms.models import ArticleRecord, DiscoveredUrl, ExtractedArticle, Page, Rejection
from warehouse import store
from warehouse.db import QUERIES, connect
from warehouse.loader import LoadBatch, load_batch

ROOT = Path(__file__).resolve().parents[1]
FETCHED = datetime(2026, 3, 2, 9, 0)


def test_flows_run_no_sql_of_their_own():
    offenders = [f"{p.name}:{n}" for p in sorted((ROOT / "flows").rglob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\.(execute|sql)\(", line) or (p.name == "report.py" and re.search(r"\bSELECT\b", line))]
    assert offenders == []


def test_every_named_query_is_loaded_somewhere():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "warehouse").glob("*.py"))
    used = set(re.findall(r'load_sql\("(\w+)"\)|_(?:rows|column)\(con, "(\w+)"', code))
    used = {a or b for a, b in used}
    assert sorted(p.stem for p in QUERIES.glob("*.sql")) == sorted(used)


def _batch() -> LoadBatch:
    url = "https://gazette.example/2026/03/02/story"
    article = ExtractedArticle(text="Body text. " * 30, title="Story", language="en")
    record = ArticleRecord(article_id="a1", url=url, page_url=url, page_id="p1", source="gazette",
                           article=article, text_hash="h1")
    bad = "https://gazette.example/2026/03/02/teaser"
    return LoadBatch(
        "run1", sources=[{"name": "gazette", "title": "The Gazette", "config": {}}],
        discovered=[DiscoveredUrl(url, "gazette", "feed"), DiscoveredUrl(bad, "gazette", "feed")],
        pages=[Page(url, "gazette", final_url=url, status=200, content_type="text/html", body=b"<p>story</p>",
                    fetched_at=FETCHED, etag='"v1"', last_modified="Mon, 02 Mar 2026 08:00:00 GMT"),
               Page(bad, "gazette", final_url=bad, status=200, content_type="text/html", body=b"<p>x</p>",
                    fetched_at=FETCHED)],
        articles=[record], rejections=[Rejection(bad, "gazette", "text_length", "validate", "too short", "8")],
    )


def test_reads_return_what_a_batch_wrote(tmp_path):
    db = tmp_path / "news.duckdb"
    batch = _batch()
    story, teaser = (p.url for p in batch.pages)
    with connect(db) as con:
        load_batch(con, batch)
        store.record_run(con, "run1", "ingest", FETCHED, "running")
        store.record_run(con, "run1", "ingest", FETCHED, "completed", {"loaded": 1})
    with connect(db, read_only=True) as con:
        assert store.source_names(con) == ["gazette"]
        assert store.fetch_validators(con, [story, teaser, "https://elsewhere.example/"]) == {
            story: store.Validators('"v1"', "Mon, 02 Mar 2026 08:00:00 GMT")}
        assert store.article_urls(con) == {story: ("a1", story)}
        assert [row[0] for row in store.dedup_index_rows(con)] == ["a1"]
        [page] = store.raw_pages(con, [story])
        assert (page.url, page.body, page.status, page.fetched_at) == (story, b"<p>story</p>", 200, FETCHED)
        assert store.reprocess_urls(con) == sorted([story, teaser])
        assert store.reprocess_urls(con, ["elsewhere"]) == []
        assert store.requeue_urls(con, "text_length") == [teaser]
        assert store.url_states(con, ["gazette"]) == [("loaded", 1), ("quarantined", 1)]
        assert store.quarantine_reasons(con) == [("validate", "text_length", 1)]
        columns, rows = store.quarantine_list(con, rule="text_length")
        assert columns[:5] == ["url", "source", "state", "stage", "rule"] and rows[0][:5] == (
            teaser, "gazette", "quarantined", "validate", "text_length")
        assert store.quarantine_list(con, source="elsewhere")[1] == []
        assert {"url_status", "quotes"} <= store.present_views(con)
        status, counts, finished = con.execute("SELECT status, counts, finished_at FROM runs").fetchone()
        assert (status, counts) == ("completed", '{"loaded": 1}') and finished is not None


def test_run_sql_returns_rows_and_writes_the_file(tmp_path):
    db = tmp_path / "news.duckdb"
    with connect(db) as con:
        load_batch(con, _batch())
    with connect(db, read_only=True) as con:
        columns, rows = store.run_sql(con, "SELECT url FROM pages ORDER BY url", tmp_path / "out" / "p.csv",
                                      "FORMAT csv, HEADER true")
        assert store.export_view(con, "url_status", tmp_path / "status.parquet") == 2
    assert columns == ["url"] and len(rows) == 2
    assert (tmp_path / "out" / "p.csv").read_text().splitlines() == ["url", *(r[0] for r in rows)]
