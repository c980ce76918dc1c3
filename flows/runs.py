"""The life of one flow run: its report and stage timings, its shared context, how it opens and closes.

Stage blocks use `timed`, looked up on this module at call time (benchmarks/throughput.py meters stages
by replacing it).
"""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger
from prefect.task_runners import TaskRunner

from flows import run_control
from flows.artifacts import publish_run_artifacts
from flows.progress import reporter
from flows.quality import finish_run
from flows.recovery import crash_flow_run
from flows.run_control import Loader
from flows.runners import started_runner
from flows.settings import Settings
from transforms.dedup import DedupIndex
from warehouse import store
from warehouse.db import WarehouseLocked, connect
from warehouse.loader import now


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
    status: str | None = None  # how the run ended: completed, failed, interrupted
    sources: list[str] = field(default_factory=list)  # the sources the run ingested
    failed_sources: dict[str, str] = field(default_factory=dict)  # source -> why it got nothing this run
    kept: list[Path] = field(default_factory=list)  # parts kept beside a locked warehouse for the next run

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
        reporter().stage(self.stage)
        self.t0, self.c0 = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.report.seconds[self.stage] = self.report.seconds.get(self.stage, 0.0) + time.perf_counter() - self.t0
        if self.cpu:
            self.report.add_cpu(self.stage, time.process_time() - self.c0)


@dataclass
class RunContext:
    """What the batches of one run share: settings, the report, the dedup index and URL map."""

    settings: Settings
    report: RunReport
    index: DedupIndex
    by_url: dict[str, tuple[str, str]]
    runner: TaskRunner | None = None  # where extraction and enrichment run; started by run_guard
    loader: Loader | None = None  # loads batches, or keeps them as parts while the warehouse is locked
    batches: int = 0  # batches started, numbering them
    # Clusters whose canonical article was quarantined in this run: their next copy takes its place.
    orphans: set[str] = field(default_factory=set)
    # Set when another run committed articles after this one read `index`: reread it after the load.
    stale_index: bool = False
    # Each source's `languages:` list (sources.yaml): articles in other languages end skipped_language.
    languages: dict[str, list[str]] = field(default_factory=dict)


def load_dedup_index(con, settings: Settings) -> tuple[DedupIndex, dict[str, tuple[str, str]]]:
    """The dedup index over every stored article, and (article id, page URL) by canonical URL."""
    return DedupIndex.from_rows(store.dedup_index_rows(con), settings.dedup), store.article_urls(con)


def open_run(settings: Settings, flow_name: str) -> RunContext:
    """Record a new run and load the dedup state every batch of it matches against."""
    report = RunReport(run_id=uuid.uuid4().hex[:12], flow=flow_name, started=now())
    # Runs left running by dead processes are marked abandoned, and parts kept by earlier runs loaded,
    # before the dedup index is read: their articles are in it.
    report.problems.extend(run_control.start_run(settings, report.run_id, flow_name, report.started))
    with connect(settings.db_path, read_only=True, wait_seconds=settings.lock_wait) as con:
        index, by_url = load_dedup_index(con, settings)
        languages = store.source_languages(con)  # reprocess and requeue apply the stored lists
    return RunContext(settings, report, index, by_url, languages=languages,
                      loader=run_control.Loader(settings, report.run_id, report.started))


def close_run(ctx: RunContext, status: str, message: str | None = None) -> None:
    """Record how the run ended, with its counts, build Data Docs and publish its artifacts."""
    report, settings = ctx.report, ctx.settings
    report.status, report.kept = status, ctx.loader.kept
    if status == "interrupted":  # within the seconds Ctrl-C allows: the record and Prefect's state only
        run_control.end_run(settings, report.run_id, report.flow, report.started, status, report.stages, message,
                            wait=run_control.INTERRUPTED_WAIT_SECONDS)
        if flow_run := run_control.flow_run_id():
            crash_flow_run(flow_run, message or status)
        return
    if not report.kept:
        try:
            # Data Docs show what a failed run validated too, so they are built whatever the status.
            report.data_docs = finish_run(settings.db_path, report.run_id)
        except WarehouseLocked as exc:
            report.problems.append(f"no Data Docs for this run: {exc}")
    part = run_control.end_run(settings, report.run_id, report.flow, report.started, status, report.stages, message,
                               wait=run_control.RETRY_WAIT_SECONDS if report.kept else None)
    if part is not None:
        report.kept.append(part)
    if status == "completed" and not report.kept:
        publish_run_artifacts(report, settings.db_path)


@contextmanager
def run_guard(ctx: RunContext, what: str):
    """Run the block on the run's task runner; close the run as completed, failed or interrupted, and re-raise."""
    with ExitStack() as stack:
        try:
            ctx.runner = stack.enter_context(started_runner(ctx.settings))
            yield
        except KeyboardInterrupt as exc:
            # Recorded before the runner shuts down (it waits for its workers): Ctrl-C allows seconds.
            stack.pop_all()
            close_run(ctx, "interrupted", "interrupted (Ctrl-C)")
            exc.report = ctx.report
            raise
        except Exception as exc:
            line = f"{what} failed in stage {ctx.report.stage or 'start'}: {type(exc).__name__}: {exc}"
            get_run_logger().error("%s", line)
            close_run(ctx, "failed", line)
            exc.report = ctx.report
            raise
    failed = ctx.report.failed_sources
    every = bool(ctx.report.sources) and set(ctx.report.sources) <= set(failed)
    close_run(ctx, "completed", "every source failed" if every else None)
