"""Speaker resolution on GUM (gum-dev): is "he said" / "the doctor told" linked to the right person?

Usage: .venv/bin/python benchmarks/speakers.py [--limit N] [--misses N] [--marts]
(--misses lists half A's misses only, with the text before the cue: rules are built on A.)

Gold: ../shared/data/gum-dev/dep/*.conllu.gz (or $NEWSETL_DATA/gum-dev). A speech event is a
speech verb (say, tell, add, explain, write, warn, ..., "according to") that reports something (a
clausal complement, a parataxis, or a quotation mark in its sentence) and whose subject lies in
a person or organization mention. First- and second-person subjects are left out: the text never
names them (the writer is named by a byline, the addressee by no one). The event counts only
when its chain has a name to check against: a Wikipedia identity or a proper-noun word in one
of its mentions.
System: the document's plain text, rebuilt from the tokens and their SpaceAfter (paragraphs on
their own lines), run through transforms.nlp.annotate_texts (our spaCy parse, entities,
attributions and speaker resolution), never the gold parse. An event is found when an
attribution's cue covers the verb; it is right when the attribution's resolved speaker name
(speaker_name) names the chain: its Wikipedia identity, or one of its words is a proper-noun word of a mention
of the chain. Baseline (same run, same events): the nearest PERSON/ORG entity mention of our
entity stage that starts at or before the subject (the subject's own name when it is one). The
baseline needs no cue detection, so it is also scored on the events the system found only
(right|found beside base|found): the fair comparison of resolution.
Documents are split into halves A and B by sha1 of their name (first byte even -> A).
--marts also ingests the 123 pages of ../shared/data/article-extraction-benchmark as a folder
source (`newsetl run` into a temporary warehouse) and checks that no pronoun, relative word or
empty string is among the 20 most quoted speakers of the top_speakers mart.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.gum import Paragraphs  # noqa: E402  (after the path is set)
from benchmarks.halves import half  # noqa: E402

DATA = Path(os.environ.get("NEWSETL_DATA", ROOT / ".." / "shared" / "data")) / "gum-dev"

SPEECH_VERBS = frozenset(
    "say tell add explain write warn ask reply answer respond claim insist argue note state announce "
    "admit remark declare report confirm deny shout whisper cry yell scream".split()
)
KINDS = ("pronoun", "description", "name")
# Speakers are people and organisations (GUM's entity types).
SPEAKER_TYPES = ("person", "organization")
FIRST_SECOND = frozenset("i me my we us our you your yourself yourselves myself ourselves".split())
QUOTES = frozenset('"“”‘’``\'\'')
# Words of names that name nothing by themselves.
NAME_STOP = frozenset("the of and mr mrs ms dr st de la von van".split())

# Targets of issue 17 on half B.
TARGETS = {"pronoun right": 0.85, "all right": 0.92, "found": 0.90}


@dataclass
class Token:
    """One syntactic word of a GUM document, with its character span in the rebuilt text."""

    form: str
    lemma: str
    upos: str
    head: int  # index into the document's tokens, -1 for the root
    deprel: str
    start: int
    end: int
    sent: int


@dataclass
class GoldDoc:
    """A GUM document: its rebuilt text, tokens and entity chains."""

    name: str
    text: str
    tokens: list[Token]
    # chain id -> list of (first token, last token) mentions; chain id -> (type, identity)
    mentions: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    chains: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@dataclass
class Event:
    """A gold speech event: the verb's span, the subject, its kind and the names of its chain."""

    doc: str
    verb: tuple[int, int]
    subject: tuple[int, int]
    kind: str
    names: set[str]
    identity: str | None
    sentence: str


def _entity_events(value: str):
    """(kind, chain id, attributes) for each bracket of a MISC Entity= value, in order."""
    pos = 0
    while pos < len(value):
        if value[pos] == "(":
            stop = pos + 1
            while stop < len(value) and value[stop] not in "()":
                stop += 1
            fields = value[pos + 1 : stop].split("-", 7)
            yield "open", fields[0], fields
            if stop < len(value) and value[stop] == ")":
                yield "close", fields[0], None
                stop += 1
            pos = stop
        else:
            match = re.match(r"(\d+)\)", value[pos:])
            if not match:
                break
            yield "close", match.group(1), None
            pos += match.end()


