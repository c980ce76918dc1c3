"""Throughput of the reprocess flow against the bare libraries, per stage and end to end, per task runner.

Usage: .venv/bin/python benchmarks/throughput.py [--n 1000] [--runners threads,processes] [--workers 2]
       [--batch-size 500] [--skip-bare] [--no-pin]

Corpus: demo sites built from seeds 0, 1, 2, ... (59 original stories each: different seeds tell
different stories; the syndicated copies are left out so that every article is enriched), each seed
on its own loopback ports, written straight into the pages table of a fresh warehouse (the raw
archive) until N article pages are stored. Each runner reprocesses its own copy of that warehouse
with the `reprocess` flow (extract -> dedup -> validate -> enrich -> load, no network), in a fresh
Python process of its own, so that no run inherits another's imports, model or memory.

Per stage: wall seconds the flow spent in it (with worker processes, stages of different batches
overlap, and extract/enrich count only the waiting), articles per second (N / wall), CPU seconds
of the stage's work wherever it ran (the flow measures its own stages, the worker tasks report
theirs), peak memory (RSS of the whole process tree: flow, workers, Prefect's API server; sampled
every 0.1 s). "prefect": the wall seconds of the task calls, estimated per batch as the tasks
called in the flow times an empty task's cost there, plus the two fan-outs times an empty task's
cost on the runner, plus an empty flow run; and the CPU seconds of Prefect's API server during the
run, measured. "other": the rest of the run: opening and closing it (Data Docs), and with worker
processes their start-up (imports) and the pickling of parts and results.

One process: the threads runner, pinned to one core (every thread of the process), against the
bare loop pinned the same way; both import their libraries and load the spaCy model before the
clock starts (worker processes start, import and load theirs on the clock). The bare loop is a
plain trafilatura.extract() over the same pages, then nlp.pipe() with the same model and
components over the texts it returned. Both cores: the processes (or Dask) runner with --workers
worker processes, not pinned. The targets of issue #10 are printed at the end, with the machine's
load average and the cores a busy loop gets: other processes may share the cores.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if "PREFECT_HOME" not in os.environ:  # worker processes re-import this module: they inherit the parent's
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsetl-throughput-prefect-")

from flows.environment import apply_defaults  # noqa: E402

apply_defaults()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from flows.settings import Settings  # noqa: E402

# Worker processes import this module again (multiprocessing's spawn), so everything heavier than
# what a worker needs anyway (Prefect, the settings) is imported inside the functions that use it:
# the workers then cost what they cost under the `newsetl` CLI.

# Tasks per batch of the reprocess flow called in the flow: read, dedup, validate_articles,
# validate_annotations, load; and submitted to the runner: extract and enrich (their parts at once).
TASKS_IN_FLOW = 5
TASKS_ON_RUNNER = 2
STAGES = ("read", "extract", "dedup", "validate", "enrich", "load")


def archive_demo(db_path: Path, n: int, run_id: str = "corpus") -> int:
    """Store the original article pages of demo sites (seeds 0, 1, ...) as raw pages until `n`; return how many."""
    from flows.demo.site import BASE, build_site
    from transforms.models import Page
    from warehouse.db import connect
    from warehouse.loader import LoadBatch, load_batch, now

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
        return t.user + t.system + t.children_user + t.children_system + self._children_cpu(lambda _p: True)

    def server_cpu(self) -> float:
        """CPU seconds used so far by Prefect's API server (the uvicorn child of an ephemeral run)."""
        return self._children_cpu(lambda p: "uvicorn" in " ".join(p.cmdline()))

    def _children_cpu(self, keep) -> float:
        total = 0.0
        for p in self.me.children(recursive=True):
            try:
                if keep(p):
                    c = p.cpu_times()
                    total += c.user + c.system
            except psutil.Error:
                pass  # a worker that exited between listing and reading
        return total

    def take_peak(self) -> int:
        """The highest RSS since the last call, then start a new window."""
        peak, self.peak = max(self.peak, self.rss()), 0
        return peak

    def _sample(self, interval: float) -> None:
        while not self.stop.wait(interval):
            self.peak = max(self.peak, self.rss())


TREE: Tree | None = None
# Peak RSS per stage of the current run, filled by the stage meter.
PEAK: dict[str, int] = {}


def meter_stages() -> None:
    """Make every stage block of the flows also record the tree's peak RSS in PEAK."""
    import flows.runs as runs

    class measured(runs.timed):
        def __enter__(self):
            TREE.take_peak()
            super().__enter__()

        def __exit__(self, *exc):
            super().__exit__(*exc)
            PEAK[self.stage] = max(PEAK.get(self.stage, 0), TREE.take_peak())

    runs.timed = measured  # the flows look `timed` up on flows.runs at call time


@contextmanager
def one_core(pin: bool):
    """Run the block on core 0 only (every thread of this process), then give all cores back."""
    tids = [int(t) for t in os.listdir("/proc/self/task")] if pin else []
    everything = os.sched_getaffinity(0)
    for tid in tids:
        with suppress(OSError):  # a thread that ended meanwhile
            os.sched_setaffinity(tid, {min(everything)})
    try:
        yield
    finally:
        for tid in [int(t) for t in os.listdir("/proc/self/task")] if pin else []:
            with suppress(OSError):
                os.sched_setaffinity(tid, everything)


