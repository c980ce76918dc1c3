"""The ingest flow: discover -> fetch -> extract -> deduplicate -> validate -> enrich -> load."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner
from prefect.utilities.annotations import quote

from flows.artifacts import publish_run_artifacts
from flows.discover import discover_source
from flows.fetch import Fetcher, HostLedger, Request
from flows.progress import reporter
from flows.quality import (
    RUN_LEVEL,
    Check,
    QualityError,
    Rows,
    breaches,
    check_annotation_rows,
    check_articles,
    check_tables,
    finish_run,
    validation_rows,
)
from flows.runners import gather, started_runner, submit_parts
from flows.settings import Settings
from flows.sources import Source, load_sources, skip_languages
from flows.worker_tasks import Part, enrich_articles, extract_articles
from transforms.dedup import (
    ArticleKeys,
    DedupIndex,
    assign_clusters,
    signature_from_bytes,
)
from transforms.models import ArticleRecord, DiscoveredUrl, Duplicate, Page, Rejection
from warehouse import store
from warehouse.db import connect
from warehouse.loader import (
    BatchTables,
    LoadBatch,
    annotation_rows,
    batch_tables,
    load_batch,
    now,
    validations_table,
)


@dataclass
class RunReport:
    """What a run did: counts per stage, per terminal state, problems, timings."""

    run_id: str
    flow: str = "ingest"
    started: datetime | None = None
    stage: str | None = None  # the stage running now, named in the error line if it fails
    stages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall seconds the flow spent in each stage
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each stage, workers' included
    problems: list[str] = field(default_factory=list)
    data_docs: Path | None = None  # index.html of the Data Docs built at the end of the run

    def add(self, stage: str, n: int) -> None:
        """Add n to a stage count."""
        self.stages[stage] = self.stages.get(stage, 0) + n

    def add_cpu(self, stage: str, seconds: float) -> None:
        """Add CPU seconds to a stage."""
        self.cpu[stage] = self.cpu.get(stage, 0.0) + seconds


class timed:
    """Context manager adding a block's wall seconds to report.seconds[stage] and, unless it only waits
    for workers (whose tasks report their own), this process's CPU seconds to report.cpu[stage]."""

    def __init__(self, report: RunReport, stage: str, cpu: bool = True):
        self.report, self.stage, self.cpu = report, stage, cpu

    def __enter__(self):
        self.report.stage = self.stage
        self.t0, self.c0 = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.report.seconds[self.stage] = self.report.seconds.get(self.stage, 0.0) + time.perf_counter() - self.t0
        if self.cpu:
            self.report.add_cpu(self.stage, time.process_time() - self.c0)


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


def plan_fetches(con, urls: list[DiscoveredUrl], sources: dict[str, Source]) -> tuple[list[Request], int]:
    """Requests for URLs not yet loaded (or whose source asks for refresh); count the skipped."""
    allowed = [d for d in urls if d.allowed]
    done = store.fetch_validators(con, [d.url for d in allowed])
    requests, skipped = [], 0
    for d in allowed:
        source = sources[d.source]
        if d.url in done and not source.refresh:
            skipped += 1
            continue
        etag, modified = done.get(d.url, (None, None))
        # Local pages (folders, WARC files) are read from where discovery found them, not fetched.
        requests.append(Request.of(source, d.url, etag=etag, last_modified=modified, archive=d.locator))
    return requests, skipped


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


def load_dedup_index(con, settings: Settings) -> tuple[DedupIndex, dict[str, tuple[str, str]]]:
    """The dedup index over every stored article, and (article id, page URL) by canonical URL."""
    return DedupIndex.from_rows(store.dedup_index_rows(con), settings.dedup), store.article_urls(con)


