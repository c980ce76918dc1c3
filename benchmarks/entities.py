"""Entity mentions and canonical names on our hand-annotated gold set: raw spaCy against newsetl.

Usage: .venv/bin/python benchmarks/entities.py [--errors N] [--real N]

Gold: tests/data/entities_gold (38 invented articles, PERSON/ORG/GPE, see its README.md). Rows
"dev": the 24 articles whose errors were read while the canonicalisation rules were written;
"test1": 8 articles written after that, whose errors led to one more rule (place-named
organisations); "test2": 6 articles written after that rule, never used to change the code.
Mentions are scored on the three gold labels only: precision, recall and F1 of exact
(start, end, label) matches and of exact (start, end) matches. Canonical accuracy counts the gold
mentions whose span a system found with the gold canonical name, over the gold mentions it found
("of found") and over all gold mentions ("of all"). Raw spaCy's canonical name is the entity text. With --real N (default 20), the first N
PolNeAR dev articles (../shared/data, real US election news, no entity gold) give speed and how
many mentions got a canonical name other than their own text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms.config import NlpConfig  # noqa: E402
from transforms.entities import find_mentions  # noqa: E402
from transforms.nlp import load_nlp  # noqa: E402

GOLD = REPO / "tests" / "data" / "entities_gold"
POLNEAR = REPO / ".." / "shared" / "data" / "polnear" / "dev" / "text"
LABELS = ("PERSON", "ORG", "GPE")
SPLITS = ("dev", "test1", "test2")


def load_gold(folder: Path = GOLD) -> list[tuple[dict, str]]:
    """Read gold.jsonl and the article texts, raising ValueError when an offset does not slice to its text."""
    articles = []
    for line in (folder / "gold.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if record.get("split") not in SPLITS:
            raise ValueError(f"{record['id']}: split must be one of {SPLITS}")
        text = (folder / f"{record['id']}.txt").read_text("utf-8")
        previous_end = 0
        for m in record["mentions"]:
            where = f"{record['id']} {m['start']}-{m['end']}"
            if text[m["start"] : m["end"]] != m["text"]:
                raise ValueError(f"{where}: slices to {text[m['start']:m['end']]!r}, not {m['text']!r}")
            if m["label"] not in LABELS or not m["canonical"] or m["start"] < previous_end:
                raise ValueError(f"{where}: bad label, empty canonical or overlap")
            previous_end = m["end"]
        articles.append((record, text))
    return articles


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts."""
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score(gold: list[list[dict]], predicted: list[list[tuple[int, int, str, str]]]) -> dict[str, float]:
    """Mention and canonical scores of one system over all articles."""
    counts = dict(exact=0, span=0, canon=0, pred=0, gold=0)
    for gold_mentions, pred in zip(gold, predicted, strict=True):
        by_span = {(s, e): (label, canonical) for s, e, label, canonical in pred}
        counts["pred"] += len(pred)
        counts["gold"] += len(gold_mentions)
        for m in gold_mentions:
            found = by_span.get((m["start"], m["end"]))
            if found is None:
                continue
            counts["span"] += 1
            counts["exact"] += found[0] == m["label"]
            counts["canon"] += found[1] == m["canonical"]
    result = {}
    for kind in ("exact", "span"):
        for name, value in zip("PRF", prf(counts[kind], counts["pred"], counts["gold"]), strict=True):
            result[f"{kind}_{name}"] = value
    result["canon_found"] = counts["canon"] / counts["span"] if counts["span"] else 0.0
    result["canon_all"] = counts["canon"] / counts["gold"]
    return result


def print_errors(articles, predicted, limit: int) -> None:
    """Show gold mentions newsetl missed or named wrongly, and its spurious mentions."""
    shown = 0
    for (record, text), pred in zip(articles, predicted, strict=True):
        by_span = {(s, e): (label, canonical) for s, e, label, canonical in pred}
        gold_spans = {(m["start"], m["end"]) for m in record["mentions"]}
        lines = []
        for m in record["mentions"]:
            found = by_span.get((m["start"], m["end"]))
            if found != (m["label"], m["canonical"]):
                lines.append(f"  gold {m['text']!r} {m['label']} -> {m['canonical']!r}; got {found}")
        for s, e, label, canonical in pred:
            if (s, e) not in gold_spans:
                lines.append(f"  extra {text[s:e]!r} {label} -> {canonical!r}")
        for line in lines:
            if shown >= limit:
                return
            print(f"{record['id']}{line}")
            shown += 1


def real_news(nlp, limit: int) -> None:
    """Print speed and join counts of find_mentions on real articles, when the shared data is present."""
    if not POLNEAR.is_dir():
        print(f"{POLNEAR} is absent: no real-news timing")
        return
    texts = [f.read_text("utf-8") for f in sorted(POLNEAR.glob("*.txt"))[:limit]]
    began = time.perf_counter()
    docs = list(nlp.pipe(texts))
    parsed = time.perf_counter()
    mentions = [find_mentions(doc) for doc in docs]
    done = time.perf_counter()
    flat = [m for ms in mentions for m in ms]
    renamed = sum(m.canonical != " ".join(m.text.split()) for m in flat)
    print(f"real news: {len(texts)} PolNeAR dev articles, spaCy {(parsed - began) * 1000 / len(texts):.0f} ms/article, "
          f"find_mentions {(done - parsed) * 1000 / len(texts):.1f} ms/article, {len(flat) / len(texts):.1f} mentions/article, "
          f"{renamed / len(flat):.1%} of mentions named other than their text")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print up to N newsetl errors")
    parser.add_argument("--real", type=int, default=20, help="time N PolNeAR articles (0: skip)")
    args = parser.parse_args()

    articles = load_gold()
    config = NlpConfig()
    nlp = load_nlp(config.model, tuple(config.components))
    docs = list(nlp.pipe(text for _, text in articles))

    raw = [[(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in LABELS] for doc in docs]
    began = time.perf_counter()
    mentions = [find_mentions(doc) for doc in docs]
    ms_per_article = (time.perf_counter() - began) * 1000 / len(docs)
    ours = [[(m.start, m.end, m.label, m.canonical) for m in ms if m.label in LABELS] for ms in mentions]

    print(f"{len(articles)} articles, {sum(len(r['mentions']) for r, _ in articles)} gold mentions "
          f"({', '.join(LABELS)}), model {config.model}; find_mentions {ms_per_article:.1f} ms/article after spaCy")
    header = ("split", "system", "exact P", "exact R", "exact F1", "span P", "span R", "span F1", "canon/found", "canon/all")
    print(" | ".join(f"{h:>11}" for h in header))
    for split in (*SPLITS, "all"):
        keep = [i for i, (record, _) in enumerate(articles) if split in ("all", record["split"])]
        gold = [articles[i][0]["mentions"] for i in keep]
        for name, predicted in (("spaCy raw", raw), ("newsetl", ours)):
            s = score(gold, [predicted[i] for i in keep])
            values = [s[k] for k in ("exact_P", "exact_R", "exact_F", "span_P", "span_R", "span_F", "canon_found", "canon_all")]
            print(" | ".join([f"{split:>11}", f"{name:>11}", *(f"{v:>11.3f}" for v in values)]))
    if args.real:
        real_news(nlp, args.real)
    if args.errors:
        print_errors(articles, ours, args.errors)


if __name__ == "__main__":
    main()
