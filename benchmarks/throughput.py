"""Throughput of the reprocess flow against the bare libraries, per stage and end to end, per task runner.

Usage: .venv/bin/python benchmarks/throughput.py [--n 1000] [--runners threads,processes] [--workers 2]
       [--batch-size 200] [--skip-bare]

Corpus: demo sites built from seeds 0, 1, 2, ... (59 original stories each: different seeds tell
different stories; the syndicated copies are left out so that every article is enriched), each seed
on its own loopback ports, written straight into the pages table of a fresh warehouse (the raw
archive) until N article pages are stored. Each runner reprocesses its own copy of that warehouse
with the `reprocess` flow (extract -> dedup -> validate -> enrich -> load, no network).

Per stage: wall seconds in the flow, articles per second (N / wall), CPU seconds of the whole
process tree (flow process, worker processes, Prefect's API server), peak memory (RSS of the tree,
sampled every 0.1 s). "prefect" estimates the orchestration cost: per batch, the tasks called in
the flow times the cost of an empty task called there, and the two fan-outs (their parts run at
once) times the cost of an empty task on the same runner (workers already started), plus an
empty flow run; starting the workers (imports, spaCy) is part of the first extract and enrich. "other" is the rest of the end-to-end
time outside the stages (opening and closing the run, Data Docs).

Bare: in this process, a plain loop of trafilatura.extract() over the same pages, then nlp.pipe()
with the same model and components over the texts it returned; its rate is the ceiling of one core.
The machine's load average is printed, and the cores a busy loop gets (two processes' work over one's):
other processes share the cores, so compare CPU seconds too.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if "PREFECT_HOME" not in os.environ:  # worker processes re-import this module: they inherit the parent's
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsetl-throughput-prefect-")

from flows.environment import apply_defaults  # noqa: E402

apply_defaults()

import trafilatura  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

import flows.ingest as ingest  # noqa: E402
from flows.demo_site import BASE, build_site  # noqa: E402
from flows.runners import started_runner  # noqa: E402
from flows.settings import Settings  # noqa: E402
from transforms.models import Page  # noqa: E402
from transforms.nlp import load_nlp  # noqa: E402
from warehouse.db import connect  # noqa: E402
from warehouse.loader import LoadBatch, load_batch, now  # noqa: E402

# Tasks per batch of the reprocess flow called in the flow: read, dedup, validate_articles,
# validate_annotations, load; and submitted to the runner: extract and enrich (their parts at once).
TASKS_IN_FLOW = 5
TASKS_ON_RUNNER = 2
STAGES = ("read", "extract", "dedup", "validate", "enrich", "load")


def archive_demo(db_path: Path, n: int, run_id: str = "corpus") -> int:
    """Store the original article pages of demo sites (seeds 0, 1, ...) as raw pages until `n`; return how many."""
    stored, seed = 0, 0
    with connect(db_path) as con:
        while stored < n:
            site = build_site(seed)
            pages = []
            for i, outlet in enumerate(site.outlets):
                # Each seed's outlets on their own ports: seeds reuse paths, and URLs must stay distinct.
                base = f"http://127.0.0.1:{20000 + 2 * seed + i}"
                for article in site.articles:
                    if article.outlet == outlet.slug and article.syndicated_from is None:
                        page = outlet.pages[article.path]
                        pages.append(Page(url=base + article.path, source=outlet.slug, final_url=base + article.path,
                                          status=200, content_type=page.content_type, fetched_at=now(),
                                          body=page.body.replace(BASE.encode(), base.encode())))
            pages = pages[: n - stored]
            load_batch(con, LoadBatch(run_id, pages=pages))
            stored += len(pages)
            seed += 1
    return stored


class Tree:
    """CPU seconds and peak RSS of this process and all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.1):
        self.me = psutil.Process()
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self.thread.start()

    def _processes(self) -> list[psutil.Process]:
        return [self.me, *self.me.children(recursive=True)]

    def rss(self) -> int:
        """Resident bytes of the tree now."""
        total = 0
        for p in self._processes():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass  # a worker that exited between listing and reading
        return total

    def cpu(self) -> float:
        """CPU seconds used so far by the tree, including children that have exited."""
        t = self.me.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        for p in self.me.children(recursive=True):
            try:
                c = p.cpu_times()
                total += c.user + c.system
            except psutil.Error:
                pass
        return total

    def take_peak(self) -> int:
        """The highest RSS since the last call, then start a new window."""
        peak, self.peak = max(self.peak, self.rss()), 0
        return peak

    def _sample(self, interval: float) -> None:
        while not self.stop.wait(interval):
            self.peak = max(self.peak, self.rss())


