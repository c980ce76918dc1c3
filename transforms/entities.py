"""Named-entity mentions, one canonical name per entity in an article, and entity rows across articles."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import yaml

from transforms.attribution_cues import OFFICE_PREPOSITIONS, ORG_ROLES, SPEECH_VERBS, TITLE_WORDS
from transforms.config import EntityConfig
from transforms.models import Entity, Mention
from transforms.speakers import first_name_genders, name_gender

# Labels kept as entities; numbers, dates and money are not who or where.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"}

# Titles that are part of the name a person known by one name goes by: "Prince Andrew", "Pope
# Francis", "Queen Elizabeth"; "Andrew" alone would join every other Andrew in the corpus.
REGNAL_TITLES = frozenset("king queen prince princess pope".split())
# The titles only a person is given: another title ("Chairman", "Gov.") may stand before an
# organisation the parse mistook for a person ("Chairman Goldman Sachs shares fell").
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss"})
_LEADING_DROP = {"the", "a", "an"}
# Titles whose "of" names a department, not an organisation that is spoken of: "Secretary of State".
OFFICE_TITLES = frozenset("secretary secretaries undersecretary minister ministers".split())
_TRAILING_DROP = {"'s", "’s", "'", "’"}
# Last words of organisations named after a place ("Brackley City Council", "Kingsbridge Public
# Library"): their first word alone names the place, while "Corvane" alone still names "Corvane Foods".
INSTITUTION_HEADS = frozenset(
    """Council Board Association Union Chamber Commerce Department Police Court University College
    School Hospital Library Museum Zoo Trust Festival Gazette Authority Agency Commission Committee
    Institute Society Club Church Party Government Ministry Office Service Airport Station""".split()
)
# Last words of buildings, roads and landmarks named after a place or a person ("George Washington
# Bridge", "York Minster", "Broken Arrow Expressway"): the words before them name something else,
# and the whole is no person's name. Words that are also common surnames (Hall, Park) are left out.
LANDMARK_HEADS = frozenset(
    """Bridge Tunnel Expressway Highway Freeway Parkway Turnpike Road Street Avenue Boulevard Square
    Plaza Theater Theatre Cinema Cathedral Minster Abbey Chapel Mosque Palace Tower Hotel Center Centre
    Stadium Arena Mall Bay Beach Harbour Harbor Island Islands Lake River Mountain Mountains Valley
    Canyon Forest Building Memorial Monument""".split()
)
# Title and heading separators ("Darren Henry - Broxtowe", "News | Politics") when spaced.
_SEPARATORS = {"-", "–", "—", "|", ":", "·", "•"}
# Words between the names of a list tagged as one entity: "Dye & Bavelier", "Feng, Spence, & Pratt".
_LIST_SEPARATORS = {"&", ",", "and"}
_PLACE_PREPOSITIONS = {"of", "for", "in", "de"}  # "Dockers Union of Valmora": Valmora is the place
# Name suffixes that are not a surname: "Martin Luther King Jr." is called "King".
_NAME_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}


class Salience(NamedTuple):
    """How prominent one entity is in one article."""

    mention_count: int
    first_start: int
    in_title: bool


@dataclass(eq=False)
class _Candidate:
    """A trimmed entity span (token indices into the Doc) on its way to a canonical name."""

    start: int
    end: int
    label: str
    name: str  # the span text, whitespace collapsed
    expansion: _Candidate | None = None  # an acronym's spelled-out form
    full_name: _Candidate | None = None  # a surname's or first name's full name
    canonical: str | None = None


@lru_cache(maxsize=8)
def load_aliases(path: str | None = None) -> dict[str, str]:
    """Map every alias (and canonical name) to its canonical name: the packaged file, then `path` over it."""
    tables = [yaml.safe_load(resources.files("transforms").joinpath("data/aliases.yaml").read_text("utf-8"))]
    if path:
        tables.append(yaml.safe_load(Path(path).read_text("utf-8")) or {})
    return {
        str(alias): str(canonical)
        for table in tables
        for canonical, aliases in table.items()
        for alias in [canonical, *(aliases or [])]
    }


def find_mentions(doc, config: EntityConfig | None = None) -> list[Mention]:
    """Return the entity mentions of a spaCy Doc, each with its canonical name within the article."""
    config = config or EntityConfig()
    candidates = _candidates(doc)
    acronyms = _acronym_definitions(doc, candidates)
    candidates = _add_untagged_names(doc, candidates, acronyms)
    _people_tagged_as_organisations(doc, candidates)
    _link_name_parts(doc, candidates)
    aliases = load_aliases(config.aliases_file)
    candidates = _drop_common_words(doc, candidates, aliases)
    _name_entities(candidates, aliases)
    _regnal_names(doc, candidates)
    _type_landmarks(candidates)
    _type_places_by_description(doc, candidates)
    _type_non_people(doc, candidates)
    labels = _cluster_labels(candidates)
    sentence_of = _sentence_index(doc)
    mentions = []
    for cand in candidates:
        span = doc[cand.start : cand.end]
        label = labels[cand.canonical]
        sentence = sentence_of.get(cand.start)
        mentions.append(
            Mention(
                text=span.text,
                label=label,
                start=span.start_char,
                end=span.end_char,
                canonical=cand.canonical,
                sentence=sentence,
                in_lead=sentence is not None and sentence < config.lead_sentences,
                title=_title_before(doc, cand.start) if label == "PERSON" else None,
            )
        )
    return mentions


def _candidates(doc) -> list[_Candidate]:
    """Entity spans cut at line breaks and into listed names, with "the", possessives and (for people) titles trimmed off."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        parts = _segments(doc, ent.start, ent.end)
        if ent.label_ in ("ORG", "PERSON"):  # citations; a place list may be one name: "Bosnia and Herzegovina"
            parts = [item for part in parts for item in _list_items(doc, *part)]
        parts = [part for start, end in parts for part in _owner_and_staff(doc, start, end, ent.label_)]
        for start, end, label in _office_holders(doc, parts):
            # Names start and end with a capitalised word: "federal", "of" and "The" at the edges are spaCy's slips,
            # and so is the hyphen of "anti-Muslim" (spaCy's "-Muslim").
            while start < end and (doc[start].lower_ in _LEADING_DROP or doc[start].is_lower or doc[start].is_punct):
                start += 1
            if label == "PERSON":  # a person's name is proper nouns: not "Unseeded", not "President"
                while start < end - 1 and (_is_title_word(doc[start]) or doc[start].pos_ != "PROPN"):
                    start += 1
                end = _before_numbers(doc, start, end)
            while end > start and (doc[end - 1].text in _TRAILING_DROP or doc[end - 1].is_punct or _trailing_word(doc, end)):
                end -= 1
            # A name has a letter: "½ cup" and "3" tagged PERSON are no one (real recipe pages).
            if start < end and any(ch.isalpha() for ch in doc[start:end].text) and not _office(doc, start, end, label):
                found.append(_Candidate(start, end, label, " ".join(doc[start:end].text.split())))
    return found


