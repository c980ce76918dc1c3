"""Attribution quality on PolNeAR: precision, recall, F1 and speaker accuracy, against textacy.

Usage: .venv/bin/python benchmarks/attribution.py [--split dev|train] [--limit N] [--cli] [--misses N]
       [--anonymous] [--negated N]

Gold: ../shared/data/polnear/<split>/attributions; when an article has several annotator files the
first in sorted order is used. A gold attribution is an E line with a Content; discontinuous
spans count as the set of their characters. A prediction matches a gold attribution when their
content character sets have Jaccard >= 0.5 (one-to-one, greedy by Jaccard). Speaker accuracy over
matched pairs that have a gold Source: "speaker" (lenient) when the predicted speaker span overlaps
the gold Source or the last words are equal; "strict" when the speaker spans have character
Jaccard >= 0.5, or the predicted resolved entity is the gold Source's: the canonical name of a
PERSON/ORG mention (of our entity stage) inside it, or for a Source naming no one ("He") the name
our resolver gave those words where it met them as a speaker. Predictions without content (no_comment) count as
predicted. Articles are split into halves A and B by sha1 of their name (benchmarks/halves.py);
both halves and the whole set are printed, the bare library (textacy) beside ours.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.halves import half  # noqa: E402  (after the path is set)

DATA = ROOT / ".." / "shared" / "data" / "polnear"
# The issue's matching rule: half the characters of the union shared.
MIN_JACCARD = 0.5
# Issue 17's targets on PolNeAR dev (half B): F1 not below the 0.63 measured before it, and the
# strict speaker accuracy it asks for.
TARGET_F1 = 0.63
TARGET_STRICT = 0.94


@dataclass
class Span:
    """Who said what, as character ranges: content pieces and speaker pieces."""

    content: list[tuple[int, int]]
    speaker: list[tuple[int, int]]
    speaker_text: str | None
    entity: str | None = None  # predicted: the resolved speaker entity; gold: names found in the Source
    entities: frozenset[str] = frozenset()
    speaker_type: str | None = None  # predicted only: person, organization, anonymous, author, unresolved
    negated: bool = False  # predicted only: a cue that says nothing was said (the quotes mart leaves it out)


def _ranges(field: str) -> list[tuple[int, int]]:
    """Character ranges of a brat span field ("0 15" or, discontinuous, "0 15;20 31")."""
    return [tuple(int(x) for x in piece.split()) for piece in field.split(";")]


def load_gold(path: Path) -> list[Span]:
    """Gold attributions of one brat .ann file (those with a Content)."""
    spans, texts, events = {}, {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            spans[parts[0]] = _ranges(parts[1].split(" ", 1)[1])
            texts[parts[0]] = parts[2]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    gold = []
    for args in events:
        contents = [spans[v] for k, v in args.items() if k.startswith("Content") and v in spans]
        if not contents:
            continue
        source = args.get("Source")
        gold.append(
            Span(
                content=[r for c in contents for r in c],
                speaker=spans.get(source, []),
                speaker_text=texts.get(source),
            )
        )
    return gold


def articles(split: str) -> list[tuple[Path, Path]]:
    """(text, first annotator .ann) pairs of a split, sorted by name."""
    folder = DATA / split
    pairs = []
    for text in sorted((folder / "text").glob("*.txt")):
        anns = sorted((folder / "attributions").glob(text.stem + "*.ann"))
        if anns:
            pairs.append((text, anns[0]))
    return pairs


def _length(ranges):
    """Number of characters the ranges cover."""
    return sum(e - s for s, e in ranges)


def jaccard(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    """Character Jaccard of two sets of ranges (each set non-overlapping)."""
    inter = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    union = _length(a) + _length(b) - inter
    return inter / union if union else 0.0


def _last_word(text: str | None) -> str | None:
    """Last word of a text, lower-cased, for the speaker rule."""
    words = re.findall(r"\w+", text or "")
    return words[-1].lower() if words else None


def score(pairs: list[tuple[list[Span], list[Span]]], wrong: list | None = None) -> dict[str, float]:
    """Precision, recall, F1 and speaker accuracy over (predicted, gold) lists of many articles; the
    matched pairs whose speaker fails the strict rule are appended to `wrong` when it is given."""
    predicted = matched = gold_total = with_source = speaker_right = strict_right = 0
    for pred, gold in pairs:
        predicted += len(pred)
        gold_total += len(gold)
        scored = [
            (jaccard(p.content, g.content), i, j)
            for i, p in enumerate(pred)
            if p.content
            for j, g in enumerate(gold)
        ]
        used_p, used_g = set(), set()
        for value, i, j in sorted(scored, reverse=True):
            if value < MIN_JACCARD:
                break
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            matched += 1
            p, g = pred[i], gold[j]
            if g.speaker:
                with_source += 1
                overlap = jaccard(p.speaker, g.speaker) > 0 if p.speaker else False
                same_word = _last_word(p.speaker_text) is not None and _last_word(
                    p.speaker_text
                ) == _last_word(g.speaker_text)
                speaker_right += overlap or same_word
                strict = bool(p.speaker) and jaccard(p.speaker, g.speaker) >= MIN_JACCARD
                good = strict or (p.entity is not None and p.entity in g.entities)
                strict_right += good
                if not good and wrong is not None:
                    wrong.append((p, g))
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted": predicted,
        "gold": gold_total,
        "matched": matched,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "speaker_acc": speaker_right / with_source if with_source else 0.0,
        "strict_acc": strict_right / with_source if with_source else 0.0,
    }


def _from_fields(fields: dict) -> Span:
    """A prediction (Attribution fields as a dict) as character ranges."""
    content = (
        [(fields["content_start"], fields["content_end"])] if fields.get("content_start") is not None else []
    )
    if content and fields.get("aside_start") is not None:  # the speaker's words inside are not content
        content = [(fields["content_start"], fields["aside_start"]), (fields["aside_end"], fields["content_end"])]
    speaker = (
        [(fields["speaker_start"], fields["speaker_end"])] if fields.get("speaker_start") is not None else []
    )
    return Span(
        content=content,
        speaker=speaker,
        speaker_text=fields.get("speaker"),
        entity=fields.get("speaker_name"),
        speaker_type=fields.get("speaker_type"),
        negated=bool(fields.get("negated")),
    )


def predict_direct(texts: list[str]) -> tuple[list[list[Span]], list[list]]:
    """Our attributions through transforms.nlp.annotate_texts, and the entity mentions of each text."""
    from dataclasses import asdict

    from transforms.nlp import annotate_texts

    annotations = list(annotate_texts(texts))
    return [[_from_fields(asdict(a)) for a in ann.attributions] for ann in annotations], [
        ann.mentions for ann in annotations
    ]


def name_sources(golds: list[list[Span]], mentions: list[list], predicted: list[list[Span]]) -> None:
    """Give each gold Source its resolved entities: the canonical names of the PERSON/ORG mentions
    inside it, or, for a Source that names no one ("He"), what our resolver made of those words
    where it met them as a speaker (the speaker_name of a prediction whose speaker span overlaps)."""
    for gold, found, ours in zip(golds, mentions, predicted, strict=True):
        for g in gold:
            names = {
                m.canonical or m.text
                for m in found
                if m.label in ("PERSON", "ORG") and any(s <= m.start and m.end <= e for s, e in g.speaker)
            }
            if not names and g.speaker:
                names = {p.entity for p in ours if p.entity and p.speaker and jaccard(p.speaker, g.speaker) > 0}
            g.entities = frozenset(names)


def predict_cli(paths: list[Path]) -> list[list[Span]]:
    """Our attributions through `newsetl annotate PATH...` (one JSON line per file) in one subprocess."""
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "newsetl"), "annotate", *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    return [[_from_fields(a) for a in line["attributions"]] for line in lines]


def predict_textacy(texts: list[str]) -> list[list[Span]]:
    """textacy's direct_quotations over the same spaCy model."""
    from textacy.extract.triples import direct_quotations

    from transforms.config import NlpConfig
    from transforms.nlp import load_nlp

    config = NlpConfig()
    nlp = load_nlp(config.model, tuple(config.components), line_breaks=False)  # the bare library
    result = []
    bailed = 0
    for doc in nlp.pipe(texts, batch_size=config.batch_size):
        spans = []
        try:
            triples = list(direct_quotations(doc))
        except Exception:  # noqa: BLE001  textacy gives up on a whole text (an unclosed quotation mark
            # raises ValueError): that article counts as predicting nothing, and the count is printed
            triples = []
            bailed += 1
        for triple in triples:
            content = [(triple.content.start_char, triple.content.end_char)]
            speaker = [(t.idx, t.idx + len(t.text)) for t in triple.speaker]
            text = " ".join(t.text for t in triple.speaker)
            spans.append(Span(content=content, speaker=speaker, speaker_text=text))
        result.append(spans)
    print(f"textacy raised (mostly unbalanced quotation marks) on {bailed} of {len(texts)} articles: no predictions there")
    return result


