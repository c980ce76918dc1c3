"""Score newsetl's article extraction against bare trafilatura: article-extraction-benchmark and snippets.

Usage: .venv/bin/python benchmarks/extraction.py [--cli] [--worst N] [--no-snippets] [--recover]

article-extraction-benchmark: the benchmark's own scoring (see ../shared/data/README.md): \\w+
tokens, multisets of 4-token shingles, per-page tp/fp/fn normalised to sum 1, precision and recall
averaged over pages, F1 from the two averages.
web-metadata-dev snippets (trafilatura's own evaluation): each "with" snippet found in the text is
a true positive, missed a false negative; each "without" snippet found a false positive, absent a
true negative; counts pooled over pages (whitespace collapsed on both sides).
Both sets are split into halves A and B by a hash of the page name (benchmarks/halves.py): rules
are built on A, B is the figure to report.
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

from benchmarks.halves import half, split  # noqa: E402
from benchmarks.metadata import DATA as META  # noqa: E402
from benchmarks.metadata import load_pages as load_meta  # noqa: E402
from transforms.config import ExtractionConfig  # noqa: E402
from transforms.encoding import decode_html  # noqa: E402
from transforms.extraction import extract_article, shingles  # noqa: E402
from transforms.models import ExtractionError  # noqa: E402

DATA = REPO / ".." / "shared" / "data" / "article-extraction-benchmark"
SHINGLE = 4  # the benchmark's shingle length
# Issue 18's targets on half B: benchmark F1, speed against the bare call, snippet F1 margin over bare.
TARGET_F1 = 0.975
MAX_SLOWER = 1.5
SNIPPET_MARGIN = 0.015


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


# Seconds of each extractor's first call in this process (its one-off loads included).
FIRST_CALL: dict[str, float] = {}


def run(extractors: dict[str, Callable[[str, str], str]], truth: dict, html: dict) -> dict[str, tuple[dict, float]]:
    """Predictions by page id and pages per second of each extractor.

    The extractors take turns page by page, so a load spike on the shared machine slows
    them alike instead of skewing the speed ratio. Each first extracts one page off the clock:
    what a process loads once (trafilatura's jusText, py3langid's model: 0.8 s) is printed
    apart, not spread over the pages of a small benchmark.
    """
    preds: dict[str, dict] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    first = next(iter(truth), None)
    for name, extract in extractors.items():
        if first is not None and name not in FIRST_CALL:
            start = time.perf_counter()
            extract(html[first], truth[first]["url"])
            FIRST_CALL[name] = time.perf_counter() - start
    for pid in truth:
        for name, extract in extractors.items():
            start = time.perf_counter()
            preds[name][pid] = extract(html[pid], truth[pid]["url"])
            seconds[name] += time.perf_counter() - start
    return {name: (preds[name], len(truth) / seconds[name]) for name in extractors}


def bare(html: str, url: str) -> str:
    """trafilatura.extract() with default settings."""
    return trafilatura.extract(html, url=url) or ""


def bare_with_metadata(html: str, url: str) -> str:
    """trafilatura.extract() with its metadata too (title, author, date...), as newsetl reads them: the speed baseline of the same work."""
    found = trafilatura.extract(html, url=url, with_metadata=True, output_format="json")
    return json.loads(found).get("text") or "" if found else ""


CONFIG = ExtractionConfig()  # --recover switches on recover_paragraphs


def newsetl(html: str, url: str) -> str:
    """newsetl's extract_article, empty text when it refuses the page."""
    try:
        return extract_article(html, url, CONFIG).text
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


def snippet_counts(item: dict, text: str) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of one page's with/without snippets in an extracted text."""
    flat = " ".join(text.split())
    found = [" ".join(s.split()) in flat for s in item["with"]]
    leaked = [" ".join(s.split()) in flat for s in item["without"]]
    return sum(found), len(found) - sum(found), sum(leaked), len(leaked) - sum(leaked)


def snippet_scores(counts: list[tuple[int, int, int, int]]) -> tuple[float, float, float, float]:
    """(F1, precision, recall, accuracy) of pooled snippet counts."""
    tp, fn, fp, tn = (sum(c[i] for c in counts) for i in range(4))
    p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, (tp + tn) / (tp + fn + fp + tn)


def print_benchmark_table(results: dict[str, tuple[dict, float]], truth: dict) -> dict[str, dict]:
    """article-extraction-benchmark table per half and overall; per-page scores by extractor."""
    halves = split(truth)
    print(f"{len(truth)} pages of {DATA.name} (half A {len(halves['A'])}, half B {len(halves['B'])})\n")
    print(f"{'half':<6}{'extractor':<25}{'F1':>7}{'P':>7}{'R':>7}{'pages/s':>9}{'time/bare':>11}")
    per_page = {name: {pid: page_scores(truth[pid]["articleBody"], preds[pid]) for pid in truth}
                for name, (preds, _) in results.items()}
    for part, pids in {**halves, "all": list(truth)}.items():
        for name, (_, speed) in results.items():
            f1, p, r = summarise([per_page[name][pid] for pid in pids])
            slower = results["trafilatura (bare)"][1] / speed
            print(f"{part:<6}{name:<25}{f1:>7.3f}{p:>7.3f}{r:>7.3f}{speed:>9.1f}{slower:>10.2f}x")
    if FIRST_CALL:
        print("first call of the process, off the clock (one-off loads): "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in FIRST_CALL.items()))
    return per_page


