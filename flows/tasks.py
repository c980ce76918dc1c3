"""The Prefect tasks the flow process runs: discover, fetch, deduplicate, validate, load, read the archive.

Extraction and enrichment run on the runner's workers instead: flows/worker_tasks.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.discover import discover_source
from flows.fetch import Fetcher, HostLedger, Request
from flows.progress import reporter
from flows.quality import Check, Rows, check_annotation_rows, check_articles
from flows.run_control import Loader
from flows.settings import Settings
from flows.sources import Source
from transforms.dedup import ArticleKeys, DedupIndex, Merge, cluster_batch, signature_from_bytes
from transforms.models import ArticleRecord, DiscoveredUrl, Duplicate, Page, Rejection
from warehouse import store
from warehouse.db import connect
from warehouse.loader import BatchTables, LoadBatch, annotation_rows


# Network tasks retry once as a whole on an unexpected error; per-URL retries live in the Fetcher.
@task(name="discover_urls", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def discover_urls(sources: list[Source], settings: Settings,
                  ledger: HostLedger | None = None) -> tuple[list[DiscoveredUrl], list[str]]:
    """Find article URLs in every source's feeds, sitemaps and seed lists; mark robots.txt refusals."""

    async def run():
        async with Fetcher(settings.fetch, ledger=ledger) as fetcher:
            results = await asyncio.gather(*(discover_source(s, fetcher) for s in sources))
        urls, problems, seen = [], [], set()
        for found, trouble in results:
            problems.extend(trouble)
            for d in found:
                if d.url not in seen:
                    seen.add(d.url)
                    urls.append(d)
        return urls, problems

    urls, problems = asyncio.run(run())
    get_run_logger().info(
        "discovered %d URLs (%d refused by robots.txt)", len(urls), sum(not d.allowed for d in urls)
    )
    return urls, problems


@task(name="fetch_pages", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def fetch_pages(requests: list[Request], settings: Settings, ledger: HostLedger | None = None) -> list[Page]:
    """Fetch a batch of URLs politely; failures are returned as pages with an error."""
    progress = reporter()

    async def run():
        async with Fetcher(settings.fetch, ledger=ledger) as fetcher:
            return await fetcher.fetch_many(requests, on_done=lambda _p: progress.advance("fetch"))

    pages = asyncio.run(run())
    failed = sum(p.error is not None for p in pages)
    get_run_logger().info("fetched %d pages, %d failed", len(pages), failed)
    return pages


@task(name="deduplicate_articles", cache_policy=NO_CACHE)
def deduplicate_articles(
    records: list[ArticleRecord], index: DedupIndex, by_url: dict[str, tuple[str, str]]
) -> tuple[list[ArticleRecord], list[Duplicate], list[Merge]]:
    """Assign each record to a story cluster; copies of stored (or earlier) articles are listed as duplicates.

    Also returns the stored clusters the batch joins to another (transforms.dedup.cluster_batch).
    """
    fresh, copies = [], []
    for r in records:
        known = by_url.get(r.url)
        if known and known[1] != r.page_url:
            # Another address of a stored canonical URL (redirect, rel=canonical): the same article.
            stored = index.decision(known[0])
            cluster = stored.cluster if stored else known[0]
            copies.append(Duplicate(r.page_url, known[0], cluster, "url", 1.0))
            continue
        by_url[r.url] = (r.article_id, r.page_url)
        fresh.append(r)
    keys = [
        ArticleKeys(r.article_id, r.url, r.text_hash, signature_from_bytes(r.signature), r.title_key,
                    r.article.published, len(r.article.text))
        for r in fresh
    ]
    decisions, merges = cluster_batch(keys, index)
    for r, decision in zip(fresh, decisions, strict=True):
        r.cluster_id, r.is_canonical = decision.cluster, decision.canonical
        if not decision.canonical:
            copies.append(Duplicate(r.page_url, decision.cluster, decision.cluster, decision.layer,
                                    decision.similarity, r.article_id))
    get_run_logger().info("%d articles in, %d copies found, %d stored stories joined to another",
                          len(records), len(copies), len(merges))
    return fresh, copies, merges


@task(name="validate_articles", cache_policy=NO_CACHE)
def validate_articles(records: list[ArticleRecord], settings: Settings,
                      run_id: str | None = None) -> tuple[list[ArticleRecord], list[Rejection], Check]:
    """Run the articles expectation suite; rows breaking an error rule are quarantined."""
    kept, rejections, check = check_articles(records, settings.quality, run_id, settings.extraction.min_text_chars)
    get_run_logger().info("validated %d articles, %d quarantined", len(records), len(records) - len(kept))
    return kept, rejections, check


@task(name="validate_annotations", cache_policy=NO_CACHE)
def validate_annotations(records: list[ArticleRecord],
                         run_id: str | None = None) -> tuple[list[Rejection], list[Check], Rows]:
    """Run the mentions and attributions suites; broken rows are dropped and their articles' pages noted.

    Returns the (mentions, attributions) rows kept, which the loader writes as they are.
    """
    rejections, checks, rows = check_annotation_rows(records, annotation_rows(records), run_id)
    get_run_logger().info("validated annotations: %d rules broken", len(rejections))
    return rejections, checks, rows


@task(name="load_warehouse", cache_policy=NO_CACHE)
def load_warehouse(loader: Loader, tables: BatchTables | LoadBatch, what: str, under_lock=None) -> dict[str, int] | None:
    """Write one batch's tables to DuckDB in one transaction, holding the write lock only meanwhile.

    None when the lock stayed held past settings.lock_wait: the tables were kept as parts for the next run.
    under_lock(con) runs under the write lock and returns the tables to load instead (see Loader.load).
    """
    return loader.load(tables, what, under_lock)


@task(name="read_raw_pages", cache_policy=NO_CACHE)
def read_raw_pages(db_path: Path, urls: list[str]) -> list[Page]:
    """The latest successful stored response of each URL, from the raw archive."""
    with connect(db_path, read_only=True) as con:
        return store.raw_pages(con, urls)
