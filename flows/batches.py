"""Batch scheduling: batches of pages through extract -> dedup -> validate -> enrich -> load, overlapping on workers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from prefect import get_run_logger
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote

from flows import run_control, runs
from flows.progress import reporter
from flows.quality import Check, QualityError, Rows, breaches, check_tables, validation_rows
from flows.runners import gather, submit_parts
from flows.runs import RunContext, RunReport
from flows.sources import skip_languages
from flows.tasks import deduplicate_articles, load_warehouse, validate_annotations, validate_articles
from flows.worker_tasks import Part, enrich_articles, extract_articles, to_enrich
from transforms.dedup import DedupIndex, Merge, arrival_order, join_clusters, signature_from_bytes
from transforms.models import ArticleRecord, Duplicate, Page, Rejection
from warehouse import store
from warehouse.db import connect
from warehouse.loader import BatchTables, LoadBatch, batch_tables, merges_table, validations_table


def chunks(items: list, size: int):
    """Consecutive slices of at most `size` items."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass
class Batch:
    """One batch of pages on its way through the stages, with what each stage made of it so far."""

    pages: list[Page]
    store_pages: bool = True  # False when the pages come from the raw archive already
    number: int = 0  # its place in the run, from 0
    pending: list[PrefectFuture] = field(default_factory=list)  # its parts on the runner's workers
    records: list[ArticleRecord] = field(default_factory=list)
    copies: list[Duplicate] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)  # stored clusters it folds into another
    rejected: list[Rejection] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def validated_tables(batch: LoadBatch, checks: list[Check], batch_number: int, annotations: Rows | None = None,
                     report: RunReport | None = None) -> tuple[BatchTables, list[Check]]:
    """A batch's tables, built once: the table suites check them, the validations rows join them, the loader writes them.

    With `report`, building counts as load time (mostly compressing the page bodies) and checking as validation.
    """
    with runs.timed(report, "load") if report else nullcontext():
        tables = batch_tables(batch, annotations=annotations)
    with runs.timed(report, "validate") if report else nullcontext():
        checks = [*checks, *check_tables(tables, batch.run_id)]
        tables |= validations_table(validation_rows(batch.run_id, batch_number, checks))
    return tables, checks


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
        # A stage that raises fails its batch (its URLs end `error`), not the run.
        ok = _contained(ctx, batch, "extract", _collect_extracted)
        ok = ok and _contained(ctx, batch, "dedup", _deduplicate_and_validate)  # and submits its enrichment
        if not overlap and ok:
            _contained(ctx, batch, "enrich", _load)
        # Fetched (or read) while the workers enrich `batch`, then queued behind it.
        extracting = _extract(ctx, pages, store_pages)
        if overlap:
            if enriching is not None:
                _contained(ctx, enriching, "enrich", _load)
            enriching = batch if ok else None
    if enriching is not None:
        _contained(ctx, enriching, "enrich", _load)


def _contained(ctx: RunContext, batch: Batch, stage: str, step) -> bool:
    """Run one step of a batch; if it raises (but the quality gate), mark the batch's URLs `error` and go on."""
    ctx.report.stage = stage
    try:
        run_control.check_fault(ctx.settings, stage, batch.number)
        step(ctx, batch)
        return True
    except QualityError:
        raise
    except Exception as exc:
        failed = ctx.report.stage or stage
        line = f"batch {batch.number} failed in stage {failed}: {type(exc).__name__}: {exc}"
        get_run_logger().error("%s", line)
        ctx.report.problems.append(line)
        ctx.report.add("errors", len(batch.pages))
        errors = LoadBatch(ctx.report.run_id, pages=batch.pages if batch.store_pages else [],
                           rejections=run_control.stage_error_rejections(batch.pages, failed, exc))
        try:
            load_warehouse(ctx.loader, quote(errors), f"{batch.number:05d}-error")
        except Exception as load_exc:  # the URLs stay pending; the next run takes them again
            get_run_logger().error("could not record batch %d's error: %s", batch.number, load_exc)
        return False


