"""One entity across the corpus: surnames, name variants and acronyms joined to full names seen elsewhere."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from transforms.entities import HONORIFICS, label_vote, name_tails
from transforms.models import Annotation, Mention
from transforms.speakers import first_name_genders, name_gender

# Labels whose one-word names may stand for a person's full name: spaCy often calls a lone
# surname an ORG ("Trump said" -> ORG); a place ("Washington") is not a person's surname.
_SURNAME_LABELS = ("PERSON", "ORG")
# Labels an acronym can abbreviate: "MIT" for an institute, "NJ" for a state.
_ACRONYM_LABELS = ("ORG", "GPE", "LOC", "FAC", "NORP")
# Words skipped when an expansion's initials are read: "Massachusetts Institute of Technology" -> MIT.
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "&", "de", "in", "on", "at"})
_NAME_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
# A short name with several full names behind it joins the one written at least this many times as
# often as the next (plus one, so that 3 against 0 is no evidence): in 840 PolNeAR articles "Obama"
# joins Barack Obama (631 mentions against Michelle Obama's 27), "Clinton" Hillary Clinton (3,501
# against 320), while "Bush" (Jeb 247, George W. 89), "Johnson" (44, 11) and "Carter" (16, 15) stay
# apart. At 10:1 a lone surname means the dominant person nine times in ten if writers shorten
# every name alike; a title of the other gender ("Mrs." for a Barack) still keeps it apart.
SURNAME_DOMINANCE = 10
# An acronym joins an expansion written at least 1/ACRONYM_SHARE as often as itself (see
# _written_expansions); the same tenfold margin as a surname's.
ACRONYM_SHARE = 10


@dataclass(frozen=True)
class KnownEntity:
    """An entity already in the warehouse: its canonical name, label and the texts written for it."""

    canonical: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: int = 1  # how often the warehouse has it written: a short name joins the dominant full name


def _words(name: str) -> list[str]:
    """A person's name words without a trailing Jr./III."""
    words = name.split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words


def _initials(name: str) -> str:
    """The upper-case initials of a multi-word name's major words: "Massachusetts Institute of Technology" -> "MIT"."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
    return "".join(w[0] for w in words if w[:1].isupper()) if len(words) >= 2 else ""


def _acronym(name: str) -> str | None:
    """The letters of an acronym ("MIT", "U.S." -> "US"), or None for an ordinary word."""
    letters = name.replace(".", "")
    return letters if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() and " " not in name else None


class _Names:
    """Every full name, person variant and expansion of the corpus, with the labels written for them."""

    def __init__(self) -> None:
        self.labels: dict[str, Counter] = defaultdict(Counter)  # canonical -> label votes
        self.known: dict[str, str] = {}  # canonical -> label of entities already stored
        self.aliases: dict[str, set[str]] = defaultdict(set)  # alias text -> known canonical names
        self.genders: dict[str, Counter] = defaultdict(Counter)  # canonical -> genders its titles tell
        self.addressed: set[str] = set()  # canonical names written after Mr., Mrs., Ms. or Miss at least once

    def add(self, canonical: str, label: str, count: int = 1, title: str | None = None) -> None:
        self.labels[canonical][label] += count
        if title and title.split()[-1].lower().rstrip(".") in HONORIFICS:
            self.addressed.add(canonical)
        if gender := name_gender("", title):
            self.genders[canonical][gender] += 1

    def count(self, canonical: str) -> int:
        """How many mentions (stored and in the batch) name it."""
        return sum(self.labels[canonical].values())

    def people(self) -> list[str]:
        """Full names (two words or more) that are mostly labelled PERSON and do not end with an organisation's name."""
        # spaCy calls "Obama White House" a person; its "House" is no surname: "White House" is an organisation.
        return [c for c, votes in self.labels.items()
                if len(_words(c)) >= 2 and self.label(c) == "PERSON" and not self._ends_with_a_thing(c)]

    def _ends_with_a_thing(self, name: str) -> bool:
        """True when the last two words or more of a name are an organisation's or a building's of the corpus."""
        return any(tail in self.labels and self.label(tail) in ("ORG", "FAC") for tail in name_tails(name))

    def label(self, canonical: str) -> str:
        """A stored entity keeps its label; a new one takes the label most of its mentions carry (PERSON on ties)."""
        if canonical in self.known:
            return self.known[canonical]
        words = _words(canonical)
        if canonical in self.addressed and len(words) >= 2 and words[0].lower() in first_name_genders():
            # "Carly Fiorina" tagged ORG in most articles, "Mrs. Fiorina" in some: no organisation is a Mr. or a Mrs.
            return "PERSON"
        return label_vote(self.labels[canonical])


@lru_cache(maxsize=1)
def _nicknames():
    """The nicknames package's lookup (lower-cased nickname -> formal names), or None when it is missing."""
    try:
        from nicknames import NickNamer
    except ImportError:  # an optional refinement: linking works without it
        return None
    return NickNamer()