@task(name="deduplicate_articles", cache_policy=NO_CACHE)
def deduplicate_articles(
    records: list[ArticleRecord], index: DedupIndex, by_url: dict[str, tuple[str, str]]
) -> tuple[list[ArticleRecord], list[Duplicate]]:
    """Assign each record to a story cluster; copies of stored (or earlier) articles are listed as duplicates."""
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
    for r, decision in zip(fresh, assign_clusters(keys, index), strict=True):
        r.cluster_id, r.is_canonical = decision.cluster, decision.canonical
        if not decision.canonical:
            copies.append(Duplicate(r.page_url, decision.cluster, decision.cluster, decision.layer,
                                    decision.similarity, r.article_id))
    get_run_logger().info("%d articles in, %d copies found", len(records), len(copies))
    return fresh, copies


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
def load_warehouse(db_path: Path, tables: BatchTables) -> dict[str, int]:
    """Write one batch's tables to DuckDB in one transaction, holding the write lock only meanwhile."""
    con = connect(db_path)
    try:
        return load_batch(con, tables)
    finally:
        con.close()


def validated_tables(batch: LoadBatch, checks: list[Check], batch_number: int, annotations: Rows | None = None,
                     report: RunReport | None = None) -> tuple[BatchTables, list[Check]]:
    """A batch's tables, built once: the table suites check them, the validations rows join them, the loader writes them.

    With `report`, building counts as load time (mostly compressing the page bodies) and checking as validation.
    """
    with timed(report, "load") if report else nullcontext():
        tables = batch_tables(batch, annotations=annotations)
    with timed(report, "validate") if report else nullcontext():
        checks = [*checks, *check_tables(tables, batch.run_id)]
        tables |= validations_table(validation_rows(batch.run_id, batch_number, checks))
    return tables, checks


def chunks(items: list, size: int):
    """Consecutive slices of at most `size` items."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass
class RunContext:
    """What the batches of one run share: settings, the report, the dedup index and URL map."""

    settings: Settings
    report: RunReport
    index: DedupIndex
    by_url: dict[str, tuple[str, str]]
    runner: TaskRunner | None = None  # where extraction and enrichment run; started by run_guard
    # Clusters whose canonical article was quarantined in this run: their next copy takes its place.
    orphans: set[str] = field(default_factory=set)
    # Each source's `languages:` list (sources.yaml): articles in other languages end skipped_language.
    languages: dict[str, list[str]] = field(default_factory=dict)


def open_run(settings: Settings, flow_name: str) -> RunContext:
    """Record a new run and load the dedup state every batch of it matches against."""
    report = RunReport(run_id=uuid.uuid4().hex[:12], flow=flow_name, started=now())
    with connect(settings.db_path) as con:
        store.record_run(con, report.run_id, flow_name, report.started, "running")
        index, by_url = load_dedup_index(con, settings)
        languages = store.source_languages(con)  # reprocess and requeue apply the stored lists
    return RunContext(settings, report, index, by_url, languages=languages)


def close_run(ctx: RunContext, status: str) -> None:
    """Record how the run ended, with its counts, build Data Docs and publish its artifacts."""
    # Data Docs show what a failed run validated too, so they are built whatever the status.
    ctx.report.data_docs = finish_run(ctx.settings.db_path, ctx.report.run_id)
    with connect(ctx.settings.db_path) as con:
        store.record_run(con, ctx.report.run_id, ctx.report.flow, ctx.report.started, status, ctx.report.stages)
    if status == "completed":
        publish_run_artifacts(ctx.report, ctx.settings.db_path)


@dataclass
class Batch:
    """One batch of pages on its way through the stages, with what each stage made of it so far."""

    pages: list[Page]
    store_pages: bool = True  # False when the pages come from the raw archive already
    pending: list[PrefectFuture] = field(default_factory=list)  # its parts on the runner's workers
    records: list[ArticleRecord] = field(default_factory=list)
    copies: list[Duplicate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def process_batches(ctx: RunContext, batches: Iterable[list[Page]], store_pages: bool = True) -> None:
    """Take batches of fetched pages through extract -> dedup -> validate -> enrich -> load.

    Dedup, validation and the load stay in this process (one writer, one dedup index); extraction
    and enrichment run on the runner's workers. With worker processes (processes, Dask) batches
    overlap: while the workers enrich batch k, this process fetches (or reads) batch k+1 and
    validates and loads batch k-1, and the workers' queue always holds the next task. The threads
    runner shares one GIL with this process, so it takes one batch at a time.
    """
    overlap = ctx.settings.runner != "threads"
    pages = iter(batches)
    extracting, enriching = _extract(ctx, pages, store_pages), None
    while extracting is not None:
        batch = extracting
        _collect_extracted(ctx, batch)
        _deduplicate_and_validate(ctx, batch)  # and submits its enrichment
        if not overlap:
            _load(ctx, batch)
        # Fetched (or read) while the workers enrich `batch`, then queued behind it.
        extracting = _extract(ctx, pages, store_pages)
        if overlap:
            if enriching is not None:
                _load(ctx, enriching)
            enriching = batch
    if enriching is not None:
        _load(ctx, enriching)


def _extract(ctx: RunContext, pages: Iterator[list[Page]], store_pages: bool) -> Batch | None:
    """The next batch of pages (fetched or read now), submitted to the workers for extraction; None at the end."""
    batch_pages = next(pages, None)
    if batch_pages is None:
        return None
    batch = Batch(batch_pages, store_pages)
    batch.pending = submit_parts(ctx.runner, extract_articles, batch_pages, ctx.settings)
    return batch


def _collect_extracted(ctx: RunContext, batch: Batch) -> None:
    """Wait for a batch's extraction; keep its records and the pages rejected."""
    with timed(ctx.report, "extract", cpu=False):
        parts: list[Part] = gather(batch.pending)
    ctx.report.add_cpu("extract", sum(p.cpu_seconds for p in parts))
    batch.records = [r for p in parts for r in p.records]
    batch.rejected = [r for p in parts for r in p.rejections]
    ctx.report.add("extracted", len(batch.records))
    batch.records, skipped = skip_languages(batch.records, ctx.languages)
    batch.rejected += skipped
    ctx.report.add("skipped_language", len(skipped))


