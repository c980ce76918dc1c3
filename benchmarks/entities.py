"""Entity mentions and canonical names on GUM (real text, independent gold): raw spaCy against newsetl.

Usage: .venv/bin/python benchmarks/entities.py [--errors N] [--types] [--half A|B] [--model NAME ...] [--invented] [--pages]
                                              [--speed OTHER_TREE [--texts N] [--rounds R]]

Gold: ../shared/data/gum-dev (133 real documents of nine genres in CoNLL-U, see its README; or
$NEWSETL_SHARED_DATA/gum-dev). A gold mention is a person, organization or place mention that
contains a proper noun (XPOS NNP/NNPS), reduced to the name: the run of proper nouns (joined by
"of", "&", "-", "de", "the" inside) that holds the mention's head, or its only run outside nested
mentions; a person's leading titles ("President", "Dr.") are not part of the name, nor is a "the"
GUM does not tag as a proper noun. A name outside the mention's head counts only as an
apposition ("his brother John"; not "U.S." in "U.S. Route 75"); a title alone is no name. The text is rebuilt from the tokens (SpaceAfter), one paragraph
a line. Scores:
- mention P/R/F1: exact character spans; "typed" also needs the type (PERSON -> person,
  ORG -> organization, GPE/LOC/FAC -> place; other labels are not predictions);
- canonical pairwise P/R/F1 over the predicted mentions whose span is a gold span: a pair is
  predicted when both carry the same canonical name, gold when both share the identity (the issue's
  definition): the same Wikipedia identity, or where GUM gives none the same GUM entity (coreference
  chain, so only within a document); within one document and across documents.
Raw spaCy: the same model on the same Docs, its entity text as canonical name. "spaCy trim" is raw
spaCy with a leading "the"/"a"/"an" and a trailing possessive cut off, GUM's convention for a name:
what newsetl gains beyond it is the rest of the clean-up. Documents fall in
half A or B by the first byte of sha1(document name) (benchmarks/halves.py): rules are built on A, B is the estimate.
--speed OTHER_TREE (e.g. /work/main) times the enrichment (transforms.nlp.annotate_texts, then
the corpus linking where the tree has it) of this tree and the other on the same N PolNeAR dev
articles, each in its own process, alternating R rounds: CPU seconds, best round of each.
--types prints, for --half (A by default: rules are built there), the types of the predicted spans
that match a gold span (gold type x predicted label, raw spaCy beside newsetl) and the most
frequent wrong types by the name's pattern (acronym, organisation or landmark word, first name of
the nomquamgender lexicon, after a title or a place preposition), with newsetl's names.
--invented prints the old table on tests/data/entities_gold (invented stories annotated to the
code's own conventions): a regression check, never a quality claim.
--pages ingests the 123 real pages of ../shared/data/article-extraction-benchmark as the folder
source does (file:// URL, newsetl's extraction, only the articles whose language has a model),
annotates them with newsetl's entity code and the corpus linking, and prints the top 40 entities
(canonical, label, mentions, articles) with raw spaCy's label for the same text beside: a readable
check of real-page junk ("½" PERSON, "MacBook Pro" PERSON), not a headline number.
A second table splits both systems by genre (the part of the name after "GUM_") and half: GUM has
no news genre, and its interviews (Wikinews) stand closest to news.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.gum import Paragraphs  # noqa: E402  (after the path is set)
from benchmarks.halves import half  # noqa: E402
from transforms.config import NlpConfig  # noqa: E402
from transforms.encoding import decode_html  # noqa: E402
from transforms.entities import INSTITUTION_HEADS, LANDMARK_HEADS, TITLE_WORDS, find_mentions, merge_entities  # noqa: E402
from transforms.entity_linking import link_corpus  # noqa: E402
from transforms.extraction import ExtractionError, extract_article  # noqa: E402
from transforms.nlp import load_nlp, parse_form  # noqa: E402
from transforms.speakers import first_name_genders  # noqa: E402

SHARED = Path(os.environ.get("NEWSETL_SHARED_DATA", REPO / ".." / "shared" / "data"))
GUM = SHARED / "gum-dev" / "dep"
GOLD = REPO / "tests" / "data" / "entities_gold"
PAGES = SHARED / "article-extraction-benchmark" / "html"
LABELS = ("PERSON", "ORG", "GPE")
SPLITS = ("dev", "test1", "test2")
# spaCy's labels as GUM's entity types; the other labels (NORP, EVENT, ...) are not person/org/place.
TYPE_OF = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
GOLD_TYPES = ("person", "organization", "place")
PROPER = ("NNP", "NNPS")
# Words that join proper nouns inside one name: "Bank of America", "AT & T", "Bailey - Ross".
JOINERS = {"of", "&", "-", "de", "the"}
# The targets on half B.
TARGETS = {"span F1 gain": 0.04, "typed F1 gain": 0.03, "canon within F1": 0.95, "canon across F1": 0.90}


@dataclass
class GoldMention:
    """A gold name: character span, GUM type, its chain within the document and its Wikipedia identity."""

    start: int
    end: int
    type: str
    chain: str
    identity: str | None


@dataclass
class GumDoc:
    """One GUM document as plain text with its gold names."""

    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)
    skipped: int = 0  # person/org/place mentions with proper nouns but no single name


@dataclass
class _Token:
    form: str
    xpos: str
    head: int  # index into the document's tokens, -1 for the root
    deprel: str
    start: int = 0
    end: int = 0


_OPEN_OR_CLOSE = re.compile(r"\((\d+)-([^()]*)(\))?|(\d+)\)")


def read_gum(path: Path) -> GumDoc:
    """Parse one CoNLL-U file: rebuild the text from the tokens and collect the gold names."""
    name = path.name.split(".")[0]
    tokens: list[_Token] = []
    opened: dict[str, list[tuple[int, str]]] = {}
    spans: list[tuple[int, int, str, str]] = []  # first token, last token + 1, entity id, fields
    text: list[str] = []
    new_par = new_sent = False
    space_after = True
    cover_until, cover_form, cover_space = -1, "", True
    sent_base = 0
    paragraphs = Paragraphs()
    for line in gzip.open(path, "rt", encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            paragraphs.line(line)
        if line.startswith("# sent_id"):
            new_par = paragraphs.opens()
            new_sent, sent_base, cover_until = True, len(tokens), -1
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "." in cols[0]:
            continue
        if "-" in cols[0]:  # a multiword token: its surface form stands for the words it covers
            first, last = map(int, cols[0].split("-"))
            cover_until, cover_form, cover_space = last, cols[1], "SpaceAfter=No" not in cols[9]
            covered_first = first
            continue
        number = int(cols[0])
        misc = cols[9]
        separator = "\n" if new_par and text else (" " if (new_sent or space_after) and text else "")
        new_par = new_sent = False
        token = _Token(cols[1], cols[4], sent_base + int(cols[6]) - 1 if cols[6] != "0" else -1, cols[7])
        if number <= cover_until:
            if number == covered_first:
                text.append(separator)
                cover_start, offset = sum(map(len, text)), 0
                text.append(cover_form)
            if cover_form.replace("’", "'").startswith(token.form.replace("’", "'"), offset):  # "world's" = "world" + "'s": each word its own part
                token.start = cover_start + offset
                offset += len(token.form)
                token.end = cover_start + offset
            else:
                token.start, token.end = cover_start, cover_start + len(cover_form)
            space_after = cover_space
        else:
            text.append(separator)
            token.start = sum(map(len, text))
            text.append(token.form)
            token.end = token.start + len(token.form)
            space_after = "SpaceAfter=No" not in misc
        index = len(tokens)
        tokens.append(token)
        for kv in misc.split("|"):
            if not kv.startswith("Entity="):
                continue
            for m in _OPEN_OR_CLOSE.finditer(kv[7:]):
                if m.group(1):
                    if m.group(3):
                        spans.append((index, index + 1, m.group(1), m.group(2)))
                    else:
                        opened.setdefault(m.group(1), []).append((index, m.group(2)))
                else:
                    begin_index, fields = opened[m.group(4)].pop()
                    spans.append((begin_index, index + 1, m.group(4), fields))
    doc = GumDoc(name, "".join(text))
    seen: dict[tuple[int, int], int] = {}
    for first, last, entity, fields in spans:
        parts = fields.lstrip("-").split("-", 6)
        if parts[0] not in GOLD_TYPES or not any(t.xpos in PROPER for t in tokens[first:last]):
            continue
        name_span = _name_tokens(tokens, first, last, parts[0], [(a, b) for a, b, _, _ in spans if first <= a and b <= last and (a, b) != (first, last)])
        if name_span is None:
            doc.skipped += 1
            continue
        start, end = tokens[name_span[0]].start, tokens[name_span[1] - 1].end
        identity = parts[6] if len(parts) > 6 else None
        mention = GoldMention(start, end, parts[0], f"{name}#{entity}", identity)
        if (start, end) in seen:  # an appositive and its name: keep the innermost mention
            if last - first < seen[(start, end)]:
                doc.mentions = [m if (m.start, m.end) != (start, end) else mention for m in doc.mentions]
                seen[(start, end)] = last - first
            continue
        seen[(start, end)] = last - first
        doc.mentions.append(mention)
    doc.mentions.sort(key=lambda m: (m.start, m.end))
    return doc


def _name_tokens(tokens: list[_Token], first: int, last: int, kind: str, nested: list[tuple[int, int]]):
    """The name inside a mention as (first token, last token + 1), or None when there is no single one."""
    runs, i = [], first
    while i < last:
        if tokens[i].xpos not in PROPER:
            i += 1
            continue
        j = i + 1
        while j < last:
            k = j  # joiners count only with a proper noun after them: "of the Netherlands"
            while k < last and tokens[k].form.lower() in JOINERS:
                k += 1
            if k < last and k == j and tokens[k].xpos == "CD" and tokens[k].deprel == "flat" and i <= tokens[k].head < k:
                j = k + 1  # "US 75", "Apollo 11": the number is part of the name
                continue
            if k >= last or tokens[k].xpos not in PROPER:
                break
            j = k + 1
        if kind == "person":  # "President Obama", "Dr. Smith": the name is the words after the title
            while i < j and tokens[i].form.lower().rstrip(".") in TITLE_WORDS:
                i += 1
        if i < j:  # "Chief Justice" alone is a title, not a name
            runs.append((i, j))
        i = j
    heads = [t for t in range(first, last) if not first <= tokens[t].head < last]
    with_head = [r for r in runs if any(r[0] <= h < r[1] for h in heads)]
    if with_head:  # a mention over list items has several heads: the first is the mention's own
        return with_head[0]
    # Outside the head only an apposition names the mention ("his brother John"): "U.S." in
    # "U.S. Route 75" or "United States" in "1830 in the United States" name something else.
    free = [
        r for r in runs
        if not any(a <= r[0] and r[1] <= b for a, b in nested)
        and any(tokens[t].deprel.split(":")[0] in ("appos", "flat") and not r[0] <= tokens[t].head < r[1] for t in range(*r))
    ]
    return free[0] if len(free) == 1 else None


def load_gum(folder: Path = GUM) -> list[GumDoc]:
    """Every GUM document of the dev set, sorted by name."""
    return [read_gum(path) for path in sorted(folder.glob("*.conllu.gz"))]


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts."""
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def score(docs: list[GumDoc], predicted: list[list[tuple[int, int, str, str]]]) -> dict[str, tuple[float, float, float]]:
    """Mention (span, typed) and canonical pairwise (within, across documents) P/R/F1 of one system."""
    c = Counter()
    within = Counter()
    pred_key, gold_key, both_key = Counter(), Counter(), Counter()
    pred_doc, gold_doc, both_doc = Counter(), Counter(), Counter()
    for doc, pred in zip(docs, predicted, strict=True):
        gold = {(m.start, m.end): m for m in doc.mentions}
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        matched = []
        for start, end, label, canonical in pred:
            g = gold.get((start, end))
            if g is not None:
                c["span"] += 1
                c["typed"] += TYPE_OF[label] == g.type
                matched.append((canonical, g))
        # One entity is one Wikipedia identity, or one chain where GUM gives none: GUM sometimes
        # leaves two mentions of one identity in separate chains ("Virginia" ... "Virginia").
        identities = [(canon, g.identity or g.chain) for canon, g in matched]
        within["pred"] += _pairs(Counter(canon for canon, _ in identities))
        within["gold"] += _pairs(Counter(ident for _, ident in identities))
        within["tp"] += _pairs(Counter(identities))
        for key_counter, doc_counter, keys in (
            (pred_key, pred_doc, [canon for canon, _ in identities]),
            (gold_key, gold_doc, [ident for _, ident in identities]),
            (both_key, both_doc, identities),
        ):
            per_doc = Counter(keys)
            key_counter.update(per_doc)
            doc_counter["pairs"] += _pairs(per_doc)
    return {
        "span": prf(c["span"], c["pred"], c["gold"]),
        "typed": prf(c["typed"], c["pred"], c["gold"]),
        "within": prf(within["tp"], within["pred"], within["gold"]),
        "across": prf(
            _pairs(both_key) - both_doc["pairs"], _pairs(pred_key) - pred_doc["pairs"], _pairs(gold_key) - gold_doc["pairs"]
        ),
    }