@task(name="noop", cache_policy=NO_CACHE)
def noop() -> None:
    """An empty task: its call cost is Prefect's per-task overhead."""


@flow(name="noop_flow")
def noop_flow(settings: Settings, calls: int) -> tuple[float, float]:
    """Seconds per empty task call made directly in the flow, and submitted to the runner of `settings`."""
    from flows.runners import started_runner

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


@dataclass
class Run:
    """One measured run of the flow: its stages and what the process tree used."""

    runner: str
    label: str
    costs: tuple[float, float, float]  # empty flow run, empty task in the flow, on the runner (s)
    batches: int
    seconds: dict[str, float]  # wall seconds per stage
    cpu_seconds: dict[str, float]  # CPU seconds per stage
    peaks: dict[str, int]  # tree RSS per stage
    wall: float
    cpu: float
    server_cpu: float  # of it, Prefect's API server
    peak: int
    enriched: int


def run_newsetl(template: Path, workdir: Path, settings: Settings, pin: bool) -> Run:
    """Reprocess a copy of the template warehouse with the runner of `settings` (in this fresh process)."""
    import flows.ingest  # noqa: F401  (the flows' imports before the clock starts, as the bare loop's are)
    from flows.pipelines import reprocess
    from transforms.nlp import load_nlp
    from warehouse.db import connect

    if settings.runner == "threads":  # the model too, as the bare loop's; workers load theirs on the clock
        load_nlp(settings.nlp.model, tuple(settings.nlp.components))
    costs = prefect_costs(settings)
    db = workdir / f"{settings.runner}.duckdb"
    shutil.copy(template, db)
    settings = settings.model_copy(update={"db_path": db})
    PEAK.clear()
    TREE.take_peak()
    with one_core(pin):
        t0, cpu0, server0 = time.perf_counter(), TREE.cpu(), TREE.server_cpu()
        report = reprocess(settings)
        wall, cpu, server = time.perf_counter() - t0, TREE.cpu() - cpu0, TREE.server_cpu() - server0
    with connect(db, read_only=True) as con:
        enriched = con.execute("SELECT count(*) FROM articles WHERE enriched").fetchone()[0]
    label = ("one process, pinned to one core" if pin else "one process") if settings.runner == "threads" else \
        f"{settings.workers} worker processes, all cores"
    return Run(settings.runner, label, costs, report.stages.get("batches", 0), report.seconds, report.cpu,
               dict(PEAK), wall, cpu, server, max(TREE.take_peak(), *PEAK.values()), enriched)


def run_bare(template: Path, pin: bool) -> tuple[float, float, float, float, int]:
    """trafilatura.extract() then nlp.pipe() over the archived pages: extract and nlp wall and CPU seconds, texts."""
    import trafilatura

    from flows.tasks import read_raw_pages
    from transforms.nlp import load_nlp
    from warehouse.db import connect

    with connect(template, read_only=True) as con:
        urls = [row[0] for row in con.execute("SELECT url FROM pages ORDER BY url").fetchall()]
    pages = read_raw_pages.fn(template, urls)
    nlp_config = Settings().nlp
    nlp = load_nlp(nlp_config.model, tuple(nlp_config.components), line_breaks=False)  # the bare library
    with one_core(pin):
        t0, c0 = time.perf_counter(), time.process_time()
        texts = [t for t in (trafilatura.extract(p.body.decode("utf-8")) for p in pages) if t]
        t1, c1 = time.perf_counter(), time.process_time()
        for _doc in nlp.pipe(texts, batch_size=nlp_config.batch_size):
            pass
        return t1 - t0, c1 - c0, time.perf_counter() - t1, time.process_time() - c1, len(texts)


def prefect_share(run: Run) -> tuple[float, float]:
    """Prefect's seconds in a run, estimated from the empty-call costs, and its API server's CPU seconds."""
    empty, in_flow, on_runner = run.costs
    return empty + run.batches * (TASKS_IN_FLOW * in_flow + TASKS_ON_RUNNER * on_runner), run.server_cpu