def _formal_firsts(firsts: set[str]) -> dict[str, str]:
    """Map each nickname among one surname's first names to the one formal first name written beside
    it ("Joe" -> "Joseph" when "Joseph R. Biden Jr." is in the corpus); ambiguous nicknames stay."""
    namer = _nicknames()
    if namer is None or len(firsts) < 2:
        return {}
    result = {}
    for first in firsts:
        formal = namer.canonicals_of(first)
        # The formal name is the longer: the list is read both ways ("william" also lists "bill").
        present = [other for other in firsts if len(other) > len(first) and other.lower() in formal]
        if len(present) == 1:  # "Bill" beside both a William and a Robert stays apart
            result[first] = present[0]
    return result


def _variants(names: _Names) -> dict[str, str]:
    """Map each full person name to its corpus form: "Donald J. Trump", "Hillary Rodham Clinton",
    "Joseph R. Biden Jr." -> "Donald Trump", "Hillary Clinton", "Joe Biden" when unambiguous."""
    # Names with the same first and last word are one person whatever stands between ("J.",
    # "Rodham"), unless two different middles exist ("George H. W. Bush", "George W. Bush"): then
    # only identical forms are one. A middle initial and a middle name are one middle ("J.", "John").
    # A nickname is its formal first name when the corpus writes that one with the same surname.
    people = names.people()
    firsts: dict[str, set[str]] = defaultdict(set)
    for name in people:
        words = _words(name)
        firsts[words[-1]].add(words[0])
    formal = {last: _formal_firsts(given) for last, given in firsts.items()}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in people:
        words = _words(name)
        groups[(formal[words[-1]].get(words[0], words[0]), words[-1])].append(name)
    result = {}
    for forms in groups.values():
        middles = {tuple(w[0] for w in _words(f)[1:-1]) for f in forms} - {()}
        if len(middles) > 1:
            continue
        best = max(forms, key=lambda f: (f in names.known, sum(names.labels[f].values()), -len(f), f))
        result.update({f: best for f in forms})
    return result


def _case_variants(names: _Names) -> dict[str, str]:
    """Map each name written in another case ("WASHINGTON" of a dateline, "Republican party") to the corpus
    form: a stored one, else the most written, mixed case on ties. Forms join whatever their labels when
    one is in capitals (spaCy's label for "TRUMP" or "POLITICO" is a guess), else only forms of one label."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names.labels:
        groups[name.casefold()].append(name)
    result = {}
    for forms in groups.values():
        for form in forms if len(forms) > 1 else ():
            peers = forms if any(f.isupper() for f in forms) else [f for f in forms if names.label(f) == names.label(form)]
            best = max(peers, key=lambda f: (f in names.known, names.count(f), not f.isupper(), f))
            if best != form:
                result[form] = best
    return result


def _targets(names: _Names, variants: dict[str, str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Map each surname ("Trump") to the corpus's full names ending with it, each acronym's letters ("MIT") to its expansions."""
    surnames: dict[str, set[str]] = defaultdict(set)
    for name in names.people():
        surnames[_words(name)[-1]].add(variants.get(name, name))
    expansions: dict[str, set[str]] = defaultdict(set)
    for name in names.labels:  # not "Iranian-Russian-Syrian" for IRS: an expansion is words apart
        if " " in name and names.label(name) in _ACRONYM_LABELS and (initials := _initials(name)):
            expansions[initials].add(name)
    return surnames, expansions


def _target(canonical: str, label: str, names: _Names, surnames: dict, expansions: dict) -> str | None:
    """The one full name a short name stands for: a stored alias, else a surname's or an acronym's, else None."""
    letters = _acronym(canonical)
    for options in (
        names.aliases.get(canonical, set()),
        surnames.get(canonical, set()) if " " not in canonical and label in _SURNAME_LABELS and not letters else set(),
        _written_expansions(canonical, expansions.get(letters, set()), names) if letters else set(),
    ):
        options = options - {canonical}
        if options:
            return next(iter(options)) if len(options) == 1 else _dominant(canonical, options, names)
    return None


def _written_expansions(acronym: str, options: set[str], names: _Names) -> set[str]:
    """The expansions of an acronym written at least a tenth as often as the acronym itself."""
    # An acronym far more often written alone than spelled out is a name of its own: "ISIS" 120
    # times against one "Institute for Science and International Security", "GOP" 507 against
    # three "Grand Old Party" in 840 PolNeAR articles; "N.H." (29) keeps New Hampshire (347).
    return {name for name in options if names.count(name) * ACRONYM_SHARE >= names.count(acronym)}


def _dominant(short: str, options: set[str], names: _Names) -> str | None:
    """The full name a short name joins among several: the one far more often written (Obama -> Barack
    Obama beside Michelle Obama), unless a title of the short name tells the other gender; else None
    (two Johnsons: stay apart)."""
    ranked = sorted(options, key=lambda name: (-names.count(name), name))
    top, second = ranked[0], ranked[1]
    if names.count(top) < SURNAME_DOMINANCE * (names.count(second) + 1):
        return None
    gender = name_gender(top, None) if names.label(top) == "PERSON" else None
    other = {"m": "f", "f": "m"}.get(gender or "")
    return None if other and names.genders[short][other] else top