def _deduplicate_and_validate(ctx: RunContext, batch: Batch) -> None:
    """Cluster a batch's records, quarantine invalid articles, and submit the rest to the workers for enrichment."""
    report, settings = ctx.report, ctx.settings
    with timed(report, "dedup"):
        batch.records, batch.copies = deduplicate_articles(quote(batch.records), quote(ctx.index), quote(ctx.by_url))
    report.add("duplicates", len(batch.copies))
    with timed(report, "validate"):
        checked = batch.records
        batch.records, invalid, article_check = validate_articles(quote(checked), settings, report.run_id)
        kept = {r.article_id for r in batch.records}
        ctx.orphans |= {r.cluster_id for r in checked if r.is_canonical and r.article_id not in kept}
        batch.copies = promote_copies(batch.records, batch.copies, ctx.orphans)
    report.add("quarantined", sum(r.stage != "language" for r in batch.rejected) + len({r.url for r in invalid}))
    batch.rejected += invalid
    batch.checks.append(article_check)
    reporter().start("enrich", sum(r.is_canonical for r in batch.records))
    batch.pending = submit_parts(ctx.runner, enrich_articles, batch.records, settings)


def promote_copies(records: list[ArticleRecord], copies: list[Duplicate], orphans: set[str]) -> list[Duplicate]:
    """Make the first copy in each orphaned cluster (its canonical article quarantined) the cluster's canonical.

    Returns the copies left; promoted clusters leave `orphans`.

    Dedup runs before validation (so that uniqueness rules see its verdict): without this, a copy in
    the same batch would be loaded pointing at a canonical article that never reaches the warehouse,
    and its story would lose its entities and quotes.
    """
    promoted: dict[str, str] = {}  # cluster -> the article now its canonical
    for r in records:
        if not r.is_canonical and r.cluster_id in orphans and r.cluster_id not in promoted:
            r.is_canonical = True
            promoted[r.cluster_id] = r.article_id
    orphans.difference_update(promoted)
    return [c for c in copies if c.article_id not in promoted.values()]