def read_doc(path: Path) -> GoldDoc:
    """Parse one .conllu.gz: rebuild the text, keep tokens, heads and entity mentions."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    pieces: list[str] = []
    length = 0
    tokens: list[Token] = []
    doc = GoldDoc(name=path.name.split(".")[0], text="", tokens=tokens)
    opened: dict[str, list[int]] = defaultdict(list)
    sent = -1
    offset = 0  # index of the sentence's first token in the document
    heads: list[tuple[int, int]] = []
    mwt: tuple[int, int, int, int] | None = None  # (first word, last word, start, end) of a multi-word token
    paragraphs = Paragraphs()
    for line in lines:
        if line.startswith("#"):
            paragraphs.line(line)
        if line.startswith("# sent_id"):
            if paragraphs.opens() and pieces and pieces[-1] != "\n":
                if pieces[-1] == " ":
                    pieces.pop()
                    length -= 1
                pieces.append("\n")
                length += 1
            sent += 1
            offset = len(tokens)
            mwt = None
            continue
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "." in cols[0]:
            continue  # an empty node has no text
        misc = cols[9]
        if "-" in cols[0]:
            # A multi-word token ("participants’") is written once; its words share its span.
            first, last = map(int, cols[0].split("-"))
            mwt = (first, last, length, length + len(cols[1]))
            pieces.append(cols[1])
            length += len(cols[1])
            if "SpaceAfter=No" not in misc:
                pieces.append(" ")
                length += 1
            continue
        index = int(cols[0])
        if mwt and mwt[0] <= index <= mwt[1]:
            start, end = mwt[2], mwt[3]
        else:
            start, end = length, length + len(cols[1])
            pieces.append(cols[1])
            length = end
            if "SpaceAfter=No" not in misc:
                pieces.append(" ")
                length += 1
        form_key = cols[1]
        tokens.append(Token(form_key, cols[2], cols[3], -1, cols[7], start, end, sent))
        heads.append((len(tokens) - 1, offset + int(cols[6]) - 1 if cols[6] not in ("0", "_") else -1))
        entity = next((p[len("Entity=") :] for p in misc.split("|") if p.startswith("Entity=")), None)
        if entity:
            for kind, chain, fields in _entity_events(entity):
                if kind == "open":
                    opened[chain].append(len(tokens) - 1)
                    etype = fields[1] if len(fields) > 1 else ""
                    identity = fields[7] if len(fields) > 7 else None
                    old = doc.chains.get(chain)
                    doc.chains[chain] = (etype, identity or (old[1] if old else None))
                elif opened[chain]:
                    doc.mentions[chain].append((opened[chain].pop(), len(tokens) - 1))
    for i, head in heads:
        tokens[i].head = head
    doc.text = "".join(pieces)
    return doc


def _children(doc: GoldDoc) -> dict[int, list[int]]:
    """Map each token index to the indices of its dependents."""
    kids: dict[int, list[int]] = defaultdict(list)
    for i, token in enumerate(doc.tokens):
        if token.head >= 0:
            kids[token.head].append(i)
    return kids


def _names(doc: GoldDoc, chain: str) -> set[str]:
    """Lower-cased words that name a chain: its identity's words and its mentions' proper nouns."""
    names = set()
    identity = doc.chains[chain][1]
    if identity:
        from urllib.parse import unquote

        names |= {w.lower() for w in re.findall(r"[^\W_]+", unquote(identity))}
    for first, last in doc.mentions[chain]:
        names |= {w.lower() for t in doc.tokens[first : last + 1] if t.upos == "PROPN" for w in re.findall(r"[^\W_]+", t.form)}
    return {n for n in names if n not in NAME_STOP and len(n) > 1}


def events(doc: GoldDoc) -> tuple[list[Event], int]:
    """Speech events of a document with a named person/organization chain; and how many were nameless."""
    kids = _children(doc)
    found, nameless = [], 0
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        subject = None
        if token.lemma.lower() in SPEECH_VERBS and token.upos == "VERB":
            subjects = [k for k in kids[i] if tokens[k].deprel in ("nsubj",)]
            reported = any(tokens[k].deprel in ("ccomp", "parataxis") for k in kids[i]) or token.deprel == "parataxis"
            quoted = any(t.form in QUOTES for t in tokens if t.sent == token.sent)
            if not subjects or not (reported or quoted):
                continue
            subject = subjects[0]
            verb = (token.start, token.end)
        elif token.form.lower() == "according" and i + 1 < len(tokens) and tokens[i + 1].form.lower() == "to":
            subject = token.head
            verb = (token.start, tokens[i + 1].end)
        if subject is None or subject < 0:
            continue
        chain = _chain_of(doc, subject)
        if chain is None:
            continue
        head = tokens[subject]
        if head.form.lower() in FIRST_SECOND:
            continue
        names = _names(doc, chain)
        if not names:
            nameless += 1
            continue
        kind = "pronoun" if head.upos == "PRON" else "name" if head.upos == "PROPN" else "description"
        sentence = " ".join(t.form for t in tokens if t.sent == token.sent)
        found.append(
            Event(doc.name, verb, (head.start, head.end), kind, names, doc.chains[chain][1], sentence)
        )
    return found, nameless


def _chain_of(doc: GoldDoc, index: int) -> str | None:
    """The smallest person/organization mention containing token index: its chain id."""
    best = None
    for chain, spans in doc.mentions.items():
        if doc.chains[chain][0] not in SPEAKER_TYPES:
            continue
        for first, last in spans:
            if first <= index <= last and (best is None or last - first < best[0]):
                best = (last - first, chain)
    return best[1] if best else None


def names_chain(entity: str | None, event: Event) -> bool:
    """True when a resolved speaker entity names the event's chain."""
    if not entity:
        return False
    words = {w.lower() for w in re.findall(r"[^\W_]+", entity)}
    return bool((words - NAME_STOP) & event.names)