def _head_noun(alias: str, entity: KnownEntity) -> bool:
    """True for "Council" of "Brackley City Council", "Times" of "New York Times": an organisation's or place's last word alone."""
    # Inside its article "the Council" is that article's council (the short-form rule joins it);
    # in another article it may be any council, so a stored head noun links no later article.
    # A person's surname ("Okonkwo") and a first word ("Corvane" of "Corvane Foods") still do.
    words = entity.canonical.split()
    return entity.label != "PERSON" and " " not in alias and len(words) > 1 and alias == words[-1]


def _relevant(known: Iterable[KnownEntity], written: set[str]) -> list[KnownEntity]:
    """The stored entities the written names may link to: the same name or an alias, the same last word, or initials."""
    # Other stored entities change no link; leaving them out keeps the linking's cost to the batch's names.
    last_words = {_words(name)[-1].casefold() for name in written}  # casefolded: "WASHINGTON" finds Washington
    acronyms = {letters for name in written if (letters := _acronym(name))}
    return [
        e for e in known
        if e.canonical in written or _words(e.canonical)[-1].casefold() in last_words
        or not written.isdisjoint(e.aliases) or _initials(e.canonical) in acronyms
    ]


def corpus_links(articles: Sequence[Sequence[Mention]], known: Iterable[KnownEntity] = ()) -> dict[str, tuple[str, str]]:
    """Map each canonical name of the articles to its corpus-wide (canonical, label)."""
    written = {m.canonical or m.text for mentions in articles for m in mentions}
    names = _Names()
    for entity in _relevant(known, written):
        names.known[entity.canonical] = entity.label
        names.add(entity.canonical, entity.label, entity.mentions)
        for alias in entity.aliases:
            if alias != entity.canonical and not _head_noun(alias, entity):
                names.aliases[alias].add(entity.canonical)
    for mentions in articles:
        for m in mentions:
            names.add(m.canonical or m.text, m.label, title=m.title)
    variants = _variants(names)
    surnames, expansions = _targets(names, variants)
    cases = _case_variants(names)

    def own_link(name: str) -> str:
        """The name's full-name variant, else the one full name it is a surname, acronym or alias of, else itself."""
        target = variants.get(name, name)
        if target == name and name not in names.known:
            target = _target(name, names.label(name), names, surnames, expansions) or name
        return target

    links = {}
    for canonical in written:
        target = own_link(canonical)
        if target == canonical and canonical in cases:  # "OBAMA" is linked as "Obama" is
            target = own_link(cases[canonical])
        elif target in cases:  # "CLINTON" -> "HILLARY CLINTON" -> Hillary Clinton
            target = variants.get(cases[target], cases[target])
        stored = names.aliases.get(canonical.title(), set()) if canonical.isupper() else set()
        if target == canonical and len(stored) == 1 and canonical not in names.known:
            # Capitals no other form of the batch shares (a transcript's "TRUMP:" in a later batch) join the
            # one stored entity whose alias the name is in title case; not a surname of the batch ("PAC"
            # is no "Principles Pac"), and an acronym with no such alias ("NATO") stays.
            target = next(iter(stored))
        links[canonical] = (target, names.label(target) if target in names.labels else names.label(canonical))
    return links


def link_corpus(articles: Sequence[Sequence[Mention]], known: Iterable[KnownEntity] = ()) -> list[list[Mention]]:
    """Return copies of the articles' mentions with canonical names and labels linked across the corpus."""
    links = corpus_links(articles, known)
    return [
        [dataclasses.replace(m, canonical=links[key][0], label=links[key][1], article_canonical=key)
         for m in ms for key in [m.canonical or m.text]]
        for ms in articles
    ]


def link_annotations(annotations: Sequence[Annotation], known: Iterable[KnownEntity] = ()) -> dict[str, tuple[str, str]]:
    """Link the mentions of annotations in place (speakers' entity names too) and return the links used."""
    # Linking again (a retried load) starts from the articles' own names: the same links come out.
    for annotation in annotations:
        for m in annotation.mentions:
            m.article_canonical = m.article_canonical or m.canonical or m.text
    links = corpus_links([[dataclasses.replace(m, canonical=m.article_canonical) for m in a.mentions] for a in annotations], known)
    for annotation in annotations:
        for m in annotation.mentions:
            m.canonical, m.label = links[m.article_canonical]
        for a in annotation.attributions:
            if a.speaker_entity in links:
                a.speaker_entity = links[a.speaker_entity][0]
            if a.speaker_name in links:  # the name the marts show (issue 17) follows the entity
                a.speaker_name = links[a.speaker_name][0]
    return links
