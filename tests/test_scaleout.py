"""Scale-out: the runner setting picks the task runner; a Dask cluster loads the rows the default runner loads."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows.runners import task_runner, worker_count
from flows.settings import Settings

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("settings", "kind", "workers"),
    [
        (Settings(), ThreadPoolTaskRunner, None),
        (Settings(runner="processes", workers=3), ProcessPoolTaskRunner, 3),
        (Settings(runner="dask", workers=2), "DaskTaskRunner", 2),
    ],
)
def test_runner_setting_picks_the_task_runner(settings, kind, workers):
    runner = task_runner(settings)
    assert type(runner).__name__ == (kind if isinstance(kind, str) else kind.__name__)
    if workers:
        assert worker_count(settings) == workers


def test_dask_address_connects_instead_of_starting_a_cluster():
    runner = task_runner(Settings(runner="dask", dask_address="tcp://10.1.2.3:8786"))
    assert runner.address == "tcp://10.1.2.3:8786"
    assert not runner.cluster_kwargs


def test_local_dask_cluster_has_one_single_threaded_process_per_worker():
    runner = task_runner(Settings(runner="dask", workers=2))
    assert runner.address is None
    assert (runner.cluster_kwargs["n_workers"], runner.cluster_kwargs["threads_per_worker"]) == (2, 1)


def archive_demo():
    """benchmarks/throughput.py's archive_demo: demo article pages written into a warehouse's raw archive."""
    spec = importlib.util.spec_from_file_location("throughput", REPO / "benchmarks" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["throughput"] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.archive_demo


ROWS = """
SELECT a.article_id, a.is_canonical, a.enriched,
       (SELECT count(*) FROM mentions AS m WHERE m.article_id = a.article_id),
       (SELECT count(*) FROM attributions AS t WHERE t.article_id = a.article_id)
FROM articles AS a ORDER BY a.article_id
"""


def test_worker_processes_import_no_flow_only_libraries():
    # A worker imports the tasks' module and, with the flow run's context, the flows' module: GX, DuckDB
    # and pandas would cost each worker ~5 CPU s and ~250 MB.
    code = ("import sys, flows.worker_tasks, flows.pipelines; print(' '.join(sorted(m for m in sys.modules "
            "if m.split('.')[0] in {'great_expectations', 'duckdb', 'pandas', 'pyarrow', 'flows'})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    # flows.environment comes with Prefect's logging config (its terminal filter); it imports only the stdlib.
    assert set(loaded.split()) == {"flows", "flows.environment", "flows.pipelines", "flows.progress", "flows.settings",
                                   "flows.worker_tasks"}


def reprocessed_rows(tmp_path: Path, pages: int, batch_size: int, **runner) -> tuple[list, list]:
    """Rows of a corpus reprocessed by the threads runner, and by `runner` settings."""
    from flows.pipelines import reprocess
    from warehouse.db import connect

    threads_db, other_db = tmp_path / "threads.duckdb", tmp_path / "other.duckdb"
    assert archive_demo()(threads_db, pages) == pages
    shutil.copy(threads_db, other_db)
    reprocess(Settings(db_path=threads_db, batch_size=batch_size))
    reprocess(Settings(db_path=other_db, batch_size=batch_size, **runner))
    rows = []
    for db in (threads_db, other_db):
        with connect(db, read_only=True) as con:
            rows.append(con.execute(ROWS).fetchall())
    return rows[0], rows[1]


@pytest.mark.slow
def test_dask_local_cluster_loads_the_rows_of_the_default_runner(tmp_path):
    from distributed import LocalCluster

    # Three batches of 20 pages, each split in two parts on the cluster, overlapping: batch 3 is
    # extracted and batch 2 enriched while batch 1 loads. Results are put back in order.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        threads, dask = reprocessed_rows(tmp_path, 60, 20, runner="dask", dask_address=cluster.scheduler_address)
    assert dask == threads
    assert len(threads) == 60
    assert all(canonical and enriched for _, canonical, enriched, _, _ in threads)
    assert sum(r[3] for r in threads) > 0 and sum(r[4] for r in threads) > 0


@pytest.mark.slow
def test_process_pool_loads_the_rows_of_the_default_runner(tmp_path):
    threads, processes = reprocessed_rows(tmp_path, 45, 20, runner="processes", workers=2)
    assert processes == threads
    assert len(threads) == 45  # batches of 20, 20 and 5
    assert all(enriched for _, _, enriched, _, _ in threads)