def system(docs: list[GoldDoc]):
    """Our attributions and mentions for each document, through the real enrichment path."""
    from transforms.nlp import annotate_texts

    return list(annotate_texts(d.text for d in docs))


def baseline(annotation, event: Event) -> str | None:
    """Nearest-preceding-entity rule: the last PERSON/ORG mention starting at or before the subject."""
    earlier = [
        m for m in annotation.mentions if m.label in ("PERSON", "ORG") and m.start <= event.subject[0]
    ]
    if not earlier:
        return None
    chosen = max(earlier, key=lambda m: m.start)
    return chosen.canonical or chosen.text


def evaluate(docs, annotations, limit_misses=0, miss_half="A"):
    """Counts per half and subject kind: events, found, right (system), right (baseline), and the
    baseline's right among the found events; misses are listed from one half only (A: B is reported,
    never studied)."""
    counts = defaultdict(lambda: [0, 0, 0, 0, 0])
    nameless = 0
    misses = []
    for doc, annotation in zip(docs, annotations, strict=True):
        gold, skipped = events(doc)
        nameless += skipped
        for event in gold:
            hit = next(
                (a for a in annotation.attributions if a.cue_start < event.verb[1] and event.verb[0] < a.cue_end),
                None,
            )
            right = hit is not None and names_chain(hit.speaker_name, event)
            base = names_chain(baseline(annotation, event), event)
            for key in ((half(doc.name), event.kind), (half(doc.name), "all")):
                row = counts[key]
                row[0] += 1
                row[1] += hit is not None
                row[2] += right
                row[3] += base
                row[4] += base and hit is not None
            if not right and half(doc.name) == miss_half and len(misses) < limit_misses:
                got = None if hit is None else (hit.speaker, hit.speaker_name, hit.speaker_type)
                context = doc.text[max(0, event.verb[0] - 400) : event.verb[1] + 80].replace("\n", " / ")
                misses.append((doc.name, event.kind, sorted(event.names)[:4], got, context))
    return counts, nameless, misses


