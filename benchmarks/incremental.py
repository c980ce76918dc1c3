"""Real news, scheduled: PolNeAR articles loaded in date order over several runs, against one run.

The articles (../shared/data/polnear/<split>/text, with metadata.tsv's title, author and date) are
wrapped in minimal HTML pages in a scratch folder, never in the repository. One warehouse is filled
by one `newsetl run` over all of them; another by N runs, each adding the next slice of the articles
in publication order to the source folder, as a weekly schedule would. The two are compared on what
a researcher reads: URL states, quotes, anonymous quotes, and each quote's speaker: the same name,
the same grouping under another name (an entity is named by the first full form stored: "Joseph R.
Biden Jr." in one warehouse, "Joe Biden" in the other), or grouped differently (a short name joined
when the warehouse knew one full name, kept apart when it knew several).

    .venv/bin/python benchmarks/incremental.py [--split train|dev] [--runs 8] [--limit N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import html
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".." / "shared" / "data" / "polnear"
NEWSETL = Path(sys.executable).parent / "newsetl"
# What each quote is keyed and named by in both warehouses (article ids differ with arrival order).
QUOTES = "SELECT a.url, q.seq, coalesce(q.canonical_speaker, '') FROM quotes q JOIN articles a USING (article_id)"


def write_pages(split: str, out: Path, limit: int = 0) -> list[Path]:
    """One HTML page per article (title as <h1>, paragraphs as <p>, author and date as meta), in date order."""
    meta = {r["filename"]: r for r in csv.DictReader(open(DATA / "metadata.tsv", encoding="utf-8"), delimiter="\t")}
    texts = sorted((DATA / split / "text").glob("*.txt"))
    pages = []
    for path in texts[:limit] if limit else texts:
        m = meta.get(path.stem, {})
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        if not paras:
            continue
        author = m.get("author") if m.get("author") not in (None, "None") else ""
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras[1:])
        page = out / f"{path.stem}.html"
        page.write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(m.get("title") or paras[0])}'
            f'</title><meta name="author" content="{html.escape(author)}"><meta property="article:published_time" '
            f'content="{m.get("publication_date", "")}"></head><body><article><h1>{html.escape(paras[0])}</h1>\n'
            f"{body}\n</article></body></html>",
            encoding="utf-8",
        )
        pages.append((m.get("publication_date", ""), page))
    return [page for _, page in sorted(pages)]


def run(folder: Path, db: Path, env: dict) -> float:
    """One `newsetl run` over a folder source; its wall seconds."""
    sources = folder.parent / f"{folder.name}.yaml"
    sources.write_text(f"sources:\n  - name: polnear\n    folders: [{folder.name}/]\n", encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run([str(NEWSETL), "run", "--sources", str(sources), "--db", str(db)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"newsetl run failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def compare(one: Path, many: Path) -> dict:
    """Counts of both warehouses and how each quote's speaker differs."""
    result = {}
    cons = {"one": duckdb.connect(str(one), read_only=True), "many": duckdb.connect(str(many), read_only=True)}
    for name, con in cons.items():
        result[name] = {
            "states": dict(con.execute("SELECT state, count(*) FROM url_status GROUP BY 1").fetchall()),
            "quotes": con.execute("SELECT count(*) FROM quotes").fetchall()[0][0],
            "anonymous": con.execute("SELECT count(*) FROM quotes WHERE anonymous").fetchall()[0][0],
            "entities": con.execute("SELECT count(*) FROM entities").fetchall()[0][0],
            "speakers": {(u, s): c for u, s, c in con.execute(QUOTES).fetchall()},
        }
    a, b = result["one"]["speakers"], result["many"]["speakers"]
    pairs = Counter((a[k], b[k]) for k in a.keys() & b.keys())
    forward, backward = defaultdict(set), defaultdict(set)
    for x, y in pairs:
        forward[x].add(y)
        backward[y].add(x)
    same = sum(n for (x, y), n in pairs.items() if x == y)
    renamed = sum(n for (x, y), n in pairs.items() if x != y and forward[x] == {y} and backward[y] == {x})
    result["quotes only in one"] = len(a.keys() ^ b.keys())
    result["same"], result["renamed"] = same, renamed
    result["regrouped"] = sum(pairs.values()) - same - renamed
    result["regrouped pairs"] = sorted(
        ((n, x, y) for (x, y), n in pairs.items() if x != y and not (forward[x] == {y} and backward[y] == {x})),
        reverse=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="train", choices=("train", "dev"))
    parser.add_argument("--runs", type=int, default=8, help="runs over the articles in date order")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (by name)")
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    if not (DATA / args.split / "text").is_dir():
        print(f"PolNeAR not found under {DATA.resolve()}; nothing to measure.")
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsetl-incremental-"))
    pages_dir, growing = work / "all", work / "growing"
    pages_dir.mkdir(parents=True, exist_ok=True)
    growing.mkdir(exist_ok=True)
    pages = write_pages(args.split, pages_dir, args.limit)
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false", "PREFECT_HOME": str(work / ".prefect")}
    print(f"PolNeAR {args.split}: {len(pages)} articles in {work}; one run, then {args.runs} runs in date order")
    seconds = run(pages_dir, work / "one.duckdb", env)
    print(f"one run: {seconds:.0f} s")
    for i in range(args.runs):
        for page in pages[i * len(pages) // args.runs : (i + 1) * len(pages) // args.runs]:
            (growing / page.name).symlink_to(page)
        seconds = run(growing, work / "many.duckdb", env)
        print(f"run {i + 1}/{args.runs}: {len(list(growing.iterdir()))} articles in the folder, {seconds:.0f} s")
    r = compare(work / "one.duckdb", work / "many.duckdb")
    print(f"{'':<24} {'one run':>10} {args.runs:>3} runs")
    for key in ("states", "quotes", "anonymous", "entities"):
        print(f"{key:<24} {str(r['one'][key]):>10} {str(r['many'][key]):>7}")
    total = r["same"] + r["renamed"] + r["regrouped"]
    print(f"quotes in only one warehouse: {r['quotes only in one']}")
    for key in ("same", "renamed", "regrouped"):
        print(f"speaker {key:<16} {r[key]:>6} ({r[key] / max(total, 1):.1%})")
    for n, x, y in r["regrouped pairs"][:20]:
        print(f"  one run {x!r} -> {args.runs} runs {y!r}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
