"""Task-runner selection: where the CPU-bound stages (extraction, enrichment) of a run execute."""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from prefect import Task
from prefect.client.orchestration import get_client
from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.settings import Settings


def worker_count(settings: Settings) -> int:
    """How many workers run the CPU-bound stages: settings.workers, else one per core."""
    return settings.workers or os.cpu_count() or 1


def task_runner(settings: Settings) -> TaskRunner:
    """The task runner settings.runner names; enter it (`with`) for the length of a run."""
    if settings.runner == "threads":
        return ThreadPoolTaskRunner(max_workers=worker_count(settings))
    if settings.runner == "processes":
        return ProcessPoolTaskRunner(max_workers=worker_count(settings))
    # Dask logs every worker start and stop at INFO; the workers read this from their environment.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    # Imported only here: dask takes seconds to import and the other runners do not need it.
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    # One single-threaded process per worker: spaCy and lxml hold the GIL, so threads would not add speed.
    return DaskTaskRunner(cluster_kwargs={"n_workers": worker_count(settings), "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


@contextmanager
def started_runner(settings: Settings) -> Iterator[TaskRunner]:
    """The task runner of `settings`, started; its worker processes report to this process's Prefect API."""
    with ExitStack() as stack:
        if settings.runner != "threads" and not PREFECT_API_URL.value():
            # Without an API URL every worker process would start its own ephemeral Prefect server
            # (a subprocess, seconds of CPU, ~150 MB): point them at the one this flow already uses.
            # The settings travel to Dask workers in the task's context, to the pool in its environment.
            url = str(get_client(sync_client=True).api_url).rstrip("/")
            stack.enter_context(temporary_settings({PREFECT_API_URL: url}))
        yield stack.enter_context(task_runner(settings))


def submit_parts(runner: TaskRunner, task: Task, items: list, settings: Settings) -> list[PrefectFuture]:
    """Submit `task(part, settings)` over consecutive parts of `items` to `runner`; one future per part, in order.

    Threads share one GIL, so the threads runner gets the whole list in one part; the others one
    part per worker, each worker taking a full share of the batch with the spaCy model it loaded once.
    """
    parts = 1 if settings.runner == "threads" else worker_count(settings)
    size = max(1, -(-len(items) // parts))
    first = next(iter(inspect.signature(task.fn).parameters))
    # quote() spares Prefect walking every object of a part looking for futures; Dask turns a quote
    # (a tuple) into a plain tuple on the way to its workers, so parts for Dask go unwrapped.
    wrap = (lambda part: part) if settings.runner == "dask" else quote
    return [runner.submit(task, {first: wrap(items[i : i + size]), "settings": settings})
            for i in range(0, len(items), size)]


def gather(futures: list[PrefectFuture]) -> list:
    """The results of `futures`, in order (raising the first failure)."""
    return [f.result() for f in futures]