TREE: Tree | None = None
# CPU seconds and peak RSS per stage of the current run, filled by `measured`.
CPU: dict[str, float] = {}
PEAK: dict[str, int] = {}


class measured(ingest.timed):
    """ingest.timed that also adds the tree's CPU seconds and peak RSS of the block to CPU and PEAK."""

    def __enter__(self):
        self.cpu0 = TREE.cpu()
        TREE.take_peak()
        super().__enter__()

    def __exit__(self, *exc):
        super().__exit__(*exc)
        CPU[self.stage] = CPU.get(self.stage, 0.0) + TREE.cpu() - self.cpu0
        PEAK[self.stage] = max(PEAK.get(self.stage, 0), TREE.take_peak())


@task(name="noop", cache_policy=NO_CACHE)
def noop() -> None:
    """An empty task: its call cost is Prefect's per-task overhead."""


@flow(name="noop_flow")
def noop_flow(settings: Settings, calls: int) -> tuple[float, float]:
    """Seconds per empty task call made directly in the flow, and submitted to the runner of `settings`."""
    t0 = time.perf_counter()
    for _ in range(calls):
        noop()
    direct = time.perf_counter() - t0
    with started_runner(settings) as runner:
        runner.submit(noop, {}).result()  # starts the runner's workers
        t0 = time.perf_counter()
        for _ in range(calls):
            runner.submit(noop, {}).result()
        return direct / max(calls, 1), (time.perf_counter() - t0) / max(calls, 1)


def prefect_costs(settings: Settings) -> tuple[float, float, float]:
    """Seconds of an empty flow run, of an empty task called in the flow and of one submitted to the runner."""
    noop_flow(Settings(), 0)  # starts Prefect's API server, which every later flow reuses
    t0 = time.perf_counter()
    noop_flow(Settings(), 0)
    empty = time.perf_counter() - t0
    # Ten calls: enough to average out the scheduler's jitter.
    return empty, *noop_flow(settings, 10)


def spin(seconds: float) -> int:
    """Iterations of an empty loop in `seconds` of wall time: how much CPU this process gets."""
    end, n = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        n += 1
    return n


def cores_available(seconds: float = 3.0) -> float:
    """Cores a CPU-bound job gets now: the loop work of two processes at once over that of one alone."""
    one = spin(seconds)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return sum(pool.map(spin, [seconds, seconds])) / one


def run_newsetl(template: Path, workdir: Path, runner: str, workers: int, batch_size: int):
    """Reprocess a copy of the template warehouse with one runner; the report, wall and CPU seconds, peak RSS."""
    db = workdir / f"{runner}.duckdb"
    shutil.copy(template, db)
    settings = Settings(db_path=db, runner=runner, workers=workers, batch_size=batch_size)
    CPU.clear()
    PEAK.clear()
    TREE.take_peak()
    t0, cpu0 = time.perf_counter(), TREE.cpu()
    report = ingest.reprocess(settings)
    wall, cpu = time.perf_counter() - t0, TREE.cpu() - cpu0
    with connect(db, read_only=True) as con:
        enriched = con.execute("SELECT count(*) FROM articles WHERE enriched").fetchone()[0]
    return report, wall, cpu, max(TREE.take_peak(), *PEAK.values()), enriched


def run_bare(template: Path, n: int) -> tuple[float, float, float, float, int]:
    """trafilatura.extract() then nlp.pipe() over the archived pages: extract and nlp wall and CPU seconds, texts."""
    with connect(template, read_only=True) as con:
        urls = [row[0] for row in con.execute("SELECT url FROM pages ORDER BY url").fetchall()]
    pages = ingest.read_raw_pages.fn(template, urls)
    nlp_config = Settings().nlp
    nlp = load_nlp(nlp_config.model, tuple(nlp_config.components))
    t0, c0 = time.perf_counter(), time.process_time()
    texts = [t for t in (trafilatura.extract(p.body.decode("utf-8")) for p in pages) if t]
    t1, c1 = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=nlp_config.batch_size):
        pass
    return t1 - t0, c1 - c0, time.perf_counter() - t1, time.process_time() - c1, len(texts)


