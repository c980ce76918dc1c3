"""What keeps a run trustworthy when left alone: recovery at its start, batches kept when the warehouse
is locked, a failing stage contained to its batch, every source's failure named, the run's record written
whatever happens."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from pathlib import Path

from flows.recovery import mark_abandoned
from flows.settings import Settings
from transforms.models import DiscoveredUrl, Page, Rejection
from warehouse import parts, store
from warehouse.db import WarehouseLocked, connect

log = logging.getLogger("newsetl.run")

# After one batch was kept as parts, later batches of the run try the lock once without waiting:
# the holder (a notebook) is still there, and waiting again for every batch would stall the run.
RETRY_WAIT_SECONDS = 0.0
# When a run ends interrupted, its record waits at most this long for the lock: Ctrl-C must stop
# the process within 5 s (a run left `running` is marked abandoned by the next run anyway).
INTERRUPTED_WAIT_SECONDS = 1.0
STAGE_ERROR = "stage_error"


def flow_run_id() -> str | None:
    """The id of the Prefect flow run this code runs in, if any."""
    try:
        from prefect.runtime import flow_run

        return flow_run.id or None
    except Exception:  # outside Prefect
        return None


def label(started: datetime, run_id: str, what: str) -> str:
    """A part's name: sorts by the run's start, unique per run and batch."""
    return f"{started:%Y%m%dT%H%M%S}-{run_id}-{what}"


def start_run(settings: Settings, run_id: str, flow: str, started: datetime) -> list[str]:
    """Record a run as running (with its process and flow run), after marking dead runs abandoned and
    loading the parts earlier runs kept; return what was recovered, one line each."""
    notes = []
    with connect(settings.db_path, wait_seconds=settings.lock_wait) as con:
        for run in mark_abandoned(con):
            notes.append(f"run {run.run_id} (started {run.started_at:%Y-%m-%d %H:%M}) was left running by a process "
                         "that is gone: marked abandoned")
        for part in parts.pending_parts(settings.db_path):
            counts = parts.load_part(con, part, store.record_run)
            notes.append(f"loaded {part.name} kept by an earlier run ({counts.get('articles', 0)} articles)")
        store.record_run(con, run_id, flow, started, "running", flow_run_id=flow_run_id())
    for note in notes:
        log.warning("%s", note)
    return notes


def end_run(settings: Settings, run_id: str, flow: str, started: datetime, status: str, counts: dict,
            message: str | None = None, wait: float | None = None) -> Path | None:
    """Write how a run ended; when the lock stays held, keep the record as a part. Returns the part, if any."""
    record = {"run_id": run_id, "flow": flow, "started_at": started, "status": status, "counts": counts,
              "message": message}
    try:
        with connect(settings.db_path, wait_seconds=settings.lock_wait if wait is None else wait) as con:
            store.record_run(con, **record)
        return None
    except WarehouseLocked as exc:
        log.warning("run %s ended %s, but %s: its record waits as a part for the next run", run_id, status, exc)
        return parts.save_run_record(settings.db_path, label(started, run_id, "run"), record)


class Loader:
    """Loads a run's batches; a batch the lock keeps out past settings.lock_wait is kept as Parquet parts."""

    def __init__(self, settings: Settings, run_id: str, started: datetime):
        self.settings, self.run_id, self.started = settings, run_id, started
        self.kept: list[Path] = []

    def load(self, batch, what: str, under_lock=None) -> dict[str, int] | None:
        """Load one batch (a LoadBatch or its tables) in one transaction; None when it was kept as a part instead.

        under_lock(con), when given, runs once the write lock is held and returns the tables to load in
        its place (the batch checked again against what other runs committed meanwhile, with the stored
        clusters to fold in the load's transaction).
        """
        from warehouse.loader import LoadBatch, batch_tables, load_batch

        wait = RETRY_WAIT_SECONDS if self.kept else self.settings.lock_wait
        try:
            con = connect(self.settings.db_path, wait_seconds=wait)
        except WarehouseLocked as exc:
            tables = batch_tables(batch) if isinstance(batch, LoadBatch) else batch
            part = parts.save_tables(self.settings.db_path, tables, label(self.started, self.run_id, what))
            self.kept.append(part)
            log.warning("%s; batch %s kept as Parquet parts in %s for the next run", exc, what, part)
            return None
        try:
            return load_batch(con, under_lock(con) if under_lock is not None else batch)
        finally:
            con.close()


def check_fault(settings: Settings, stage: str, batch: int) -> None:
    """Raise in `stage` of batch number `batch` when NEWSETL_FAULT names them ("enrich:0"): a test of containment."""
    if settings.fault == f"{stage}:{batch}":
        raise RuntimeError(f"injected fault (NEWSETL_FAULT={settings.fault})")


def stage_error_rejections(pages: list[Page], stage: str, exc: BaseException) -> list[Rejection]:
    """One stage_error row for each page of a batch that a stage failed on (fetch failures keep their own state)."""
    from transforms.ids import page_id

    detail = f"{stage} failed: {type(exc).__name__}: {exc}"[:500]
    return [Rejection(p.url, p.source, STAGE_ERROR, stage, detail, None, page_id(p))
            for p in pages if p.error is None and p.status != 304]


def failed_sources(sources: list[str], urls: list[DiscoveredUrl], pages: list[Page],
                   problems: list[str], already_loaded: Counter) -> dict[str, str]:
    """Sources that got nothing this run, and why: discovery failed, or every fetch failed."""
    discovered = Counter(d.source for d in urls)
    fetched = Counter(p.source for p in pages)
    failed = Counter(p.source for p in pages if p.error is not None)
    out = {}
    for name in sources:
        if discovered[name] == 0:
            trouble = [p for p in problems if p.startswith(f"{name}: ")]  # not 'bbc' in 'bbc-world: ...'
            if trouble:
                out[name] = f"discovery failed: {trouble[0]}"
        elif fetched[name] and failed[name] == fetched[name] and not already_loaded[name]:
            out[name] = f"{failed[name]} of {fetched[name]} URLs failed to fetch"
    return out