def raw_spacy(doc) -> list[tuple[int, int, str, str]]:
    """Raw spaCy's predictions: every person/org/place entity, its text as canonical name."""
    return [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in TYPE_OF]


def spacy_trimmed(doc) -> list[tuple[int, int, str, str]]:
    """Raw spaCy with only a leading "the"/"a"/"an" and a trailing possessive cut off: a convention check."""
    # GUM's names leave out a "the" it does not tag as a proper noun, as newsetl does; spaCy keeps
    # it ("the Fort Lee Historic Park"). This row shows how much of newsetl's gain is that convention.
    found = []
    for e in doc.ents:
        if e.label_ not in TYPE_OF:
            continue
        start, end = e.start, e.end
        while start < end and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start and doc[end - 1].text in ("'s", "’s", "'", "’"):
            end -= 1
        if start < end:
            span = doc[start:end]
            found.append((span.start_char, span.end_char, e.label_, span.text))
    return found


def newsetl(docs) -> list[list[tuple[int, int, str, str]]]:
    """newsetl's predictions: find_mentions per document, then the corpus-wide linking."""
    mentions = link_corpus([find_mentions(doc) for doc in docs])
    return [[(m.start, m.end, m.label, m.canonical) for m in ms if m.label in TYPE_OF] for ms in mentions]