def print_run(runner: str, n: int, report, wall: float, cpu: float, peak: int, costs: tuple[float, float, float],
              workers: int) -> None:
    """The per-stage table of one run."""
    print(f"\nnewsetl, runner={runner}" + (f" ({workers} workers)" if runner != "threads" else " (one process)"))
    print(f"{'stage':<10}{'wall s':>9}{'art/s':>9}{'CPU s':>9}{'peak MB':>9}")
    for stage in STAGES:
        s = report.seconds.get(stage, 0.0)
        print(f"{stage:<10}{s:>9.1f}{n / s if s else 0:>9.1f}{CPU.get(stage, 0):>9.1f}"
              f"{PEAK.get(stage, 0) / 2**20:>9.0f}")
    batches = report.stages.get("batches", 0)
    prefect = costs[0] + batches * (TASKS_IN_FLOW * costs[1] + TASKS_ON_RUNNER * costs[2])
    other = wall - sum(report.seconds.get(s, 0.0) for s in STAGES)
    print(f"{'prefect':<10}{prefect:>9.1f}{'':>9}{'':>9}{'':>9}   ({100 * prefect / wall:.1f}% of the run, estimated)")
    print(f"{'other':<10}{other:>9.1f}")
    print(f"{'total':<10}{wall:>9.1f}{n / wall:>9.1f}{cpu:>9.1f}{peak / 2**20:>9.0f}")


def main() -> None:
    global TREE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="article pages in the corpus")
    parser.add_argument("--runners", default="threads,processes", help="comma-separated: threads, processes, dask")
    # Two workers: this machine's core count; the target is 1.7x the one-process rate on both cores.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--skip-bare", action="store_true", help="leave out the bare-library loop")
    args = parser.parse_args()

    TREE = Tree()
    ingest.timed = measured  # process_pages looks `timed` up at call time: every stage is measured
    workdir = Path(tempfile.mkdtemp(prefix="newsetl-throughput-"))
    try:
        template = workdir / "corpus.duckdb"
        t0 = time.perf_counter()
        n = archive_demo(template, args.n)
        print(f"corpus: {n} article pages archived in {time.perf_counter() - t0:.1f} s; "
              f"{os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              f"cores available: {cores_available():.2f} (two busy loops' work over one's)")
        rates = {}
        for runner in args.runners.split(","):
            costs = prefect_costs(Settings(runner=runner, workers=args.workers))
            print(f"\nprefect, runner={runner}: empty flow run {costs[0] * 1000:.0f} ms, empty task call "
                  f"{costs[1] * 1000:.1f} ms in the flow, {costs[2] * 1000:.1f} ms on the runner")
            report, wall, cpu, peak, enriched = run_newsetl(template, workdir, runner, args.workers, args.batch_size)
            print_run(runner, n, report, wall, cpu, peak, costs, args.workers)
            print(f"enriched {enriched} of {n} pages; load average now: "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores available now: {cores_available():.2f}")
            rates[runner] = n / wall

        if not args.skip_bare:
            ext_wall, ext_cpu, nlp_wall, nlp_cpu, texts = run_bare(template, n)
            bare = n / (ext_wall + nlp_wall)
            print(f"\nbare (one process): trafilatura.extract {ext_wall:.1f} s wall / {ext_cpu:.1f} s CPU "
                  f"({n / ext_wall:.1f} pages/s), nlp.pipe {nlp_wall:.1f} s / {nlp_cpu:.1f} s CPU over {texts} texts "
                  f"({texts / nlp_wall:.1f} texts/s); end to end {bare:.1f} articles/s")
            for runner, rate in rates.items():
                print(f"newsetl/bare, runner={runner}: {rate:.1f} / {bare:.1f} = {rate / bare:.2f}")
        if "threads" in rates:
            for runner, rate in rates.items():
                if runner != "threads":
                    print(f"{runner} / threads: {rate:.1f} / {rates['threads']:.1f} = {rate / rates['threads']:.2f}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        TREE.stop.set()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
