"""The flow bodies: ingest (discover -> fetch -> the batches), reprocess and requeue (the batches from the raw archive).

A run's life: flows/runs.py; the batches: flows/batches.py; the tasks: flows/tasks.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from prefect.utilities.annotations import quote

from flows import run_control, runs
from flows.batches import chunks, process_batches, validated_tables
from flows.fetch import HostLedger, Request
from flows.progress import reporter
from flows.quality import RUN_LEVEL
from flows.runs import RunContext, RunReport, open_run, run_guard
from flows.settings import FetchConfig, Settings
from flows.sources import Source, load_sources
from flows.tasks import discover_urls, fetch_pages, load_warehouse, read_raw_pages
from transforms.models import DiscoveredUrl, Page
from warehouse import store
from warehouse.db import connect
from warehouse.loader import LoadBatch


def ingest_sources(sources_path: str, settings: Settings, only: list[str] | None = None) -> RunReport:
    """The body of the ingest flow: the sources of a sources file (all, or those named in `only`) into the warehouse."""
    sources = [s for s in load_sources(Path(sources_path)) if not only or s.name in only]
    if not sources:
        raise ValueError(f"{sources_path}: no source named {', '.join(only or [])}")
    by_name = {s.name: s for s in sources}
    ctx = open_run(settings, "ingest")
    ctx.languages.update({s.name: s.languages for s in sources})
    report = ctx.report
    report.sources = list(by_name)
    with run_guard(ctx, f"ingest of {', '.join(by_name)}"):
        # One ledger for the run: a host's time budget and timeout breaker span discovery and every batch.
        ledger = HostLedger(settings.fetch)
        with runs.timed(report, "discover"):
            urls, problems = discover_urls(sources, settings, quote(ledger))
        report.problems.extend(problems)
        report.add("discovered", len(urls))
        report.add("robots_denied", sum(not d.allowed for d in urls))
        with connect(settings.db_path, read_only=True, wait_seconds=settings.lock_wait) as con:
            requests, skipped, held = plan_fetches(con, urls, by_name, settings.fetch)
        report.add("already_loaded", skipped)
        report.add("retry_later", held)
        already = Counter(d.source for d in urls if d.allowed) - Counter(r.source for r in requests)
        # Robots refusals and the URL list are recorded even when nothing needs fetching.
        source_rows = [{"name": s.name, "title": s.title, "config": s.model_dump()} for s in sources]
        discovered = LoadBatch(report.run_id, sources=source_rows, discovered=urls)
        tables, _ = validated_tables(discovered, [], RUN_LEVEL)
        load_warehouse(ctx.loader, quote(tables), "discovered")

        reporter().start("fetch", len(requests))
        fetched: list[Page] = []
        process_batches(ctx, fetched_batches(ctx, requests, ledger, fetched))
        report.failed_sources = run_control.failed_sources(list(by_name), urls, fetched, problems, already)
    return report


def plan_fetches(con, urls: list[DiscoveredUrl], sources: dict[str, Source], fetch: FetchConfig | None = None,
                 at: datetime | None = None) -> tuple[list[Request], int, int]:
    """Requests for URLs not yet loaded (or whose source asks for refresh) nor waiting out a rejection
    backoff (FetchConfig.retry_rejected_after_days, as of `at`); count the skipped and the held back."""
    allowed = [d for d in urls if d.allowed]
    done = store.fetch_validators(con, [d.url for d in allowed])
    fetch = fetch or FetchConfig()
    # A held-back URL keeps its recorded state and reason (quarantined, fetch_failed: http_404).
    wait = store.retry_later(con, [d.url for d in allowed], fetch.retry_rejected_after_days,
                             fetch.retry_rejected_max_days, fetch.retry_rejected_statuses, at)
    requests, skipped, held = [], 0, 0
    for d in allowed:
        source = sources[d.source]
        if d.url in done and not source.refresh:
            skipped += 1
            continue
        if d.url in wait:
            held += 1
            continue
        etag, modified = done.get(d.url, (None, None))
        # Local pages (folders, WARC files) are read from where discovery found them, not fetched.
        requests.append(Request.of(source, d.url, etag=etag, last_modified=modified, archive=d.locator))
    return requests, skipped, held


def fetched_batches(ctx: RunContext, requests: list[Request], ledger: HostLedger | None = None,
                    fetched: list[Page] | None = None) -> Iterator[list[Page]]:
    """Fetch the requests batch by batch, counting what came back (and keeping its outcomes in `fetched`)."""
    for batch_requests in chunks(requests, ctx.settings.batch_size):
        with runs.timed(ctx.report, "fetch"):
            pages = fetch_pages(quote(batch_requests), ctx.settings, quote(ledger))
        if fetched is not None:  # without the bodies: only what failed_sources counts
            fetched.extend(Page(url=p.url, source=p.source, status=p.status, error=p.error) for p in pages)
        ctx.report.add("fetched", len(pages))
        ctx.report.add("fetch_failed", sum(p.error is not None for p in pages))
        ctx.report.add("unchanged", sum(p.status == 304 for p in pages))
        yield pages


def reprocess_archive(settings: Settings, sources: list[str] | None = None) -> RunReport:
    """The body of the reprocess flow: extraction and everything after it again, from the raw archive."""
    with connect(settings.db_path, read_only=True) as con:
        urls = store.reprocess_urls(con, sources)
    ctx = open_run(settings, "reprocess")
    with run_guard(ctx, "reprocess"):
        process_stored(ctx, urls)
    return ctx.report


def requeue_rule(rule: str, settings: Settings) -> RunReport:
    """The body of the requeue flow: pages quarantined for `rule` through extraction and the rest again."""
    with connect(settings.db_path, read_only=True) as con:
        urls = store.requeue_urls(con, rule)
    ctx = open_run(settings, "requeue")
    with run_guard(ctx, f"requeue of {rule}"):
        process_stored(ctx, urls)
    return ctx.report


def process_stored(ctx: RunContext, urls: list[str]) -> None:
    """Take the stored raw pages of `urls` through extract -> load again, batch by batch, without the network."""
    reporter().start("fetch", 0)
    process_batches(ctx, stored_batches(ctx, urls), store_pages=False)


def stored_batches(ctx: RunContext, urls: list[str]) -> Iterator[list[Page]]:
    """The stored raw pages of `urls`, batch by batch."""
    for batch_urls in chunks(urls, ctx.settings.batch_size):
        with runs.timed(ctx.report, "read"):
            pages = read_raw_pages(ctx.settings.db_path, quote(batch_urls))
        ctx.report.add("fetched", len(pages))
        yield pages