def _extract(ctx: RunContext, pages: Iterator[list[Page]], store_pages: bool) -> Batch | None:
    """The next batch of pages (fetched or read now), submitted to the workers for extraction; None at the end."""
    batch_pages = next(pages, None)
    if batch_pages is None:
        return None
    batch = Batch(batch_pages, store_pages, number=ctx.batches)
    ctx.batches += 1
    batch.pending = submit_parts(ctx.runner, extract_articles, batch_pages, ctx.settings)
    return batch


def _collect_extracted(ctx: RunContext, batch: Batch) -> None:
    """Wait for a batch's extraction; keep its records and the pages rejected."""
    with runs.timed(ctx.report, "extract", cpu=False):
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
    with runs.timed(report, "dedup"):
        batch.records, batch.copies, batch.merges = deduplicate_articles(quote(batch.records), quote(ctx.index),
                                                                         quote(ctx.by_url))
    layers = {c.article_id: c.layer for c in batch.copies}
    for r in batch.records:  # a near-copy (a live blog's later version) is enriched too: worker_tasks.to_enrich
        r.copy_layer = None if r.is_canonical else layers.get(r.article_id)
    # A folded cluster's canonical article becomes a copy too.
    report.add("duplicates", len(batch.copies) + len(batch.merges))
    with runs.timed(report, "validate"):
        checked = batch.records
        batch.records, invalid, article_check = validate_articles(quote(checked), settings, report.run_id)
        kept = {r.article_id for r in batch.records}
        ctx.orphans |= {r.cluster_id for r in checked if r.is_canonical and r.article_id not in kept}
        batch.copies = promote_copies(batch.records, batch.copies, ctx.orphans)
        if any(m.into in ctx.orphans for m in batch.merges):
            # A stored story is not folded into one whose canonical article was quarantined: it stays as
            # stored, and the index (which folded it) is read again after this batch's load.
            batch.merges = [m for m in batch.merges if m.into not in ctx.orphans]
            ctx.stale_index = True
    report.add("quarantined", sum(r.stage != "language" for r in batch.rejected) + len({r.url for r in invalid}))
    batch.rejected += invalid
    batch.checks.append(article_check)
    reporter().start("enrich", sum(map(to_enrich, batch.records)))
    batch.pending = submit_parts(ctx.runner, enrich_articles, batch.records, settings)


