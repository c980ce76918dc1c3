"""Speaker coreference: the named person or organisation a speaker phrase ("he", "the spokesman",
"who", "Velk") stands for, read off one spaCy parse and the entity mentions of the text.

One pass over the text keeps a salience score per referent (a PERSON or ORG mention, or a proper
noun that spaCy left untagged), in the manner of Lappin and Leass: each mention adds weight (more
as a subject, more again as the subject of a cue verb, less inside quotation marks) and every
sentence boundary halves all scores. A third-person pronoun takes the most salient referent that
agrees with it in gender and number; the referent then keeps that gender, so "he" never becomes
Mary Chaworth once "she" was resolved to her. A definite description ("the spokeswoman") takes the
referent it was paired with earlier ("Jane Smith, a spokeswoman", "spokeswoman Jane Smith", "Smith
is the spokeswoman"), else the most salient referent of its kind when that is recent. A relative
"who/which/that" stands for its antecedent. What cannot be resolved gets no entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from transforms.attribution_cues import (
    CUE_VERBS,
    HELPER_ROLES,
    ISSUED_MESSAGES,
    OFFICE_PREPOSITIONS,
    ORG_ROLES,
    PERSON_ROLES,
    PERSONAL_BODIES,
    PLACE_BODIES,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    STATE_BODIES,
    TITLE_WORDS,
)
from transforms.config import SpeakerConfig
from transforms.models import Mention

SUBJECTS = ("nsubj", "nsubjpass")
# Determiners that make a role noun a known person: "the spokesman", "its chairman".
DEFINITE = frozenset("the this that its their".split())
# Personal possessives: "his lawyer", "my mother" is whoever was paired with that role earlier
# ("Jane Doe, his lawyer"), never a merely recent person of the kind (one's lawyer is not any lawyer).
POSSESSIVES = frozenset("my our your his her".split())
RELATIVE = frozenset("who that which whom".split())
FIRST_PERSON = frozenset("i we me us".split())
SECOND_PERSON = frozenset("you yourself yourselves".split())
# Third-person pronouns: gender ("m", "f") or number ("p" plural, "n" neuter) they ask of a referent.
PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
    "they": "p", "them": "p", "their": "p", "themselves": "p",
    "it": "n", "its": "n", "itself": "n",
}  # fmt: skip
# Honorifics and gendered nouns that tell a person's gender.
MALE_WORDS = frozenset(
    "mr mr. sir lord king prince father brother uncle husband son grandfather spokesman chairman "
    "congressman businessman councilman boy man gentleman monsieur herr".split()
)
FEMALE_WORDS = frozenset(
    "mrs mrs. ms ms. miss lady dame queen princess mother sister aunt wife daughter grandmother "
    "spokeswoman chairwoman congresswoman businesswoman councilwoman girl woman madam madame "
    "actress mme".split()
)
# Labels a pronoun may stand for: "he"/"she" people; "it" and "they" organisations (a country
# speaking is its government); "they" also a group (NORP: "Democrats").
PRONOUN_LABELS = {"m": ("PERSON",), "f": ("PERSON",), "p": ("ORG", "NORP"), "n": ("ORG", "GPE")}
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
# Roles in which an untagged proper noun is taken for a name: as an argument, not as a modifier.
UNTAGGED_NAME_ROLES = ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "dative")

# The lexicon's name must be this one-sided (share of women; nomquamgender's own default is 0.1
# uncertainty, i.e. at least 90% one way) and seen this often to be trusted.
GENDER_CERTAINTY = 0.9
GENDER_MIN_COUNT = 100


@dataclass
class Referent:
    """One discourse entity: its canonical name, label, gender when known, and salience."""

    name: str
    label: str
    gender: str | None = None
    score: float = 0.0
    roles: set[str] = field(default_factory=set)
    last: int = -1  # token index of its latest mention


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """Lower-cased first name -> "m", "f", or "u" (a first name both ways), from the nomquamgender
    package's name data."""
    # Read the package's data file with a regular expression rather than its API: json.load of all
    # 720,000 names takes ~4 s and 250 MB, the ~47,000 decisive ASCII names ~0.2 s and 30 MB. The file is
    # found without importing the package, whose __init__ imports pandas (~2 s of CPU per process).
    spec = find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        return {}
    try:
        raw = (Path(next(iter(spec.submodule_search_locations))) / "name_data.json").read_text("utf-8")
    except OSError:
        return {}
    genders = {}
    # [?, count, share of women, ?]: counts of one or two digits (below GENDER_MIN_COUNT) fail early.
    for name, count, share in re.findall(r'"([a-z]+)": \[\d+, ([1-9]\d{2,}), ([0-9.e-]+),', raw):
        female = float(share)
        if int(count) >= GENDER_MIN_COUNT:
            certain = max(female, 1 - female) >= GENDER_CERTAINTY
            genders[name] = ("f" if female >= GENDER_CERTAINTY else "m") if certain else "u"
    return genders