def _row(name: str, metrics: dict, seconds: float, count: int) -> str:
    """One line of the results table."""
    return (
        f"{name:<10} {metrics['predicted']:>6} {metrics['gold']:>6} {metrics['matched']:>6} "
        f"{metrics['precision']:>6.3f} {metrics['recall']:>6.3f} {metrics['f1']:>6.3f} "
        f"{metrics['speaker_acc']:>8.3f} {metrics['strict_acc']:>7.3f} {count / seconds:>9.2f}"
    )


def _show_misses(texts, predictions, golds, limit):
    """Print unmatched gold and predicted contents, for error analysis."""
    shown = 0
    for text, pred, gold in zip(texts, predictions, golds, strict=True):
        for g in gold:
            if not any(jaccard(p.content, g.content) >= MIN_JACCARD for p in pred if p.content):
                s, e = g.content[0][0], g.content[-1][1]
                print(f"MISS  [{g.speaker_text}] {text[s:e][:150]!r}")
                shown += 1
        for p in pred:
            if p.content and not any(jaccard(p.content, g.content) >= MIN_JACCARD for g in gold):
                s, e = p.content[0]
                print(f"EXTRA [{p.speaker_text}] {text[s:e][:150]!r}")
                shown += 1
        if shown >= limit:
            return


