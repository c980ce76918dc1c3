"""What `newsetl serve` prints while it serves: one line when a run starts, one when it ends, with its counts."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

# How often the watcher asks the API about the served deployments' runs: runs last minutes, so a
# line within a few seconds of a change is prompt, and one small query every 3 s costs the API nothing.
POLL_SECONDS = 3.0
# Counts printed at the end of a run, in this order, when the run recorded them.
COUNTS = ("discovered", "fetched", "fetch_failed", "duplicates", "quarantined", "loaded")
TERMINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")

log = logging.getLogger("newsetl.serve")


def run_counts(db_path: Path, flow_run_id: str) -> tuple[str, dict] | None:
    """The status and counts the warehouse recorded for a Prefect flow run, or None."""
    import json

    from warehouse import store
    from warehouse.db import connect

    if not Path(db_path).exists():
        return None
    try:
        # A short wait: a run of another source may be loading; the line then goes without counts.
        with connect(db_path, read_only=True, wait_seconds=10) as con:
            row = store.run_of_flow_run(con, flow_run_id)
    except Exception as exc:  # an older warehouse without the column, or a busy one: no counts
        log.debug("no counts for flow run %s: %s", flow_run_id, exc)
        return None
    if row is None:
        return None
    return row[0], json.loads(row[1]) if row[1] else {}


def finished_line(deployment: str, run, db_path: Path) -> str:
    """The line printed when a served run ends."""
    seconds = f" in {run.total_run_time.total_seconds():.0f} s" if run.total_run_time else ""
    line = f"finished {deployment} ({run.name}): {run.state.name}{seconds}"
    recorded = run_counts(db_path, str(run.id))
    if recorded:
        status, counts = recorded
        shown = ", ".join(f"{k} {counts[k]}" for k in COUNTS if k in counts)
        line += f"; run {status}" + (f": {shown}" if shown else "")
    return line


class RunWatcher:
    """A thread that polls the Prefect API for runs of the served deployments and prints their starts and ends."""

    def __init__(self, console: Console, deployments: list[str], db_path: Path, flow: str = "ingest"):
        self.console, self.names, self.db_path, self.flow = console, deployments, db_path, flow
        self.since = datetime.now(UTC)
        self.started: set = set()
        self.finished: set = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="newsetl-run-watcher", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=POLL_SECONDS * 2)

    def _say(self, text: str) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        self.console.print(f"{stamp} {escape(text)}", soft_wrap=True, highlight=False)

    def _loop(self) -> None:
        from prefect.client.orchestration import get_client

        deployments: dict = {}
        with get_client(sync_client=True) as client:
            while not self.stop.wait(POLL_SECONDS):
                try:
                    self.poll(client, deployments)
                except Exception as exc:  # the API restarting must not end serving; the next poll retries
                    log.debug("watching runs failed: %s", exc)

    def poll(self, client, deployments: dict) -> None:
        """Print the starts and ends of runs seen since the last poll."""
        from prefect.client.schemas.filters import (
            DeploymentFilter,
            DeploymentFilterName,
            FlowFilter,
            FlowFilterName,
            FlowRunFilter,
            FlowRunFilterStartTime,
        )
        from prefect.client.schemas.sorting import FlowRunSort

        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[self.flow])),
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=self.names)),
            flow_run_filter=FlowRunFilter(start_time=FlowRunFilterStartTime(after_=self.since)),
            sort=FlowRunSort.START_TIME_ASC, limit=200,
        )
        for run in runs:
            if run.deployment_id not in deployments:
                deployments[run.deployment_id] = f"{self.flow}/{client.read_deployment(run.deployment_id).name}"
            name = deployments[run.deployment_id]
            if run.id not in self.started:
                self.started.add(run.id)
                self._say(f"started {name} ({run.name})")
            if run.state is not None and run.state.type.value in TERMINAL and run.id not in self.finished:
                self.finished.add(run.id)
                self._say(finished_line(name, run, self.db_path))
        # The window starts at the oldest run still going (else the newest start seen): a long serve would
        # otherwise re-read the same first 200 runs for ever and never see a new one.
        going = [r.start_time for r in runs if r.start_time and r.id not in self.finished]
        seen = [r.start_time for r in runs if r.start_time]
        if going or seen:
            self.since = min(going) if going else max(seen)
