"""Pronoun resolution on every gum-dev pronoun: does the speaker resolver name the right person or body?

Usage: .venv/bin/python benchmarks/pronouns.py [--limit N] [--misses N]
(--misses lists half A's misses only: rules are built on A.)

benchmarks/speakers.py has too few pronoun speech events (16 on half A) to tell a rule from noise;
this asks the same resolver (transforms.speakers.Speakers, through `Speakers.pronoun`) about every
third-person personal pronoun instead. An event is a pronoun token of GUM (he him his himself, she
her hers herself, they them their themselves, it its itself; "hers" and reflexives are rare but
count) that is by itself a mention of a person or organization chain, where some mention of that
chain with a proper noun ends before the pronoun: the text has named the referent, so it is
resolvable from what precedes. First- and second-person pronouns are left out (the text never
names the writer or the reader). The resolver answers each pronoun with the salience it has at
that point, as if the pronoun were a cue's subject: "it"/"they" need a body named within about
three sentences (SpeakerConfig.min_recent_pronoun), exactly as for "they said"; pronouns inside quotation marks are answered too (the
speaker stage never asks about them: a cue inside quoted words is part of them), and printed
apart. Right: the referent's name shares a word with the chain's Wikipedia identity or with a
proper-noun word of one of its mentions (benchmarks/speakers.py's `names_chain`, the issue's rule).
Baselines on the same events, same run, from our entity stage's PERSON/ORG mentions ending before
the pronoun: the nearest one; and the nearest one agreeing (he/she: a PERSON whose title or first
name does not give the other gender; they/it: an ORG).
Documents are split into halves A and B by sha1 of their name (first byte even -> A).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.halves import half  # noqa: E402  (after the path is set)
from benchmarks.speakers import SPEAKER_TYPES, Event, GoldDoc, _names, arguments, load, missing, names_chain  # noqa: E402

# Pronoun family (the subject form) of each third-person personal pronoun.
FAMILY = {
    "he": "he", "him": "he", "his": "he", "himself": "he",
    "she": "she", "her": "she", "hers": "she", "herself": "she",
    "they": "they", "them": "they", "their": "they", "theirs": "they", "themselves": "they",
    "it": "it", "its": "it", "itself": "it",
}  # fmt: skip
FAMILIES = ("he", "she", "they", "it")


@dataclass
class PronounEvent:
    """A gold pronoun with a named antecedent chain: where it is, its family, the chain's names."""

    doc: str
    start: int
    end: int
    family: str
    names: set[str]
    subject: bool  # the gold parse's subject ("he" rather than "him"/"his")


def pronoun_events(doc: GoldDoc) -> list[PronounEvent]:
    """Third-person pronouns that are single-token mentions of a person/organization chain named before them."""
    # Named: a mention of the chain holding a proper noun ends before the pronoun.
    single: dict[int, str] = {}
    for chain, spans in doc.mentions.items():
        if doc.chains[chain][0] in SPEAKER_TYPES:
            for first, last in spans:
                if first == last:
                    single[first] = chain
    named_from: dict[str, int] = {}  # chain -> last token of its first mention holding a proper noun
    for chain, spans in doc.mentions.items():
        ends = [last for first, last in spans if any(t.upos == "PROPN" for t in doc.tokens[first : last + 1])]
        if ends:
            named_from[chain] = min(ends)
    found = []
    for i, token in enumerate(doc.tokens):
        family = FAMILY.get(token.form.lower())
        chain = single.get(i)
        if family is None or token.upos != "PRON" or chain is None or named_from.get(chain, i) >= i:
            continue
        names = _names(doc, chain)
        if names:
            found.append(PronounEvent(doc.name, token.start, token.end, family, names, token.deprel.startswith("nsubj")))
    return found


def parse(docs: list[GoldDoc]):
    """(spaCy doc, entity mentions, quotation spans) per document: the enrichment's own parse."""
    from transforms.attributions import quote_spans
    from transforms.config import NlpConfig
    from transforms.entities import find_mentions
    from transforms.nlp import load_nlp, parse_form

    config = NlpConfig()
    nlp = load_nlp(config.model, tuple(config.components))
    parsed = []
    for doc in nlp.pipe((parse_form(d.text) for d in docs), batch_size=config.batch_size):
        parsed.append((doc, find_mentions(doc), quote_spans(doc.text)))
    return parsed


