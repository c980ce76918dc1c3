"""Score newsetl's title, author and date against bare trafilatura on web-metadata-dev.

Usage: .venv/bin/python benchmarks/metadata.py [--worst N] [--half A|B]

The scoring rules are the data set's (see ../shared/data/README.md): title equal after NFKC,
ASCII quotes and dashes, collapsed whitespace and case folding; date equal on YYYY-MM-DD; author
equal as a set of names. A field left empty is wrong. Pages split into halves A and B by a hash
of the page name (benchmarks/halves.py): rules are built on A, B is the figure to report.
"newsetl" scores what newsetl records for a page: its article's metadata, or, for a page refused
as an article, the metadata its quarantine row keeps; "stored" scores the articles alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.halves import half  # noqa: E402
from transforms.encoding import decode_html  # noqa: E402
from transforms.extraction import extract_article  # noqa: E402
from transforms.models import ExtractionError  # noqa: E402

DATA = REPO / ".." / "shared" / "data" / "web-metadata-dev"
FIELDS = ("title", "author", "date")
QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′"} | {c: '"' for c in "“”„‟«»″"} | {c: "-" for c in "‐‑‒–—―−"})
AUTHOR_SPLIT = re.compile(r"\s*(?:[;,&/]|\band\b)\s*")
# Academic degrees after a name are not names ("Jane Doe, PhD").
DEGREES = {"phd", "md", "mba", "msc", "ma", "bsc", "ba", "rn", "dr", "prof", "mph", "jd"}
# Targets of issue 18 on half B: every field at least bare's, overall 0.08 above it.
OVERALL_MARGIN = 0.08


def norm_title(value: str) -> str:
    """Title as compared: NFKC, ASCII quotes and dashes, collapsed whitespace, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", value).translate(QUOTES).split()).casefold()


def norm_authors(value: str) -> frozenset[str]:
    """Author as compared: a set of names, without "By", periods read as spaces, degrees dropped."""
    text = unicodedata.normalize("NFKC", value).translate(QUOTES).casefold().replace(".", " ")
    names = set()
    for part in AUTHOR_SPLIT.split(text):
        name = " ".join(re.sub(r"^\s*by\s+", "", part).split())
        if name and name not in DEGREES:
            names.add(name)
    return frozenset(names)


def correct(field: str, gold: str, pred: str | None) -> bool:
    """Whether a predicted field matches the gold one under the data set's rules."""
    if not pred:
        return False
    if field == "title":
        return norm_title(gold) == norm_title(pred)
    if field == "date":
        return gold[:10] == pred[:10]
    return norm_authors(gold) == norm_authors(pred)


def load_pages() -> tuple[dict[str, dict], dict[str, dict], dict[str, str]]:
    """Gold metadata, snippets (with each page's URL) and decoded HTML by page name."""
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
    snippets = json.loads((DATA / "snippets.json").read_text(encoding="utf-8"))
    html = {name: decode_html(gzip.decompress((DATA / "html" / f"{name}.html.gz").read_bytes())) for name in gold}
    return gold, snippets, html


def bare(html: str, url: str | None) -> dict:
    """trafilatura.extract(with_metadata=True) as JSON: title, author, date and text."""
    out = trafilatura.extract(html, url=url, with_metadata=True, output_format="json")
    row = json.loads(out) if out else {}
    return {"title": row.get("title"), "author": row.get("author"), "date": row.get("date"), "text": row.get("text") or ""}


EMPTY = {"title": None, "author": None, "date": None, "text": "", "stored": False}


def newsetl(html: str, url: str | None) -> dict:
    """What newsetl records for a page: the article's metadata, else its quarantine row's (the error's).

    `text` is the stored article's, empty for a refused page (its text is not stored); `stored`
    says which table the metadata would land in.
    """
    try:
        article, stored = extract_article(html, url), True
    except ExtractionError as exc:
        if exc.meta is None:
            return dict(EMPTY)
        article, stored = exc.meta, False
    return {"title": article.title, "author": "; ".join(article.authors) or None,
            "date": article.published.isoformat() if article.published else None,
            "text": article.text if stored else "", "stored": stored}


def stored_only(preds: dict[str, dict]) -> dict[str, dict]:
    """The metadata of stored articles alone: a refused page counts as empty (its quarantine row ignored)."""
    return {page: pred if pred["stored"] else dict(EMPTY) for page, pred in preds.items()}


def run(html: dict[str, str], urls: dict[str, str | None]) -> tuple[dict[str, dict[str, dict]], dict[str, float]]:
    """Both extractors' outputs by page, and seconds spent by each; they take turns page by page."""
    extractors = {"bare": bare, "newsetl": newsetl}
    preds: dict[str, dict[str, dict]] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for page in html:
        for name, extract in extractors.items():
            start = time.perf_counter()
            preds[name][page] = extract(html[page], urls.get(page))
            seconds[name] += time.perf_counter() - start
    return preds, seconds