def _show_speaker_misses(texts, predictions, golds, halves, limit):
    """Print half A's matched attributions whose speaker fails the strict rule (B is never studied)."""
    shown = 0
    for text, pred, gold, part in zip(texts, predictions, golds, halves, strict=True):
        if part != "A":
            continue
        wrong: list = []
        score([(pred, gold)], wrong)
        for p, g in wrong:
            s, e = g.content[0][0], g.content[-1][1]
            print(f"SPEAKER gold [{g.speaker_text}] {sorted(g.entities)} ours [{p.speaker_text}] -> {p.entity!r}")
            print(f"        {text[max(0, s - 150) : e][:400]!r}")
            shown += 1
        if shown >= limit:
            return


def _show_anonymous(texts, predictions, halves):
    """Print how many attributions each half gives an anonymous source, and each of them in its
    sentence: PolNeAR marks sources, not anonymity, so these are read, not scored."""
    for part in ("A", "B"):
        found = [
            (text, p)
            for text, pred, h in zip(texts, predictions, halves, strict=True)
            if h == part
            for p in pred
            if p.speaker_type == "anonymous"
        ]
        total = sum(len(pred) for pred, h in zip(predictions, halves, strict=True) if h == part)
        print(f"half {part}: {len(found)} of {total} attributions anonymous ({len(found) / max(total, 1):.1%})")
        for text, p in found:
            s, e = p.speaker[0] if p.speaker else p.content[0]
            start, end = text.rfind("\n", 0, s) + 1, text.find("\n", e)
            print(f"  [{p.speaker_text}] {text[start : end if end >= 0 else None][:300]!r}")