def print_worst(per_page: dict[str, dict], truth: dict, worst: int) -> None:
    """newsetl's per-page F1 quantiles and its worst pages beside bare trafilatura."""
    ours = per_page[list(per_page)[-1]]
    f1s = sorted(page_f1(s) for s in ours.values())
    cuts = statistics.quantiles(f1s, n=20, method="inclusive")
    print(f"\nper-page F1 of newsetl: min {f1s[0]:.3f}  p5 {cuts[0]:.3f}  p10 {cuts[1]:.3f}  p25 {cuts[4]:.3f}  median {cuts[9]:.3f}  max {f1s[-1]:.3f}")
    print(f"\nworst {worst} pages of newsetl (bare trafilatura F1 beside):")
    print(f"{'id':<14}{'half':>5}{'F1':>7}{'P':>7}{'R':>7}{'bare F1':>9}  url")
    base = per_page["trafilatura (bare)"]
    for pid in sorted(ours, key=lambda k: page_f1(ours[k]))[:worst]:
        s = ours[pid]
        p = precision(*s) if s[0] + s[1] else 0.0
        r = recall(*s) if s[0] + s[2] else 0.0
        print(f"{pid[:12]:<14}{half(pid):>5}{page_f1(s):>7.3f}{p:>7.3f}{r:>7.3f}{page_f1(base[pid]):>9.3f}  {truth[pid]['url'][:70]}")


def snippet_table() -> dict[str, dict[str, tuple[float, float, float, float]]]:
    """Print the web-metadata-dev snippet scores per half; return {half: {extractor: (F1, P, R, accuracy)}}."""
    if not (META / "snippets.json").exists():
        print(f"\nno web-metadata-dev data at {META.resolve()}; skipping the snippets")
        return {}
    _, snippets, html = load_meta()
    items = {name: snippets[name] for name in html if name in snippets}
    results = run({"trafilatura (bare)": bare, "newsetl": newsetl},
                  {name: {"url": item["url"]} for name, item in items.items()}, html)
    halves = split(items)
    print(f"\n{len(items)} pages of {META.name}: with/without snippets (half A {len(halves['A'])}, half B {len(halves['B'])})\n")
    print(f"{'half':<6}{'extractor':<22}{'F1':>7}{'P':>7}{'R':>7}{'acc':>7}{'pages/s':>9}{'time/bare':>11}")
    figures: dict[str, dict] = {}
    for part, names in {**halves, "all": list(items)}.items():
        figures[part] = {}
        for name, (preds, speed) in results.items():
            figures[part][name] = snippet_scores([snippet_counts(items[n], preds[n]) for n in names])
            slower = results["trafilatura (bare)"][1] / speed
            print(f"{part:<6}{name:<22}" + "".join(f"{v:>7.3f}" for v in figures[part][name]) + f"{speed:>9.1f}{slower:>10.2f}x")
    return figures


def main() -> None:
    """Print both comparison tables per half, newsetl's worst pages, and the issue's targets on half B."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="store_true", help="score `newsetl extract` output instead of the function")
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    parser.add_argument("--no-snippets", action="store_true", help="skip the web-metadata-dev snippet evaluation")
    parser.add_argument("--recover", action="store_true", help="score with recover_paragraphs on (off by default)")
    args = parser.parse_args()
    if args.recover:
        global CONFIG
        CONFIG = ExtractionConfig(recover_paragraphs=True)
    if not (DATA / "ground-truth.json").exists():
        print(f"no benchmark data at {DATA.resolve()}; skipping")
        return
    truth, html = load_pages()
    if args.cli:
        results = {**run({"trafilatura (bare)": bare}, truth, html), "newsetl (cli)": run_cli(truth)}
    else:
        results = run({"trafilatura (bare)": bare, "trafilatura (+metadata)": bare_with_metadata, "newsetl": newsetl}, truth, html)
    per_page = print_benchmark_table(results, truth)
    print_worst(per_page, truth, args.worst)
    snippets = {} if args.no_snippets else snippet_table()

    print("\ntargets on half B:")
    ours = list(results)[-1]
    f1 = summarise([per_page[ours][pid] for pid in split(truth)["B"]])[0]
    print(f"  article-extraction-benchmark F1 {f1:.3f} >= {TARGET_F1}: {'met' if f1 >= TARGET_F1 else 'NOT met'}")
    slower = results["trafilatura (bare)"][1] / results[ours][1]
    print(f"  speed {slower:.2f}x bare <= {MAX_SLOWER}x: {'met' if slower <= MAX_SLOWER else 'NOT met'}")
    if "trafilatura (+metadata)" in results:
        same_work = results["trafilatura (+metadata)"][1] / results[ours][1]
        print(f"  (speed {same_work:.2f}x trafilatura's own call with metadata, the same work: text, title, author, date)")
    if snippets:
        (f1, _, r, _), (bf1, _, br, _) = snippets["B"]["newsetl"], snippets["B"]["trafilatura (bare)"]
        ok = f1 >= bf1 + SNIPPET_MARGIN and r >= br
        print(f"  snippets F1 {f1:.3f} >= bare {bf1:.3f} + {SNIPPET_MARGIN} with recall {r:.3f} >= bare {br:.3f}:"
              f" {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