def evaluate(model: str, gum: list[GumDoc]) -> dict:
    """Parse the texts once with `model` and score raw spaCy and newsetl on both halves; with timings."""
    config = NlpConfig(model=model)
    nlp = load_nlp(config.model, tuple(config.components))
    began = time.process_time()
    docs = list(nlp.pipe((d.text for d in gum), batch_size=config.batch_size))
    parsed = time.process_time()
    ours_all = newsetl(docs)
    done = time.process_time()
    # Raw spaCy is the bare library: its own sentences (newsetl starts one at each line break, and
    # spaCy's entities never cross a sentence boundary).
    bare = load_nlp(config.model, tuple(config.components), line_breaks=False)
    bare_docs = list(bare.pipe((d.text for d in gum), batch_size=config.batch_size))
    raw_all = [raw_spacy(doc) for doc in bare_docs]
    trimmed_all = [spacy_trimmed(doc) for doc in bare_docs]
    result = {"parse_s": parsed - began, "entities_s": done - parsed, "ours": ours_all, "docs": docs, "halves": {}, "genres": {}}
    for part in ("A", "B", "all"):
        keep = [i for i, d in enumerate(gum) if part in ("all", half(d.name))]
        subset = [gum[i] for i in keep]
        # Linking is corpus-wide: within a half it sees only that half's documents.
        ours = ours_all if part == "all" else newsetl([docs[i] for i in keep])
        result["halves"][part] = {
            "docs": len(keep),
            "gold": sum(len(d.mentions) for d in subset),
            "spaCy raw": score(subset, [raw_all[i] for i in keep]),
            "spaCy trim": score(subset, [trimmed_all[i] for i in keep]),
            "newsetl": score(subset, ours if part != "all" else [ours_all[i] for i in keep]),
        }
        if part == "all":
            continue
        by_genre: dict[str, list[int]] = {}
        for k, i in enumerate(keep):
            by_genre.setdefault(genre(gum[i].name), []).append(k)
        for name, ks in sorted(by_genre.items()):
            result["genres"][(part, name)] = {
                "docs": len(ks),
                "gold": sum(len(subset[k].mentions) for k in ks),
                "spaCy raw": score([subset[k] for k in ks], [raw_all[keep[k]] for k in ks]),
                "spaCy trim": score([subset[k] for k in ks], [trimmed_all[keep[k]] for k in ks]),
                "newsetl": score([subset[k] for k in ks], [ours[k] for k in ks]),
            }
    return result


