"""Recovery when a run starts: earlier runs whose process is gone are marked abandoned, here and in Prefect.

A run killed (kill -9, a crash, a reboot, a Ctrl-C the process did not survive) leaves its `runs` row
`running` and its Prefect flow run Running. The next run checks each such row's process: on this
host, a process with that id that started before the run did is alive; anything else is gone.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta

from transforms.config import DedupConfig
from transforms.dedup import Merge, rejoin_clusters
from warehouse import store

log = logging.getLogger("newsetl.recovery")

# A process that started this much after the run it is said to have started is another process that
# got the same id: start times from /proc are exact to a clock tick, so 2 s is a wide margin.
PID_REUSE_SLACK = timedelta(seconds=2)


def _process_started(pid: int) -> datetime | None:
    """When a process started (UTC, naive), from /proc; None when that cannot be read (not Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/stat", encoding="ascii") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith("btime "))
        ticks = os.sysconf("SC_CLK_TCK")
        return datetime.fromtimestamp(boot + int(fields[19]) / ticks, UTC).replace(tzinfo=None)
    except (OSError, StopIteration, IndexError, ValueError):
        return None


def process_alive(pid: int | None, started_at: datetime) -> bool:
    """Whether the process that started a run at `started_at` (UTC) is still running on this host."""
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        pass
    began = _process_started(pid)
    return began is None or began <= started_at + PID_REUSE_SLACK


def abandoned_runs(con) -> list[store.RunningRun]:
    """Runs marked running on this host whose process is gone (rows without a pid predate the pid column)."""
    here = socket.gethostname()
    return [run for run in store.running_runs(con)
            if (run.host is None or run.host == here) and not process_alive(run.pid, run.started_at)]


def mark_abandoned(con) -> list[store.RunningRun]:
    """Mark this host's running runs whose process is gone as abandoned, and their Prefect runs Crashed."""
    found = abandoned_runs(con)
    for run in found:
        who = f"process {run.pid} on {run.host}" if run.pid is not None else "its process (not recorded)"
        message = f"abandoned: {who} ended without finishing the run"
        store.end_run(con, run.run_id, "abandoned", message)
        log.warning("run %s (started %s) marked abandoned: %s is gone", run.run_id,
                    run.started_at.isoformat(timespec="seconds"), who)
        if run.flow_run_id:
            crash_flow_run(run.flow_run_id, message)
    return found


def crash_flow_run(flow_run_id: str, message: str) -> None:
    """Set a Prefect flow run that is not yet in a final state to Crashed."""
    try:
        from prefect.client.orchestration import get_client
        from prefect.states import Crashed

        with get_client(sync_client=True) as client:
            run = client.read_flow_run(flow_run_id)
            if run.state is None or not run.state.is_final():
                client.set_flow_run_state(flow_run_id, Crashed(message=message), force=True)
    except Exception as exc:  # another API, or the run deleted: the warehouse row is what counts
        log.warning("could not mark Prefect flow run %s crashed: %s", flow_run_id, exc)


def repair_dedup(con, config: DedupConfig, apply: bool) -> list[Merge]:
    """The stored stories that should be one (transforms.dedup.rejoin_clusters), joined in one transaction when `apply`.

    Warehouses loaded before issue 16 by two runs at once hold copies stored as stories of their own,
    counted twice in the marts. With `apply`, `con` is a write connection: the match and the merge see the same rows.
    """
    from warehouse.loader import LoadBatch, load_batch

    merges = rejoin_clusters(store.dedup_index_rows(con), config)
    if apply and merges:
        load_batch(con, LoadBatch(f"repair-{datetime.now(UTC):%Y%m%dT%H%M%S}", merges=merges))
        log.warning("dedup repair: %d stored stories joined to another", len(merges))
    return merges
