"""Is it English? newsetl's article language beside bare py3langid and the page's declaration.

Usage: .venv/bin/python benchmarks/language.py

The language decides whether an article is enriched with the English model. Gold is by set:
PolNeAR and GUM texts are English; the 716 web-metadata-dev pages are the non-English pages of
trafilatura's evaluation set (a few of them carry English text all the same). Counted per half
(benchmarks/halves.py): how many texts each method calls English, and for the pages, every page
whose final language differs from its declaration.
"""

from __future__ import annotations

import gzip
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.entities import SHARED, load_gum  # noqa: E402
from benchmarks.halves import half  # noqa: E402
from transforms.config import ExtractionConfig  # noqa: E402
from transforms.encoding import decode_html  # noqa: E402
from transforms.extraction import extract_article, load_html  # noqa: E402
from transforms.metadata import _identifier, extract_metadata  # noqa: E402
from transforms.models import ExtractionError  # noqa: E402

CONFIG = ExtractionConfig()


def texts() -> dict[str, list[tuple]]:
    """(name, declared language, text) of each set; the pages also carry the language newsetl stored."""
    sets: dict[str, list[tuple]] = {"PolNeAR dev+train (en)": [], "GUM dev (en)": [],
                                                         "web-metadata-dev (not en)": []}
    for split in ("dev", "train"):
        for path in sorted((SHARED / "polnear" / split / "text").glob("*.txt")):
            sets["PolNeAR dev+train (en)"].append((path.stem, None, path.read_text(encoding="utf-8")))
    sets["GUM dev (en)"] = [(doc.name, None, doc.text) for doc in load_gum()]
    for path in sorted((SHARED / "web-metadata-dev" / "html").glob("*.html.gz")):
        html = decode_html(gzip.decompress(path.read_bytes()))
        declared = extract_metadata(load_html(html)).language
        try:
            found = extract_article(html)
        except ExtractionError:
            continue  # refused pages are quarantined, never enriched
        sets["web-metadata-dev (not en)"].append((path.name, declared, found.text, found.language))
    return sets


def count(sets: dict) -> tuple[dict[tuple[str, str], Counter], list[tuple]]:
    """Per (set, half): texts, and those the declaration, bare py3langid and newsetl call English; the
    pages whose final language is not the declared one."""
    from transforms.metadata import choose_language

    counts: dict[tuple[str, str], Counter] = {}
    changed = []
    for name, items in sets.items():
        for item in items:
            key, declared, text = item[:3]
            part = half(key)
            bare, _ = _identifier().classify(text[: CONFIG.language_sample_chars])
            ours = item[3] if len(item) > 3 else choose_language(declared, text, CONFIG)
            tally = counts.setdefault((name, part), Counter())
            tally["texts"] += 1
            tally["declared"] += declared == "en"
            tally["bare"] += bare == "en"
            tally["ours"] += ours == "en"
            if len(item) > 3 and ours != declared:
                changed.append((part, key, declared, ours, " ".join(text[:70].split())))
    return counts, sorted(changed)


def main() -> int:
    if not (SHARED / "polnear").is_dir() or not (SHARED / "web-metadata-dev").is_dir():
        print(f"shared data not found under {SHARED.resolve()}; nothing to measure.")
        return 0
    started = time.perf_counter()
    sets = texts()
    counts, changed = count(sets)
    print(f"{'set':<28} {'half':>4} {'texts':>6} {'declared en':>12} {'py3langid en':>13} {'newsetl en':>11}")
    for name, part in ((name, part) for name in sets for part in ("A", "B")):
        c = counts[(name, part)]
        print(f"{name:<28} {part:>4} {c['texts']:>6} {c['declared']:>12} {c['bare']:>13} {c['ours']:>11}")
    print(f"\nweb-metadata-dev pages whose language is not the declared one: {len(changed)}")
    for part, key, declared, ours, start in changed:
        print(f"  {part} {key[:40]:<40} declared {declared!s:<5} -> {ours!s:<5} {start!r}")
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