def recheck_against_warehouse(con, ctx: RunContext, records: list[ArticleRecord], batch: Batch) -> int:
    """Under the write lock, match the batch's canonical articles against those other runs committed since
    this run read its dedup index, and join the stories they link as cluster_batch does: the earliest
    published (then longest) canonical article is kept. One of ours that comes later becomes a copy in their
    cluster; their clusters that come later join batch.merges, folded in the load's transaction. Returns how
    many of our articles became copies.

    Two runs of different outlets at once (two cron times coinciding) each read the index when they start:
    without this, both would keep their copy of a syndicated story as canonical and count it twice. A copy
    keeps its (already computed) annotations: the entity marts read canonical articles only, and the quotes
    mart a copy's attributions only where its story's earlier articles lack them (repeated_attributions, decided at load).
    """
    # Ids first: the fingerprints (a ~1 KB MinHash each) are read only for articles this run has not seen,
    # not for the whole warehouse on every batch while the write lock is held.
    unseen = [article_id for article_id in store.article_ids(con) if ctx.index.decision(article_id) is None]
    if not unseen:
        return 0
    ctx.stale_index = True
    index = DedupIndex.from_rows(store.dedup_index_rows(con, unseen), ctx.settings.dedup)
    ours = {r.cluster_id: r for r in records if r.is_canonical}
    keys = {cluster: arrival_order(r.article.published, len(r.article.text), r.article_id)
            for cluster, r in ours.items()}
    links = []
    for cluster, r in ours.items():
        for match in index.matches(url=r.url, text_hash=r.text_hash, signature=signature_from_bytes(r.signature),
                                   title_key=r.title_key):
            if match.of in ours:
                continue
            if match.of not in keys:  # their cluster as it stands now, under the lock
                canonical = store.cluster_canonical(con, match.of)
                if canonical is None:
                    continue
                keys[match.of] = arrival_order(canonical[1], canonical[2], canonical[0])
            links.append((cluster, match.of, match.layer, match.similarity))
    moved: dict[str, str] = {}  # our cluster -> theirs
    merges = {m.cluster: m for m in batch.merges}
    for merge in join_clusters(links, keys):
        if merge.cluster in ours:
            r = ours[merge.cluster]
            moved[merge.cluster] = merge.into
            r.is_canonical, r.copy_layer = False, merge.layer
            batch.copies.append(Duplicate(r.page_url, merge.into, merge.into, merge.layer, merge.similarity,
                                          r.article_id))
        else:
            merges[merge.cluster] = merge
    for r in records:
        r.cluster_id = moved.get(r.cluster_id, r.cluster_id)
    batch.copies = [replace(c, duplicate_of=moved.get(c.duplicate_of, c.duplicate_of),
                            cluster_id=moved.get(c.cluster_id, c.cluster_id)) for c in batch.copies]
    joined = len(merges) - len(batch.merges)
    batch.merges = sorted(m._replace(into=moved.get(m.into, m.into)) for m in merges.values())
    if moved or joined:
        ctx.report.add("duplicates", len(moved) + joined)
        get_run_logger().info("%d articles copy, and %d precede, what another run loaded meanwhile", len(moved), joined)
    return len(moved)


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
    with runs.timed(report, "enrich", cpu=False):
        parts: list[Part] = gather(batch.pending)
    report.add_cpu("enrich", sum(p.cpu_seconds for p in parts))
    records = [r for p in parts for r in p.records]
    if settings.runner != "threads":  # workers in other processes cannot move this process's progress bar
        reporter().advance("enrich", sum(map(to_enrich, records)))
    with runs.timed(report, "validate"):
        flawed, checks, annotations = validate_annotations(quote(records), report.run_id)
        rejected = batch.rejected + flawed
        load = LoadBatch(report.run_id, pages=batch.pages if batch.store_pages else [], articles=records,
                         duplicates=batch.copies, rejections=rejected, merges=batch.merges)
    table_checks = [*batch.checks, *checks]
    tables, checks = validated_tables(load, table_checks, batch.number, annotations, report)

    def under_lock(con):
        """The batch checked again against articles other runs committed since this run read its index."""
        nonlocal tables, checks
        if recheck_against_warehouse(con, ctx, records, batch):
            load.duplicates = batch.copies
            tables, checks = validated_tables(load, table_checks, batch.number, annotations)
        return tables | merges_table(batch.merges, report.run_id)

    with runs.timed(report, "load"):
        run_control.check_fault(settings, "load", batch.number)
        loaded = load_warehouse(ctx.loader, quote(tables), f"{batch.number:05d}", quote(under_lock))
        if ctx.stale_index:  # others committed articles: later batches match against them too
            with connect(settings.db_path, read_only=True) as con:
                ctx.index, ctx.by_url = runs.load_dedup_index(con, settings)
            ctx.stale_index = False
    report.add("batches", 1)
    report.add("loaded" if loaded is not None else "kept", len(records))
    get_run_logger().info("batch: %d pages -> %d articles loaded", len(batch.pages), len(records))
    with runs.timed(report, "validate"):
        # After the load, so that the quarantine rows of a failing batch are kept for inspection.
        if problems := breaches(batch.pages, rejected, checks, settings.quality):
            raise QualityError(" | ".join(problems))
