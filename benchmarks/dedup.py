"""Deduplication quality on labelled copies, and speed of indexing and of rebuilding the index.

Usage: .venv/bin/python benchmarks/dedup.py [--demo-truth PATH] [--seed N] [--sweep] [--shuffled] [--full]

Originals: the article bodies of ../shared/data/article-extraction-benchmark/ground-truth.json
(read, never copied), plus the originals of a demo-site truth file when --demo-truth is given (its
own syndicated copies join their originals' groups). Titles: the first ten words of the body stand
in for a headline (the benchmark has none). Each original gets one seeded copy per variant, each on
another outlet:
  boilerplate  another outlet's header and footer lines around the body
  headline     a new headline and a dateline put before the first paragraph
  edited       one to three sentences dropped or reworded (at most a third of the sentences)
  truncated    the last 15-40% of paragraphs cut (sentences when there is one paragraph)
  reordered    two paragraphs after the lead moved elsewhere (sentences when under four paragraphs)
  combined     truncated, then edited, then boilerplate (a typical wire copy)
  update       same outlet, same day, "Update:" title, half the sentences dropped, a new lead
Hard negatives, for originals of at least 40 words (must never join the cluster named):
  same_words   each sentence of the original with its words shuffled: all topic words, no phrasing
  quote        another original with a 40-word quote of this one added (it stays in its own group)
  brief        pairs of 60-word briefs of one outlet (shuffled words of two originals) that share
               a 50-word boilerplate block; neither may join the other
Arrival: one batch per publication day (copies come the same day or the next), shuffled within the
day, as daily runs would see them; --shuffled feeds random batches of 100 instead, so that copies
often arrive before their original (the stories an article links are joined as it arrives).
Scores: pairwise precision, recall and F1 of the predicted clusters against the groups, overall and
per variant (precision over predicted pairs involving a document of the variant, recall over the
pairs copy-original); false merges of the hard negatives.

Speed: documents per second of fingerprinting (normalise, hash, signature) on the benchmark bodies,
and of assign_clusters over 100,000 synthetic documents (random signatures, 10% near-copies), in
batches of 1,000; their sum per document as the indexing rate (the issue's target: 2,000
documents per second); the time to rebuild the index from 100,000 stored rows, extrapolated linearly to
1,000,000 (--full builds 1,000,000 rows and measures it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / ".." / "shared" / "data" / "article-extraction-benchmark" / "ground-truth.json"

from transforms.config import DedupConfig  # noqa: E402
from transforms.dedup import (  # noqa: E402
    ArticleKeys,
    Decision,
    DedupIndex,
    IndexRow,
    assign_clusters,
    signature,
    signature_to_bytes,
    text_hash,
    title_key,
)
from transforms.urls import host_of  # noqa: E402

VARIANTS = ("boilerplate", "headline", "edited", "truncated", "reordered", "combined", "update")
NEGATIVES = ("same_words", "quote", "brief")
OUTLETS = ("valleypost.example", "harlowtimes.example", "wirefeed.example", "morningcall.example")
# Invented boilerplate, as extraction leaves it around syndicated bodies.
HEADERS = (
    "Sign up for our morning newsletter and never miss a story.",
    "This story was first published by our partners and is republished with permission.",
    "Listen to this article. Estimated reading time five minutes.",
    "Advertisement. Scroll down to continue reading.",
)
FOOTERS = (
    "Copyright 2026 The Valley Post. All rights reserved. This material may not be published, broadcast or rewritten.",
    "Related coverage: more stories from our newsroom, updated every hour.",
    "Have a tip? Write to our newsroom; we read every message.",
    "Follow us on social media for the latest updates from the region.",
)
BRIEF_BOILERPLATE = (
    "The Valley Post is an independent newsroom funded by its readers. Support our journalism with a "
    "subscription from two crowns a week, cancel any time. Our reporters cover the towns, courts and "
    "councils of the valley every day, and our newsletter brings the best of it to your inbox each morning."
)
SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")


@dataclass
class Doc:
    """One document of the labelled set."""

    id: str
    group: str
    variant: str
    text: str
    title: str
    outlet: str
    published: date
    not_with: list[str] = field(default_factory=list)  # groups it must never join


def paragraphs(text: str) -> list[str]:
    """Split a body into non-empty paragraphs."""
    return [p.strip() for p in re.split(r"\n+", text) if p.strip()]


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences."""
    return SENTENCE_END.split(paragraph)