def genre(name: str) -> str:
    """The GUM genre of a document: "interview" of "GUM_interview_chomsky"."""
    return name.split("_")[1]


def print_genres(result: dict) -> None:
    """Span P/R/F1 and typed F1 of raw spaCy and newsetl per genre and half (linking within the half)."""
    # GUM has no news genre; its interviews are Wikinews interviews, the closest to the product's
    # text. A genre holds 2 to 12 documents per half: a difference of a few mentions moves F1 by 0.01.
    print("\nby genre (interview = Wikinews interviews, the news-like genre):")
    header = ("half", "genre", "docs", "gold", "raw P", "raw R", "raw F1", "raw typF1", "trim F1", "trim typF1",
              "ours P", "ours R", "ours F1", "ours typF1", "F1 gain")
    print(" | ".join(f"{h:>10}" for h in header))
    for (part, name), row in sorted(result["genres"].items(), key=lambda item: (item[0][1], item[0][0])):
        raw, trim, ours = row["spaCy raw"], row["spaCy trim"], row["newsetl"]
        values = [*raw["span"], raw["typed"][2], trim["span"][2], trim["typed"][2], *ours["span"], ours["typed"][2],
                  ours["span"][2] - raw["span"][2]]
        print(" | ".join([f"{part:>10}", f"{name:>10}", f"{row['docs']:>10}", f"{row['gold']:>10}",
                          *(f"{v:>10.3f}" for v in values)]))


