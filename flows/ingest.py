"""The ingest flow: discover -> fetch -> extract -> deduplicate -> validate -> enrich -> load."""

from __future__ import annotations

import asyncio
import gzip
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner

from flows.archive import local_index
from flows.artifacts import publish_run_artifacts
from flows.discover import discover_source
from flows.fetch import Fetcher, Request
from flows.progress import reporter
from flows.quality import (
    RUN_LEVEL,
    Check,
    QualityError,
    breaches,
    check_annotations,
    check_articles,
    check_tables,
    finish_run,
    validation_rows,
)
from flows.runners import fan_out, started_runner
from flows.settings import Settings
from flows.sources import Source, load_sources
from transforms.dedup import (
    ArticleKeys,
    DedupIndex,
    assign_clusters,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    text_hash,
    title_key,
)
from transforms.encoding import decode_html
from transforms.extraction import extract_article
from transforms.models import ArticleRecord, DiscoveredUrl, Duplicate, ExtractionError, Page, Rejection
from transforms.nlp import annotate_texts
from transforms.urls import canonical_url
from warehouse.db import connect, load_sql
from warehouse.loader import LoadBatch, load_batch, now, page_id, record_run, stable_id


@dataclass
class RunReport:
    """What a run did: counts per stage, per terminal state, problems, timings."""

    run_id: str
    flow: str = "ingest"
    started: datetime | None = None
    stage: str | None = None  # the stage running now, named in the error line if it fails
    stages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    data_docs: Path | None = None  # index.html of the Data Docs built at the end of the run

    def add(self, stage: str, n: int) -> None:
        """Add n to a stage count."""
        self.stages[stage] = self.stages.get(stage, 0) + n


class timed:
    """Context manager adding the elapsed seconds of a block to report.seconds[stage]."""

    def __init__(self, report: RunReport, stage: str):
        self.report, self.stage = report, stage

    def __enter__(self):
        self.report.stage = self.stage
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        self.report.seconds[self.stage] = self.report.seconds.get(self.stage, 0.0) + time.perf_counter() - self.t0