def accuracy(gold: dict, preds: dict, pages: list[str]) -> dict[str, tuple[int, int]]:
    """(right, scored) per field and overall over some pages."""
    table = {}
    for field in FIELDS:
        scored = [p for p in pages if gold[p].get(field)]
        table[field] = (sum(correct(field, gold[p][field], preds[p][field]) for p in scored), len(scored))
    table["overall"] = (sum(r for r, _ in table.values()), sum(n for _, n in table.values()))
    return table


def report(gold: dict, preds: dict[str, dict], pages_by_half: dict[str, list[str]]) -> dict[str, dict]:
    """Print the accuracy table per half; return {half: {extractor: {field: accuracy}}}."""
    figures: dict[str, dict] = {}
    print(f"{'half':<6}{'extractor':<11}" + "".join(f"{f:>16}" for f in (*FIELDS, "overall")))
    for name, pages in pages_by_half.items():
        figures[name] = {}
        for who in preds:
            table = accuracy(gold, preds[who], pages)
            figures[name][who] = {f: r / n if n else 0.0 for f, (r, n) in table.items()}
            cells = "".join(f"{f'{r}/{n} {r / n:.3f}' if n else '-':>16}" for r, n in table.values())
            print(f"{name:<6}{who:<11}{cells}")
    return figures


def main() -> None:
    """Print accuracy per half beside bare trafilatura, the pages where bare wins, and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=10, help="pages listed per field where bare is right and newsetl wrong")
    parser.add_argument("--half", choices=("A", "B"), help="list the worst pages of this half only (default: both)")
    args = parser.parse_args()
    if not (DATA / "gold.json").exists():
        print(f"no web-metadata-dev data at {DATA.resolve()}; skipping")
        return
    gold, snippets, html = load_pages()
    preds, seconds = run(html, {p: snippets.get(p, {}).get("url") for p in html})
    halves = {"A": [p for p in gold if half(p) == "A"], "B": [p for p in gold if half(p) == "B"]}
    preds["stored"] = stored_only(preds["newsetl"])
    print(f"{len(gold)} pages of {DATA.name} (half A {len(halves['A'])}, half B {len(halves['B'])})")
    print("newsetl: what it records (the article's metadata, else the quarantine row's for a page refused as one);"
          " stored: articles only\n")
    figures = report(gold, preds, {**halves, "all": list(gold)})
    stored = {p for p in gold if preds["newsetl"][p]["stored"]}
    refused = [p for p in gold if p not in stored]
    print(f"\nnewsetl refuses {len(refused)} pages as articles (halves {', '.join(half(p) for p in refused)});"
          " on the pages it stores:")
    kept = report(gold, {k: preds[k] for k in ("bare", "newsetl")},
                  {f"{name}*": [p for p in pages if p in stored] for name, pages in halves.items()})
    print(f"\nseconds per page: bare {seconds['bare'] / len(gold):.3f}, newsetl {seconds['newsetl'] / len(gold):.3f}"
          f" ({seconds['newsetl'] / seconds['bare']:.2f}x bare)")

    listed = halves[args.half] if args.half else list(gold)
    for field in FIELDS:
        lost = [p for p in listed if gold[p].get(field) and correct(field, gold[p][field], preds["bare"][p][field])
                and not correct(field, gold[p][field], preds["newsetl"][p][field])]
        won = [p for p in listed if gold[p].get(field) and not correct(field, gold[p][field], preds["bare"][p][field])
               and correct(field, gold[p][field], preds["newsetl"][p][field])]
        print(f"\n{field}: bare right and newsetl wrong on {len(lost)} pages (the reverse on {len(won)}); first {args.worst}:")
        for p in lost[: args.worst]:
            print(f"  {half(p)} {p[:10]}  gold {gold[p][field]!r:.60}  newsetl {preds['newsetl'][p][field]!r:.60}"
                  f"  bare {preds['bare'][p][field]!r:.40}")

    b = figures["B"]
    print("\ntargets on half B:")
    for field in FIELDS:
        ok = b["newsetl"][field] >= b["bare"][field]
        print(f"  {field:<8} newsetl {b['newsetl'][field]:.3f} >= bare {b['bare'][field]:.3f}: {'met' if ok else 'NOT met'}")
    k = kept["B*"]
    print(f"  (articles only, refused pages empty: date {b['stored']['date']:.3f}, overall {b['stored']['overall']:.3f};"
          f" date on the pages newsetl stores: {k['newsetl']['date']:.3f}, bare {k['bare']['date']:.3f})")
    ok = b["newsetl"]["overall"] >= b["bare"]["overall"] + OVERALL_MARGIN
    print(f"  overall  newsetl {b['newsetl']['overall']:.3f} >= bare {b['bare']['overall']:.3f} + {OVERALL_MARGIN}:"
          f" {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