def _owner_and_staff(doc, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """Split "Commentary's Noah Rothman" tagged as one name into the owner and the person after its possessive."""
    # spaCy's small model tags an outlet's or a party's person with it ("NFL Network's Rich Eisen",
    # "Green Party's Jill Stein"); names that hold a possessive ("Dick's Sporting Goods", "Emily's
    # List", "Swiss People's Party") have no first name and surname after it.
    for i in range(start + 1, end - 2):
        if doc[i].text in _TRAILING_DROP and _staff_words(doc, i + 1, end):
            return [(start, i, label), (i + 1, end, "PERSON")]
    return [(start, end, label)]


def _staff_words(doc, start: int, end: int) -> bool:
    """True for a first name and a surname in running text, with a middle initial or none: "Jill Stein", "Joel B. Pollak"."""
    words = [t.text for t in doc[start:end]]
    two = len(words) == 2 or (len(words) == 3 and is_initial(words[1]))
    last = words[-1]
    # A first name used both ways ("Brown", "Victory", "Morgan") is as often a place's or a fund's word;
    # a place noun ends a place ("North Carolina's Wake County"); and a headline capitalises every word
    # ("Votes To Condemn Donald Trump's Muslim Ban"): in running text a third of the words or more are
    # in lower case (function words alone make about half of English text).
    named = (
        two
        and words[0].istitle()
        and first_name_genders().get(words[0].lower()) in ("m", "f")
        and last[:1].isupper()
        and last.isalpha()
        and last not in INSTITUTION_HEADS | LANDMARK_HEADS
        and last.lower() not in _PLACE_NOUNS
    )
    if not named:
        return False
    words_of_sentence = [t for t in doc[start].sent if t.is_alpha]
    return 3 * sum(t.is_lower for t in words_of_sentence) >= len(words_of_sentence)


# "ambassador to Ukraine Marie Yovanovitch", "Secretary of Defense Leon Panetta": an office's place or
# department and its holder's name that spaCy tags as one organisation (or person).
_OFFICE_WORDS = TITLE_WORDS | frozenset({"envoy", "consul", "emissary"})


def _titles_what_follows(title) -> bool:
    """True for a title that stands before its holder ("former envoy to Ukraine Kurt Volker"), not one
    that describes someone named before ("Jaime Harrison, chair of the South Carolina Democratic
    Party", "Giuliani is the former mayor of New York City"): what follows those is an organisation."""
    while title.dep_ == "conj" and title.head.i != title.i:  # "professor and director of ..."
        title = title.head
    if any(c.dep_ == "det" for c in title.children):
        return False
    return title.dep_ != "attr" and not (title.dep_ == "appos" and title.head.pos_ == "PROPN")


def _holder_start(doc, first: int, end: int) -> int | None:
    """Where a holder's name starts in a span after an office: the first lexicon first name after the
    place's capitalised words, running on in capitalised words to the end (two words at least)."""
    genders = first_name_genders()
    for k in range(first + 1, end - 1):
        if not (doc[k - 1].is_title or doc[k - 1].is_upper):
            return None  # a place's name: not "Center for Transportation at New"
        if doc[k].lower_ in genders and all(t.is_title or t.lower_ in NAME_PARTICLES for t in doc[k:end]):
            return k
    return None


def _office_holders(doc, parts: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Split a span after an office and its preposition into the place (or department) and the holder's name."""
    # The place keeps the label the text gives its name elsewhere, else GPE. The real-page warehouse
    # had "Ukraine Marie Yovanovitch" (ORG), which every "Yovanovitch" of the corpus then joined.
    split = []
    for start, end, label in parts:
        first = start + (doc[start].lower_ == "the")
        before = first - 1 - (first - 1 >= 0 and doc[first - 1].lower_ == "the")  # the preposition
        office = (
            label in ("ORG", "PERSON", "GPE")
            and before >= 1
            and doc[before].lower_ in OFFICE_PREPOSITIONS
            and doc[before - 1].lower_.rstrip(".") in _OFFICE_WORDS
            and _titles_what_follows(doc[before - 1])
        )
        holder = _holder_start(doc, first, end) if office else None
        if holder is None:
            split.append((start, end, label))
            continue
        if not _department_of(doc, before):
            place = doc[first:holder].text
            split.append((start, holder, next((e.label_ for e in doc.ents if e.text == place), "GPE")))
        split.append((holder, end, "PERSON"))
    return split


def _department_of(doc, preposition: int) -> bool:
    """True when the words after this "of" name an office's department: "Secretary of State"."""
    return preposition >= 1 and doc[preposition].lower_ == "of" and doc[preposition - 1].lower_ in OFFICE_TITLES


def _office(doc, start: int, end: int, label: str) -> bool:
    """True for the department that ends a title ("Secretary of State", "Minister of Defence"): spaCy
    tags "State" an organisation, and the top entities of 840 PolNeAR articles had "State" 60 times."""
    # One word: a longer span ("Defense Leon Panetta") holds a person, split off by _office_holders.
    return label == "ORG" and end == start + 1 and start >= 1 and _department_of(doc, start - 1)


# Lower-case words inside a person's name: "Botic van de Zanschulp", "Ludwig van Beethoven".
NAME_PARTICLES = frozenset("van von de der den da di du del della la le bin al".split())


def _before_numbers(doc, start: int, end: int) -> int:
    """The end of a person's name before a number glued to it from a table or a score: "K. Hupfer 1 goal", "Uchiyama 6-2"."""
    # A person's name holds no digit; a name of two words or more before one is the person
    # ("J. Anasa 1"), while one word before it may be a product's name ("Thunderbolt 3").
    for i in range(start, end):
        if any(ch.isdigit() for ch in doc[i].text):
            words = doc[start:i].text.split()
            name_like = all(w[0].isupper() or w in NAME_PARTICLES for w in words)  # not "Viera d. Melbourne 1-0"
            return i if len(words) >= 2 and name_like else end
    return end


# The citation "et al" ends a cited author's span: "Klingberg et al., 2005" cites Klingberg.
_CITATION_WORDS = {"et", "al"}


def _trailing_word(doc, end: int) -> bool:
    """True for a lower-case last word that is no part of the name: "et al", "of", "yelped"; not "party"."""
    # A lower-case noun may end a name: "the Republican party" of an interview, "Morne à l'eau".
    # Trimming every lower-case word (the first rule) cost 0.008 span F1 on GUM's interviews of
    # half A for the sake of "et al" in academic citations; this keeps both (docs/entities.md).
    token = doc[end - 1]
    if not token.is_lower:
        return False
    return token.lower_.rstrip(".") in _CITATION_WORDS or token.pos_ not in ("NOUN", "PROPN")


def _segments(doc, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a token range between line breaks, spaced separators, parentheses and social-media handles: a name never runs across them."""
    # spaCy reads "York Minster\nUnderstand" (a heading, then a section title) and a page title's
    # "Darren Henry - Broxtowe" as one name; "Bailey-Ross" and "9/11" are written without spaces.
    # A handle is an account, not a name: "Twitter @IanHanchett" and "@realDonaldTrump Twitter" were
    # "full names" that every lone "Twitter" of the corpus then joined as a surname.
    parts, begin = [], start
    for i in range(start, end):
        separator = doc[i].text in _SEPARATORS and i > start and doc[i - 1].whitespace_ and doc[i].whitespace_
        handle = doc[i].text.startswith("@") and len(doc[i].text) > 1
        # "The Federal Bureau of Investigation (FBI", "Shanghai Composite (SHCOMP": spaCy runs a name
        # into the acronym a parenthesis sets apart
        bracket = doc[i].text in ("(", ")")
        if "\n" in doc[i].text or separator or handle or bracket:
            parts.append((begin, i if doc[i].is_space or separator or handle or bracket else i + 1))
            begin = i + 1
    parts.append((begin, end))
    return [(a, b) for a, b in parts if a < b]


def _list_items(doc, start: int, end: int) -> list[tuple[int, int]]:
    """The one-word names of a list tagged as one entity ("Dye & Bavelier, 2010"), else the whole range."""
    # A part of several words ("Food and Agriculture Organization") makes the span one name. So
    # does "Procter & Gamble": names are a list only when a year cites them or one of them is
    # written alone elsewhere in the text, however many ("Skadden, Arps, Slate, Meagher & Flom"
    # is one law firm in a news story; every list of three or more in GUM had that evidence).
    last = end
    while last > start and doc[last - 1].like_num:  # "Vandergrift and Cross 2017"
        last -= 1
    words: list[tuple[int, int]] = []
    i = start
    while i < last:
        if doc[i].lower_ in _LIST_SEPARATORS:
            i += 1
            continue
        j = i + 1  # "Faretta-Stutenberg" is one word of three tokens
        while j < last and not doc[j - 1].whitespace_ and doc[j].lower_ not in _LIST_SEPARATORS:
            j += 1
        if not doc[i].is_title or (j < last and doc[j].lower_ not in _LIST_SEPARATORS):
            return [(start, end)]
        words.append((i, j))
        i = j
    names = {doc[a:b].text for a, b in words}
    if len(names) < max(len(words), 2):  # one name, or "Johnson & Johnson"
        return [(start, end)]
    if not (_cited(doc, end) or names & {t.text for t in doc if not start <= t.i < end}):
        return [(start, end)]
    return words


def _cited(doc, end: int) -> bool:
    """True when a year ends the span or follows it: "Dye & Bavelier 2010", "Dye & Bavelier (2010)"."""
    after = doc[end : end + 2]
    return doc[end - 1].like_num or (len(after) == 2 and after[0].text in ("(", ",") and after[1].like_num)


def _drop_common_words(doc, candidates: list[_Candidate], aliases: dict[str, str]) -> list[_Candidate]:
    """Drop one-word names the text also writes in lower case ("Schedule", "Menu", "Street" are words,
    not names) and words of a day's name ("Super Tuesday")."""
    # A capitalised heading, menu item or sentence-initial noun is tagged as a name; a real name
    # is not written in lower case elsewhere in the same text ("python" aside, "Python" the
    # language stays: whether it is a name is the corpus vote's job).
    lower = {t.lower_ for t in doc if t.is_lower and t.is_alpha}
    return [
        c for c in candidates
        if c.end - c.start > 1
        or (c.name.lower() not in lower and not _names_a_day(doc, c))
        or c.name in aliases or c.full_name or c.expansion
    ]


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _names_a_day(doc, cand: _Candidate) -> bool:
    """True for "Super" of "Super Tuesday", "Black" of "Black Friday": a word of a day's name, no entity."""
    # Parsed as the day's modifier; "won Texas Tuesday" hangs the day from the verb instead.
    word = doc[cand.start]
    return cand.end < len(doc) and word.head.i == cand.end and word.dep_ in ("compound", "amod") and doc[cand.end].lower_ in _WEEKDAYS


def _is_title_word(token) -> bool:
    """True for "President", "Dr.", "chief" and the like."""
    return token.lower_.rstrip(".") in TITLE_WORDS


def _acronym_definitions(doc, candidates: list[_Candidate]) -> dict[str, _Candidate]:
    """Map each acronym the text defines, as in "New York Times (NYT)", to the name it abbreviates."""
    defined: dict[str, _Candidate] = {}
    for cand in candidates:
        if cand.end + 2 < len(doc) and doc[cand.end].text == "(" and doc[cand.end + 2].text == ")":
            acronym = doc[cand.end + 1].text
            if _abbreviates(acronym, cand.name):
                defined.setdefault(acronym, cand)
    return defined


def _add_untagged_names(doc, candidates: list[_Candidate], acronyms: dict[str, _Candidate]) -> list[_Candidate]:
    """Add the uses of defined acronyms and of full-named people's surnames that spaCy left untagged."""
    # spaCy often misses a lone surname ("Raman told analysts") once it has tagged the full name.
    labels = {_name_words(c.name)[-1]: "PERSON" for c in candidates if _is_full_name(c)}
    labels.update({acronym: cand.label for acronym, cand in acronyms.items()})
    tagged = {i for cand in candidates for i in range(cand.start, cand.end)}
    for token in doc:
        if token.text in labels and token.i not in tagged and _name_like(token) and not _inside_name(doc, token):
            candidates.append(_Candidate(token.i, token.i + 1, labels[token.text], token.text))
    for cand in candidates:
        if cand.name in acronyms and acronyms[cand.name] is not cand:
            cand.expansion = acronyms[cand.name]
    return sorted(candidates, key=lambda c: c.start)


def _name_like(token) -> bool:
    """True for a proper noun, a capitalised subject the tagger read as a common noun ("Trump
    blamed ...", "Sanders often questions ...": at a sentence's start the small model tags them NOUN),
    or a capitalised word it read as an adverb or adjective where only a name can stand ("says Early")."""
    if token.pos_ == "PROPN":
        return True
    # Only outside quotation marks: GUM's 'said, "Poet says We Know"' (a slogan) and the
    # heading "Harvesting and Using Basil" are no one (docs/entities.md).
    quoted = sum(t.is_quote for t in token.doc[token.sent.start : token.i]) % 2 == 1
    if quoted or not token.is_title:
        return False
    subject = token.dep_ in ("nsubj", "nsubjpass")
    if token.pos_ == "NOUN":  # only as a subject: "Image: Sarvis for Governor" is a caption
        return subject
    if token.pos_ not in ("ADV", "ADJ", "VERB"):
        return False  # "He" opening a sentence is the pronoun, whoever "Liu He" is
    # A surname that is also a common word ("Chris Early": '“...,” says Early', "Early still says"):
    # capitalised between lower-case words it can only be the name; first in its sentence, only as
    # the subject, or as the modifier of a verb that has no subject.
    doc = token.doc
    if token.i > token.sent.start:
        before, after = doc[token.i - 1], doc[token.i + 1] if token.i + 1 < len(doc) else None
        if before.is_title or before.is_upper or before.is_quote or "\n" in before.text_with_ws:
            return False
        return after is None or not (after.is_title or after.is_upper)
    verb = token.head
    subjectless = verb.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    return subject or (token.dep_ in ("advmod", "npadvmod", "amod") and subjectless)


def _inside_name(doc, token) -> bool:
    """True when a capitalised word touches the token: "Lee" of "Fort Lee Historic Park" is part of another name."""
    # A surname written next to other capitalised words ("Broken Arrow", "Penn State Wiki",
    # "Cyclone Phailin") is a word of a name spaCy left untagged, not the person alone.
    neighbours = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
    return any(t.pos_ == "PROPN" and (t.is_title or t.is_upper) and "\n" not in t.text for t in neighbours)


def _abbreviates(acronym: str, expansion: str) -> bool:
    """True when the acronym's letters appear in order in the expansion, starting with its first letter."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    # "NYT", "U.N.", and a word in mixed case ("ACPeds", "DoD"): a capital first and one more (a
    # handle, "@HillaryClinton", is an account: `_segments`)
    plain = acronym.replace(".", "")
    mixed = plain.isalpha() and plain[:1].isupper() and sum(c.isupper() for c in plain) >= 2
    if len(letters) < 2 or not (plain.isupper() or mixed):
        return False
    words = expansion.lower()
    if letters[0] != words[0]:
        return False
    pos = 0
    for letter in letters:
        pos = words.find(letter, pos) + 1
        if pos == 0:
            return False
    return True


def _link_name_parts(doc, candidates: list[_Candidate]) -> None:
    """Tie a lone surname or first name to a person's full name, whatever label spaCy gave the lone word."""
    # Surnames beat first names; then the person introduced first (the story's subject) wins,
    # looking before the mention and only then after it (a headline may name them first).
    # "Obama White House" tagged a person ends with an organisation or a building of the text: no one's full name.
    people = {c.name for c in candidates if c.label == "PERSON"}
    things = {c.name for c in candidates if c.label in ("ORG", "FAC") and " " in c.name} - people
    # "Virginia Democrats" tagged a person ends with a group the text names alone: its lone "Democrats"
    # is no one's surname. A group is a plural every lone mention of which is NORP: spaCy tags surnames
    # NORP too ("Cuban" of Mark Cuban, "Maples" once among her PERSON "Maples").
    lone = [c for c in candidates if c.end - c.start == 1]
    groups = {c.name for c in lone if c.label == "NORP" and doc[c.start].tag_ in ("NNPS", "NNS")}
    groups -= {c.name for c in lone if c.label != "NORP"}
    full_names = [
        c for c in candidates
        if _is_full_name(c) and things.isdisjoint(name_tails(c.name)) and _name_words(c.name)[-1] not in groups
    ]
    _link_full_name_variants(full_names)
    for cand in candidates:
        if " " in cand.name or cand.expansion is not None:
            continue
        # "Mrs. Clinton" is not Bill Clinton: a title's gender rules out a full name of the other one
        # when the text has one of that gender; the first-name lexicon alone may be wrong ("Mr. Graham"
        # is Lindsey Graham, a name the lexicon calls female)
        told = name_gender("", _title_before(doc, cand.start))
        matches = []
        for full in full_names:
            words = _name_words(full.name)
            # A first name must be tagged PERSON itself: "Charlotte" the city is not "Charlotte Mayor".
            if cand.name == words[-1] or (cand.name == words[0] and cand.label == "PERSON"):
                matches.append((cand.name != words[-1], full.start > cand.start, full.start, full))
        agreeing = [m for m in matches if told and name_gender(m[3].name, None) == told]
        matches = agreeing or matches
        if matches:
            full = min(matches, key=lambda m: m[:3])[3]
            cand.full_name = full.full_name or full
            cand.label = "PERSON"


def _people_tagged_as_organisations(doc, candidates: list[_Candidate]) -> None:
    """Retype "Mason Rudolph" tagged ORG as a person when the text calls "Rudolph" alone a person."""
    # spaCy's small model often tags a person's full name ORG and the surname alone PERSON; the
    # organisation-short-form rule (_name_entities) then made every "Rudolph" an organisation. Only
    # names of lexicon first names (or initials) before the surname: not "Ku Klux Klan", "Washington
    # Post Trump"; "Eva-Marie" counts when both halves are first names. A word after "the" is no surname.
    # (The tagger's NNS/NNPS is no sign of a plural here: it tags the surname "Figgins" NNS.)
    genders = first_name_genders()
    alone = {
        c.name
        for c in candidates
        if c.label == "PERSON" and c.end - c.start == 1
        and not (c.start > 0 and doc[c.start - 1].lower_ == "the")  # "the Moon", "The Chronicle": no surname
    }
    # A relative's surname: the last word of another person's full name that the text also writes
    # alone, whatever its tag ("Carly Fiorina" and every lone "Fiorina" tagged ORG beside her husband
    # "Frank Fiorina": all went to him). Not a title ("General Petraeus"), nor a name that ends another
    # or that another ends ("Lamont Scott", "Keith Lamont Scott": the variants are linked as they were;
    # a book title "Perfect Enough: Carly Fiorina" does not count).
    lone = {c.name for c in candidates if c.end - c.start == 1}
    kin = {_name_words(c.name)[-1] for c in candidates if _is_full_name(c)} & lone
    for cand in candidates:
        words = _name_words(cand.name)
        if (
            cand.label == "ORG"
            and 2 <= len(words) <= 3
            and all(is_initial(w) or all(part in genders for part in w.lower().split("-")) for w in words[:-1])
            and (
                words[-1] in alone
                or (
                    words[-1] in kin
                    and words[0].lower().rstrip(".") not in TITLE_WORDS
                    and not any(
                        c.label in ("PERSON", "ORG") and (c.name.endswith(" " + cand.name) or (" " in c.name and cand.name.endswith(" " + c.name)))
                        for c in candidates
                    )
                )
            )
        ):
            cand.label = "PERSON"
        elif cand.label == "ORG" and _staff_name(doc, cand):
            cand.label = "PERSON"


def _staff_name(doc, cand: _Candidate) -> bool:
    """True for "Noah Rothman" of "Commentary's Noah Rothman": a first name and a surname after a name's possessive."""
    # spaCy tags an outlet's or a company's person ORG with it ("Fox News' Sean Hannity"); an
    # organisation after a possessive is a part of it ("Alphabet's Google"), whose first word is rarely a
    # lexicon first name, and never one of two words with a building's or a body's last word.
    owner = doc[cand.start - 2] if cand.start >= 2 else None  # "Commentary", "NBC"
    if owner is None or doc[cand.start - 1].text not in _TRAILING_DROP or not (owner.is_title or owner.is_upper):
        return False
    return _staff_words(doc, cand.start, cand.end)


def is_initial(word: str) -> bool:
    """True for "J." and "J": a middle initial, not a name (nor "&")."""
    return len(word.rstrip(".")) == 1 and word[:1].isalpha()


def name_tails(name: str) -> list[str]:
    """The endings of a name of two words or more, shorter than the name: "Obama White House" -> ["White House"]."""
    words = name.split()
    return [" ".join(words[-k:]) for k in range(2, len(words))]


def _is_full_name(cand: _Candidate) -> bool:
    """True for a person's name of two words or more; not "York Minster", which spaCy may call a person."""
    words = _name_words(cand.name)
    return cand.label == "PERSON" and len(words) >= 2 and words[-1] not in LANDMARK_HEADS


def _link_full_name_variants(full_names: list[_Candidate]) -> None:
    """Tie "Donald J. Trump" to "Donald Trump", the form written most often (first on ties)."""
    # A name ending with another full name ("Miss Universe Alicia Machado") is that name with
    # words spaCy swept in; middle initials are dropped before comparing.
    written = Counter(c.name for c in full_names)
    keys = {c.name: tuple(w for w in _name_words(c.name) if len(w.rstrip(".")) > 1) for c in full_names}
    for cand in full_names:
        key = keys[cand.name]
        if len(key) < 2:  # "J. Smith": nothing but a surname to compare
            continue
        same = [c for c in full_names if len(keys[c.name]) >= 2 and key[-len(keys[c.name]) :] == keys[c.name]]
        best = max(same, key=lambda c: (written[c.name], -c.start))
        if best.name != cand.name:
            cand.full_name = best


def _name_words(name: str) -> list[str]:
    """The words of a person's name without a trailing Jr./III."""
    words = name.split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words


def _name_entities(candidates: list[_Candidate], aliases: dict[str, str]) -> None:
    """Set each candidate's canonical name: alias file, then short forms, then full names and acronyms."""
    for cand in candidates:
        cand.canonical = aliases.get(cand.name, cand.name)
    # Longest first, so "Harwick" -> "Harwick Motors" -> "Harwick Motors Inc." ends at the longest.
    # A short form takes the organisation's label too ("Corvane" tagged PERSON); a name tagged
    # as a place anywhere in the text does not join: "Eastport" is not the "Eastport Mariners";
    # nor does a demonym: "American" is not the "American Action Forum".
    orgs = [c for c in candidates if c.label == "ORG"]
    places = {c.name for c in candidates if c.label == "GPE"}
    for cand in sorted(candidates, key=lambda c: -len(c.name)):
        settled = cand.canonical != cand.name or cand.full_name or cand.expansion
        if settled or cand.name in places or cand.label in ("GPE", "NORP", "LOC"):
            continue
        longer = [c for c in orgs if _is_short_form(cand.name, c.name)]
        if longer:
            target = min(longer, key=lambda c: c.start)
            cand.canonical, cand.label = target.canonical, target.label
    for cand in candidates:
        if cand.full_name is not None:
            cand.canonical = cand.full_name.canonical
    for cand in candidates:
        if cand.expansion is not None:
            cand.canonical = cand.expansion.canonical
    _unify_case(candidates)


def _regnal_names(doc, candidates: list[_Candidate]) -> None:
    """Name a one-name person with the regnal title the text gives them: "Prince Andrew", then "Andrew"."""
    titles: dict[str, set[str]] = defaultdict(set)
    for cand in candidates:
        before = doc[cand.start - 1] if cand.start > 0 else None
        if cand.label == "PERSON" and " " not in cand.canonical and before is not None and before.is_title and before.lower_ in REGNAL_TITLES:
            titles[cand.canonical].add(before.text)
    for cand in candidates:
        # "King Charles" and "Prince Charles" in one text may be one man or two: left as written
        if len(titles.get(cand.canonical, ())) == 1:
            cand.canonical = f"{next(iter(titles[cand.canonical]))} {cand.canonical}"


def _is_short_form(short: str, long: str) -> bool:
    """True for "Corvane" of "Corvane Foods", "Mariners" of "Eastport Mariners"; not "Brackley" of "Brackley Council"."""
    s, words = short.split(), long.split()
    if len(s) >= len(words):
        return False
    if words[: len(s)] == s:  # "George Washington" is not the "George Washington Bridge", "Google" not the "Google Stadia Pro"
        return words[-1] not in INSTITUTION_HEADS and words[-1] not in LANDMARK_HEADS and not _is_product_name(long, digits=False)
    return words[-len(s) :] == s and words[-len(s) - 1] not in _PLACE_PREPOSITIONS


def _unify_case(candidates: list[_Candidate]) -> None:
    """Give "LANSFORD" and "Lansford" one canonical name: the most written form, mixed case on ties."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for cand in candidates:
        forms[cand.canonical.casefold()][cand.canonical] += 1
    best = {
        key: max(counts, key=lambda form: (counts[form], not form.isupper())) for key, counts in forms.items()
    }
    for cand in candidates:
        cand.canonical = best[cand.canonical.casefold()]


# In news a "Center" is mostly an institution ("Tax Policy Center", "Refugee Processing Center"),
# and a name holding an institution word is one ("Hofstra University on Long Island").
_PLACE_LANDMARKS = LANDMARK_HEADS - {"Center", "Centre"}


def _type_landmarks(candidates: list[_Candidate]) -> None:
    """Type a name of two words or more ending with a landmark head as a place: "George Washington Bridge", "York Minster"."""
    # spaCy's small model calls them organisations ("Kaiser Building", "Broken Arrow Expressway")
    # or people ("Jack London Square"). Typed F1 on GUM +0.009 on half A, +0.007 on half B
    # (docs/entities.md); one-word "Cathedral" is left to the vote (it cost on A).
    for cand in candidates:
        words = cand.name.split()
        if cand.label in ("ORG", "PERSON") and len(words) > 1 and words[-1] in _PLACE_LANDMARKS and INSTITUTION_HEADS.isdisjoint(words):
            cand.label = "FAC"


# Common nouns that say a name is a place: "Fort Lee is a city", "Gosier, a town", "the island
# of Socotra". Class nouns, never names: the evidence is how the text describes the name.
_PLACE_NOUNS = frozenset(
    """city town village island country nation state province region county district neighbourhood
    neighborhood suburb capital port resort borough municipality hamlet archipelago peninsula republic
    kingdom territory place area settlement metropolis""".split()
)
# "the meeting place of Te Imi Moriori", "the area of expertise of X": owners, not places.
_PLACE_OF_NOUNS = _PLACE_NOUNS - {"place", "area"}
# Verbs whose passive subject is a place: "Fort Lee is located between...", "is bordered by".
_PLACE_VERBS = frozenset({"locate", "situate", "border"})
# Nouns of the people of a place: "residents of Calder Vale", "the mayor of Port Avery".
_DWELLER_NOUNS = frozenset({"resident", "inhabitant", "citizen", "native", "mayor", "townspeople"})
# Verbs of dwelling: "lives in Calder Vale", "resided in X".
_DWELL_VERBS = frozenset({"live", "reside", "dwell"})


def _said_to_be_a_place(doc, cand: _Candidate) -> bool:
    """True when the text calls the name a place ("X is a city", "X, a town", "the island of X", "X is located") or
    names its people ("lives in X", "residents of X", "X residents", "the mayor of X")."""
    root = doc[cand.start : cand.end].root
    if root.dep_ == "nsubjpass" and root.head.lemma_ in _PLACE_VERBS:
        return True
    # An apposition is one noun with its article ("Gosier, a town"): a plural is a list spaCy
    # misread ("against the EPA, 18 states, corporations").
    nouns = [t for t in root.children if t.dep_ == "appos" and t.tag_ == "NN" and any(c.dep_ == "det" for c in t.children)]
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ == "be":
        nouns += [t for t in root.head.children if t.dep_ == "attr" and t.pos_ == "NOUN"]
    if any(noun.lemma_.lower() in _PLACE_NOUNS for noun in nouns):
        return True
    head = root.head.head
    if root.dep_ == "pobj" and root.head.lower_ == "in" and head.lemma_ in _DWELL_VERBS:
        return True
    if root.dep_ == "compound" and root.head.lemma_.lower() in _DWELLER_NOUNS:
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "of" and head.pos_ == "NOUN" and head.lemma_.lower() in (_PLACE_OF_NOUNS | _DWELLER_NOUNS)


def _type_places_by_description(doc, candidates: list[_Candidate]) -> None:
    """Type every mention of an entity the text once calls a place (a city, an island...) as a place (GPE)."""
    # spaCy's small model calls "Fort Lee" a person and "Guadeloupe" an organisation in every
    # mention; the travel guide says "Fort Lee is a city". A place spaCy calls LOC or FAC stays so;
    # NORP and the other labels are left alone. Typed F1 on GUM +0.022 on half A, +0.012 on B; its
    # dwellers ("lives in", "residents of") +0.000 on A, +0.008 on B, no change on PolNeAR's 924 articles.
    described = {cand.canonical for cand in candidates if _said_to_be_a_place(doc, cand)}
    for cand in candidates:
        if cand.canonical in described and cand.label in ("PERSON", "ORG"):
            cand.label = "GPE"


# Last words of product names ("MacBook Pro", "Switch Lite", "Founder's Edition"): model words,
# not surnames nor organisation words.
MODEL_WORDS = frozenset("Pro Max Mini Plus Lite Ultra Edition XL".split())
# Class nouns of goods that end a product's name ("Magic Keyboard", "Echo Buds"): never a person's
# or an organisation's last word. Not "Watch" ("Human Rights Watch"), "Speaker", "Drive", "Mouse".
PRODUCT_NOUNS = frozenset(
    """Keyboard Buds Earbuds Headphones Headset Smartphone Phone Laptop Tablet Console Controller Charger
    Router Smartwatch Trackpad Supplement""".split()
)
# Social platforms that news names daily and spaCy's small model calls people ("Twitter" PERSON in
# 125 of its 132 PolNeAR mentions, "Twitter said" included): organisations whatever the text does.
PLATFORMS = frozenset(
    """Twitter Facebook Instagram YouTube TikTok Snapchat WhatsApp LinkedIn Reddit Telegram Tumblr
    Pinterest Weibo WeChat Twitch Bluesky Mastodon Parler""".split()
) | {"Truth Social"}
# "on Twitter", "via Instagram", "took to Facebook": a platform or a medium, not a person.
# Only with a verb of publishing: "on Socotra" is an island, "lived on X" a place, "pressure on X" anyone.
_PLATFORM_PREPOSITIONS = frozenset({"on", "via"})
_PUBLISH_VERBS = SPEECH_VERBS | frozenset(
    "post share tweet publish comment stream follow broadcast upload message reach visit find join watch thank chime contact".split()
)
# "took to Twitter", "turned to Facebook": "to" names a platform only after these (not "went to X").
_TURN_TO_VERBS = frozenset({"take", "turn"})


# Class nouns of organisations that name one beside them ("the law firm Mayer Brown", "companies such as
# Gannett"): the descriptions speakers resolve through (ORG_ROLES), without the bodies a person has
# ("campaign", "office", "team", "administration") and with the business nouns pages use.
_ORG_CLASS_NOUNS = (ORG_ROLES - {"campaign", "office", "team", "administration", "party"}) | frozenset(
    "corporation chain publisher startup conglomerate giant organisation business brand".split()
)
# Posts held in an organisation ("founder of Theranos", "chief operating officer of SpaceX"); not
# "spokesman", "aide", "adviser": they serve people too ("a spokesman of Trump").
_POSTS_OF = frozenset("founder cofounder co-founder chairman chairwoman ceo officer executive director president employee shareholder".split())


def _in_an_organisations_frame(doc, cand: _Candidate) -> bool:
    """True when a class noun of organisations or a post held in one names the mention ("the law firm X", "officer of X")."""
    # "newspaper chains Gannett and ...", "energy company Burisma", "companies such as Pfizer",
    # "chief operating officer of SpaceX". A person's name can stand there too ("the retailing giant
    # Amancio Ortega"): the caller asks for no sign of a person first.
    root = doc[cand.start : cand.end].root
    while root.dep_ == "conj" and root.head.i != root.i:  # "companies — Blue Origin, SpaceX and Tyvak": the first conjunct's
        root = root.head
    head = root.head
    if root.dep_ == "appos" and head.pos_ == "NOUN" and head.lemma_.lower() in _ORG_CLASS_NOUNS:
        return True
    before = doc[cand.start - 1] if cand.start > 0 else None
    if before is not None and before.dep_ == "compound" and before.head.i == root.i and before.lemma_.lower() in _ORG_CLASS_NOUNS:
        return True
    if root.dep_ != "pobj":
        return False
    if head.lower_ == "as" and head.i > 0 and doc[head.i - 1].lower_ == "such":
        return head.head.pos_ == "NOUN" and head.head.lemma_.lower() in _ORG_CLASS_NOUNS
    return head.lower_ == "of" and head.head.pos_ == "NOUN" and head.head.lemma_.lower() in _POSTS_OF


def _is_product_name(name: str, digits: bool = True) -> bool:
    """True for "MacBook Pro", "Magic Keyboard" (a model word or goods noun last) and, with digits, "Thunderbolt 3"."""
    words = name.split()
    if digits and any(ch.isdigit() for ch in name):
        return True
    return len(words) > 1 and (words[-1] in MODEL_WORDS or words[-1] in PRODUCT_NOUNS)


def _person_signs(doc, candidates: list[_Candidate]) -> tuple[set[str], set[str], set[str]]:
    """Canonical names that act as a person (a title, the subject of a speech verb), those with a title, and
    those opening with a lexicon first name."""
    # A surname tied to a full name is no sign by itself: "Pro" of "MacBook Pro" is one.
    genders = first_name_genders()
    acting, titled, first_named = set(), set(), set()
    for cand in candidates:
        root = doc[cand.start : cand.end].root
        words = cand.name.split()
        if _title_before(doc, cand.start):
            acting.add(cand.canonical)
            # "chief Goldman Sachs economist": a title before an organisation that modifies a noun.
            if root.dep_ != "compound":
                titled.add(cand.canonical)
        if root.dep_ == "nsubj" and root.head.lemma_ in SPEECH_VERBS:
            acting.add(cand.canonical)
        if len(words) > 1 and words[0].lower() in genders:
            first_named.add(cand.canonical)
    return acting, titled, first_named


def _on_a_platform(doc, cand: _Candidate) -> bool:
    """True for "posted on Twitter", "shared via Instagram", "took to Facebook", "on Facebook, Twitter and X"."""
    root = doc[cand.start : cand.end].root
    while root.dep_ == "conj" and root.head.i != root.i:  # "on Facebook, Twitter": the first conjunct's place
        root = root.head
    prep = root.head
    if root.dep_ != "pobj":
        return False
    if prep.lower_ == "to":
        return prep.head.lemma_ in _TURN_TO_VERBS
    return prep.lower_ in _PLATFORM_PREPOSITIONS and prep.head.lemma_ in _PUBLISH_VERBS


def _type_non_people(doc, candidates: list[_Candidate]) -> None:
    """Retype by behaviour: products ("MacBook Pro") and platforms ("on Twitter") are no people; "Mrs. Fiorina" is one."""
    # Real pages (reviews, shop lists, social posts) make spaCy's small model call products and
    # platforms people or organisations. An entity with a title, a lexicon first name or a speech
    # verb keeps its label. A person's name holds no digit; an organisation's may ("Formula 1",
    # "Channel 4"), so for organisations only the last word counts. Measured in docs/entities.md
    # ("Real-page junk"): GUM typed F1 +.0003 on A, +.0006 on B, PolNeAR changes all right.
    acting, titled, first_named = _person_signs(doc, candidates)
    # An organisation's first word may be a first name ("Retina MacBook Pro"): only acts count there.
    people = acting | first_named
    votes = _cluster_labels(candidates)
    by_entity: dict[str, list[_Candidate]] = defaultdict(list)
    for cand in candidates:
        by_entity[cand.canonical].append(cand)
    for canonical, group in by_entity.items():
        vote = votes[canonical]
        if canonical in PLATFORMS:
            new = "ORG"
        elif vote == "ORG" and canonical not in acting and _is_product_name(canonical, digits=False):
            new = "PRODUCT"
        elif vote == "ORG" and canonical in titled and canonical in first_named:
            new = "PERSON"  # "Carly Fiorina" tagged ORG, then "Mrs. Fiorina": no organisation has a title
        elif vote != "PERSON" or canonical in people:
            continue
        elif _is_product_name(canonical):
            new = "PRODUCT"
        elif " " not in canonical and any(_on_a_platform(doc, c) for c in group):
            new = "ORG"
        elif any(_in_an_organisations_frame(doc, c) for c in group):
            new = "ORG"
        else:
            continue
        for cand in group:
            cand.label = new


def _cluster_labels(candidates: list[_Candidate]) -> dict[str, str]:
    """One label per canonical entity: the label most of its mentions carry (label_vote)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for cand in candidates:
        votes[cand.canonical][cand.label] += 1
    return {name: label_vote(counts) for name, counts in votes.items()}


def label_vote(votes: Counter) -> str:
    """The label most mentions carry; PERSON on a tie with it, else the first label seen."""
    # spaCy's small model splits one person's mentions between PERSON and a place or an
    # organisation ("Obama" GPE once, PERSON once; "Britney Spears" ORG twice, "Britney" PERSON
    # twice). PERSON winning ties: typed F1 +0.001 on GUM half A, +0.004 on half B.
    top = max(votes.values())
    return "PERSON" if votes["PERSON"] == top else votes.most_common(1)[0][0]


def _sentence_index(doc) -> dict[int, int]:
    """Map each token index to the index of its sentence; empty when the Doc has no sentences."""
    if not doc.has_annotation("SENT_START"):
        return {}
    return {token.i: n for n, sent in enumerate(doc.sents) for token in sent}


def _title_before(doc, start: int) -> str | None:
    """The title written just before a name ("President", "Fire Chief"), or None."""
    # The word next to the name must be a title word; capitalised words before it join it
    # ("Defense Secretary") unless they are another entity ("U.S." in "U.S. District Judge").
    # Title words spaCy put inside the PERSON span were trimmed off it and still count.
    if start == 0 or not _is_title_word(doc[start - 1]) or _other_entity(doc[start - 1]):
        return None
    i = start - 1
    while i > 0 and not doc[i].is_sent_start and not _other_entity(doc[i - 1]):
        if not (_is_title_word(doc[i - 1]) or doc[i - 1].is_title):
            break
        i -= 1
    return doc[i:start].text


def _other_entity(token) -> bool:
    """True when a token lies in an entity that is not a person."""
    return token.ent_type_ not in ("", "PERSON")


def entity_salience(mentions: Sequence[Mention], title: str | None = None) -> dict[str, Salience]:
    """Per canonical entity of one article: how often it is mentioned, where first, whether the title names it."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.canonical or m.text].append(m)
    result = {}
    for canonical, group in by_entity.items():
        forms = {m.text for m in group} | {canonical}
        if group[0].label == "PERSON":
            forms.add(_name_words(canonical)[-1])
        in_title = title is not None and any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", title) for f in forms)
        result[canonical] = Salience(len(group), min(m.start for m in group), in_title)
    return result


def merge_entities(articles: Iterable[Sequence[Mention]]) -> list[Entity]:
    """Rows of the entities table, one per (canonical, label), from the mentions of each article."""
    aliases: dict[tuple[str, str], Counter] = defaultdict(Counter)
    titles: dict[tuple[str, str], Counter] = defaultdict(Counter)
    article_count: Counter = Counter()
    for mentions in articles:
        keys = set()
        for m in mentions:
            key = (m.canonical or m.text, m.label)
            aliases[key][" ".join(m.text.split())] += 1
            if m.title:
                titles[key][m.title] += 1
            keys.add(key)
        article_count.update(keys)
    rows = [
        Entity(
            canonical=canonical,
            label=label,
            aliases=dict(aliases[(canonical, label)].most_common()),
            mention_count=sum(aliases[(canonical, label)].values()),
            article_count=article_count[(canonical, label)],
            titles=[t for t, _ in titles[(canonical, label)].most_common()],
        )
        for canonical, label in aliases
    ]
    return sorted(rows, key=lambda e: (-e.mention_count, e.canonical, e.label))