def print_run(run: Run, n: int) -> None:
    """The per-stage table of one run."""
    print(f"\nprefect, runner={run.runner}: empty flow run {run.costs[0] * 1000:.0f} ms, empty task call "
          f"{run.costs[1] * 1000:.1f} ms in the flow, {run.costs[2] * 1000:.1f} ms on the runner")
    print(f"newsetl, runner={run.runner} ({run.label})")
    print(f"{'stage':<10}{'wall s':>9}{'art/s':>9}{'CPU s':>9}{'peak MB':>9}")
    for stage in STAGES:
        s = run.seconds.get(stage, 0.0)
        print(f"{stage:<10}{s:>9.1f}{n / s if s else 0:>9.1f}{run.cpu_seconds.get(stage, 0):>9.1f}"
              f"{run.peaks.get(stage, 0) / 2**20:>9.0f}")
    prefect, server = prefect_share(run)
    print(f"{'prefect':<10}{prefect:>9.1f}{'':>9}{server:>9.1f}{'':>9}   (tasks {100 * prefect / run.wall:.1f}% of the "
          f"wall time, estimated; API server {100 * server / run.cpu:.1f}% of the CPU, measured)")
    other = run.wall - sum(run.seconds.get(s, 0.0) for s in STAGES)
    other_cpu = run.cpu - server - sum(run.cpu_seconds.get(s, 0.0) for s in STAGES)
    print(f"{'other':<10}{other:>9.1f}{'':>9}{other_cpu:>9.1f}")
    print(f"{'total':<10}{run.wall:>9.1f}{n / run.wall:>9.1f}{run.cpu:>9.1f}{run.peak / 2**20:>9.0f}")
    print(f"enriched {run.enriched} of {n} pages; load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def child(args: argparse.Namespace) -> None:
    """Measure one run (--child RUNNER, or "bare") on the corpus in --workdir and print it as JSON."""
    global TREE
    TREE = Tree()
    meter_stages()
    workdir = Path(args.workdir)
    pin = not args.no_pin and hasattr(os, "sched_setaffinity")
    try:
        if args.child == "bare":
            result = run_bare(workdir / "corpus.duckdb", pin)
        else:
            settings = Settings(runner=args.child, workers=args.workers, batch_size=args.batch_size)
            result = asdict(run_newsetl(workdir / "corpus.duckdb", workdir, settings, pin and args.child == "threads"))
    finally:
        TREE.stop.set()
    print(RESULT + json.dumps(result))


def measure(what: str, args: argparse.Namespace, workdir: Path):
    """Run `what` (a runner, or "bare") in a fresh process, so that each run's memory and start-up are its own."""
    command = [sys.executable, __file__, "--child", what, "--workdir", str(workdir), "--workers", str(args.workers),
               "--batch-size", str(args.batch_size), *(["--no-pin"] if args.no_pin else [])]
    out = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith(RESULT)]
    if out.returncode or not lines:
        sys.exit(f"{what} run failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    result = json.loads(lines[-1].removeprefix(RESULT))
    return tuple(result) if what == "bare" else Run(**{**result, "costs": tuple(result["costs"])})


RESULT = "RESULT "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="article pages in the corpus")
    parser.add_argument("--runners", default="threads,processes", help="comma-separated: threads, processes, dask")
    # Two workers: this machine's core count; the target is 1.7x the one-process rate on both cores.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--skip-bare", action="store_true", help="leave out the bare-library loop")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the one-process runs to one core")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    workdir = Path(tempfile.mkdtemp(prefix="newsetl-throughput-"))
    one = "one process" + ("" if args.no_pin else ", pinned to one core")
    try:
        t0 = time.perf_counter()
        n = archive_demo(workdir / "corpus.duckdb", args.n)
        print(f"corpus: {n} article pages archived in {time.perf_counter() - t0:.1f} s; "
              f"{os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              f"cores available: {cores_available():.2f} (two busy loops' work over one's); batch size "
              f"{args.batch_size}; each run in a fresh process")
        runs: dict[str, Run] = {}
        for runner in args.runners.split(","):
            runs[runner] = measure(runner, args, workdir)
            print_run(runs[runner], n)

        print("\ntargets:")
        if not args.skip_bare:
            ext_wall, ext_cpu, nlp_wall, nlp_cpu, texts = measure("bare", args, workdir)
            bare = n / (ext_wall + nlp_wall)
            print(f"bare ({one}): trafilatura.extract {ext_wall:.1f} s wall / {ext_cpu:.1f} s CPU "
                  f"({n / ext_wall:.1f} pages/s), nlp.pipe {nlp_wall:.1f} s / {nlp_cpu:.1f} s CPU over {texts} texts "
                  f"({texts / nlp_wall:.1f} texts/s); end to end {bare:.1f} articles/s")
            if "threads" in runs:
                rate = n / runs["threads"].wall
                print(f"  one process >= 0.85x bare: {rate:.1f} / {bare:.1f} = {rate / bare:.2f}  "
                      f"{verdict(rate / bare >= 0.85)}")
        for runner, run in runs.items():
            if runner != "threads" and "threads" in runs:
                ratio = runs["threads"].wall / run.wall
                print(f"  {args.workers} workers ({runner}) >= 1.7x one process: {n / run.wall:.1f} / "
                      f"{n / runs['threads'].wall:.1f} = {ratio:.2f}  {verdict(ratio >= 1.7)}")
        for runner, run in runs.items():
            print(f"  peak memory < 2 GB ({runner}, N={n}): {run.peak / 2**20:,.0f} MB  {verdict(run.peak < 2**31)}")
        for runner, run in runs.items():
            prefect, server = prefect_share(run)
            share = max(prefect / run.wall, server / run.cpu)
            print(f"  Prefect < 5% of the run ({runner}): {100 * share:.1f}%  {verdict(share < 0.05)}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
