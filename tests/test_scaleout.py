"""Scale-out: the runner setting picks the task runner; a Dask cluster loads the rows the default runner loads."""

from __future__ import annotations

import importlib.util
import shutil
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
    spec.loader.exec_module(module)
    return module.archive_demo


ROWS = """
SELECT a.article_id, a.is_canonical, a.enriched,
       (SELECT count(*) FROM mentions AS m WHERE m.article_id = a.article_id),
       (SELECT count(*) FROM attributions AS t WHERE t.article_id = a.article_id)
FROM articles AS a ORDER BY a.article_id
"""


@pytest.mark.slow
def test_dask_local_cluster_loads_the_rows_of_the_default_runner(tmp_path):
    from distributed import LocalCluster

    from flows.ingest import reprocess
    from warehouse.db import connect

    threads_db, dask_db = tmp_path / "threads.duckdb", tmp_path / "dask.duckdb"
    assert archive_demo()(threads_db, 40) == 40
    shutil.copy(threads_db, dask_db)
    # Two batches of 20 pages, each split in two parts on the cluster: results are put back in order.
    reprocess(Settings(db_path=threads_db, batch_size=20))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        reprocess(Settings(db_path=dask_db, batch_size=20, runner="dask", dask_address=cluster.scheduler_address))

    rows = {}
    for db in (threads_db, dask_db):
        with connect(db, read_only=True) as con:
            rows[db] = con.execute(ROWS).fetchall()
    assert rows[dask_db] == rows[threads_db]
    assert len(rows[threads_db]) == 40
    assert all(canonical and enriched for _, canonical, enriched, _, _ in rows[threads_db])
    assert sum(r[3] for r in rows[threads_db]) > 0 and sum(r[4] for r in rows[threads_db]) > 0
