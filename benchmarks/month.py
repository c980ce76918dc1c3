"""A month (and a half) of scheduled runs on the demo site, one ingest per simulated day, against one run over the whole site.

The demo site is served as it stood at the end of each day (`serve_site(as_of=...)`): only what was
published by then is in its feeds, sitemaps and pages, and the feed lists the newest 20 items only,
so some days' articles are reachable only through the sitemap, as on a real site. After the last
day the warehouse is compared with a fresh warehouse filled by one run over the whole site.

    .venv/bin/python benchmarks/month.py [--every N] [--cli-days 0,1,2] [--workdir DIR]

prints per run: the simulated day, wall and CPU seconds, counts, the warehouse size; then every check.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flows.demo.site import DemoSite, build_site, serve_site, site_truth, write_sources_yaml
from flows.settings import Settings
from warehouse.db import connect

ROOT = Path(__file__).resolve().parent.parent
NEWSETL = Path(sys.executable).parent / "newsetl"

# Mart columns compared between the two warehouses: ids (article, entity, story, run) and load times
# depend on the order rows arrived in, so the marts are compared on what a researcher reads.
MART_QUERIES = {
    "quotes": "SELECT outlet, day, url, seq, speaker, canonical_speaker, speaker_type, kind, anonymous, content,"
              " list_sort(entities) AS entities FROM quotes",
    "top_speakers": "SELECT * FROM top_speakers",
    # Entity ids and labels included: an id is its canonical name's, a label the vote of all its mentions.
    "int_article_entities": "SELECT a.url, ie.* EXCLUDE (article_id, story_id)"
                            " FROM int_article_entities ie JOIN articles a USING (article_id)",
    "entity_labels": "SELECT entity, label, sum(mentions) FROM int_article_entities GROUP BY ALL",
    "stories": "SELECT title, original_outlet, first_day, last_day, articles, outlets, copies, found_by FROM stories",
    # The README's query: who was quoted about the harbour, by which outlets, how often anonymously.
    "harbour": "SELECT coalesce(canonical_speaker, speaker) AS speaker, speaker_type,"
               " string_agg(DISTINCT outlet, ', ' ORDER BY outlet) AS outlets,"
               " count(*) AS quotes, count(*) FILTER (WHERE anonymous) AS anonymous FROM quotes"
               " WHERE list_contains(entities, 'Port Avery') AND speaker_type <> 'unresolved' GROUP BY ALL",
    "url_states": "SELECT url, state, reason FROM url_status",
}


@dataclass
class DayRun:
    """One scheduled run: the simulated day, how it was run, its cost and the warehouse after it."""

    day: int
    via: str
    wall: float
    cpu: float
    db_bytes: int
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # wall seconds per stage, as the run reports them


def free_ports(n: int) -> list[int]:
    """n free loopback ports (the site keeps them for the whole simulation, so URLs stay the same)."""
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def end_of_day(site: DemoSite, day: int) -> datetime:
    """The last instant of simulated day `day` (day 0: the first day an article is published)."""
    first = min(a.published for a in site.articles).replace(hour=0, minute=0, second=0)
    return first + timedelta(days=day + 1, microseconds=-1)


def last_day(site: DemoSite) -> int:
    """The day of the latest publication (articles and broken pages)."""
    first = min(a.published for a in site.articles).replace(hour=0, minute=0, second=0)
    return (max(a.published for a in site.articles) - first).days


def db_size(db: Path) -> int:
    """Bytes of the warehouse file and its WAL."""
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + ".wal")) if p.exists())


def run_cli(sources: Path, db: Path) -> tuple[dict, float]:
    """`newsetl run --json` in a subprocess; its summary and its CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([str(NEWSETL), "run", "--sources", str(sources), "--db", str(db), "--json"],
                          capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(), timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"newsetl run exited {proc.returncode}: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(proc.stdout.strip().splitlines()[-1]), cpu


# The steps of a run that read the whole warehouse (or the run history), timed apart in in-process runs
# to see whether they grow with it: module -> function name.
PROBED = {"flows.runs": ("load_dedup_index", "finish_run", "publish_run_artifacts"), "flows.ingest": ("plan_fetches",)}
_probe_seconds: dict[str, float] = {}


def _probe(name: str, fn):
    """fn, adding its wall seconds to _probe_seconds[name]."""
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _probe_seconds[name] = _probe_seconds.get(name, 0.0) + time.perf_counter() - t0
    timed.probed = True
    return timed


def _install_probes() -> None:
    """Wrap the PROBED functions where the flow looks them up (module globals, read at call time)."""
    import importlib

    for module_name, names in PROBED.items():
        module = importlib.import_module(module_name)
        for name in names:
            fn = getattr(module, name)
            if not getattr(fn, "probed", False):
                setattr(module, name, _probe(name, fn))


def run_flow(sources: Path, db: Path) -> tuple[dict, float]:
    """The ingest flow in this process, as the CLI runs it (flows.pipelines.ingest); its counts and CPU seconds."""
    from flows import pipelines

    _install_probes()
    _probe_seconds.clear()
    cpu0 = time.process_time()
    report = pipelines.ingest(str(sources), Settings(db_path=db.absolute(), progress=False))
    seconds = dict(report.seconds) | {k: v for k, v in _probe_seconds.items()}
    return {"status": "completed", "counts": dict(report.stages), "seconds": seconds}, time.process_time() - cpu0


def one_run(day: int, via: str, sources: Path, db: Path) -> DayRun:
    """One scheduled run, timed."""
    t0 = time.perf_counter()
    summary, cpu = (run_cli if via == "cli" else run_flow)(sources, db)
    return DayRun(day, via, time.perf_counter() - t0, cpu, db_size(db), summary.get("counts", {}),
                  summary.get("seconds", {}))


def simulate(workdir: Path, every: int = 1, cli_days: frozenset[int] = frozenset(), seed: int = 7,
             log=print) -> dict:
    """Run the month (a run every `every` days, and on the last day), then the whole site once on a fresh warehouse."""
    site = build_site(seed)
    now: list[datetime | None] = [None]
    workdir.mkdir(parents=True, exist_ok=True)
    month_db, fresh_db = workdir / "month.duckdb", workdir / "fresh.duckdb"
    days = sorted({*range(0, last_day(site) + 1, every), last_day(site)})
    with serve_site(site, ports=free_ports(len(site.outlets)), as_of=lambda: now[0]) as bases:
        truth = site_truth(site, bases)
        (workdir / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
        sources = workdir / "sources.yaml"
        write_sources_yaml(site, bases, sources)
        runs = []
        for day in days:
            now[0] = end_of_day(site, day)
            runs.append(one_run(day, "cli" if day in cli_days else "flow", sources, month_db))
            log(format_run(runs[-1]))
        now[0] = None  # the whole site, as a single run over it would see it
        fresh = one_run(days[-1], "flow", sources, fresh_db)
        log("fresh: " + format_run(fresh))
    return {"truth": truth, "runs": runs, "fresh": fresh, "month_db": month_db, "fresh_db": fresh_db}


def format_run(r: DayRun) -> str:
    """One line per run: day, via, wall and CPU seconds, the run's counts, the warehouse size."""
    c = r.counts
    return (f"day {r.day:2d} {r.via:4s} wall {r.wall:6.1f} s  cpu {r.cpu:6.1f} s  discovered {c.get('discovered', 0):3d}"
            f"  already_loaded {c.get('already_loaded', 0):3d}  retry_later {c.get('retry_later', 0):3d}  fetched {c.get('fetched', 0):3d}"
            f"  loaded {c.get('loaded', 0):3d}  duplicates {c.get('duplicates', 0):3d}  db {r.db_bytes / 1e6:6.2f} MB  "
            + " ".join(f"{k} {v:.2f}" for k, v in r.seconds.items()))


def _frozen(value):
    """A hashable form of a DuckDB value (lists and structs come back as lists and dicts)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    return value


def rows(db: Path, sql: str) -> list[tuple]:
    """Every row of a query, hashable, sorted (None first), for comparing two warehouses."""
    with connect(db, read_only=True) as con:
        found = [tuple(_frozen(v) for v in r) for r in con.execute(sql).fetchall()]
    return sorted(found, key=lambda r: [(v is not None, str(v)) for v in r])


def scalar(db: Path, sql: str):
    """The one value of a query."""
    with connect(db, read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def checks(result: dict) -> dict[str, object]:
    """Every invariant of the month: name -> what differs (empty / zero / equal when all is well)."""
    month, fresh, truth = result["month_db"], result["fresh_db"], result["truth"]
    out: dict[str, object] = {}
    for name, sql in MART_QUERIES.items():
        a, b = rows(month, sql), rows(fresh, sql)
        out[f"{name} rows (month, fresh)"] = (len(a), len(b))
        out[f"{name} only in month"] = [r for r in a if r not in set(b)][:5]
        out[f"{name} only in fresh"] = [r for r in b if r not in set(a)][:5]
        out[f"{name} surplus in month"] = [r for r, n in Counter(a).items() if n > Counter(b)[r]][:5]
    for label, db in (("month", month), ("fresh", fresh)):
        out[f"{label}: urls not in one terminal state"] = rows(
            db, "SELECT url, count(*) FROM url_status GROUP BY url HAVING count(*) > 1 OR bool_or(state = 'pending')")
        out[f"{label}: articles stored twice"] = rows(db, "SELECT url, count(*) FROM articles GROUP BY url HAVING count(*) > 1")
        out[f"{label}: runs not completed"] = rows(db, "SELECT run_id, status, message FROM runs WHERE status <> 'completed'")
        out[f"{label}: rejected without reason"] = rows(
            db, "SELECT url, state FROM url_status WHERE state NOT IN ('loaded') AND reason IS NULL")
        out[f"{label}: quarantine without detail"] = rows(
            db, "SELECT url, rule FROM quarantine WHERE rule IS NULL OR detail IS NULL OR detail = ''")
        found = set(rows(db, "SELECT d.url, a.url FROM duplicates d JOIN articles a ON a.article_id = d.duplicate_of"))
        planted = {(d["url"], d["of"]) for d in truth["duplicates"] if d["kind"] == "syndicated"}
        out[f"{label}: duplicates missed"] = sorted(planted - found)
        out[f"{label}: duplicates not planted"] = sorted(found - planted)
        # A tracking URL is normalised at discovery: never a URL of its own, its article loaded once.
        discovered = {u for (u,) in rows(db, "SELECT url FROM discovered_urls")}
        loaded = {u for (u,) in rows(db, "SELECT url FROM articles")}
        out[f"{label}: tracking urls not folded"] = sorted(
            d["url"] for d in truth["duplicates"]
            if d["kind"] == "tracking_url" and (d["url"] in discovered or d["of"] not in loaded))
        out[f"{label}: states"] = dict(Counter(s for _, s, _ in rows(db, "SELECT url, state, reason FROM url_status")))
    return out


def main() -> None:
    """Simulate, print per-run cost and every check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="a run every N simulated days")
    parser.add_argument("--cli-days", default="0,1,2", help="days run through `newsetl run` (comma-separated)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the warehouses here")
    parser.add_argument("--check", type=Path, default=None, help="only check the warehouses a run left in this folder")
    args = parser.parse_args()
    if args.check:
        result = {"truth": json.loads((args.check / "truth.json").read_text(encoding="utf-8")),
                  "month_db": args.check / "month.duckdb", "fresh_db": args.check / "fresh.duckdb"}
        for name, value in checks(result).items():
            print(f"{name}: {value}")
        return
    cli_days = frozenset(int(d) for d in args.cli_days.split(",") if d)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsetl-month-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"warehouses in {workdir}", flush=True)
    result = simulate(workdir, args.every, cli_days, log=lambda s: print(s, flush=True))
    for name, value in checks(result).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