def _show_negated(texts, predictions, golds, halves, sample):
    """Print, per half, the rows flagged negated, how many PolNeAR marks, F1 without them (what the
    quotes mart counts), and a seeded sample of them in their sentence for reading."""
    for part in ("A", "B"):
        keep = [i for i, h in enumerate(halves) if h == part]
        flagged = [[p for p in predictions[i] if p.negated] for i in keep]
        marked = score([(f, golds[i]) for f, i in zip(flagged, keep, strict=True)])["matched"]
        total = sum(map(len, flagged))
        mart = score([([p for p in predictions[i] if not p.negated], golds[i]) for i in keep])
        print(
            f"half {part}: {total} of {sum(len(predictions[i]) for i in keep)} attributions negated, "
            f"{marked} of them marked by PolNeAR; F1 without them {mart['f1']:.4f} "
            f"(P {mart['precision']:.3f} R {mart['recall']:.3f})"
        )
    rows = [(t, p) for t, pred in zip(texts, predictions, strict=True) for p in pred if p.negated]
    for text, p in random.Random(17).sample(rows, min(sample, len(rows))):
        s, e = p.content[0] if p.content else p.speaker[0]
        start, end = text.rfind("\n", 0, s) + 1, text.find("\n", e)
        print(f"  [{p.speaker_text}] {text[start : end if end >= 0 else None][:300]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=0, help="score a seeded random sample of N articles")
    parser.add_argument("--cli", action="store_true", help="run `newsetl annotate` instead of annotate_texts")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses and extras")
    parser.add_argument(
        "--speaker-misses", type=int, default=0, help="print up to N half-A matches whose speaker fails the strict rule"
    )
    parser.add_argument(
        "--anonymous", action="store_true", help="print each attribution given an anonymous source, for reading"
    )
    parser.add_argument(
        "--negated", type=int, default=None, metavar="N",
        help="count the rows flagged negated per half and print a seeded sample of N for reading",
    )
    args = parser.parse_args()
    pairs = articles(args.split)
    if not pairs:
        print(f"PolNeAR not found under {DATA.resolve()}; nothing to measure.")
        return 0
    if args.limit:
        pairs = sorted(random.Random(0).sample(pairs, min(args.limit, len(pairs))))
    texts = []
    for path, _ in pairs:
        with open(path, encoding="utf-8", newline="") as fh:  # as the CLI reads: offsets stay the file's
            texts.append(fh.read())
    golds = [load_gold(a) for _, a in pairs]
    print(
        f"PolNeAR {args.split}: {len(pairs)} articles, first annotator file of each, {sum(map(len, golds))} gold"
    )
    print(
        f"{'half':<4} {'system':<10} {'pred':>6} {'gold':>6} {'match':>6} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} "
        f"{'strict':>7} {'articles/s':>9}"
    )

    from transforms.config import NlpConfig
    from transforms.nlp import load_nlp

    load_nlp(NlpConfig().model, tuple(NlpConfig().components))  # load time is not throughput
    started = time.perf_counter()
    if args.cli:
        ours, mentions = predict_cli([t for t, _ in pairs]), None
    else:
        ours, mentions = predict_direct(texts)
    elapsed = time.perf_counter() - started
    if mentions is not None:
        name_sources(golds, mentions, ours)
    halves = [half(p.stem) for p, _ in pairs]
    systems = [("newsetl" + (" cli" if args.cli else ""), ours, elapsed)]
    try:
        started = time.perf_counter()
        systems.append(("textacy", predict_textacy(texts), time.perf_counter() - started))
    except Exception as error:  # an optional baseline: report why it is missing, keep our numbers
        print(f"textacy unavailable: {error!r}")
    results = {}
    for part in ("A", "B", "all"):
        keep = [i for i, h in enumerate(halves) if part in (h, "all")]
        for name, predicted, seconds in systems:
            metrics = score([(predicted[i], golds[i]) for i in keep])
            results[(part, name)] = metrics
            print(f"{part:<4} " + _row(name, metrics, seconds * len(keep) / len(pairs), len(keep)))
    ours_b = results[("B", systems[0][0])]
    for label, value, target in (
        ("attribution F1", ours_b["f1"], TARGET_F1),
        ("speaker accuracy (strict)", ours_b["strict_acc"], TARGET_STRICT),
    ):
        print(f"target half B {label}: {value:.3f} >= {target}: {'met' if value >= target else 'NOT met'}")
    if args.misses:
        _show_misses(texts, ours, golds, args.misses)
    if args.speaker_misses:
        _show_speaker_misses(texts, ours, golds, halves, args.speaker_misses)
    if args.anonymous:
        _show_anonymous(texts, ours, halves)
    if args.negated is not None:
        _show_negated(texts, ours, golds, halves, args.negated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