def edited(paras: list[str], rng: random.Random, count: int) -> list[str]:
    """Drop or reword `count` sentences, at most a third of them (reworded: two words replaced, a clause added)."""
    split = [sentences(p) for p in paras]
    spots = [(i, j) for i, s in enumerate(split) for j in range(len(s))]
    for i, j in rng.sample(spots, min(count, max(1, len(spots) // 3))):
        words = split[i][j].split()
        if rng.random() < 0.5 or len(words) < 6:
            split[i][j] = ""
            continue
        for k in rng.sample(range(len(words)), 2):
            words[k] = rng.choice(("reportedly", "officials", "local", "new", "several", "earlier"))
        split[i][j] = " ".join(words[:-1] + ["according to people familiar with the matter,", words[-1]])
    return [" ".join(s for s in ss if s) for ss in split if any(ss)]


def truncated(paras: list[str], rng: random.Random) -> list[str]:
    """Cut the last 15-40% of paragraphs, or of sentences when there is one paragraph."""
    units = paras if len(paras) > 1 else sentences(paras[0])
    keep = max(1, min(len(units) - 1, round(len(units) * rng.uniform(0.6, 0.85))))
    return units[:keep] if len(paras) > 1 else [" ".join(units[:keep])]


def reordered(paras: list[str], rng: random.Random) -> list[str]:
    """Move two paragraphs after the lead to other places (sentences when there are fewer than four paragraphs)."""
    units = paras if len(paras) >= 4 else [s for p in paras for s in sentences(p)]
    units = list(units)
    for _ in range(2):
        if len(units) > 2:
            moved = units.pop(rng.randrange(1, len(units)))
            units.insert(rng.randrange(1, len(units) + 1), moved)
    return units if len(paras) >= 4 else [" ".join(units)]


def variant(name: str, paras: list[str], rng: random.Random) -> list[str]:
    """Return the paragraphs of one copy."""
    if name == "boilerplate":
        return [rng.choice(HEADERS)] + paras + rng.sample(FOOTERS, 2)
    if name == "headline":
        return ["KELLSBRIDGE (Wire Feed) — " + paras[0]] + paras[1:]
    if name == "edited":
        return edited(paras, rng, rng.randint(1, 3))
    if name == "truncated":
        return truncated(paras, rng)
    if name == "reordered":
        return reordered(paras, rng)
    if name == "combined":
        return variant("boilerplate", edited(truncated(paras, rng), rng, rng.randint(1, 3)), rng)
    # update: a new lead, then every other sentence of the story.
    kept = [s for k, s in enumerate(s for p in paras for s in sentences(p)) if k % 2 == 0]
    return ["Updated with the latest figures from officials on Friday evening."] + [" ".join(kept)]


def headline(text: str) -> str:
    """Stand-in headline: the first ten words."""
    return " ".join(text.split()[:10])


def labelled_set(originals: list[Doc], demo_copies: list[Doc], seed: int) -> list[Doc]:
    """Return originals, their copies and the hard negatives."""
    rng = random.Random(seed)
    docs = list(originals) + demo_copies
    for n, doc in enumerate(originals):
        paras = paragraphs(doc.text)
        others = [o for o in OUTLETS if o != doc.outlet]
        for name in VARIANTS:
            same_outlet = name == "update"
            docs.append(
                Doc(
                    f"{doc.id}~{name}",
                    doc.group,
                    name,
                    "\n\n".join(variant(name, paras, rng)),
                    title=("Update: " + doc.title)
                    if same_outlet
                    else (
                        f"Wire: {headline(paras[-1])}"
                        if name == "headline"
                        else f"{doc.title} | {rng.choice(others)}"
                    ),
                    outlet=doc.outlet if same_outlet else rng.choice(others),
                    published=doc.published + timedelta(days=0 if same_outlet else rng.choice((0, 0, 1))),
                )
            )
        if len(doc.text.split()) < 40:
            continue
        shuffled = []
        for sentence in (s for p in paras for s in sentences(p)):
            words = sentence.split()
            rng.shuffle(words)
            shuffled.append(" ".join(words))
        docs.append(
            Doc(
                f"{doc.id}~same_words",
                f"{doc.group}~same_words",
                "same_words",
                " ".join(shuffled),
                title=f"Shuffled {n}",
                outlet=doc.outlet,
                published=doc.published,
                not_with=[doc.group],
            )
        )
        quoted = " ".join(doc.text.split()[10:50])
        other = next(o for o in originals[n + 1 :] + originals if len(o.text.split()) >= 60 and o is not doc)
        docs.append(
            Doc(
                f"{other.id}~quote_of_{doc.id}",
                other.group,
                "quote",
                other.text + f'\n\n"{quoted}," the report said.',
                title=other.title,
                outlet=rng.choice(OUTLETS),
                published=other.published,
                not_with=[doc.group],
            )
        )
        if n % 2 == 0:  # briefs come in pairs: this original's and the next one's
            for a, b in ((doc, other), (other, doc)):
                words = a.text.split()[:60]
                rng.shuffle(words)
                docs.append(
                    Doc(
                        f"{a.id}~brief",
                        f"{a.group}~brief",
                        "brief",
                        " ".join(words) + "\n\n" + BRIEF_BOILERPLATE,
                        title=f"Brief {a.id}",
                        outlet="valleypost.example",
                        published=doc.published,
                        not_with=[f"{b.group}~brief"],
                    )
                )
    return docs


def load_originals(demo_truth: Path | None, seed: int) -> tuple[list[Doc], list[Doc]]:
    """Return the originals and the demo site's own syndicated copies."""
    rng = random.Random(seed)
    originals = []
    for key, item in sorted(json.loads(DATA.read_text(encoding="utf-8")).items()):
        text = item["articleBody"]
        originals.append(
            Doc(
                f"aeb:{key}",
                f"aeb:{key}",
                "original",
                text,
                headline(text),
                host_of(item.get("url") or "") or "unknown.example",
                date(2026, 1, 1) + timedelta(days=rng.randrange(300)),
            )
        )
    copies = []
    if demo_truth:
        truth = json.loads(demo_truth.read_text(encoding="utf-8"))
        by_url = {a["url"]: a for a in truth["articles"]}
        for a in truth["articles"]:
            group = f"demo:{a['syndicated_from'] or a['url']}"
            doc = Doc(
                f"demo:{a['url']}",
                group,
                "demo_copy" if a["syndicated_from"] else "original",
                a["text"],
                a["title"],
                a["outlet"],
                date.fromisoformat(a["published"]),
            )
            (copies if a["syndicated_from"] else originals).append(doc)
            assert not a["syndicated_from"] or a["syndicated_from"] in by_url
    return originals, copies


def cluster(
    docs: list[Doc], config: DedupConfig, signatures: dict[str, np.ndarray], seed: int, shuffled: bool = False
) -> dict[str, Decision]:
    """Run assign_clusters over the documents, one shuffled batch per publication day (or per 100 documents
    in a random order when `shuffled`); return id -> decision."""
    batches: dict[object, list[Doc]] = {}
    order = list(docs)
    random.Random(seed).shuffle(order)
    for n, d in enumerate(order):
        batches.setdefault(n // 100 if shuffled else d.published, []).append(d)
    index = DedupIndex(config)
    predicted = {}
    for key in sorted(batches):
        batch = [
            ArticleKeys(
                d.id,
                f"https://{d.outlet}/{d.id}",
                text_hash(d.text),
                signatures[d.id],
                title_key(d.title, outlet=d.outlet, published=d.published, config=config),
                d.published,
                len(d.text),
            )
            for d in batches[key]
        ]
        predicted.update({x.article_id: x for x in assign_clusters(batch, index)})
    # As the index holds them at the end: a later article may have joined an earlier one's story (issue 16).
    return {article_id: index.decision(article_id) for article_id in predicted}


def scores(docs: list[Doc], predicted: dict[str, str]) -> tuple[dict[str, tuple], Counter, Counter]:
    """Return {variant: (precision, recall or None, f1 or None)} with "overall", hard-negative pairs and merges."""
    groups, clusters, cells = Counter(), Counter(), Counter()
    for d in docs:
        groups[d.group] += 1
        clusters[predicted[d.id]] += 1
        cells[d.group, predicted[d.id]] += 1
    pairs = Counter()  # per variant: true pairs, predicted pairs, both; over pairs involving the document
    original = {d.group: d.id for d in docs if d.variant == "original"}
    for d in docs:
        c = predicted[d.id]
        pairs[d.variant, "pred"] += clusters[c] - 1
        pairs[d.variant, "pred_tp"] += cells[d.group, c] - 1
        if d.variant != "original" and original.get(d.group) not in (None, d.id):
            pairs[d.variant, "true"] += 1
            pairs[d.variant, "tp"] += predicted[original[d.group]] == c
    pairs["overall", "true"] = sum(n * (n - 1) // 2 for n in groups.values())
    pairs["overall", "pred"] = sum(n * (n - 1) // 2 for n in clusters.values())
    pairs["overall", "tp"] = pairs["overall", "pred_tp"] = sum(n * (n - 1) // 2 for n in cells.values())
    result = {}
    for name in ("original", "demo_copy", *VARIANTS, *NEGATIVES, "overall"):
        tp, true, pred, pred_tp = (pairs[name, k] for k in ("tp", "true", "pred", "pred_tp"))
        p = pred_tp / pred if pred else 1.0
        r = tp / true if true else None
        result[name] = (p, r, None if r is None else 2 * p * r / (p + r) if p + r else 0.0)
    members: dict[str, set[str]] = {}
    for d in docs:
        members.setdefault(d.group, set()).add(predicted[d.id])
    negatives, merged = Counter(), Counter()
    for d in docs:
        for g in d.not_with:
            negatives[d.variant] += 1
            merged[d.variant] += predicted[d.id] in members[g]
    return result, negatives, merged


def quality(docs: list[Doc], config: DedupConfig, seed: int, shuffled: bool) -> None:
    """Print the per-variant table for one configuration, and the layers that decided."""
    signatures = {d.id: signature(d.text, config) for d in docs}
    decisions = cluster(docs, config, signatures, seed, shuffled)
    result, negatives, merged = scores(docs, {k: x.cluster for k, x in decisions.items()})
    counts = Counter(d.variant for d in docs)
    counts["overall"] = len(docs)
    print(
        f"\nQuality: {len(docs)} documents, shingle_size={config.shingle_size}, "
        f"jaccard_threshold={config.jaccard_threshold}, bands {config.lsh_bands}x{config.lsh_rows}, "
        f"arrival {'in random batches of 100' if shuffled else 'in daily batches'}"
    )
    print(f"{'variant':<12} {'docs':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, (p, r, f) in result.items():
        if counts[name]:
            r_, f_ = ("-", "-") if r is None else (f"{r:.3f}", f"{f:.3f}")
            print(f"{name:<12} {counts[name]:>5} {p:>9.3f} {r_:>7} {f_:>6}")
    print(
        "hard negatives: "
        + ", ".join(f"{k} {merged[k]} false merges of {n} pairs" for k, n in negatives.items())
    )
    layers = Counter(x.layer or "canonical" for x in decisions.values())
    print("decided by: " + ", ".join(f"{k} {n}" for k, n in layers.most_common()))


def sweep(docs: list[Doc], config: DedupConfig, seed: int) -> None:
    """Print overall F1 and hard-negative merges for shingle sizes and thresholds."""
    print("\nSweep: overall pairwise F1 / hard-negative false merges")
    thresholds = (0.3, 0.4, 0.5, 0.6, 0.7)
    print("shingle " + " ".join(f"{t:>11}" for t in thresholds))
    for size in (3, 4, 5, 6):
        sized = config.model_copy(update={"shingle_size": size})
        signatures = {d.id: signature(d.text, sized) for d in docs}
        cells = []
        for t in thresholds:
            decisions = cluster(docs, sized.model_copy(update={"jaccard_threshold": t}), signatures, seed)
            result, _, merged = scores(docs, {k: x.cluster for k, x in decisions.items()})
            cells.append(f"{result['overall'][2]:.3f} / {sum(merged.values()):<2}")
        print(f"{size:>7} " + " ".join(f"{c:>11}" for c in cells))


class Clock:
    """CPU and wall-clock time since creation."""

    def __init__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def seconds(self) -> tuple[float, float]:
        """Return the CPU and wall-clock seconds elapsed."""
        return time.process_time() - self.cpu, time.perf_counter() - self.wall

    def rates(self, count: int) -> str:
        """Return "N docs/s (M wall)" for `count` documents done."""
        cpu, wall = self.seconds()
        return f"{count / cpu:,.0f} docs/s ({count / wall:,.0f} wall)"


def synthetic_keys(count: int, config: DedupConfig, rng: np.random.Generator) -> list[ArticleKeys]:
    """Return synthetic articles: random signatures, one in ten a near-copy of an earlier one (70% values kept)."""
    sigs = rng.integers(0, 2**32 - 1, size=(count, config.num_perm), dtype=np.uint32)
    copies = np.flatnonzero(rng.random(count) < 0.1)
    copies = copies[copies > 0]
    sources = (rng.random(len(copies)) * copies).astype(int)
    changed = rng.random((len(copies), config.num_perm)) < 0.3
    sigs[copies] = np.where(changed, sigs[copies], sigs[sources])
    day = date(2026, 1, 1)
    return [
        ArticleKeys(f"s{i}", f"https://synthetic.example/{i}", f"{i:032x}", sigs[i], None, day, 3000)
        for i in range(count)
    ]


def speed(docs: list[Doc], config: DedupConfig, full: bool) -> None:
    """Print fingerprinting and indexing rates and the index rebuild time."""
    sample = docs[:600]
    words = sum(len(d.text.split()) for d in sample) / len(sample)
    print("\nSpeed, documents per second of CPU time (of wall-clock time; the machine is shared)")
    print(f"fingerprints of {len(sample)} benchmark documents, mean {words:.0f} words:")
    clock = Clock()
    for d in sample:
        ArticleKeys.of(
            d.id, url=d.id, text=d.text, title=d.title, outlet=d.outlet, published=d.published, config=config
        )
    fingerprint = [seconds / len(sample) for seconds in clock.seconds()]
    print(f"  ArticleKeys.of (text normalised once): {clock.rates(len(sample))}")
    clock = Clock()
    for d in sample:
        text_hash(d.text), signature(d.text, config)
    print(f"  text_hash(text) + signature(text) (normalised twice): {clock.rates(len(sample))}")

    rng = np.random.default_rng(0)
    articles = synthetic_keys(100_000, config, rng)
    index = DedupIndex(config)
    clock = Clock()
    decisions = []
    for i in range(0, len(articles), 1000):
        decisions += assign_clusters(articles[i : i + 1000], index)
    clustering = clock.seconds()
    decisions = [index.decision(a.article_id) for a in articles]  # joined stories included
    indexing = clock.rates(len(articles))
    duplicates = sum(not d.canonical for d in decisions)
    print(f"assign_clusters, 100,000 synthetic documents: {indexing} ({duplicates:,} duplicates found)")
    cpu, wall = (f + c / len(articles) for f, c in zip(fingerprint, clustering, strict=True))
    print(
        f"indexing (ArticleKeys.of + assign_clusters per document): {1 / cpu:,.0f} docs/s "
        f"({1 / wall:,.0f} wall); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    stored = 1_000_000 if full else 100_000
    rows = [
        IndexRow(
            a.article_id,
            a.url,
            a.text_hash,
            signature_to_bytes(a.signature),
            None,
            d.cluster,
            d.layer,
            d.similarity,
        )
        for a, d in zip(articles, decisions, strict=True)
    ]
    rows += [
        IndexRow(
            f"r{i}", f"https://synthetic.example/r{i}", f"r{i:031x}", sig.tobytes(), None, f"r{i}", None, None
        )
        for i, sig in enumerate(
            rng.integers(0, 2**32 - 1, size=(stored - len(rows), config.num_perm), dtype=np.uint32)
        )
    ]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clock = Clock()
    rebuilt = DedupIndex.from_rows(rows, config)
    cpu, wall = clock.seconds()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert assign_clusters(articles[:1000], rebuilt) == decisions[:1000]
    if full:
        print(
            f"rebuild from 1,000,000 stored rows: {cpu:.1f} s CPU ({wall:.1f} s wall), measured; "
            f"peak memory grew {grown:,.0f} MB"
        )
    else:
        print(
            f"rebuild from 100,000 stored rows: {cpu:.2f} s CPU ({wall:.2f} s wall); 1,000,000 extrapolated "
            f"linearly: {cpu * 10:.0f} s CPU (run --full to measure)"
        )


def main() -> None:
    """Parse arguments and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--demo-truth", type=Path, help="a demo-site truth.json whose articles join the originals"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--shuffled", action="store_true", help="arrival in random batches of 100, dates ignored"
    )
    parser.add_argument(
        "--sweep", action="store_true", help="also print F1 over shingle sizes and thresholds"
    )
    parser.add_argument("--full", action="store_true", help="measure the rebuild from 1,000,000 stored rows")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found (the evaluation data lives outside the repo)")
        return
    config = DedupConfig()
    originals, demo_copies = load_originals(args.demo_truth, args.seed)
    docs = labelled_set(originals, demo_copies, args.seed)
    quality(docs, config, args.seed, args.shuffled)
    if args.sweep:
        sweep(docs, config, args.seed)
    speed(docs, config, args.full)


if __name__ == "__main__":
    main()