def _load(ctx: RunContext, batch: Batch) -> None:
    """Wait for a batch's enrichment, validate the annotations, load the batch in one transaction, apply the gate."""
    report, settings = ctx.report, ctx.settings
    with timed(report, "enrich", cpu=False):
        parts: list[Part] = gather(batch.pending)
    report.add_cpu("enrich", sum(p.cpu_seconds for p in parts))
    records = [r for p in parts for r in p.records]
    if settings.runner != "threads":  # workers in other processes cannot move this process's progress bar
        reporter().advance("enrich", sum(r.is_canonical for r in records))
    with timed(report, "validate"):
        flawed, checks, annotations = validate_annotations(quote(records), report.run_id)
        rejected = batch.rejected + flawed
        load = LoadBatch(report.run_id, pages=batch.pages if batch.store_pages else [], articles=records,
                         duplicates=batch.copies, rejections=rejected)
    tables, checks = validated_tables(load, [*batch.checks, *checks], report.stages.get("batches", 0),
                                      annotations, report)
    with timed(report, "load"):
        load_warehouse(settings.db_path, quote(tables))
    report.add("batches", 1)
    report.add("loaded", len(records))
    get_run_logger().info("batch: %d pages -> %d articles loaded", len(batch.pages), len(records))
    with timed(report, "validate"):
        # After the load, so that the quarantine rows of a failing batch are kept for inspection.
        if problems := breaches(batch.pages, rejected, checks, settings.quality):
            raise QualityError(" | ".join(problems))


@contextmanager
def run_guard(ctx: RunContext, what: str):
    """Run the block on the run's task runner; close the run as completed, or log the failed stage and re-raise."""
    try:
        with started_runner(ctx.settings) as ctx.runner:
            yield
    except Exception as exc:
        get_run_logger().error("%s failed in stage %s: %s: %s", what, ctx.report.stage or "start",
                               type(exc).__name__, exc)
        close_run(ctx, "failed")
        raise
    close_run(ctx, "completed")


def ingest_sources(sources_path: str, settings: Settings, only: list[str] | None = None) -> RunReport:
    """The body of the ingest flow: the sources of a sources file (all, or those named in `only`) into the warehouse."""
    sources = [s for s in load_sources(Path(sources_path)) if not only or s.name in only]
    if not sources:
        raise ValueError(f"{sources_path}: no source named {', '.join(only or [])}")
    by_name = {s.name: s for s in sources}
    ctx = open_run(settings, "ingest")
    ctx.languages.update({s.name: s.languages for s in sources})
    report = ctx.report
    with run_guard(ctx, f"ingest of {', '.join(by_name)}"):
        # One ledger for the run: a host's time budget and timeout breaker span discovery and every batch.
        ledger = HostLedger(settings.fetch)
        with timed(report, "discover"):
            urls, problems = discover_urls(sources, settings, quote(ledger))
        report.problems.extend(problems)
        report.add("discovered", len(urls))
        report.add("robots_denied", sum(not d.allowed for d in urls))
        with connect(settings.db_path, read_only=True) as con:
            requests, skipped = plan_fetches(con, urls, by_name)
        report.add("already_loaded", skipped)
        # Robots refusals and the URL list are recorded even when nothing needs fetching.
        source_rows = [{"name": s.name, "title": s.title, "config": s.model_dump()} for s in sources]
        discovered = LoadBatch(report.run_id, sources=source_rows, discovered=urls)
        tables, _ = validated_tables(discovered, [], RUN_LEVEL)
        load_warehouse(settings.db_path, quote(tables))

        reporter().start("fetch", len(requests))
        process_batches(ctx, fetched_batches(ctx, requests, ledger))
    return report


def fetched_batches(ctx: RunContext, requests: list[Request], ledger: HostLedger | None = None) -> Iterator[list[Page]]:
    """Fetch the requests batch by batch, counting what came back."""
    for batch_requests in chunks(requests, ctx.settings.batch_size):
        with timed(ctx.report, "fetch"):
            pages = fetch_pages(quote(batch_requests), ctx.settings, quote(ledger))
        ctx.report.add("fetched", len(pages))
        ctx.report.add("fetch_failed", sum(p.error is not None for p in pages))
        ctx.report.add("unchanged", sum(p.status == 304 for p in pages))
        yield pages


@task(name="read_raw_pages", cache_policy=NO_CACHE)
def read_raw_pages(db_path: Path, urls: list[str]) -> list[Page]:
    """The latest successful stored response of each URL, from the raw archive."""
    with connect(db_path, read_only=True) as con:
        return store.raw_pages(con, urls)


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
        with timed(ctx.report, "read"):
            pages = read_raw_pages(ctx.settings.db_path, quote(batch_urls))
        ctx.report.add("fetched", len(pages))
        yield pages