def name_gender(name: str, title: str | None) -> str | None:
    """Gender told by a person's title ("Mrs.") or first name, or None."""
    words = [w.lower().rstrip(".") for w in (title or "").split() + name.split()[:1]]
    for word in words:
        if word in MALE_WORDS:
            return "m"
        if word in FEMALE_WORDS:
            return "f"
    if not name.split():
        return None
    gender = first_name_genders().get(name.split()[0].lower())
    return gender if gender in ("m", "f") else None


def _inside(index: int, quotes) -> bool:
    """True when a character offset lies inside one of the quotations."""
    return any(s <= index < e for s, e in quotes)


def _is_cue_subject(token) -> bool:
    """True for the subject of a cue verb ("Velk" in "Velk said")."""
    return token.dep_ in SUBJECTS and token.head.lemma_.lower() in CUE_VERBS


def _is_speaker(token) -> bool:
    """True for the subject of a verb of speech ("Velk said", "Velk asked"): only people and bodies
    speak, while "the study found", "Earth finds us" take any subject."""
    return token.dep_ in SUBJECTS and token.head.lemma_.lower() in SPEECH_VERBS


def _with_the(token) -> bool:
    """True for a name written with "the" ("The Chronicle says", "the Kremlin said"): a body, not a
    person; a title alone is a person ("the President", "the Pope"; not "the Union Leader")."""
    children = list(token.children)
    if token.lower_.rstrip(".") in TITLE_WORDS and not any(c.dep_ in ("compound", "flat") for c in children):
        return False
    return any(c.dep_ == "det" and c.lower_ == "the" for c in children)


def _capitals_only(words, lower: set[str]) -> bool:
    """True for a proper noun that names no one: titles and roles only ("CEO", "Retired General"), or the
    capitals a headline or a sentence's start puts on words the text writes in lower case elsewhere, or
    on a date ("New Poll Shows", "Research also shows", "Tuesday"). With "the" it names one ("the Pope", "The Times")."""
    if any(c.dep_ == "det" and c.lower_ == "the" for c in words[-1].children):
        return False
    if all(w.lower_.rstrip(".") in TITLE_WORDS or w.lemma_.lower() in PERSON_ROLES for w in words):
        return True
    # Only there: inside a sentence of lower-case words a capital marks a name, even one that is also
    # a word ("Bird said", "says WHO").
    sentence = words[0].sent
    letters = [t for t in sentence if t.is_alpha]
    headline = sum(t.is_title for t in letters) > len(letters) / 2
    if not (headline or words[0].i == sentence.start):
        return False
    return all(w.lower_ in lower or w.ent_type_ in ("DATE", "TIME") for w in words)


def _is_group(token) -> bool:
    """True for an unnamed plural that speaks or is of the kind that does ("analysts say", "officials")."""
    if token.tag_ != "NNS" or token.dep_ not in SUBJECTS:
        return False
    lemma = token.lemma_.lower()
    return _is_cue_subject(token) or lemma in PERSON_ROLES or lemma in SOURCE_NOUNS


def _weight(token, quotes, config: SpeakerConfig) -> float:
    """Salience a mention adds, from its grammatical role and whether it is quoted."""
    weight = config.weight_mention
    if token.dep_ in SUBJECTS:
        weight += config.weight_subject
        if _is_speaker(token):
            weight += config.weight_speaker
    elif token.dep_ in ("dobj", "pobj", "dative"):
        weight += config.weight_object
    return weight * (config.quoted_factor if _inside(token.idx, quotes) else 1.0)


def _name_head(token):
    """The head of a proper-noun phrase: up over compound and flat links."""
    while token.dep_ in ("compound", "flat") and token.head.i != token.i and token.head.pos_ == "PROPN":
        token = token.head
    return token


def _name_words(head) -> list:
    """The proper nouns naming a head through compound and flat links at any depth, in text order:
    all of "The Hill Online newspaper", where "Hill" hangs from "Online", not only "Online"."""
    words, stack = [], [head]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in ("compound", "flat") and child.pos_ == "PROPN":
                words.append(child)
                stack.append(child)
    return sorted(words, key=lambda t: t.i)