def _nearest(mentions, before: int, family: str, agree: bool) -> str | None:
    """The last PERSON/ORG mention ending at or before an offset; agreeing in gender or kind if asked."""
    from transforms.speakers import name_gender

    best = None
    for m in mentions:
        if m.label not in ("PERSON", "ORG") or m.end > before:
            continue
        if agree:
            name = m.canonical or m.text
            if family in ("he", "she"):
                other = "f" if family == "he" else "m"
                if m.label != "PERSON" or name_gender(name, m.title) == other:
                    continue
            elif m.label != "ORG":
                continue
        if best is None or m.start > best.start:
            best = m
    return None if best is None else best.canonical or best.text


def evaluate(docs, parsed, config=None, limit_misses: int = 0, miss_half: str = "A"):
    """Counts per (half, family, place) of events, found, right, nearest and agreeing baselines; some misses of one half."""
    from transforms.speakers import Speakers, _inside

    counts = defaultdict(lambda: [0, 0, 0, 0, 0])
    misses = []
    for gold, (doc, mentions, quotes) in zip(docs, parsed, strict=True):
        speakers = Speakers(doc, mentions, quotes, config, every_pronoun=True)
        for event in pronoun_events(gold):
            span = doc.char_span(event.start, event.end, alignment_mode="expand")
            referent = speakers.pronoun(span[0]) if span is not None else None
            name = referent.name if referent is not None else None
            right = names_chain(name, _as_event(event))
            near = names_chain(_nearest(mentions, event.start, event.family, False), _as_event(event))
            agree = names_chain(_nearest(mentions, event.start, event.family, True), _as_event(event))
            place = "quoted" if _inside(event.start, quotes) else "narrative"
            part = half(gold.name)
            for key in ((part, event.family, place), (part, event.family, "all"), (part, "all", place), (part, "all", "all")):
                row = counts[key]
                row[0] += 1
                row[1] += referent is not None
                row[2] += right
                row[3] += near
                row[4] += agree
            if not right and part == miss_half and len(misses) < limit_misses:
                context = gold.text[max(0, event.start - 300) : event.end + 40].replace("\n", " / ")
                misses.append((gold.name, event.family, place, sorted(event.names)[:4], name, context))
    return counts, misses


def _as_event(event: PronounEvent) -> Event:
    """The speech-event form names_chain scores."""
    return Event(event.doc, (event.start, event.end), (event.start, event.end), "pronoun", event.names, None, "")


def report(counts) -> dict[str, float]:
    """Print the table; return half B's right share over all pronouns and over narrative ones."""
    print(f"{'half':<5} {'pronoun':<8} {'place':<10} {'events':>6} {'found':>6} {'right':>6} {'nearest':>7} {'agreeing':>8}")
    for part in ("A", "B"):
        for family in (*FAMILIES, "all"):
            for place in ("narrative", "quoted", "all"):
                n, found, right, near, agree = counts[(part, family, place)]
                if n:
                    print(
                        f"{part:<5} {family:<8} {place:<10} {n:>6} {found / n:>6.3f} {right / n:>6.3f} "
                        f"{near / n:>7.3f} {agree / n:>8.3f}"
                    )
    n, _, right, _, _ = counts[("B", "all", "all")]
    nn, _, nright, _, _ = counts[("B", "all", "narrative")]
    return {"right": right / n if n else 0.0, "narrative right": nright / nn if nn else 0.0}


def main() -> int:
    args = arguments(__doc__.splitlines()[0], "pronouns").parse_args()
    docs = load(args.limit)
    if not docs:
        return missing()
    started = time.perf_counter()
    parsed = parse(docs)
    print(f"gum-dev: {len(docs)} documents, {time.perf_counter() - started:.1f} s to parse")
    counts, misses = evaluate(docs, parsed, limit_misses=args.misses)
    report(counts)
    for miss in misses:
        print("MISS", *miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