def print_table(model: str, gum: list[GumDoc], result: dict) -> None:
    """One row per half and system: mention, typed and canonical P/R/F1."""
    chars = sum(len(d.text) for d in gum)
    print(f"\nmodel {model}: {len(gum)} documents, {chars / 1000:.0f}k characters; CPU: spaCy "
          f"{result['parse_s']:.1f} s ({len(gum) / result['parse_s']:.1f} docs/s), newsetl entities + linking "
          f"{result['entities_s']:.2f} s")
    header = ("half", "system", "span P", "span R", "span F1", "typed P", "typed R", "typed F1",
              "within P", "within R", "within F1", "across P", "across R", "across F1")
    print(" | ".join(f"{h:>9}" for h in header))
    for part, row in result["halves"].items():
        for system in ("spaCy raw", "spaCy trim", "newsetl"):
            s = row[system]
            values = [v for kind in ("span", "typed", "within", "across") for v in s[kind]]
            print(" | ".join([f"{part + ' ' + str(row['docs']):>9}", f"{system:>9}", *(f"{v:>9.3f}" for v in values)]))


def print_targets(result: dict) -> None:
    """The issue's targets on half B: met or not met, with the figures."""
    b = result["halves"]["B"]
    ours, raw = b["newsetl"], b["spaCy raw"]
    checks = [
        ("mention F1 >= raw + 0.04", ours["span"][2], raw["span"][2] + TARGETS["span F1 gain"]),
        ("typed F1 >= raw + 0.03", ours["typed"][2], raw["typed"][2] + TARGETS["typed F1 gain"]),
        ("canonical within F1 >= 0.95", ours["within"][2], TARGETS["canon within F1"]),
        ("canonical across F1 >= 0.90", ours["across"][2], TARGETS["canon across F1"]),
    ]
    print("\ntargets on half B:")
    for name, value, bound in checks:
        print(f"  {name:<30} {value:.3f} vs {bound:.3f}: {'met' if value >= bound else 'NOT MET'}")