def _role_lemma(token) -> str | None:
    """The role noun a description names ("spokeswoman" of "a local spokeswoman"), lower-cased."""
    return token.lemma_.lower() if token.pos_ == "NOUN" else None


# Determiners that make a party or nationality noun one of its members: "the Republican", "one Democrat".
ONE_MEMBER_WORDS = frozenset("a an the one another this that each every".split())


PLACE_LABELS = ("GPE", "LOC", "FAC")  # labels of places: a place before a person noun says where from


def governing_verb(noun, through=("dobj", "pobj", "prep")):
    """The verb a noun is the object of, through prepositions ("issued a statement", "said in a statement"), or None."""
    token = noun
    while token.dep_ in through and token.head.i != token.i:
        token = token.head
        if token.pos_ == "VERB":
            return token
    return None


def is_source_noun(token) -> bool:
    """True for a noun that names a source by role, not by name: "aides", "an official", "people familiar ..."."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in SOURCE_NOUNS


def _one_member(token) -> bool:
    """True for a singular nationality or party noun with a determiner or "one": "the Arizona Republican",
    "a Democrat", "another New Hampshire Democrat" describe one member, never the party or the nation."""
    return (
        token.ent_type_ == "NORP"
        and token.tag_ in ("NN", "NNP")
        and any(c.dep_ in ("det", "nummod") and c.lower_ in ONE_MEMBER_WORDS for c in token.children)
    )


class Speakers:
    """Resolves the speaker phrases of one parsed text to the referents they stand for."""

    def __init__(
        self, doc, mentions: list[Mention], quotes=(), config: SpeakerConfig | None = None, every_pronoun: bool = False
    ):
        self.doc = doc
        # every_pronoun: also answer for pronouns no speaker needs (quoted, "it"/"they" as objects),
        # as if each were a cue's subject, for benchmarks/pronouns.py; off in the pipeline (CPU).
        self.every_pronoun = every_pronoun
        self.pronouns: dict[int, Referent | None] = {}  # token index -> referent, when every_pronoun
        self.config = config or SpeakerConfig()
        self.quotes = quotes
        self.referents: dict[str, Referent] = {}
        self.by_token: dict[int, Referent] = {}  # token index -> referent it names or stands for
        self._group = -1  # token index of the latest unnamed plural speaker ("Military analysts say")
        # "they" cue subject -> the unnamed plural it stands for (a later "they said" of "officials said")
        self.groups: dict[int, int] = {}
        self._introduced: dict[str, int] = {}  # role -> token index of its latest "a <role>" ("a young woman")
        self._written: dict[str, Referent] = {}  # a mention's text as written -> its referent ("McClatchy")
        self._mention_at = self._index_mentions(mentions)
        # Dependents looked up for many tokens, gathered in one pass: Token.children scans the
        # whole sentence on every call, which long sentences make slow.
        self._appositions: dict[int, list] = {}
        self._name_parts: dict[int, list] = {}
        for token in doc:
            if token.dep_ == "appos":
                self._appositions.setdefault(token.head.i, []).append(token)
            elif token.dep_ in ("compound", "flat") and token.pos_ == "PROPN":
                self._name_parts.setdefault(token.head.i, []).append(token)
        # Words the text writes in lower case: the same word capitalised alone is no name (a headline's capitals).
        self._lower_words = {t.text for t in doc if t.text.islower()}
        self._speaking_names = self._first_names_speaking()
        self._by_title = self._titled_persons(mentions)
        self._run()

    def _index_mentions(self, mentions):
        """Map each token index to the PERSON/ORG/GPE/NORP mention containing it and the mention's root."""
        at = {}
        for mention in mentions:
            if mention.label not in SPEAKER_LABELS:
                continue
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            if mention.label == "NORP" and (span.root.dep_ == "amod" or _one_member(span.root)):
                # "American officials": an adjective names no group a later "they" stands for;
                # "the Arizona Republican", "one New Hampshire Democrat": one person described, not the party
                continue
            for token in span:
                at[token.i] = (mention, span.start, span.root)
        return at

    def _first_names_speaking(self) -> set[str]:
        """Canonical names of one-word mentions spaCy took for a place or a body that speak somewhere
        in the text and are first names ("Veronique said", "Carroll said"): persons from the start."""
        names = set()
        for mention, _first, root in self._mention_at.values():
            name = mention.canonical or mention.text
            if mention.label != "PERSON" and " " not in name and _is_speaker(root):
                if name.lower() in first_name_genders():
                    names.add(name)
        return names

    def _titled_persons(self, mentions) -> dict[tuple[str, str], str]:
        """(linked name, title's gender) -> the surname as written, where the two genders differ."""
        # The entity stage joins a titled surname to a full name of the title's gender when the text
        # has one (transforms/entities._link_name_parts); when it has none it keeps the link ("Mr.
        # Graham" is Lindsey Graham, a first name the lexicon calls female), but a speaker stays the
        # surname as written: "Mrs. Clinton" beside only Bill Clinton is not Bill Clinton.
        found = {}
        for mention in mentions:
            name = mention.canonical or mention.text
            told = name_gender("", mention.title) if mention.label == "PERSON" and mention.title else None
            if told is not None and name_gender(name, None) not in (None, told):
                found.setdefault((name, told), mention.text.split()[-1])
        return found

    def _referent(self, name: str, label: str, title: str | None = None) -> Referent:
        """The referent of a canonical name, created on first sight."""
        referent = self.referents.get(name)
        if referent is None:
            gender = name_gender(name, title) if label == "PERSON" else None
            referent = self.referents[name] = Referent(name, label, gender)
        elif label == "PERSON" and referent.label != "PERSON":
            referent.label, referent.gender = label, name_gender(name, title)  # the place that spoke
        elif referent.gender is None and label == "PERSON" and title:
            referent.gender = name_gender(name, title)
        if title:  # "Mayor Ilsa Dorn": she is "the mayor" from now on
            referent.roles.update(word.lower().rstrip(".") for word in title.split())
        return referent

    def _run(self) -> None:
        """One pass in text order: add mentions to salience, resolve pronouns and descriptions."""
        doc = self.doc
        for token in doc:
            if token.is_sent_start:  # token.sent builds a Span each time: far slower
                for referent in self.referents.values():
                    referent.score /= 2  # recency: halve every referent's salience each sentence
            found = self._mention_at.get(token.i)
            if found is not None:
                mention, first, root = found
                name = mention.canonical or mention.text
                label = "PERSON" if name in self._speaking_names else mention.label
                if mention.title and self._by_title and label == "PERSON":
                    # a title's gender outweighs the linked name's: "Mrs. Clinton" is not Bill Clinton
                    name = self._by_title.get((name, name_gender("", mention.title)), name)
                referent = self._referent(name, label, mention.title)
                if label == "PERSON" and mention.text != name and mention.text.endswith(" " + name):
                    # "Kathleen Hawk Sawyer" joins "Hawk Sawyer", the form written more often, whose first
                    # word the lexicon calls a man's name: the longer form's first name is hers
                    referent.gender = name_gender(mention.text, mention.title) or referent.gender
                self.by_token[token.i] = referent
                referent.last = token.i
                if token.i == first:
                    self._written[" ".join(mention.text.split())] = referent
                    referent.score += _weight(root, self.quotes, self.config)
                    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < first:
                        # "The group, WeWorkers Coalition, formed ...": the role noun came before the name
                        # (_pair_role, run at the noun, met no name yet); "the group" is the coalition from now on
                        role = _role_lemma(root.head)
                        if role is not None:
                            referent.roles.add(role)
                continue
            if (
                token.pos_ == "PROPN"
                and token.text[:1].isupper()  # "a rampant xenophobe" tagged PROPN is no name
                and token.i == _name_head(token).i
                and token.dep_ in UNTAGGED_NAME_ROLES
                and not _one_member(token)
            ):
                referent = self._untagged(token)
                if referent is not None:
                    self.by_token[token.i] = referent
                    referent.last = token.i
                    referent.score += _weight(token, self.quotes, self.config)
                    continue
            lower = token.lower_
            if lower in PRONOUNS and token.pos_ == "PRON":
                want = PRONOUNS[lower]
                # "it" and "they" are too often no one ("it is", "they say") to feed salience: only
                # when a cue verb's subject are they resolved.
                if not _inside(token.idx, self.quotes) and (want in ("m", "f") or _is_cue_subject(token)):
                    referent = self._resolve_pronoun(token, want)
                    if referent is not None:
                        self.by_token[token.i] = referent
                        referent.last = token.i
                        if want in ("m", "f"):
                            referent.gender = referent.gender or want
                            referent.score += _weight(token, self.quotes, self.config)
                elif self.every_pronoun:
                    referent = self._resolve_pronoun(token, want)
                if self.every_pronoun:
                    self.pronouns[token.i] = referent
                continue
            if token.pos_ == "NOUN":
                self._pair_role(token)
                if token.dep_ not in ("appos", "attr") and any(c.lower_ in ("a", "an") for c in token.children):
                    self._introduced[token.lemma_.lower()] = token.i
                if _is_group(token) and not _inside(token.idx, self.quotes):
                    self._group = token.i
                if token.dep_ in SUBJECTS or token.dep_ == "pobj":
                    referent = self._resolve_description(token)
                    if referent is not None:
                        self.by_token[token.i] = referent
                        referent.last = token.i
                        referent.score += _weight(token, self.quotes, self.config)

    def _untagged(self, token) -> Referent | None:
        """A person named by a proper noun spaCy did not tag ("Veronique said"), when it speaks or a
        title precedes it: any proper-noun subject would make persons of "Earth" and "Congress"."""
        words = sorted([*self._name_parts.get(token.i, []), token], key=lambda t: t.i)
        written = " ".join(t.text for t in words)
        known = self._known(written)
        if known is not None:
            return known
        if _capitals_only(words, self._lower_words):
            return None  # "The Podesta Group's CEO, Kimberley Fritts, said": the role, not a name
        name = self._full_name(written)
        before = token.doc[words[0].i - 1] if words[0].i > 0 else None
        title = before.text if before is not None and before.lower_.rstrip(".") in MALE_WORDS | FEMALE_WORDS else None
        # "The group that owns most of her music, Big Machine, says": the name a speaking role noun is given
        role = _role_lemma(token.head) if token.dep_ == "appos" and _is_speaker(token.head) else None
        label = "ORG" if role in ORG_ROLES or _with_the(token) else "PERSON"
        if not (title or _is_speaker(token) or role in ORG_ROLES or role in PERSON_ROLES):
            return None
        # Gender from the title or the referent's own pronouns only: the lexicon has "Earth" a woman.
        referent = self.referents[name] = Referent(name, label, name_gender("", title) if title else None)
        return referent

    def _known(self, written: str) -> Referent | None:
        """The referent of a name spaCy did not tag here: one the text tagged written the same, else one whose name ends or starts so."""
        # "Sacramento-based McClatchy ... McClatchy reported": spaCy tagged the name once and not
        # here; the same words name the same referent (the organisation McClatchy Co.)
        return self._written.get(written) or self.referents.get(self._full_name(written))

    def _full_name(self, name: str) -> str:
        """A known referent whose name ends or starts with this single word, else the word itself."""
        if " " in name:
            return name
        for referent in self.referents.values():
            words = referent.name.split()
            if referent.label == "PERSON" and len(words) > 1 and name in (words[0], words[-1]):
                return referent.name
        return name

    def _pair_role(self, noun) -> None:
        """Record that a role noun describes a named referent: apposition, compound or copula."""
        role = _role_lemma(noun)
        if role is None:
            return
        named = None
        if noun.dep_ == "appos":
            named = self.by_token.get(_name_head(noun.head).i)  # "Jane Smith, a spokeswoman"
        elif noun.dep_ == "compound" and noun.head.pos_ == "PROPN":
            named = self.by_token.get(noun.head.i)  # "spokeswoman Jane Smith"
        elif noun.dep_ == "attr" and noun.head.lemma_ == "be":
            subject = next((c for c in noun.head.children if c.dep_ in SUBJECTS), None)
            named = self.by_token.get(subject.i) if subject is not None else None  # "Smith is the spokeswoman"
        if named is None:
            for child in self._appositions.get(noun.i, []):  # "the spokeswoman, Jane Smith"
                if child.pos_ == "PROPN":
                    named = self.by_token.get(child.i)
        if named is not None:
            named.roles.add(role)
            if named.gender is None and named.label == "PERSON":
                named.gender = "m" if role in MALE_WORDS else "f" if role in FEMALE_WORDS else None

    def _resolve_pronoun(self, token, want: str) -> Referent | None:
        """The most salient referent agreeing with a pronoun, not a co-argument of its own verb."""
        labels = PRONOUN_LABELS[want]
        excluded = {
            self.by_token[c.i].name
            for c in token.head.children
            if c.i != token.i and c.i in self.by_token and c.dep_ not in SUBJECTS
        }  # "he told Smith": he is not Smith
        # Hobbs's preference: an agreeing subject of an enclosing clause, before the pronoun, beats a
        # referent made salient by many earlier mentions ("Hugo Campos discovered he ...", "Steve Mann
        # was assaulted because his ..."): gum-dev pronouns half A +5, half B +9 (docs/speakers.md).
        found = self._dislocated(token, want, labels) or self._clause_subject(token, want, labels, excluded)
        if found is None and want in ("m", "f") and token.dep_ in SUBJECTS:
            found = self._last_speaker(token, want, excluded)
        if found is not None:
            return found
        # "it"/"they" stand for a body only when one was named in the last three sentences or so
        # (min_recent_pronoun): both words are often something else ("it is", "they say").
        # Any earlier "he"-compatible referent will do: a cut at 6 sentences back lost more right
        # answers on gum-dev than wrong ones (pronouns half B 0.593 against 0.667 without it).
        best, best_score = None, 0.0 if want in ("m", "f") else self.config.min_recent_pronoun
        for referent in self.referents.values():
            if referent.label not in labels or referent.name in excluded:
                continue
            score = referent.score
            if want in ("m", "f"):
                if referent.gender not in (None, want):
                    continue
                if referent.gender is None:
                    score *= self.config.unknown_gender_factor
            if score > best_score:
                best, best_score = referent, score
        if best is None and want == "p":
            # Singular "they" when no body is recent: a person whose gender nothing tells (a litigant,
            # "Emily Yoshida ... their Guide"), never one known as "he" or "she"; the same recency
            # bar as a body (best_score is still min_recent_pronoun here).
            for referent in self.referents.values():
                if referent.label == "PERSON" and referent.gender is None and referent.name not in excluded:
                    if referent.score > best_score:
                        best, best_score = referent, referent.score
        if want == "p" and self._group >= 0 and (best is None or best.last < self._group):
            # "Military analysts say X. Y, they said": a "they" after an unnamed plural speaker more
            # recent than any body stays unresolved rather than skipping back to an older named one;
            # the group is kept when it spoke in this sentence or the two before (anonymous officials
            # stay anonymous: the attribution stage reads it).
            if self._sentences_between(self._group, token.i) <= 2:
                self.groups[token.i] = self._group
            return None
        return best

    def _sentences_between(self, first: int, last: int) -> int:
        """How many sentence starts lie after token `first` up to token `last`."""
        return sum(1 for t in self.doc[first + 1 : last + 1] if t.is_sent_start)

    def _last_speaker(self, token, want: str, excluded: set[str]) -> Referent | None:
        """The agreeing person who spoke in, or was the subject of, the sentence before a "he"/"she" subject."""
        # "Mr. Graham said X. ''...,'' he said" is Mr. Graham however salient the people of X are
        # (the audit's class d): centring on the last sentence's main subject before salience.
        # PolNeAR train 84 + 36 speakers changed, 108 read right (docs/speakers.md, issue i33);
        # gum-dev unchanged.
        start = token.sent.start
        for before in self.doc[start : token.i]:
            referent = self.by_token.get(before.i)
            if referent is not None and referent.label == "PERSON" and referent.gender in (None, want):
                if not _inside(before.idx, self.quotes):
                    return None  # "In West Miami, where Mr. Rubio began, he ...": a nearer candidate
        while start > 0:
            sentence = self.doc[start - 1].sent
            start = sentence.start
            if all(t.is_space or t.is_punct or _inside(t.idx, self.quotes) for t in sentence):
                continue  # a quoted sentence: the speaker is the one who introduced it
            if sentence.root.pos_ not in ("VERB", "AUX"):
                return None  # a fragment ("Govs. | Jeb Bush and Chris Christie, who say ..."): cut wrong
            # The active subject nearest the root ("the case was argued" is no speaker; "Ryan did not
            # exude confidence when Tapper asked ..." is Ryan's sentence); two as near (a parse error)
            # tell nothing.
            subjects = [t for t in sentence if t.dep_ == "nsubj" and (_is_cue_subject(t) or t.i in self.by_token)]
            if not subjects:
                return None
            depth = min(len(list(t.ancestors)) for t in subjects)
            nearest = {id(found): found for found in (self.resolve(t) for t in subjects if len(list(t.ancestors)) == depth)}
            if len(nearest) != 1:
                return None
            (referent,) = nearest.values()
            if referent is None or referent is not self.referents.get(referent.name):
                return None
            if referent.label == "PERSON" and referent.gender == want and referent.name not in excluded:
                return referent
            return None
        return None

    def _dislocated(self, token, want: str, labels) -> Referent | None:
        """The name a subject pronoun takes up from a phrase before it and a comma: "the head of NATO, Hoop Scheffer, he has explained"."""
        # Spoken English (interviews, transcripts) puts the subject first and repeats it as a
        # pronoun; the parser makes the phrase a second subject, a "dep" or an "npadvmod" of the same verb.
        if token.dep_ not in SUBJECTS or token.i == 0 or token.doc[token.i - 1].text != ",":
            return None
        phrase = next((c for c in token.head.children if c.i < token.i and c.dep_ in (*SUBJECTS, "dep", "npadvmod")
                       and c.pos_ in ("NOUN", "PROPN") and c.right_edge.i == token.i - 2), None)
        if phrase is None:
            return None
        # The phrase's last agreeing name: an apposition names the description it follows.
        for i in range(phrase.right_edge.i, phrase.left_edge.i - 1, -1):
            referent = self.by_token.get(i)
            if referent is not None and referent.label in labels and (want not in ("m", "f") or referent.gender in (None, want)):
                return referent
        return None

    def _clause_subject(self, token, want: str, labels, excluded: set[str]) -> Referent | None:
        """The subject of the nearest enclosing clause that comes before a pronoun and agrees with it."""
        node = token
        while node.head.i != node.i:
            child, node = node, node.head
            if node.pos_ not in ("VERB", "AUX") or (child.i == token.i and child.dep_ in ("dobj", "dative")):
                continue  # "Smith told him": him is not Smith
            for subject in node.children:
                if subject.dep_ not in SUBJECTS or subject.i >= token.i or subject.i == child.i:
                    continue
                referent = self.by_token.get(subject.i)
                if referent is not None and referent.label in labels and referent.name not in excluded:
                    if want not in ("m", "f") or referent.gender in (None, want):
                        return referent
        return None

    def _resolve_description(self, noun) -> Referent | None:
        """A definite role description's referent: the one paired with the role, else a recent one."""
        role = _role_lemma(noun)
        determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss")}
        if not determiners & (DEFINITE | POSSESSIVES):
            return None  # "a spokesman", "spokesmen": someone new
        paired = [r for r in self.referents.values() if role in r.roles]
        if paired:
            return max(paired, key=lambda r: r.score)
        if not determiners & DEFINITE:
            return None
        if role in HELPER_ROLES:
            return None  # "the aide" unpaired is nobody named: the person in view is whom the aide serves
        if role in PERSON_ROLES:
            labels = ("PERSON",)
        elif role in ORG_ROLES:
            labels = ("ORG",)
        else:
            return None
        gender = "m" if role in MALE_WORDS else "f" if role in FEMALE_WORDS else None
        candidates = [
            r
            for r in self.referents.values()
            if r.label in labels
            and r.score >= self.config.min_recent_score
            and (gender is None or r.gender in (None, gender))
        ]
        # "the campaign" is the "Clinton campaign" named earlier rather than the outlet named last
        named = [r for r in candidates if role in r.name.lower().split()]
        best = max(named or candidates, key=lambda r: r.score) if candidates else None
        introduced = self._introduced.get(role)
        if best is not None and introduced is not None and best.last < self.doc[introduced].sent.end:
            # "A young woman asked Mrs. Clinton ... The woman said": the one introduced, who has no name
            return None
        return best

    def _issuer_of(self, message) -> Referent | None:
        """Who put out "the statement" (or "his letter") that speaks: the possessor, else the subject of
        the verb that governs the same message noun a few sentences before ("said in a statement",
        "issued a statement", "denied it in a statement shared ...")."""
        owner = next((c for c in message.children if c.dep_ == "poss"), None)
        if owner is not None:  # "Tuesday's Morning Email" is a newsletter's name, not a day's letter
            return None if owner.ent_type_ in ("DATE", "TIME") else self.resolve(owner)
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in message.children):
            return None  # "a statement said": one the text has not introduced
        earlier, sentences = None, 0
        for token in reversed(self.doc[: message.i]):
            if token.lemma_ == message.lemma_ and token.pos_ == "NOUN":
                earlier = token
                break
            sentences += token.is_sent_start
            if sentences > self.config.issued_message_sentences:
                return None
        if earlier is None:
            return None
        if earlier.dep_ == "nsubj":
            return self._issuer_of(earlier)  # '“...,” the statement read. “...,” the statement continued.'
        verb = governing_verb(earlier, ("pobj", "prep", "dobj", "conj", "appos"))
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        if subject is None or (subject.pos_ == "NOUN" and subject.lemma_ in ISSUED_MESSAGES):
            return None
        return self.resolve(subject)

    def _office_holder(self, title) -> Referent | None:
        """The person a title in apposition names when the parser hung the name under the office's
        place: "another diplomat, former special envoy to Ukraine Kurt Volker" (Volker the object of
        "to", "Ukraine" its compound); not "an aide to Jane Doe", whose object is whom the aide serves."""
        for prep in title.children:
            if prep.dep_ != "prep" or prep.lower_ not in OFFICE_PREPOSITIONS:
                continue
            for name in prep.children:
                referent = self.by_token.get(name.i)
                glued = any(
                    c.dep_ == "compound" and c.i in self.by_token and self.by_token[c.i].label == "GPE"
                    for c in name.children
                )
                if name.dep_ == "pobj" and glued and referent is not None and referent.label == "PERSON":
                    return referent
        return None

    def names_person(self, token) -> bool:
        """True for a token inside a PERSON mention of the entity stage (whatever spaCy's own tag)."""
        found = self._mention_at.get(token.i)
        return found is not None and found[0].label == "PERSON"

    def pronoun(self, token) -> Referent | None:
        """The referent given a third-person pronoun as if it were a cue's subject (every_pronoun=True; else None)."""
        return self.pronouns.get(token.i)

    def resolve(self, subject) -> Referent | None:
        """The referent a speaker phrase stands for, or None when it cannot be told."""
        if subject is None:
            return None
        if subject.lower_ in RELATIVE and subject.head.dep_ == "relcl":
            relative = subject.lower_
            subject = subject.head.head  # "Jane Doe, who said ..." speaks for Jane Doe
            if relative == "who" and subject.pos_ == "NOUN" and subject.dep_ == "attr" and subject.head.lemma_ == "be":
                # "Trump is a serial liar ... who has pledged": the copula's subject is the one described
                # ("who" only: "X was the biggest donor to the super PAC that backed" hangs "that" on "donor")
                subject = next((c for c in subject.head.children if c.dep_ == "nsubj"), subject)
        head = _name_head(subject)
        for token in (subject, head):
            if token.i in self.by_token:
                return self.by_token[token.i]
        if head.dep_ == "appos" and head.tag_ in ("NN", "NNP") and head.head.i < head.i and head.head.i in self.by_token:
            # "Gov. John Kasich, a Republican who said ...": the one name a singular description follows
            return self.by_token[head.head.i]
        # "Jane Doe, press secretary", "the Hill newspaper", "the Acme board": the name in the phrase;
        # not the state of "the Arizona Republican" (one member of a party, from a place)
        # nor the principal of a source noun ("Clinton aides", "a senior Cruz adviser": unnamed aides)
        kind = head.lemma_.lower()
        roles = ("appos",) if _one_member(head) or is_source_noun(head) else ("appos", "compound")
        if kind in PERSONAL_BODIES or kind in STATE_BODIES:
            roles = (*roles, "poss")  # "Clinton's campaign", "his office": the person it acts for
        for child in head.children:
            if child.dep_ in roles and child.i in self.by_token:
                found = self.by_token[child.i]
                if child.dep_ == "compound" and found.label in PLACE_LABELS and kind not in PLACE_BODIES:
                    continue  # "the New York businessman", "One California delegate": someone from there
                if child.dep_ == "poss" and kind not in PERSONAL_BODIES and found.label not in PLACE_LABELS:
                    continue  # "Russia's foreign ministry" speaks for Russia, as "the Beijing government" does
                return found
        for title in self._appositions.get(head.i, []):
            holder = self._office_holder(title)
            if holder is not None:
                return holder
        if head.pos_ == "NOUN" and kind in ISSUED_MESSAGES:
            issuer = self._issuer_of(head)
            if issuer is not None:
                return issuer
        if head.pos_ == "NOUN" and head.lemma_.lower() in ORG_ROLES:
            # "The Hill Online newspaper reported": a body named by the proper nouns before its kind
            words = _name_words(head)
            if words:
                return Referent(" ".join(t.text for t in words), "ORG")
        if head.i == head.sent.start and head.pos_ == "NOUN" and head.is_title and head.dep_ in ("ROOT", "compound"):
            # "Trump charges that ...": a name the parser made a common noun (the verb "trump") at the
            # start of a sentence that lost its verb
            found = self._known(head.text)
            if found is not None:
                return found
        if head.pos_ == "PROPN" and head.text[:1].isupper() and not _inside(head.idx, self.quotes) and not _one_member(head):
            # A proper noun no stage knew ("Coase argues"): the name as written is the best guess.
            # Written in lower case it is a tagging slip ("a rampant xenophobe who ..."), no name.
            words = sorted([*_name_words(head), head], key=lambda t: t.i)
            if _capitals_only(words, self._lower_words):
                return None  # a headline's "Judge rejects", "New Poll Shows": capitals, no name
            return Referent(" ".join(t.text for t in words), "ORG" if _with_the(head) else "PERSON")
        return None