# Network tasks retry once as a whole on an unexpected error; per-URL retries live in the Fetcher.
@task(name="discover_urls", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def discover_urls(sources: list[Source], settings: Settings) -> tuple[list[DiscoveredUrl], list[str]]:
    """Find article URLs in every source's feeds, sitemaps and seed lists; mark robots.txt refusals."""

    async def run():
        async with Fetcher(settings.fetch) as fetcher:
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
    done = {
        row[0]: (row[1], row[2])
        for row in con.execute(load_sql("fetch_state"), [[d.url for d in allowed]]).fetchall()
    }
    # Local pages (folders, WARC files) are read from where discovery found them, not fetched.
    local = {name: local_index(s.folders, s.warcs)[0] for name, s in sources.items() if s.folders or s.warcs}
    requests, skipped = [], 0
    for d in allowed:
        source = sources[d.source]
        if d.url in done and not source.refresh:
            skipped += 1
            continue
        etag, modified = done.get(d.url, (None, None))
        _via, archive = local.get(d.source, {}).get(d.url, (None, None))
        requests.append(Request.of(source, d.url, etag=etag, last_modified=modified, archive=archive))
    return requests, skipped


@task(name="fetch_pages", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def fetch_pages(requests: list[Request], settings: Settings) -> list[Page]:
    """Fetch a batch of URLs politely; failures are returned as pages with an error."""
    progress = reporter()

    async def run():
        async with Fetcher(settings.fetch) as fetcher:
            return await fetcher.fetch_many(requests, on_done=lambda _p: progress.advance("fetch"))

    pages = asyncio.run(run())
    failed = sum(p.error is not None for p in pages)
    get_run_logger().info("fetched %d pages, %d failed", len(pages), failed)
    return pages


@task(name="extract_articles", cache_policy=NO_CACHE)
def extract_articles(pages: list[Page], settings: Settings) -> tuple[list[ArticleRecord], list[Rejection]]:
    """Extract article text and metadata from fetched pages; pages without an article are rejected."""
    records, rejections = [], []
    for page in pages:
        if page.error is not None or page.status != 200 or page.body is None:
            continue  # fetch failures and 304s are recorded by the pages table
        pid = page_id(page)
        try:
            html = decode_html(page.body, page.content_type)
            article = extract_article(html, url=page.final_url or page.url, config=settings.extraction)
        except ExtractionError as exc:
            rule, _, detail = str(exc).partition(": ")
            rejections.append(Rejection(page.url, page.source, rule, "extract", detail or None, None, pid))
            continue
        url = canonical_url(page.final_url or page.url, article.url)
        records.append(
            ArticleRecord(
                article_id=stable_id(url), url=url, page_url=page.url, page_id=pid, source=page.source,
                article=article, text_hash=text_hash(article.text),
                signature=signature_to_bytes(signature(article.text, settings.dedup)),
                title_key=title_key(article.title, outlet=page.source, published=article.published,
                                    config=settings.dedup),
            )
        )
    get_run_logger().info("extracted %d articles, rejected %d pages", len(records), len(rejections))
    return records, rejections


def load_dedup_index(con, settings: Settings) -> tuple[DedupIndex, dict[str, tuple[str, str]]]:
    """The dedup index over every stored article, and (article id, page URL) by canonical URL."""
    rows = con.execute(load_sql("dedup_index_rows")).fetchall()
    index = DedupIndex.from_rows(rows, settings.dedup)
    by_url = {url: (article_id, page_url) for article_id, url, page_url in
              con.execute(load_sql("article_urls")).fetchall()}
    return index, by_url


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
    kept, rejections, check = check_articles(records, settings.quality, run_id)
    get_run_logger().info("validated %d articles, %d quarantined", len(records), len(records) - len(kept))
    return kept, rejections, check


@task(name="validate_annotations", cache_policy=NO_CACHE)
def validate_annotations(records: list[ArticleRecord], run_id: str | None = None) -> tuple[list[Rejection], list[Check]]:
    """Run the mentions and attributions suites; broken rows are dropped and their articles' pages noted."""
    rejections, checks = check_annotations(records, run_id)
    get_run_logger().info("validated annotations: %d rules broken", len(rejections))
    return rejections, checks


@task(name="enrich_articles", cache_policy=NO_CACHE)
def enrich_articles(records: list[ArticleRecord], settings: Settings) -> list[ArticleRecord]:
    """Attach entities and attributions to canonical articles (copies are not enriched again)."""
    todo = [r for r in records if r.is_canonical]
    progress = reporter()
    for record, annotation in zip(todo, annotate_texts((r.article.text for r in todo), settings.nlp, settings.entities), strict=True):
        record.annotation = annotation
        progress.advance("enrich")
    get_run_logger().info(
        "enriched %d articles: %d mentions, %d attributions", len(todo),
        sum(len(r.annotation.mentions) for r in todo), sum(len(r.annotation.attributions) for r in todo),
    )
    return records


@task(name="load_warehouse", cache_policy=NO_CACHE)
def load_warehouse(db_path: Path, batch: LoadBatch) -> dict[str, int]:
    """Write one batch to DuckDB in one transaction, holding the write lock only meanwhile."""
    con = connect(db_path)
    try:
        return load_batch(con, batch)
    finally:
        con.close()


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


def open_run(settings: Settings, flow_name: str) -> RunContext:
    """Record a new run and load the dedup state every batch of it matches against."""
    report = RunReport(run_id=uuid.uuid4().hex[:12], flow=flow_name, started=now())
    with connect(settings.db_path) as con:
        record_run(con, report.run_id, flow_name, report.started, "running")
        index, by_url = load_dedup_index(con, settings)
    return RunContext(settings, report, index, by_url)


def close_run(ctx: RunContext, status: str) -> None:
    """Record how the run ended, with its counts, build Data Docs and publish its artifacts."""
    # Data Docs show what a failed run validated too, so they are built whatever the status.
    ctx.report.data_docs = finish_run(ctx.settings.db_path, ctx.report.run_id)
    with connect(ctx.settings.db_path) as con:
        record_run(con, ctx.report.run_id, ctx.report.flow, ctx.report.started, status, ctx.report.stages)
    if status == "completed":
        publish_run_artifacts(ctx.report, ctx.settings.db_path)


def process_pages(ctx: RunContext, pages: list[Page], store_pages: bool = True) -> None:
    """Take one batch of fetched pages through extract -> dedup -> validate -> enrich -> load."""
    report, settings = ctx.report, ctx.settings
    with timed(report, "extract"):
        # On the workers of the runner; dedup, validation and the load stay in the flow process.
        parts = fan_out(ctx.runner, extract_articles, pages, settings)
        records = [r for part_records, _ in parts for r in part_records]
        rejected = [r for _, part_rejected in parts for r in part_rejected]
    report.add("extracted", len(records))
    with timed(report, "dedup"):
        records, copies = deduplicate_articles(records, ctx.index, ctx.by_url)
    report.add("duplicates", len(copies))
    with timed(report, "validate"):
        records, invalid, article_check = validate_articles(records, settings, report.run_id)
    report.add("quarantined", len(rejected) + len({r.url for r in invalid}))
    reporter().start("enrich", sum(r.is_canonical for r in records))
    with timed(report, "enrich"):
        records = [r for part in fan_out(ctx.runner, enrich_articles, records, settings) for r in part]
    with timed(report, "validate"):
        flawed, checks = validate_annotations(records, report.run_id)
        batch = LoadBatch(report.run_id, pages=pages if store_pages else [], articles=records, duplicates=copies,
                          rejections=rejected + invalid + flawed)
        checks = [article_check, *checks, *check_tables(batch)]
        batch.validations = validation_rows(report.run_id, report.stages.get("batches", 0), checks)
    with timed(report, "load"):
        load_warehouse(settings.db_path, batch)
    report.add("batches", 1)
    report.add("loaded", len(records))
    get_run_logger().info("batch: %d pages -> %d articles loaded", len(pages), len(records))
    with timed(report, "validate"):
        # After the load, so that the quarantine rows of a failing batch are kept for inspection.
        if problems := breaches(pages, rejected + invalid + flawed, checks, settings.quality):
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


@flow(name="ingest", log_prints=False)
def ingest(sources_path: str, settings: Settings | None = None, only: list[str] | None = None) -> RunReport:
    """Ingest the sources of a sources file (all, or those named in `only`) into the warehouse."""
    settings = settings or Settings()
    sources = [s for s in load_sources(Path(sources_path)) if not only or s.name in only]
    if not sources:
        raise ValueError(f"{sources_path}: no source named {', '.join(only or [])}")
    by_name = {s.name: s for s in sources}
    ctx = open_run(settings, "ingest")
    report = ctx.report
    with run_guard(ctx, f"ingest of {', '.join(by_name)}"):
        with timed(report, "discover"):
            urls, problems = discover_urls(sources, settings)
        report.problems.extend(problems)
        report.add("discovered", len(urls))
        report.add("robots_denied", sum(not d.allowed for d in urls))
        with connect(settings.db_path, read_only=True) as con:
            requests, skipped = plan_fetches(con, urls, by_name)
        report.add("already_loaded", skipped)
        # Robots refusals and the URL list are recorded even when nothing needs fetching.
        source_rows = [{"name": s.name, "title": s.title, "config": s.model_dump()} for s in sources]
        discovered = LoadBatch(report.run_id, sources=source_rows, discovered=urls)
        discovered.validations = validation_rows(report.run_id, RUN_LEVEL, check_tables(discovered))
        load_warehouse(settings.db_path, discovered)

        reporter().start("fetch", len(requests))
        for batch_requests in chunks(requests, settings.batch_size):
            with timed(report, "fetch"):
                pages = fetch_pages(batch_requests, settings)
            report.add("fetched", len(pages))
            report.add("fetch_failed", sum(p.error is not None for p in pages))
            report.add("unchanged", sum(p.status == 304 for p in pages))
            process_pages(ctx, pages)
    return report


@task(name="read_raw_pages", cache_policy=NO_CACHE)
def read_raw_pages(db_path: Path, urls: list[str]) -> list[Page]:
    """The latest successful stored response of each URL, from the raw archive."""
    with connect(db_path, read_only=True) as con:
        rows = con.execute(load_sql("raw_pages"), [urls]).fetchall()
    return [
        Page(url=url, source=source, final_url=final_url, status=status, content_type=content_type,
             body=gzip.decompress(body), fetched_at=fetched_at)
        for url, source, final_url, status, content_type, body, fetched_at in rows
    ]


@flow(name="reprocess", log_prints=False)
def reprocess(settings: Settings | None = None, sources: list[str] | None = None) -> RunReport:
    """Re-run extraction and everything after it from the raw archive, without the network."""
    settings = settings or Settings()
    with connect(settings.db_path, read_only=True) as con:
        urls = [row[0] for row in con.execute(load_sql("reprocess_urls"), [sources]).fetchall()]
    ctx = open_run(settings, "reprocess")
    with run_guard(ctx, "reprocess"):
        process_stored(ctx, urls)
    return ctx.report


def process_stored(ctx: RunContext, urls: list[str]) -> None:
    """Take the stored raw pages of `urls` through extract -> load again, batch by batch, without the network."""
    reporter().start("fetch", 0)
    for batch_urls in chunks(urls, ctx.settings.batch_size):
        with timed(ctx.report, "read"):
            pages = read_raw_pages(ctx.settings.db_path, batch_urls)
        ctx.report.add("fetched", len(pages))
        process_pages(ctx, pages, store_pages=False)
