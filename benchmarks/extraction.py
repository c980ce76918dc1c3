"""Score newsetl's article extraction against bare trafilatura on the article-extraction-benchmark.

Usage: .venv/bin/python benchmarks/extraction.py [--cli] [--worst N]

The scoring rule is the benchmark's own (see ../shared/data/README.md): \\w+ tokens, multisets of
4-token shingles, per-page tp/fp/fn normalised to sum 1, precision and recall averaged over pages,
F1 from the two averages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms.encoding import decode_html  # noqa: E402
from transforms.extraction import extract_article, shingles  # noqa: E402
from transforms.models import ExtractionError  # noqa: E402

DATA = REPO / ".." / "shared" / "data" / "article-extraction-benchmark"
SHINGLE = 4  # the benchmark's shingle length


def page_scores(truth: str, pred: str) -> tuple[float, float, float]:
    """Per-page (tp, fp, fn) normalised to sum 1."""
    t, p = shingles(truth, SHINGLE), shingles(pred, SHINGLE)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    """Upstream's precision: 1 when nothing is wrong, 0 when nothing was predicted right."""
    return 1.0 if fp == fn == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    """Upstream's recall: 1 when nothing is wrong, 0 when nothing true was found."""
    return 1.0 if fp == fn == 0 else tp / (tp + fn)


def summarise(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(F1, precision, recall) with precision and recall averaged over the pages where they are defined."""
    p = statistics.mean(precision(*s) for s in scores if s[0] + s[1] > 0)
    r = statistics.mean(recall(*s) for s in scores if s[0] + s[2] > 0)
    return 2 * p * r / (p + r), p, r


def page_f1(score: tuple[float, float, float]) -> float:
    """F1 of one page; 0 when the page scored nothing at all."""
    tp, fp, fn = score
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def load_pages() -> tuple[dict[str, dict], dict[str, str]]:
    """Ground truth and decoded HTML by page id."""
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    html = {pid: decode_html(gzip.decompress((DATA / "html" / f"{pid}.html.gz").read_bytes())) for pid in truth}
    return truth, html


def run(extractors: dict[str, Callable[[str, str], str]], truth: dict, html: dict) -> dict[str, tuple[dict, float]]:
    """Predictions by page id and pages per second of each extractor.

    The extractors take turns page by page, so a load spike on the shared machine slows
    them alike instead of skewing the speed ratio.
    """
    preds: dict[str, dict] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for pid in truth:
        for name, extract in extractors.items():
            start = time.perf_counter()
            preds[name][pid] = extract(html[pid], truth[pid]["url"])
            seconds[name] += time.perf_counter() - start
    return {name: (preds[name], len(truth) / seconds[name]) for name in extractors}


def bare(html: str, url: str) -> str:
    """trafilatura.extract() with default settings."""
    return trafilatura.extract(html, url=url) or ""


def newsetl(html: str, url: str) -> str:
    """newsetl's extract_article, empty text when it refuses the page."""
    try:
        return extract_article(html, url).text
    except ExtractionError:
        return ""


def run_cli(truth: dict) -> tuple[dict, float]:
    """Predictions from one `newsetl extract` run over every page file (JSON lines on stdout)."""
    paths = [str(DATA / "html" / f"{pid}.html.gz") for pid in truth]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        subprocess.run([str(REPO / ".venv" / "bin" / "newsetl"), "extract", *paths], stdout=out, check=True)
        out.seek(0)
        rows = [json.loads(line) for line in out if line.strip()]
    speed = len(truth) / (time.perf_counter() - start)
    by_name = {Path(row["path"]).name.split(".")[0]: row.get("text") or "" for row in rows}
    return {pid: by_name.get(pid, "") for pid in truth}, speed


def main() -> None:
    """Print the comparison table, newsetl's per-page F1 quantiles and its worst pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="store_true", help="score `newsetl extract` output instead of the function")
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    args = parser.parse_args()
    if not (DATA / "ground-truth.json").exists():
        print(f"no benchmark data at {DATA.resolve()}; skipping")
        return
    truth, html = load_pages()
    if args.cli:
        results = {**run({"trafilatura (bare)": bare}, truth, html), "newsetl (cli)": run_cli(truth)}
    else:
        results = run({"trafilatura (bare)": bare, "newsetl": newsetl}, truth, html)

    print(f"{len(truth)} pages of {DATA.name}\n")
    print(f"{'extractor':<22}{'F1':>7}{'P':>7}{'R':>7}{'pages/s':>9}{'time/bare':>11}")
    per_page = {}
    for name, (preds, speed) in results.items():
        per_page[name] = {pid: page_scores(truth[pid]["articleBody"], preds[pid]) for pid in truth}
        f1, p, r = summarise(list(per_page[name].values()))
        slower = results["trafilatura (bare)"][1] / speed
        print(f"{name:<22}{f1:>7.3f}{p:>7.3f}{r:>7.3f}{speed:>9.1f}{slower:>10.2f}x")

    ours = per_page[list(results)[-1]]
    f1s = sorted(page_f1(s) for s in ours.values())
    cuts = statistics.quantiles(f1s, n=20, method="inclusive")
    print(f"\nper-page F1 of newsetl: min {f1s[0]:.3f}  p5 {cuts[0]:.3f}  p10 {cuts[1]:.3f}  p25 {cuts[4]:.3f}  median {cuts[9]:.3f}  max {f1s[-1]:.3f}")
    print(f"\nworst {args.worst} pages of newsetl (bare trafilatura F1 beside):")
    print(f"{'id':<14}{'F1':>7}{'P':>7}{'R':>7}{'bare F1':>9}  url")
    base = per_page["trafilatura (bare)"]
    for pid in sorted(ours, key=lambda k: page_f1(ours[k]))[: args.worst]:
        s = ours[pid]
        p = precision(*s) if s[0] + s[1] else 0.0
        r = recall(*s) if s[0] + s[2] else 0.0
        print(f"{pid[:12]:<14}{page_f1(s):>7.3f}{p:>7.3f}{r:>7.3f}{page_f1(base[pid]):>9.3f}  {truth[pid]['url'][:70]}")


if __name__ == "__main__":
    main()