def print_errors(gum: list[GumDoc], predicted, limit: int, part: str) -> None:
    """Show missed gold names, wrong types and spurious mentions of newsetl in one half."""
    shown = 0
    for doc, pred in zip(gum, predicted, strict=True):
        if part != "all" and half(doc.name) != part:
            continue
        gold = {(m.start, m.end): m for m in doc.mentions}
        spans = {(s, e): (label, canon) for s, e, label, canon in pred}
        lines = []
        for (s, e), g in gold.items():
            found = spans.get((s, e))
            if found is None:
                lines.append(f"miss  {doc.text[s:e]!r} {g.type}")
            elif TYPE_OF[found[0]] != g.type:
                lines.append(f"type  {doc.text[s:e]!r} {g.type} got {found[0]}")
        for (s, e), (label, canon) in spans.items():
            if (s, e) not in gold:
                lines.append(f"extra {doc.text[s:e]!r} {label} -> {canon!r} | {doc.text[max(0, s - 30):e + 30]!r}")
        for line in lines:
            if shown >= limit:
                return
            print(f"{doc.name} {line}")
            shown += 1


# Words before a name that make it read as a place in the --types table ("in Gosier", "near Kent").
PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "to", "near", "across", "throughout"})


def _pattern(text: str, start: int, end: int) -> str:
    """A name's shape for the type confusions: acronym, organisation or landmark word, first name, place preposition..."""
    name = text[start:end]
    words = name.split()
    before = text[max(0, start - 40) : start].split()
    previous = before[-1].lower().rstrip(".") if before else ""
    if name.replace(".", "").replace("&", "").isupper() and len(words) == 1:
        return "acronym"
    if any(w in INSTITUTION_HEADS for w in words):
        return "organisation word (University, Party, Inc...)"
    if words[-1] in LANDMARK_HEADS:
        return "landmark word (Bridge, River, Street...)"
    if previous in TITLE_WORDS:
        return "after a title or honorific"
    if len(words) == 1 and name.lower() in first_name_genders():
        return "one word, a first name of the lexicon"
    if previous in PLACE_PREPOSITIONS:
        return f"after a place preposition ({'one word' if len(words) == 1 else 'several words'})"
    if len(words) > 1 and words[0].lower() in first_name_genders():
        return "several words, starting with a first name"
    return "one word, other" if len(words) == 1 else "several words, other"


def _typed_spans(gold: GumDoc, predicted) -> list[tuple[str, str, str, str]]:
    """(gold type, predicted label, name, pattern) for each predicted span that is a gold span, any label."""
    spans = {(m.start, m.end): m.type for m in gold.mentions}
    return [(spans[(s, e)], label, gold.text[s:e], _pattern(gold.text, s, e)) for s, e, label in predicted if (s, e) in spans]


def print_types(gum: list[GumDoc], docs, part: str = "A", top: int = 25) -> None:
    """Types of the spans that match gold, raw spaCy beside newsetl: a confusion table, then the top confusions by pattern."""
    keep = [i for i, d in enumerate(gum) if part in ("all", half(d.name))]
    linked = link_corpus([find_mentions(docs[i]) for i in keep])
    rows: dict[str, list] = {"spaCy raw": [], "newsetl": []}
    for k, i in enumerate(keep):
        rows["spaCy raw"] += _typed_spans(gum[i], [(e.start_char, e.end_char, e.label_) for e in docs[i].ents])
        rows["newsetl"] += _typed_spans(gum[i], [(m.start, m.end, m.label) for m in linked[k]])
    columns = ("PERSON", "ORG", "GPE", "LOC", "FAC", "other")
    print(f"\ntypes of the spans that match a gold span, half {part} (gold type x predicted label; "
          "\"other\" labels count as misses): raw spaCy | newsetl")
    print(f"{'gold':>13} | " + " ".join(f"{c:>6}" for c in columns) + " | " + " ".join(f"{c:>6}" for c in columns))
    counts = {system: Counter((g, label if label in columns else "other") for g, label, _, _ in found)
              for system, found in rows.items()}
    for gold_type in GOLD_TYPES:
        cells = [f"{counts[system][(gold_type, c)]:>6}" for system in rows for c in columns]
        print(f"{gold_type:>13} | " + " ".join(cells[: len(columns)]) + " | " + " ".join(cells[len(columns) :]))
    for system, found in rows.items():
        right = sum(TYPE_OF.get(label) == g for g, label, _, _ in found)
        print(f"  {system}: {len(found)} spans match gold, {right} typed right ({right / max(len(found), 1):.3f})")
    wrong = {system: Counter((g, label, p) for g, label, _, p in found if TYPE_OF.get(label) != g) for system, found in rows.items()}
    names = Counter((g, label, p, n) for g, label, n, p in rows["newsetl"] if TYPE_OF.get(label) != g)
    print(f"\ntop confusions by name pattern, half {part} (raw spaCy | newsetl, newsetl's most frequent names):")
    for (g, label, p), _ in (wrong["newsetl"] + wrong["spaCy raw"]).most_common(top):
        examples = [name for (g2, l2, p2, name), _ in names.most_common() if (g2, l2, p2) == (g, label, p)][:5]
        print(f"  {g:>12} as {label:<11} {p:<48} {wrong['spaCy raw'][(g, label, p)]:>4} | "
              f"{wrong['newsetl'][(g, label, p)]:>4}  {', '.join(examples)}")