def report(counts, nameless):
    """Print the table and the targets on half B."""
    # right and baseline: over every gold event; right|found and base|found: over the events the
    # system found (its cue detected), the fair comparison, since the baseline needs no cue.
    print(
        f"{'half':<5} {'subject':<12} {'events':>6} {'found':>6} {'right':>6} {'baseline':>8} "
        f"{'right|found':>11} {'base|found':>10}"
    )
    for part in ("A", "B"):
        for kind in (*KINDS, "all"):
            n, found, right, base, base_found = counts[(part, kind)]
            if not n:
                continue
            given = f"{right / found:>11.3f} {base_found / found:>10.3f}" if found else f"{'-':>11} {'-':>10}"
            print(f"{part:<5} {kind:<12} {n:>6} {found / n:>6.3f} {right / n:>6.3f} {base / n:>8.3f} {given}")
    print(f"(events left out because their chain has no name: {nameless})")
    n, found, right, _, _ = counts[("B", "all")]
    pn, _, pright, _, _ = counts[("B", "pronoun")]
    values = {
        "pronoun right": pright / pn if pn else 0.0,
        "all right": right / n if n else 0.0,
        "found": found / n if n else 0.0,
    }
    for name, target in TARGETS.items():
        met = "met" if values[name] >= target else "NOT met"
        print(f"target half B {name:<14} {values[name]:.3f} >= {target:.2f}: {met}")
    return values


def arguments(description: str, what: str):
    """The options both gum-dev benchmarks take: --limit N and --misses N (`what` names a miss)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--misses", type=int, default=0, help=f"print up to N {what} of half A not resolved right")
    return parser


def load(limit: int = 0) -> list[GoldDoc]:
    """The gum-dev documents, sorted by name (the first `limit` when limit > 0)."""
    paths = sorted((DATA / "dep").glob("*.conllu.gz"))
    if limit:
        paths = paths[:limit]
    return [read_doc(p) for p in paths]


def missing() -> int:
    """Say the data is absent; the exit status of a benchmark that had nothing to measure."""
    print(f"gum-dev not found under {DATA.resolve()}; nothing to measure.")
    return 0


# Words that must never be shown as a speaker's name.
NOT_NAMES = frozenset(
    "i me we us you he him she her it they them who whom which that this these those what one "
    "someone somebody everyone anyone".split()
)


def mart_check(top: int = 20) -> bool | None:
    """Ingest the article-extraction pages as a folder source; print the top speakers; True when clean."""
    import subprocess
    import tempfile

    import duckdb

    from warehouse.db import load_sql

    pages = DATA.parent / "article-extraction-benchmark" / "html"
    if not pages.is_dir():
        print(f"article-extraction-benchmark not found under {pages.parent}; mart check skipped.")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sources.yaml").write_text(f"sources:\n  - name: aeb\n    folders: [{pages.resolve()}]\n")
        env = dict(os.environ, PREFECT_HOME=str(folder / "prefect"), GX_ANALYTICS_ENABLED="false")
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "newsetl"), "run", "--sources", str(folder / "sources.yaml"),
             "--db", str(folder / "w.duckdb"), "--no-progress"],
            check=True, cwd=folder, env=env, capture_output=True,
        )  # fmt: skip
        with duckdb.connect(str(folder / "w.duckdb"), read_only=True) as con:
            rows = con.execute("SELECT speaker, speaker_type, attributions FROM top_speakers LIMIT ?", [top]).fetchall()
            unresolved = con.execute(load_sql("summary_unresolved_speakers")).fetchone()
    bad = [r for r in rows if not (r[0] or "").strip() or r[0].strip().lower() in NOT_NAMES]
    print(f"top {top} speakers of top_speakers (123 article-extraction pages as a folder source):")
    for speaker, kind, count in rows:
        print(f"  {count:>4}  {speaker}  ({kind})")
    print(f"unresolved speakers: {unresolved[0]} of {unresolved[1]} attributions ({unresolved[2]:.1%})")
    print(f"target: no pronoun, relative word or empty name in the top {top}: {'met' if not bad else f'NOT met {bad}'}")
    return not bad


def main() -> int:
    parser = arguments(__doc__.splitlines()[0], "events")
    parser.add_argument("--marts", action="store_true", help="also ingest the article pages, check top_speakers")
    args = parser.parse_args()
    docs = load(args.limit)
    if not docs:
        return missing()
    started = time.perf_counter()
    annotations = system(docs)
    elapsed = time.perf_counter() - started
    print(f"gum-dev: {len(docs)} documents, {elapsed:.1f} s through annotate_texts")
    counts, nameless, misses = evaluate(docs, annotations, args.misses)
    report(counts, nameless)
    for miss in misses:
        print("MISS", *miss)
    if args.marts:
        mart_check()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