# --- enrichment speed against another tree ----------------------------------------------------

POLNEAR = SHARED / "polnear" / "dev" / "text"
_TIMER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from transforms.nlp import annotate_texts
try:  # a tree without the module may still find the editable install's: only the tree's own counts
    import transforms.entity_linking as linking
    link_annotations = linking.link_annotations if linking.__file__.startswith(sys.argv[1]) else None
except ImportError:
    link_annotations = None
texts = [open(p, encoding="utf-8").read() for p in sys.argv[2:]]
list(annotate_texts(texts[:2]))  # load the model outside the clock
began = time.process_time()
annotations = list(annotate_texts(texts))
if link_annotations is not None:
    link_annotations(annotations)
print(time.process_time() - began)
"""


def enrichment_cpu(tree: Path, paths: list[Path]) -> float:
    """CPU seconds of one tree's enrichment of the texts, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", _TIMER, str(tree), *map(str, paths)], env=env, check=True,
                         capture_output=True, text=True, cwd=tree)
    return float(out.stdout.strip().splitlines()[-1])


def speed(other: Path, count: int, rounds: int) -> None:
    """Print the enrichment CPU of this tree against another on the same texts (best of the rounds)."""
    paths = sorted(POLNEAR.glob("*.txt"))[:count]
    times: dict[str, list[float]] = {"this tree": [], str(other): []}
    for _ in range(rounds):  # alternate, so that a busy spell of the shared machine hits both
        times["this tree"].append(enrichment_cpu(REPO, paths))
        times[str(other)].append(enrichment_cpu(other, paths))
    best = {name: min(values) for name, values in times.items()}
    ratio = best["this tree"] / best[str(other)]
    print(f"\nenrichment CPU on {len(paths)} PolNeAR dev articles, best of {rounds} rounds: "
          + ", ".join(f"{name} {value:.2f} s" for name, value in best.items())
          + f"; this tree / other = {ratio:.3f} ({'within' if ratio <= 1.10 else 'NOT within'} 10%)")


def page_texts(folder: Path = PAGES) -> list[str]:
    """The article texts newsetl extracts from the pages of a folder, as the folder source reads them (file:// URL)."""
    config = NlpConfig()
    texts = []
    for path in sorted(folder.glob("*.html.gz")):
        html = decode_html(gzip.decompress(path.read_bytes()))
        url = path.resolve().as_uri()
        try:
            article = extract_article(html, url)
        except ExtractionError:
            continue
        if config.model_for(article.language):  # the pipeline enriches only these
            texts.append(article.text)
    return texts


def print_pages(top: int = 40) -> None:
    """Top entities of the real pages with newsetl's label and raw spaCy's label for the same text."""
    if not PAGES.is_dir():
        print(f"{PAGES} is absent: no page check")
        return
    texts = page_texts()
    config = NlpConfig()
    nlp = load_nlp(config.model, tuple(config.components))
    docs = list(nlp.pipe((parse_form(t) for t in texts), batch_size=config.batch_size))
    bare = load_nlp(config.model, tuple(config.components), line_breaks=False)
    raw: Counter = Counter((e.text, e.label_) for doc in bare.pipe(parse_form(t) for t in texts) for e in doc.ents)
    raw_label: dict[str, str] = {}
    for (text, label), _ in raw.most_common():
        raw_label.setdefault(text, label)
    entities = merge_entities(link_corpus([find_mentions(doc) for doc in docs]))
    print(f"\nreal pages: {len(texts)} English articles of {len(list(PAGES.glob('*.html.gz')))} pages; "
          f"top {top} entities (raw = raw spaCy's most frequent label for the same text, - when it never tags it)")
    print(" | ".join(f"{h:>10}" for h in ("mentions", "articles", "label", "raw")) + " | canonical")
    for e in entities[:top]:
        print(" | ".join([f"{e.mention_count:>10}", f"{e.article_count:>10}", f"{e.label:>10}",
                          f"{raw_label.get(e.canonical, '-'):>10}"]) + f" | {e.canonical}")


# --- the invented regression set -------------------------------------------------------------


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


def score_invented(gold: list[list[dict]], predicted: list[list[tuple[int, int, str, str]]]) -> dict[str, float]:
    """Exact-span and canonical scores on the invented set."""
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


def invented(model: str) -> None:
    """The regression table on the invented stories (conventions of the code itself: not a quality claim)."""
    articles = load_gold()
    config = NlpConfig(model=model)
    nlp = load_nlp(config.model, tuple(config.components))
    docs = list(nlp.pipe(text for _, text in articles))
    bare = load_nlp(config.model, tuple(config.components), line_breaks=False)
    raw = [[(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in LABELS]
           for doc in bare.pipe(text for _, text in articles)]
    ours = [[(m.start, m.end, m.label, m.canonical) for m in ms if m.label in LABELS] for ms in (find_mentions(d) for d in docs)]
    print(f"\ninvented regression set: {len(articles)} stories (not a quality claim)")
    header = ("split", "system", "exact F1", "span F1", "canon/found")
    print(" | ".join(f"{h:>11}" for h in header))
    for split in (*SPLITS, "all"):
        keep = [i for i, (record, _) in enumerate(articles) if split in ("all", record["split"])]
        gold = [articles[i][0]["mentions"] for i in keep]
        for name, predicted in (("spaCy raw", raw), ("newsetl", ours)):
            s = score_invented(gold, [predicted[i] for i in keep])
            print(" | ".join([f"{split:>11}", f"{name:>11}", *(f"{s[k]:>11.3f}" for k in ("exact_F", "span_F", "canon_found"))]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print up to N newsetl errors of --half")
    parser.add_argument("--half", default="A", choices=("A", "B", "all"), help="the half whose errors are printed")
    parser.add_argument("--model", nargs="*", default=[NlpConfig().model], help="spaCy packages to compare")
    parser.add_argument("--types", action="store_true", help="print the type confusions of --half (A: rules are built there)")
    parser.add_argument("--invented", action="store_true", help="also print the invented regression set")
    parser.add_argument("--speed", type=Path, help="time the enrichment against this other tree (e.g. /work/main)")
    parser.add_argument("--texts", type=int, default=60, help="PolNeAR dev articles timed by --speed")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of --speed")
    parser.add_argument("--pages", action="store_true", help="only print the top entities of the real pages")
    args = parser.parse_args()
    if args.speed:
        speed(args.speed.resolve(), args.texts, args.rounds)
        return 0
    if args.pages:
        print_pages()
        return 0
    if not GUM.is_dir():
        print(f"{GUM} is absent: nothing to measure")
        return 0
    gum = load_gum()
    gold = sum(len(d.mentions) for d in gum)
    print(f"GUM dev: {len(gum)} documents, {gold} gold names (person/organization/place with a proper noun), "
          f"{sum(d.skipped for d in gum)} mentions without a single name skipped; "
          f"halves A/B: {sum(half(d.name) == 'A' for d in gum)}/{sum(half(d.name) == 'B' for d in gum)} documents")
    for model in args.model:
        result = evaluate(model, gum)
        print_table(model, gum, result)
        print_genres(result)
        print_targets(result)
        if args.errors:
            print_errors(gum, result["ours"], args.errors, args.half)
        if args.types:
            print_types(gum, result["docs"], args.half)
        if args.invented:
            invented(model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
