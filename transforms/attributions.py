"""Attributions: who said what, on whose authority, read off the spaCy dependency parse.

A cue is a verb from transforms.attribution_cues, "according to", a no-comment phrase, a dash
signing a quotation ("“...” — Jane Doe") or a name opening a line ("Jane Doe: ..."). The speaker is
the grammatical subject as written; speaker_entity is the canonical name it stands for (its own
name, or for a pronoun, a relative word or a description the referent transforms.speakers resolves
it to) and speaker_type says what kind of speaker it is (person, organization, anonymous, author,
unresolved). "You" is never a speaker; questions and imperatives state nothing. The content
is the quotation next to the cue clause when there is one (kind direct), else the complement the
cue takes: a clause, an object, a to-clause (kind indirect). A quotation split by its cue is one
content from the first quotation mark to the last, as PolNeAR marks it; a quotation after the end
of the cue's sentence is someone else's.
Beliefs and intentions ("X believes", "X wants to") are covered because PolNeAR annotates them and
they answer the same question, whose view is this; see the lexicon for the verbs. Cues inside a
quotation are not: they are the quoted speaker's words, and PolNeAR rarely marks them.
"""

from __future__ import annotations

import re
from collections import Counter

from transforms.attribution_cues import (
    ANONYMITY_FRAME_VERBS,
    ANONYMITY_MARKERS,
    ANONYMOUS_NOUNS,
    ANONYMOUS_WHEN_INDEFINITE,
    AUTHORED,
    CONTENT_PREPS,
    CROWD_QUANTIFIERS,
    CROWD_SIZE,
    CUE_NOUNS,
    CUE_VERBS,
    GLOSS_RELATIVES,
    NAMING_VERBS,
    NO_COMMENT_OBJECTS,
    NO_COMMENT_VERBS,
    NO_LISTENER_VERBS,
    NOBODY,
    OBJECT_CONTROL_VERBS,
    ORG_ROLES,
    PERMISSION_VERBS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    THOUGHT_VERBS,
    VIEW_VERBS,
)
from transforms.config import SpeakerConfig
from transforms.models import Attribution, Mention
from transforms.speakers import FIRST_PERSON, SECOND_PERSON, Speakers, _inside, governing_verb, is_source_noun

# Quotation marks: curly, straight, and the doubled apostrophes some wire copy uses ('' and ``).
QUOTE_MARK = re.compile(r"''|``|[\"“”„]")
OPENING_QUOTES = ("“", '"', "''", "``", "„")
CLOSING_QUOTES = ("”", '"', "''")
# Text allowed between a quotation and its cue clause for the two to belong together ("...,” he said),
# within one paragraph, or across a line break after a colon ("He said:\n“..."). A no-break space
# is a space (web copy puts one after "he said." before the next quotation: issue 17d, train F1
# +0.0011; dev has no such quotation, A and B +0.0000).
GLUE = re.compile(r"[ \t\xa0,:;.\-–—]*|[ \t\xa0]*:\s*")
# A dash and a name of up to four capitalised words ending the line, or followed by a handle.
SIGNATURE = re.compile(
    r"(?P<dash>[—―–])[ \t\xa0]*(?P<name>[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3}(?:[ \t]*\(@\w+\))?)"
    r"(?=[ \t\xa0]*(?:\n|$)|[ \t]*\(@|(?<=\))[ \t])"
)
# A line opened by up to four capitalised words and a colon: "Jane Doe: ...".
LABELLED_LINE = re.compile(
    r"(?m)^[\"“]?(?P<name>[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3})(?P<colon>:)[ \t]+\S[^\n]*"
)
# Entity types that can be the speaker of a labelled line.
SPEAKER_ENTITIES = ("PERSON", "ORG", "NORP", "GPE")
# What may separate quotations that run on as one statement (“A.” “B.”), and a cue's sentence from
# the quotation that goes on with it ("Schiff said. “The ...”"): spaces within the paragraph.
QUOTE_RUN = re.compile(r"[ \t\xa0]*")
# A wire dateline: a place in capitals, maybe a state, a date and an agency, then a dash.
DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,}(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)*)?(?:, [A-Z][a-z]{2,4}\.? \d+)?"
    r" ?(?:\([A-Za-z ]+\) ?)?(?:—|–|--|-) "
)
SUBJECTS = ("nsubj", "nsubjpass")
WHEN = ("DATE", "TIME")
# Prepositions linking a description to whom it speaks for ("spokesman for", "aide to", "head of").
PROXY_PREPS = ("for", "to", "of", "at")
# Characters a quotation may run past a reported clause that holds it: the clause span stops
# before the punctuation inside the closing mark ('was “worth more.”' ends at "more").
CLAIM_SLACK = 2
# Spaces and punctuation an aside takes with it (", Mr. Obama said, "; "Schiff said. " before a quotation).
ASIDE_EDGES = " \t\xa0,;.—–-"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each quotation, marks included, joining quotes run over paragraphs."""
    spans = []
    opened = None
    paragraphs = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    for index, (offset, para) in enumerate(paragraphs):
        for mark in QUOTE_MARK.finditer(para):
            if opened is not None and mark.start() == 0 and offset > opened:
                continue  # a quote run over paragraphs reopens at the start of each one
            if opened is not None and mark.group() in CLOSING_QUOTES:
                spans.append((opened, offset + mark.end()))
                opened = None
            elif mark.group() in OPENING_QUOTES:
                opened = offset + mark.start()  # an earlier mark still open was a stray one: drop it
        following = paragraphs[index + 1][1] if index + 1 < len(paragraphs) else ""
        if opened is not None and not QUOTE_MARK.match(following):
            opened = None  # unbalanced: never let one mark swallow the article
    return spans


def _edge(token, opened: bool) -> bool:
    """True for a token to trim from the edge of a span: spaces, punctuation other than quotation marks."""
    if token.is_space:
        return True
    if token.text == ")" and opened:
        return False  # keep the bracket of "the Harbour Gazette (HG)"
    return token.is_punct and not QUOTE_MARK.fullmatch(token.text)


def _span(tokens) -> tuple[int, int] | None:
    """Character span covering tokens, without punctuation or spaces at either edge."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and _edge(tokens[0], False):
        tokens.pop(0)
    # nor a conjunction left dangling at the end ("said the pier was unsafe and added ...")
    while tokens and (_edge(tokens[-1], any(t.text == "(" for t in tokens)) or tokens[-1].dep_ == "cc"):
        tokens.pop()
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subject(cue, quotes=()):
    """Subject token of a cue verb in its own sentence and outside quotations."""
    subject = _parsed_subject(cue)
    if subject is None and cue.tag_ in ("VBD", "VBZ"):
        # the parser left the cue without a subject: the speaker it hung elsewhere, first the most certain
        subject = (
            _inverted_subject(cue, quotes) or _object_after_message(cue) or _capitalised_modifier(cue)
            or _coordinated_speaker(cue) or _name_before(cue, quotes)
        )  # fmt: skip
    if subject is None or not _inside(subject.idx, quotes):
        return subject
    # The parser took a word of the quotation for the subject ("“..., I hold McCain,” Doe said"):
    # the speaker is the name or pronoun next to the cue outside the quotation; 3 tokens reach
    # over "Mr. Doe said" and "said Jane Doe" but not into a neighbouring clause.
    near = [
        t
        for t in cue.sent
        if 0 < abs(t.i - cue.i) <= 3 and t.pos_ in ("PROPN", "PRON", "NOUN") and not _inside(t.idx, quotes)
    ]
    if not near:
        return None
    token = min(near, key=lambda t: abs(t.i - cue.i))
    while token.dep_ in ("compound", "flat") and token.head.i != token.i:
        token = token.head
    return token


def _inverted_subject(cue, quotes):
    """The name right after a cue that the parser hung elsewhere: "“...,” said Dmitry Peskov, press
    secretary ..., told NYT" made Peskov the subject of "told" and left "said" without one."""
    for token in cue.doc[cue.i + 1 : cue.i + 4]:
        if _inside(token.idx, quotes) or token.sent != cue.sent or token.is_punct:
            break
        if token.pos_ == "PROPN" and token.ent_type_ not in WHEN:
            while token.dep_ in ("compound", "flat") and token.head.i != token.i:
                token = token.head
            return token
        if token.pos_ not in ("DET", "ADJ", "NOUN", "PROPN"):
            break
    return None


def _object_after_message(cue):
    """The speaker the parser made an object: in "Sondland was in charge, said another witness in the
    probe, Fiona Hill" the message comes first, so the noun after "said" cannot be what was said."""
    if cue.lemma_.lower() not in NO_LISTENER_VERBS:
        return None
    if not any(c.dep_ == "ccomp" and c.i < cue.i for c in cue.children):
        return None
    return next((c for c in cue.rights if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)


def _capitalised_modifier(cue):
    """A name the tagger read as an adverb of a speech verb: '“...,” says Early', 'Early still says' (Chris Early)."""
    if cue.lemma_.lower() not in SPEECH_VERBS:
        return None
    return next(
        (
            c for c in cue.children
            if c.dep_ in ("advmod", "npadvmod") and c.pos_ in ("ADV", "ADJ") and c.is_title and abs(c.i - cue.i) <= 2
        ),
        None,
    )


def _coordinated_speaker(cue):
    """'Roberts said Friday that she thinks X but said “...”': the parser hung the second "said" under
    the first as its clause; a cue with no subject right after "but"/"and" is the first cue's speaker going on."""
    if cue.dep_ != "ccomp" or cue.head.lemma_.lower() not in SPEECH_VERBS or cue.i == 0:
        return None
    if cue.doc[cue.i - 1].lower_ not in ("and", "but"):
        return None
    return next((c for c in cue.head.children if c.dep_ in SUBJECTS), None)


def _name_before(cue, quotes):
    """The name right before a cue with no subject ("... of the Washington Post Trump said"): before a
    finite verb that has none, it is the subject, whatever name the parser hung it on."""
    if cue.i == cue.sent.start:
        return None
    token = cue.doc[cue.i - 1]
    if token.pos_ != "PROPN" or token.ent_type_ in (*WHEN, "GPE", "LOC", "FAC") or _inside(token.idx, quotes):
        return None
    if token.ent_iob_ == "I" and token.ent_type_ != "PERSON":
        return None  # the end of "the Washington Post Trump", an outlet's name: no speaker beats a wrong one
    return token


def _parsed_subject(cue):
    """Subject token of a cue verb in its own sentence, following conjoined, participle and
    prepositional verbs ("... by criticizing") up to the verb that has one."""
    verb = cue
    for _ in range(5):  # a chain longer than "said, adding that, by noting ..." is a parse error
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
        if subjects:
            # "12:15 p.m.\n\nDonald Trump says": a live blog's time stamp parsed as a second subject
            # in the paragraph before; the subject in the cue's own paragraph, nearest the cue, speaks.
            local = _local(cue, subjects)
            # "said study co-author Jane Doe": the tokenizer split the hyphened noun and the parser
            # made its first part a second subject; the other subject is the speaker.
            whole = [t for t in local if not _before_hyphen(t)]
            return min(whole or local, key=lambda t: abs(t.i - cue.i)) if local else None
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            doer = _noun_clause_doer(verb, cue)
            return doer if doer is not None and _local(cue, [doer]) else None
        # "acomp": "Mr. Obama is determined to warn ...": up through the adjective to its copula.
        if verb.dep_ not in ("conj", "advcl", "xcomp", "pcomp", "prep", "acomp"):
            break
        if _continues_speaker(verb):
            verb = verb.head  # "Dorn said the ferry was late and added ...": Dorn added it, not the ferry
        if verb.dep_ == "xcomp":
            controller = _object_controller(verb)
            if controller is not None:
                return controller if _local(cue, [controller]) else None
        verb = verb.head
    # A sentence parsed as a noun phrase ("Jane Doe, the head of ... - said ...") has lost its
    # verb: the noun phrase at its root, before the cue, is the speaker.
    root = cue.sent.root
    return root if root.pos_ in ("PROPN", "NOUN") and root.i < cue.i and _local(cue, [root]) else None


def _noun_clause_doer(verb, cue):
    """Who does what a participle, to-clause or relative clause under a noun says ("a statement saying ...": the statement)."""
    # "a state seen as critical", "Gingrich, mentioned by Newsmax": the noun is what was said about,
    # the doer is the agent or no one; but the noun does what the participle's complement says
    # ("supporters required to vote", "a man convicted of threatening")
    below = next((c for c in verb.children if c.i == cue.i or c.is_ancestor(cue)), None)
    if _reduced_passive(verb) and (below is None or below.dep_ == "conj"):
        return _agent(verb)
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return _infinitive_doer(verb.head)
    return _issuer(verb) or verb.head


def _speaking_subject(verb, quotes):
    """Who a speech verb's clause says spoke: a passive cue's agent, else its subject (not for no-comment
    cues, whose passive "could not be reached" keeps its subject)."""
    if not _passive(verb) and not _raised_passive(verb):
        return _subject(verb, quotes)
    told = next(c for c in verb.children if c.dep_ == "nsubjpass")
    # "You're promised a smooth ride", "you're told to wait": the generic reader, as "you tell yourself"
    # is; the subject "you" drops the row, as it would in the active voice
    return told if told.lower_ in SECOND_PERSON else _agent(verb)


def _passive(verb) -> bool:
    """True for a passive cue whose subject is not what it reports on ("The senator was asked whether",
    "BED is considered the most common disorder"); not "he's said" (has said), nor a subject raised into
    the cue's to-clause or participle ("Obama is reported to have said", "is expected to announce")."""
    return _passive_voice(verb) and not any(c.dep_ == "xcomp" for c in verb.children)


def _raised_passive(verb) -> bool:
    """True for a passive cue whose subject is raised into a to-clause that reports no speech ("The accord is expected to be ratified")."""
    # The subject is what was expected or asked ("she was asked to give a talk"), not who did it; when
    # the to-clause reports speech ("Obama is reported to have said") the subject speaks.
    clauses = [c for c in verb.children if c.dep_ == "xcomp"]
    chain = clauses + [c for x in clauses for c in x.children if c.dep_ in ("xcomp", "conj")]
    return _passive_voice(verb) and bool(clauses) and not any(t.lemma_.lower() in CUE_VERBS for t in chain)


def _passive_voice(verb) -> bool:
    """True for a verb with a passive subject and a passive auxiliary other than "'s" ("he's said", "he's wanted": has)."""
    children = list(verb.children)
    return any(c.dep_ == "nsubjpass" for c in children) and any(
        c.dep_ == "auxpass" and c.lower_ not in ("'s", "’s") for c in children
    )


def _participle(verb) -> bool:
    """True for a past participle, or one the parser tagged past tense but gave an object complement ("a PAC called Future 45")."""
    # A past tense verb under a noun is otherwise mostly a misparsed main verb with its subject ("a man yelled “Stay there!”").
    return verb.tag_ == "VBN" or (verb.tag_ == "VBD" and any(c.dep_ == "oprd" for c in verb.children))


def _reduced_passive(verb) -> bool:
    """True for a past participle describing a noun, with no subject or object of its own ("questions asked of the candidates")."""
    deps = {c.dep_ for c in verb.children}
    if verb.dep_ != "acl" or deps & {*SUBJECTS, "dobj", "dative", "ccomp"}:
        return False
    if verb.head.dep_ == "ROOT" or (verb.head.pos_ == "PROPN" and "agent" not in deps):
        # the sentence's only verb ("One councillor called Dorn “a disgrace.”"); after a name, mostly
        # that name's verb ("Mitt Romney, the nominee, tweeted in response")
        return False
    if sum(c.dep_ == "oprd" for c in verb.children) > 1:
        return False  # "one lawmaker called Trump “the orange prince”": an object and a predicate
    return _participle(verb)


def _infinitive_doer(noun):
    """Who does what a noun's to-clause says ("Trump's refusal to endorse"), or None."""
    # Ranked, the noun itself ("the first Democrat to endorse"), or the copula's subject it describes
    # ("Grijalva was the first Democrat to endorse"); given, the dative ("gives Biden the chance to
    # defend"); else the noun's owner ("Clinton has a chance to show"), none in "It's no exaggeration to call".
    if any(c.lower_ in RANKS or c.tag_ == "JJS" for c in noun.children if c.dep_ in ("amod", "advmod", "det")):
        if noun.dep_ == "attr":
            return next((c for c in noun.head.children if c.dep_ == "nsubj"), noun)
        return noun
    if noun.dep_ == "dobj" and (given := next((c for c in noun.head.children if c.dep_ == "dative"), None)):
        return given
    return _noun_owner(noun, ())


# Words that make a noun the doer of its to-clause ("the only Republicans to vote against").
RANKS = frozenset("first last only next second third".split())


def _agent(verb):
    """The speaker of a passive cue: who did it ("was criticized by Senator Smith"), or nobody; its
    subject is what was said or whom it was said to ("The senator was asked whether ...")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _object_controller(xcomp):
    """The object that does what a causative or perception verb's to-clause or participle says ("left
    her wanting to learn more", "leads the journalist to fear"): it, not the verb's subject, speaks."""
    if xcomp.head.lemma_.lower() not in OBJECT_CONTROL_VERBS:
        return None
    return next(
        (c for c in xcomp.head.children if c.dep_ == "dobj" and c.i < xcomp.i and c.pos_ in ("NOUN", "PROPN", "PRON")),
        None,
    )


def _glued_hyphen(doc, i: int) -> bool:
    """True when token i is a hyphen written inside a word ("co-author", "so-called"), which the tokenizer split."""
    return 0 < i < len(doc) - 1 and doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def _before_hyphen(token) -> bool:
    """True for "co" of "co-author" and for its hyphen: a part of a hyphened word the tokenizer split."""
    return _glued_hyphen(token.doc, token.i if token.text == "-" else token.i + 1)


def _after_hyphen(token) -> bool:
    """True for "declared" of "the self-declared “interim” government", "called" of "so-called": the
    last part of a hyphened adjective the tokenizer split, which reports no one's words (not a verb:
    "counter-accused her", "he live-tweeted the address")."""
    return token.dep_ == "amod" and _glued_hyphen(token.doc, token.i - 1)


def _continues_speaker(verb) -> bool:
    """True for a speech verb the parser conjoined to what a cue reports ("said the ferry was late and added ...")."""
    # Its speaker is the cue's, not the reported clause's subject.
    head = verb.head
    return (
        verb.dep_ == "conj"
        and verb.lemma_.lower() in SPEECH_VERBS
        and head.dep_ == "ccomp"
        and head.head.lemma_.lower() in CUE_VERBS
    )


def _issuer(participle):
    """Who put out the thing a participle describes: "it issued a paper welcoming ...", "she said
    at a news conference announcing ...": the subject of the verb whose object the thing is."""
    noun = participle.head
    if participle.dep_ != "acl" or participle.tag_ != "VBG" or noun.pos_ != "NOUN" or noun.ent_type_:
        return None
    verb = governing_verb(noun)
    return next((c for c in verb.children if c.dep_ in SUBJECTS), None) if verb is not None else None


def _content_children(verb, frames):
    """Children of a cue verb that carry its content: a clause first, else its objects with any
    to-clause ("urged the council to act", "called for X to ..."), else a topic ("wrote about ..."),
    else the to-clause alone."""
    children = list(verb.children)
    if "clause" in frames and (clauses := [c for c in children if c.dep_ == "ccomp"]):
        return clauses
    if "object" in frames:
        objects = [
            c
            for c in children
            if c.dep_ in ("dobj", "oprd", "xcomp")
            # "accused X of ...", but not "said at noon": a date is when, not what
            or c.dep_ == "prep"
            and c.lower_ in CONTENT_PREPS
            and not any(t.ent_type_ in WHEN for t in c.subtree)
        ]
        if objects and not _recalls_goods(verb, objects):
            return objects
    # A speech verb without a clause may give what was said as a topic ("tells Wikinews about
    # self-medicating ants", "testified about a meeting"): PolNeAR marks it (matched rows, halves A / B:
    # dev +2 / +2, train +13 / +14); a quotation beside the cue still wins, being its clause. Thought
    # and evidence verbs too gained more (dev +3 / +5, train +19 / +24), but on real pages half their
    # rows were no statement ("we don't have to worry about him", "a helpful way to think about").
    topic = "clause" in frames and verb.lemma_.lower() not in THOUGHT_VERBS
    if topic and (about := [c for c in children if c.dep_ == "prep" and c.lower_ == "about"]):
        return about
    return [c for c in children if c.dep_ == "xcomp"] if "infinitive" in frames else []


# The smallest count of a recall's object read as goods called back, not a memory.
RECALLED_GOODS = 100


def _recalls_goods(verb, objects) -> bool:
    """True for a product recall ("Ford recalled 200,000 trucks", "the automaker is recalling the cars"):
    a company noun or a counted object calls goods back; a person recalling "the day" or "a visit" remembers."""
    if verb.lemma_.lower() != "recall":
        return False
    # Goods come by the hundred or more ("200,000 trucks", "1.2 million cars"); memories by the few
    # ("the three days he spent in jail").
    counted = any(c.dep_ == "nummod" and _number(c) >= RECALLED_GOODS for o in objects for c in o.children if c.i < o.i)
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    # A company by its kind ("the automaker"); spaCy's ORG tag is no sign: it tags lone surnames so.
    company = subject is not None and subject.pos_ == "NOUN" and subject.lemma_.lower() in ORG_ROLES
    return counted or company


def _without_tails(root):
    """Tokens of a content root's subtree without the participle tails the writer adds after a comma
    ("... that the plan failed, prompting a review"): those are the narrative, not the message."""
    doc = root.doc
    tails = {
        t.i
        for child in root.children
        if child.dep_ in ("advcl", "conj")
        and child.tag_ == "VBG"
        and child.i > root.i
        and doc[child.i - 1].is_punct
        for t in child.subtree
    }
    last = max(t.i for t in root.subtree)
    for token in root.subtree:
        # a speech verb the parser conjoined to the content ("said the move was made by Bratton and
        # said ...", "but added ...") is the speaker going on, a cue of its own, not part of this
        # content: issue 17d, F1 train +0.0007, dev A +0.0008, dev B +0.0031
        if (
            token.dep_ == "conj"
            and token.pos_ == "VERB"
            and token.i > root.i
            and token.lemma_.lower() in SPEECH_VERBS
            and not any(c.dep_ in SUBJECTS for c in token.children)
        ):
            tails.update(t.i for t in token.subtree)
            tails.update(c.i for c in token.head.children if c.dep_ in ("cc", "punct") and token.head.i < c.i < token.i)
        # an apposition closing the content after a comma (", a mass layoff rivaling ...") is the
        # writer's gloss on the message, not part of it; so is a relative clause on its last noun
        # after a comma (", which is spread by mosquitoes", ", who represents ..."): train F1
        # +0.0019, dev A +0.0000, dev B +0.0026 (", which" alone gained less on train and dev A:
        # +0.0014 pooled)
        gloss = token.dep_ == "appos" or (token.dep_ == "relcl" and token.left_edge.lower_ in GLOSS_RELATIVES)
        if gloss and _after_comma(token) and token.right_edge.i >= last - 1:
            tails.update(t.i for t in token.subtree)
    return [t for t in root.subtree if t.i not in tails]


def _after_comma(token) -> bool:
    """True when the phrase a token heads follows a comma."""
    # left_edge.i > 0: at the text's first token, doc[-1] would read its last one
    first = token.left_edge.i
    return first > 0 and token.doc[first - 1].text == ","


def _local(verb, tokens):
    """Tokens in the cue's own sentence and paragraph: reported clauses do not cross either."""
    sent = verb.sent
    start, end = sent.start, sent.end
    for token in sent:
        if "\n" in token.text:
            if token.i < verb.i:
                start = token.i + 1
            else:
                end = min(end, token.i)
    return [t for t in tokens if start <= t.i < end]


def _interrupted_clause(verb):
    """Tokens of the clause a parenthetical (parataxis) cue interrupts or follows ("The plan, he said, will work")."""
    # A cue the parser hangs under a clause as a complement or adverbial ("the campaign was open
    # to more debates after the Flint debate was agreed to") is mostly not one: taking that clause
    # cost precision (issue 17d: F1 train +0.0028, dev A +0.0028, dev B +0.0042 without it).
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    if verb.dep_ != "parataxis" or subject is None:
        return []
    # The parser may hang the cue on a noun of the clause ("The difference now, he told me, is that
    # ..." under "difference"): the clause is that noun's verb, not the noun phrase alone.
    head = verb.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT":
        head = head.head
    # What precedes the cue's subject is the interrupted clause's opening that the parser hung on
    # the cue ("Though the transition was seamless, he said, replacing her would ..."): PolNeAR dev
    # matched +1 / 0, train +2 / +1 with the clause head above.
    opening = {t.i for c in verb.children if c.i < subject.i and c.dep_ in OPENING_DEPS for t in c.subtree}
    inner = {t.i for t in verb.subtree} - opening
    return [t for t in head.subtree if t.i not in inner]


# Dependents of a parenthetical cue before its subject that open the clause it interrupts.
OPENING_DEPS = ("advcl", "prep", "npadvmod", "advmod")


def _parenthetical(text, verb, clause, content):
    """The cue's own words inside the clause it interrupts ("The plan, he told me on Friday, will work"), or None."""
    taken = {t.i for t in clause}
    # The parenthetical ends at the first punctuation after its cue: what follows it ("no
    # different, he said, from Bush calling ...") is the clause going on, hung on the cue by the parser.
    stop = next((t.i for t in verb.subtree if t.i > verb.i and t.is_punct), len(verb.doc))
    # punctuation the parser hangs on the cue before it (the closing mark of '"we love you," Cook
    # said') belongs to the clause; the commas round the aside are added back below
    own = [t for t in verb.subtree if t.i not in taken and t.i < stop and not (t.is_punct and t.i < verb.i)]
    return _aside(text, own[0].idx, own[-1].idx + len(own[-1].text), *content)


def _aside(text, lo, hi, start, end):
    """The span lo..hi with the spaces and punctuation round it, if it lies strictly inside the content start..end."""
    while lo > start and text[lo - 1] in ASIDE_EDGES:
        lo -= 1
    while hi < end and text[hi] in ASIDE_EDGES:
        hi += 1
    return (lo, hi) if start < lo and hi < end else None


def _adjacent_quotes(text, clause, quotes):
    """Quotation(s) the cue clause introduces or follows, as one content span."""
    start, end = clause
    before = [i for i, q in enumerate(quotes) if q[1] <= start and GLUE.fullmatch(text[q[1] : start])]
    after = [i for i, q in enumerate(quotes) if q[0] >= end and GLUE.fullmatch(text[end : q[0]])]
    glue = text[end : quotes[after[0]][0]] if after else ""
    if before and after and "." not in glue and _closes_sentence(text, quotes[before[-1]], start):
        # “A.” He added, “B.”: A ended its sentence before this cue clause began; it is the
        # previous cue's, and taking it again would count one quotation twice (audit a1, M3).
        # After “A!” Pete said. “B” the quotation after the full stop is not the clause's: A is.
        before = []
    if after and ":" in text[end : quotes[after[0]][0]]:
        # "He said: “...”" introduces the quotation after the colon
        return quotes[after[0]][0], quotes[_run(text, quotes, after[0], 1)][1]
    if after and not before and "." not in text[end : quotes[after[0]][0]]:
        # "said Jane Smith, “...”"; but after "I didn't want to think about it." the next quotation
        # opens a sentence of its own and is someone else's ("“...,” she said.")
        return quotes[after[0]][0], quotes[_run(text, quotes, after[0], 1)][1]
    if before and after:
        # “We will,” he said, “if needed.”: one statement split by its cue; when the quotation after
        # it has a cue of its own, _own_quotes cuts it off again. PolNeAR's content runs
        # from the first quotation mark to the last one, so the whole span scores best (train F1
        # 0.584 against 0.568 when only cues of up to 3 tokens join the two).
        return quotes[_run(text, quotes, before[-1], -1)][0], quotes[_run(text, quotes, after[0], 1)][1]
    if before:
        return quotes[_run(text, quotes, before[-1], -1)][0], quotes[before[-1]][1]
    return None


def _closes_sentence(text, quote, clause_start) -> bool:
    """True when a quotation ends with its sentence (“... today.”) and the cue clause after it opens a new one."""
    inner = QUOTE_MARK.sub("", text[quote[0] : quote[1]]).rstrip()
    return inner[-1:] in (".", "?", "!") and text[clause_start : clause_start + 1].isupper()


def _run(text, quotes, index, step):
    """Index of the last quotation in a run of quotations next to each other (“A.” “B.”), walking by step."""
    while 0 <= index + step < len(quotes):
        first, second = sorted((quotes[index], quotes[index + step]))
        if not QUOTE_RUN.fullmatch(text[first[1] : second[0]]):
            break
        index += step
    return index


def _verb_attributions(doc, text, quotes):
    """Attributions whose cue is a verb from the lexicon."""
    found = []
    for verb in doc:
        cue = CUE_VERBS.get(verb.lemma_.lower())
        if cue is None or verb.pos_ != "VERB" or _inside(verb.idx, quotes):
            continue  # a cue inside a quotation is part of the quoted words, not a new attribution
        if _after_hyphen(verb) or _not_a_statement(verb, quotes) or _anonymity_frame(verb) or _controlled_cue(verb) or _naming(verb):
            continue
        content_roots = _content_children(verb, cue.frames) or _message_noun_clauses(verb)
        inner = {t.i for root in content_roots for t in root.subtree}
        subject = None if _bare_participle(verb) or _impersonal(verb) else _speaking_subject(verb, quotes)
        clause_tokens = [
            t for t in verb.subtree if t.i not in inner and not t.is_punct and not _inside(t.idx, quotes)
        ]
        clause = _span(clause_tokens)
        kind = cue.kind
        content = _span(_local(verb, [t for root in content_roots for t in _without_tails(root)]))
        interrupted = []
        if content is None and "clause" in cue.frames:
            interrupted = _local(verb, _interrupted_clause(verb))
            content = _span(interrupted)
        addressee = content_roots and all(_addressee(r) for r in content_roots)
        if clause and "clause" in cue.frames and (content is None or _inside(content[0], quotes) or addressee):
            # No complement outside quotation marks: the quotation next to the cue is what was said.
            quoted = _adjacent_quotes(text, clause, quotes)
            if quoted:
                content, kind, interrupted = quoted, "direct", []
        if content is None:
            continue
        content = _to_closing_mark(content, quotes)
        cue_span = (verb.idx, verb.idx + len(verb.text))
        attribution, subject = _make(text, kind, subject, verb, cue_span, content, quotes)
        attribution.negated = _negated(verb, subject, quotes)
        if interrupted:
            span = (attribution.content_start, attribution.content_end)
            if aside := _parenthetical(text, verb, interrupted, span):
                attribution.aside_start, attribution.aside_end = aside
        found.append((attribution, subject))
    return found


def _negated(verb, subject, quotes) -> bool:
    """True when the cue says nothing was said: a negated cue other than a view ("is not saying",
    "did not explain why"), or a subject that is nobody ("No official said", "Neither X nor Y")."""
    if verb.lemma_.lower() in VIEW_VERBS:
        return False  # "I don't think he will win" states a view
    # a "not" inside a quotation is the quoted words ('“Probably not,” Ms. Moore said')
    if any(c.dep_ == "neg" and not _inside(c.idx, quotes) for c in verb.children):
        return True
    return subject is not None and (
        subject.lower_ in NOBODY or any(c.lower_ in NOBODY and c.dep_ in ("det", "preconj") for c in subject.children)
    )


def _addressee(root) -> bool:
    """True for the nominal object of a speech verb ("“Why now?” Trump asked reporters"): beside a
    quotation it is whom the words were said to, and the quotation is what was said."""
    return root.dep_ == "dobj" and root.pos_ in ("NOUN", "PROPN", "PRON") and root.head.lemma_.lower() in SPEECH_VERBS


def _bare_participle(verb) -> bool:
    """True for an adverbial past participle with no subject or auxiliary of its own ("Asked about
    the pier, Dorn said ..."): Dorn was asked; the question is not his message, so its row names no
    speaker (audit g). PolNeAR marks the question, so the row stays: dropping it cost dev B F1 0.0020."""
    own = (*SUBJECTS, "aux", "auxpass")
    return verb.tag_ == "VBN" and verb.dep_ == "advcl" and not any(c.dep_ in own for c in verb.children)


def _impersonal(verb) -> bool:
    """True for a cue under "it is <adjective> to" ("It's worth noting that", "it's hard to believe"):
    the "it" is no one; the writer speaks. PolNeAR marks many such rows, so they stay, with no speaker."""
    if verb.dep_ not in ("xcomp", "pcomp") or any(c.dep_ in SUBJECTS for c in verb.children):
        return False
    head = verb.head
    while head.dep_ == "conj" and head.head.pos_ == "ADJ":
        head = head.head  # "It is perhaps cruel but nonetheless accurate to note"
    # the parser hangs the infinitive on the adjective ("worth noting") or on the copula ("hard to believe")
    if head.pos_ == "ADJ" and head.dep_ == "acomp":
        head = head.head
    elif not any(c.dep_ == "acomp" and c.pos_ == "ADJ" for c in head.children):
        return False
    subjects = [c for c in head.children if c.dep_ == "nsubj"]
    return head.lemma_ == "be" and len(subjects) == 1 and subjects[0].lower_ == "it"


def _controlled_cue(verb) -> bool:
    """True for a cue that is the to-clause of another cue ("refused to say X", "wants to announce
    X", "urged the council to say X"): the outer cue's row holds it, and a row of its own would state
    that someone said X (audit a2)."""
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.i != verb.i
        and head.pos_ == "VERB"
        and head.lemma_.lower() in CUE_VERBS
        and not any(c.dep_ in SUBJECTS for c in verb.children)
    )


def _to_closing_mark(content, quotes):
    """A content that opens a quotation runs to its closing mark: spaCy ends sentences inside
    quotations ('that the country has spent "hundreds of years .... They're way beyond that."')."""
    start, end = content
    for s, e in quotes:
        if start <= s < end < e:
            return start, e
    return content


def _make(text, kind, subject, anchor, cue, content, quotes=(), speaker=None):
    """Build an Attribution (paired with its subject token); the speaker span defaults to the subject phrase."""
    speaker = _after_dateline(text, speaker or _speaker_span(subject, anchor, quotes))
    content = _after_dateline(text, content)
    attribution = Attribution(
        kind=kind,
        speaker=text[speaker[0] : speaker[1]] if speaker else None,
        speaker_start=speaker[0] if speaker else None,
        speaker_end=speaker[1] if speaker else None,
        cue=text[cue[0] : cue[1]],
        cue_start=cue[0],
        cue_end=cue[1],
        content=text[content[0] : content[1]] if content else None,
        content_start=content[0] if content else None,
        content_end=content[1] if content else None,
    )
    return attribution, subject


def _after_dateline(text, span):
    """The span without a wire dateline opening it ("WASHINGTON (AP) — "), which no one says."""
    if span is None:
        return None
    match = DATELINE.match(text, span[0], span[1])
    return (match.end(), span[1]) if match and match.end() < span[1] else span


def _speaker_span(subject, anchor, quotes):
    """Span of the speaker as written: the subject phrase, without the cue clause it may contain."""
    if subject is None:
        return None
    exclude = {t.i for t in anchor.subtree} if subject.is_ancestor(anchor) else set()
    tokens = [t for t in subject.subtree if t.i not in exclude and not _inside(t.idx, quotes)]
    return _span(_local(anchor, tokens))


def _that_clause(noun):
    """The that-clause a message noun takes ("his claim that ..."), or None."""
    return next(
        (
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        ),
        None,
    )


def _message_noun_clauses(verb):
    """The that-clause of a message noun in a prepositional phrase of a cue verb: "said in a
    statement that ...", "wrote in a letter that ...". It is the verb's content; a row for the noun
    as well would count the statement twice (audit a1, M2)."""
    return [
        clause
        for prep in verb.children
        if prep.dep_ == "prep"
        for noun in prep.children
        if noun.dep_ == "pobj" and noun.lemma_.lower() in CUE_NOUNS and (clause := _that_clause(noun)) is not None
    ]


def _under_cue_verb(noun) -> bool:
    """True for a message noun whose that-clause a cue verb takes (see _message_noun_clauses)."""
    verb = noun.head.head
    return (
        noun.dep_ == "pobj"
        and noun.head.dep_ == "prep"
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() in CUE_VERBS
        and not _content_children(verb, CUE_VERBS[verb.lemma_.lower()].frames)
    )


def _noun_cues(doc, text, quotes=()):
    """'His claim that ...': a message noun with a that-clause."""
    found = []
    for noun in doc:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in CUE_NOUNS or _under_cue_verb(noun):
            continue
        clause = _that_clause(noun)
        content = _span(_local(noun, list(clause.subtree))) if clause is not None else None
        if content is None:
            continue
        cue = (noun.idx, noun.idx + len(noun.text))
        found.append(_make(text, "indirect", _noun_owner(noun, quotes), noun, cue, content))
    return found


def _noun_owner(noun, quotes):
    """Who a message noun is by: its possessor ("his claim"), else the subject of the verb taking it."""
    # ("Dorn made the claim that ...", "in a statement that ..."), else nobody: PolNeAR counts "the
    # claim that ..." with no source too (issue 17c: F1 train +0.0015, dev A +0.0028, dev B +0.0020)
    # "his claim"; a name the parse made the noun's subject or compound ("Trump claims that ..." tagged
    # a noun; "the Clinton claim that ..."), not a place's ("the Benghazi claim")
    owner = next((c for c in noun.children if c.dep_ in ("poss", "nsubj")), None) or next(
        (c for c in noun.children if c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG")), None
    )
    first = noun.doc[noun.i - 1] if noun.i > noun.sent.start else None
    if (
        owner is None and first is not None and first.i == noun.sent.start and first.is_title
        and first.pos_ in ("NOUN", "PROPN") and "ROOT" in (noun.dep_, first.dep_)
    ):
        # "Trump charges that ...": the parser read a name and its verb as a verbless noun phrase
        # (a common noun "Trump", a verb "trump"); the sentence's first word is who charges
        owner = first
    if owner is None and noun.dep_ in ("dobj", "pobj"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        owner = _speaking_subject(verb, quotes) if verb.pos_ in ("VERB", "AUX") else None
    # "dogged by charges that ...": the passive verb's doer is the noun itself, which names no one
    return None if owner is not None and owner.i == noun.i else owner


def _according_to(doc, text):
    """'According to X, ...': X is the speaker, the clause it modifies is the content."""
    found = []
    for token in doc:
        if token.lower_ != "according":
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            continue
        head = token.head
        while (head.pos_ not in ("VERB", "AUX") or head.dep_ == "conj") and head.head.i != head.i:
            head = head.head  # up to the whole clause: "A rose, B fell and C held, according to X"
        phrase = {t.i for t in token.subtree}
        content = _span(_local(token, [t for t in head.subtree if t.i not in phrase]))
        if content is None:
            continue
        found.append(_make(text, "according_to", source, token, (token.idx, to.idx + len(to.text)), content))
    return found


def _no_comment(doc, text):
    """'declined to comment', 'did not respond to a request for comment', 'could not be reached'."""
    found = []
    for verb in doc:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in NO_COMMENT_VERBS:
            continue
        children = list(verb.children)
        negated = any(c.dep_ == "neg" for c in children)
        words = {t.lemma_.lower() for t in verb.subtree if t.i > verb.i}
        if lemma in ("decline", "refuse"):
            hit = "comment" in words and any(c.dep_ in ("xcomp", "dobj") for c in children)
        elif lemma == "reach":
            hit = negated and any(c.dep_ == "auxpass" for c in children)
        elif lemma == "comment":
            hit = negated
        else:
            hit = negated and bool(words & NO_COMMENT_OBJECTS)
        # "pcomp": a gerund under a preposition ("attacked Rubio for not answering the question")
        # is an act of someone else or an accusation, not the subject's no-comment (audit e)
        if not hit or verb.dep_ in ("xcomp", "pcomp"):
            continue
        start = min([verb.idx] + [c.idx for c in children if c.dep_ in ("aux", "neg", "auxpass")])
        last = max([verb] + [t for t in verb.subtree if t.lemma_.lower() == "comment"], key=lambda t: t.i)
        found.append(
            _make(text, "no_comment", _subject(verb), verb, (start, last.idx + len(last.text)), None)
        )
    return found


def _is_anonymous(subject, content=None, quotes=(), speakers: Speakers | None = None) -> bool:
    """True when the speaker is deliberately unnamed ("a senior official", "people familiar with ...");
    with `speakers`, the entity stage's persons (labels it may have mended) name a speaker too."""
    if subject is None or subject.ent_type_ in ("PERSON", "ORG"):
        return False
    lemma = subject.lemma_.lower()
    # A named person in the phrase names the speaker ("One of his advisers, Tad Devine"); one who
    # modifies a source noun is whom the source serves: "Clinton aides", "advisers to Mr. Rubio" are
    # unnamed aides, not Hillary Clinton or Marco Rubio (PolNeAR dev + train: 32 such speakers were
    # typed as the principal, inflating that person's quotes, and 21 left unresolved).
    if any(t.ent_type_ == "PERSON" for t in (_named_part(subject) if is_source_noun(subject) else subject.subtree)):
        return False
    # The entity stage's persons, where spaCy's tags disagree, only in apposition: "another diplomat,
    # former special envoy to Ukraine Kurt Volker" (spaCy: the organisation "Ukraine Kurt Volker") is
    # named; "One former Podesta employee" serves a person and stays unnamed.
    if speakers is not None and any(speakers.names_person(t) for t in _named_part(subject)[1:]):
        return False
    if _is_crowd(subject):
        return False
    if any(c.lower_ == "anonymous" and c.dep_ == "amod" for c in subject.children):
        return True  # "an anonymous NSC leaker": the writer says it is unnamed; not "a man who sent an anonymous letter"
    own = {t.i for t in subject.subtree}  # "said a strategist, who spoke on condition of anonymity"
    markers = [t for t in subject.sent if t.lower_ in ANONYMITY_MARKERS]
    if any(t.i in own or not _in_message(t, content, quotes) for t in markers):
        return True
    if lemma in ANONYMOUS_NOUNS:
        return True
    if lemma in ANONYMOUS_WHEN_INDEFINITE:
        definite = any(
            c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that") for c in subject.children
        )
        return not definite
    return False


def _named_part(subject) -> list:
    """The tokens of a speaker phrase that name the speaker: its head, its appositions and the members
    it lists ("officials, including Gov. Chris Christie")."""
    named = [c for c in subject.children if c.dep_ in ("appos", "conj") or (c.dep_ == "prep" and c.lower_ == "including")]
    return [subject] + [t for c in named for t in c.subtree]


def _in_message(token, content, quotes) -> bool:
    """True when a token lies in an attribution's content or in a quotation: the message, not its source."""
    return _inside(token.idx, quotes) or (content is not None and content[0] <= token.idx < content[1])


def _is_crowd(subject) -> bool:
    """True for a population, not a source: "603,000 people voted", "most people would consider",
    and bare "people" holding a view ("people want", "allowing people to see")."""
    lemma = subject.lemma_.lower()
    if lemma not in SOURCE_NOUNS:
        return False
    if any(c.dep_ == "nummod" and _number(c) >= CROWD_SIZE for c in subject.children):
        return True
    if lemma not in ("people", "person", "someone"):
        return False
    words = {c.lower_ for c in subject.children if c.dep_ in ("amod", "det", "advmod", "predet")}
    if words & CROWD_QUANTIFIERS or any(c.lower_ == "how" for c in subject.subtree):
        return True
    # Bare plural "people" with a view but no speech is the public ("people want"); "the person
    # confirmed" is the source named a sentence earlier.
    described = any(c.dep_ in ("prep", "acl", "relcl", "amod", "compound") for c in subject.children)
    speaking = subject.dep_ not in SUBJECTS or subject.head.lemma_.lower() in SPEECH_VERBS
    return lemma == "people" and not described and not speaking


# Number words that multiply the number before them ("30 million").
NUMBER_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def _number(token) -> float:
    """The value of a number token with its multipliers ("603,000", "30 million"); 0 when unreadable."""
    value = NUMBER_SCALES.get(token.lower_)
    if value is None:
        try:
            value = float(token.text.replace(",", ""))
        except ValueError:
            return 0
    for child in token.children:
        if child.dep_ in ("compound", "nummod", "quantmod") and child.like_num:
            value *= _number(child) or 1
    return value


def _anonymity_frame(verb) -> bool:
    """True for a cue that only states the terms a source spoke on: "who spoke on condition of
    anonymity", "requested anonymity to discuss the talks", "not authorized to speak publicly". It
    reports no message; taking it would count the anonymous source twice."""
    if verb.lemma_.lower() in ANONYMITY_FRAME_VERBS and not any(c.dep_ == "ccomp" for c in verb.children):
        for child in verb.children:
            if child.dep_ == "dobj" and child.lower_ in ANONYMITY_MARKERS:
                return True
            if child.dep_ in ("prep", "advmod") and any(t.lower_ in ANONYMITY_MARKERS for t in child.subtree):
                return True
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if infinitive and verb.dep_ in ("xcomp", "advcl", "acl") and verb.head.i != verb.i:
        head = verb.head
        return (
            head.lemma_.lower() in PERMISSION_VERBS or head.lower_ in ANONYMITY_MARKERS or _anonymity_frame(head)
        )
    return False


def _proxy(subject, mentions: list[Mention]) -> Mention | None:
    """The person or body a description speaks for: "a spokesman for Acme", "a report by E! News"; not
    "the aide to Jane Doe", her helper."""
    if is_source_noun(subject) or subject.pos_ == "PROPN":
        return None  # a name the resolver refused is no description ("Enthusiasm for Clinton appears" in a headline)
    preps = (*PROXY_PREPS, "by", "from") if subject.lemma_.lower() in AUTHORED else PROXY_PREPS
    tokens = [t for c in subject.children if c.dep_ == "prep" and c.lower_ in preps for t in c.subtree]
    for token in tokens:
        for mention in mentions:
            if mention.label in ("PERSON", "ORG") and mention.start <= token.idx < mention.end:
                return mention
    return None


def _speaker(
    subject, speakers: Speakers, mentions: list[Mention], quotes, content=None
) -> tuple[str, str | None]:
    """(speaker type, canonical entity) of an attribution's subject."""
    if subject is None:
        return "unresolved", None
    if _is_anonymous(subject, content, quotes, speakers):
        return "anonymous", None
    if subject.lower_ in FIRST_PERSON and not _inside(subject.idx, quotes):
        return "author", None  # the writer speaking: the byline names them
    referent = speakers.resolve(subject)
    if referent is not None:
        return ("person" if referent.label == "PERSON" else "organization"), referent.name
    group = speakers.groups.get(subject.i)
    if group is not None and _is_anonymous(subject.doc[group]):
        return "anonymous", None  # "Two officials said X. They said Y": still the unnamed officials
    mention = _proxy(subject, mentions)
    if mention is not None:
        return ("person" if mention.label == "PERSON" else "organization"), mention.canonical or mention.text
    return "unresolved", None


def _not_a_statement(verb, quotes) -> bool:
    """True for a question ("Did he say ...?", not one reported after a colon), an imperative ("Tell me ...")
    or the idiom "That said,": nobody states anything."""
    if _imperative(verb):
        return True
    doc = verb.doc
    if verb.lower_ == "said" and 0 < verb.i < len(doc) - 1 and doc[verb.i + 1].text == ",":
        before = doc[verb.i - 1]  # "That said, Millennials say ...": having said that, not a speaker "That"
        if before.lower_ in ("that", "this") and (before.i == 0 or before.is_sent_start or doc[before.i - 1].is_punct or doc[before.i - 1].is_space):
            return True
    last = next((t for t in reversed(verb.sent) if not t.is_space and not QUOTE_MARK.fullmatch(t.text)), None)
    # the question mark must close the cue's own clause, not a quotation before it ("“Why?” he asked")
    if last is None or last.text != "?" or last.i <= verb.i or _inside(last.idx, quotes):
        return False
    # "A historian wrote: would we sell the letters?": the question after a colon is what was said
    return not any(t.text == ":" for t in doc[verb.i + 1 : last.i])


def _naming(verb) -> bool:
    """True for a name given, not a statement: "a firm called Cambridge Analytica", "a play titled ..."."""
    # The participle hangs from the common noun it names and takes the one name: with an agent ("called
    # by Trump"), after a name ("Trump called LeVell") or with an object and a predicate ("one lawmaker
    # called Trump 'the orange prince'") it is the parser's misreading of a speaker's verb; so it is
    # when the noun is the sentence's root ("One councillor called Dorn “a disgrace.”" has no other verb).
    complements = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr", "ccomp", "xcomp")]
    return (
        verb.dep_ == "acl" and verb.lemma_.lower() in NAMING_VERBS and _participle(verb)
        and verb.head.pos_ in ("NOUN", "PRON") and verb.head.dep_ != "ROOT" and len(complements) <= 1
        and not any(c.dep_ == "agent" for c in verb.children)
    )


def _imperative(verb) -> bool:
    """True for a command: a bare verb with no subject or auxiliary heading its sentence ("Tell me
    ...", "Seek help"), one joined to such a verb ("Start small and recognize that ..."), or a verb
    under "let's" ("Let's say they ...")."""
    own = (*SUBJECTS, "aux", "auxpass")
    if verb.tag_ == "VB" and not any(c.dep_ in own for c in verb.children):
        if verb.dep_ == "ROOT":
            return True
        if verb.dep_ == "conj" and verb.head.dep_ == "ROOT" and verb.head.tag_ == "VB":
            return not any(c.dep_ in own for c in verb.head.children)
    subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
    return (
        verb.dep_ == "ccomp" and verb.head.lemma_ == "let" and not any(c.dep_ in own for c in verb.head.children)
        and len(subjects) == 1 and subjects[0].lower_ in ("'s", "’s", "us")
    )


def _signatures(doc, text, quotes):
    """'“...” — Jane Doe': a quotation or a line signed with a dash and a name, as in pull quotes
    and embedded posts ("... — Jane Doe (@janedoe) May 1, 2016")."""
    found = []
    for match in SIGNATURE.finditer(text):
        dash, name = match.span("dash"), match.span("name")
        line_start = text.rfind("\n", 0, dash[0]) + 1
        quoted = [q for q in quotes if q[1] <= dash[0] and GLUE.fullmatch(text[q[1] : dash[0]])]
        content = quoted[-1] if quoted else _strip(text, line_start, dash[0])
        speaker = doc.char_span(*name, alignment_mode="expand")
        if content is None or speaker is None:
            continue
        found.append(_make(text, "direct", speaker.root, speaker.root, dash, content, speaker=name))
    return found


def _labelled_lines(doc, text, quotes):
    """'Jane Doe: ...': a line (a headline, a transcript turn) that a named person or body says."""
    found = []
    matches = list(LABELLED_LINE.finditer(text))
    if not matches:
        return found
    # A label in capitals is a transcript's speaker ("WALLACE: ...", "JAKE TAPPER: ...") only when the
    # text is a transcript, two labels each opening two lines or more, or when it names a person the
    # text writes elsewhere ("Governor Pence"). Otherwise it is a dateline ("NEW DELHI: ...") or a
    # kicker ("BREAKING:", "FTC: We use affiliate links"), and spaCy tags those PERSON or ORG too.
    turns = Counter(m.group("name").split()[-1] for m in matches if m.group("name").isupper())
    transcript = sum(count >= 2 for count in turns.values()) >= 2
    persons = {w for e in doc.ents if e.label_ == "PERSON" and not e.text.isupper() for w in e.text.split()}
    for match in matches:
        name, colon = match.span("name"), match.span("colon")
        speaker = doc.char_span(*name)
        if speaker is None:
            continue
        last = speaker.text.split()[-1]
        if speaker.text.isupper():
            # "Q:" and "A:" name no one.
            if len(last) < 2 or not ((transcript and turns[last] >= 2) or last.title() in persons):
                continue
        elif speaker.root.ent_type_ not in SPEAKER_ENTITIES and not (
            # A headline's label is its speaker whatever spaCy tags it ("Historians: Clinton, Obama
            # linked", "Newspaper: Defense secretary used personal email"): issue 17d, F1 train
            # +0.0008, dev A +0.0021, dev B +0.0005. Elsewhere "Breaking:", "Related:", "Q:" label a
            # line, and PolNeAR train counts few of those: a named person or body only.
            match.start() == 0 and speaker.root.pos_ in ("NOUN", "PROPN")
        ):
            continue
        content = _strip(text, colon[1], match.end())
        if content is None:
            continue
        kind = "direct" if any(q[0] == content[0] for q in quotes) else "indirect"
        found.append(_make(text, kind, speaker.root, speaker.root, colon, content, speaker=name))
    return found


def _named_in_capitals(label: str, mentions: list[Mention]) -> set[str]:
    """The persons of the text whose name ends in a capitals label's last word ("PENCE" -> {"Mike Pence"})."""
    last = label.split()[-1].title()
    return {
        m.canonical or m.text
        for m in mentions
        if m.label == "PERSON" and not m.text.isupper() and (m.canonical or m.text).split()[-1] == last
    }


def _labelled_quotes(doc, text, quotes):
    """Quotations after a name and a colon with no verb: 'More from Jones: “...”', 'Rep. Trey Gowdy (R-S.C.): “...”'."""
    # Issue 17d: F1 train +0.0005, dev A +0.0000, dev B +0.0010. The name is a person or body spaCy
    # tagged (doc.ents), or a run of proper nouns; "He said: “...”" is the verb's.
    found = []
    for index, (start, _end) in enumerate(quotes):
        colon = text.rfind(":", 0, start)
        if colon < 1 or text[colon + 1 : start].strip(" \t\xa0"):
            continue
        before = doc.char_span(colon - 1, colon, alignment_mode="expand")
        if before is None or not len(before):
            continue
        token = before[-1]
        if token.text.startswith(")"):  # past the party and state: "Rep. Trey Gowdy (R-S.C.):"
            opening = next((t for t in reversed(doc[token.sent.start : token.i]) if t.text == "("), None)
            if opening is None or opening.i == 0:
                continue
            token = doc[opening.i - 1]
        entity = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if entity is not None and entity.label_ in SPEAKER_ENTITIES:
            name = (entity.start_char, entity.end_char)
        elif token.pos_ == "PROPN":
            first = token
            while first.i > 0 and doc[first.i - 1].pos_ == "PROPN":
                first = doc[first.i - 1]
            name = (first.idx, token.idx + len(token.text))
        else:
            continue
        content = (start, quotes[_run(text, quotes, index, 1)][1])
        found.append(_make(text, "direct", token, token, (colon, colon + 1), content, speaker=name))
    return found


def _strip(text, start, end):
    """(start, end) without the spaces at either edge, or None when nothing is left."""
    piece = text[start:end]
    if not piece.strip():
        return None
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def find_attributions(
    doc, mentions: list[Mention], speaker_config: SpeakerConfig | None = None
) -> list[Attribution]:
    """Return the attributions found in a spaCy Doc, one per cue, in text order."""
    text = doc.text  # Doc.text is rebuilt from the tokens on every access: read it once
    quotes = quote_spans(text)
    # No-comment and "according to" first: their verbs ("declined", "according") would otherwise be
    # read as ordinary cues; a quote or clause is claimed by the first cue that reaches it.
    candidates = (
        _no_comment(doc, text)
        + _according_to(doc, text)
        + _verb_attributions(doc, text, quotes)
        + _noun_cues(doc, text, quotes)
        + _signatures(doc, text, quotes)
        + _labelled_lines(doc, text, quotes)
        + _labelled_quotes(doc, text, quotes)
    )
    if not candidates:  # listings and briefs without a cue skip the salience pass over the whole text
        return []
    cues: list[tuple[int, int]] = []
    contents = set()
    complements = [a for a, _ in candidates if a.kind != "direct" and a.content_start is not None]
    result = []
    speakers = Speakers(doc, mentions, quotes, speaker_config)
    known = {m.canonical or m.text for m in mentions}
    for attribution, subject in candidates:
        key = (attribution.content_start, attribution.content_end)
        if subject is not None and subject.lower_ in SECOND_PERSON:
            continue  # "you" is never a speaker: "What do you call a fish", "you tell yourself"
        if any(s < attribution.cue_end and attribution.cue_start < e for s, e in cues):
            continue
        if attribution.content is not None and key in contents:
            continue
        if attribution.kind == "direct" and _claimed(attribution, complements):
            continue
        cues.append((attribution.cue_start, attribution.cue_end))
        contents.add(key)
        # The message an anonymity word may sit in: a direct quote's is its quotation marks alone
        # (a split quotation's content runs over "said X, speaking on condition of anonymity,").
        indirect = attribution.content is not None and attribution.kind != "direct"
        content = (attribution.content_start, attribution.content_end) if indirect else None
        attribution.speaker_type, attribution.speaker_name = _speaker(subject, speakers, mentions, quotes, content)
        if attribution.cue == ":" and attribution.speaker and attribution.speaker.isupper():
            # a transcript's "WALLACE:" is the Chris Wallace the text names: one speaker in the marts;
            # a label no name explains is still the person it writes, on every turn alike
            # (two people of that name: which one spoke is unknown, the label stays as written)
            names = _named_in_capitals(attribution.speaker, mentions)
            if len(names) == 1:
                name = names.pop()
            elif names:
                name = attribution.speaker
            else:
                name = attribution.speaker_name or attribution.speaker
            attribution.speaker_type, attribution.speaker_name = "person", name
        # speaker_entity joins the entities table: only a name among the article's mentions
        attribution.speaker_entity = attribution.speaker_name if attribution.speaker_name in known else None
        attribution.anonymous = attribution.speaker_type == "anonymous"
        result.append(attribution)
    ordered = _own_quotes(sorted(_without_nested_views(doc, result), key=lambda a: a.cue_start), quotes)
    return _asides(text, _statements(doc, _follow_on_quotes(doc, text, ordered, quotes)), quotes)


def _follow_on_quotes(doc, text: str, attributions: list[Attribution], quotes) -> list[Attribution]:
    """Run a content on into the quotation that opens the next sentence: in "The plan may fail,
    Schiff said. “The other factor is time.”" the quotation is Schiff's too, and so after "“A,” she
    said of the vote, which she had fought for a year.", where the quotation is not next to the cue."""
    taken = [(a.content_start, a.content_end) for a in attributions if a.content_start is not None]
    for a in attributions:
        if a.kind not in ("indirect", "direct") or a.content_start is None or a.cue_start < a.content_end:
            continue
        sentence = doc.char_span(a.cue_start, a.cue_end, alignment_mode="expand")
        if sentence is None:
            continue
        # spaCy may end the sentence after the next quotation's opening mark ("said. ''They're")
        words = [t for t in sentence.root.sent if not t.is_space and not QUOTE_MARK.fullmatch(t.text)]
        if words[-1].text != ".":
            continue
        end = words[-1].idx + 1
        following = next((i for i, (s, _) in enumerate(quotes) if s >= end and QUOTE_RUN.fullmatch(text[end:s])), None)
        if following is None:
            continue
        first, last = quotes[following][0], quotes[_run(text, quotes, following, 1)][1]
        if any(s < last and first < e for s, e in taken if (s, e) != (a.content_start, a.content_end)):
            continue  # the quotation is another cue's
        a.aside_start, a.aside_end = a.content_end, first
        a.content_end = last
        a.content = text[a.content_start : last]
        taken.append((first, last))  # one owner: a second cue of the sentence does not take it again
    return attributions


def _asides(text: str, attributions: list[Attribution], quotes) -> list[Attribution]:
    """Mark the speaker's words a content encloses ("“A,” said Jane Smith, a lawyer. “B.”"): not what was said."""
    # PolNeAR leaves them out of the content too; a search of what was said should not find the
    # speaker's description ("said Josh Earnest, Obama's spokesman" is no quote about Obama).
    for a in attributions:
        if a.content_start is None or a.cue_start is None or a.aside_start is not None:
            continue
        ends = [x for x in (a.cue_start, a.cue_end, a.speaker_start, a.speaker_end) if x is not None]
        lo, hi = min(ends), max(ends)
        if not a.content_start < lo <= hi < a.content_end:
            continue
        if a.kind == "direct":
            # everything between the quotations round the cue, a relative clause after the name too
            lo = max((e for s, e in quotes if a.content_start < e <= lo), default=lo)
            hi = min((s for s, e in quotes if hi <= s < a.content_end), default=hi)
        if aside := _aside(text, lo, hi, a.content_start, a.content_end):
            a.aside_start, a.aside_end = aside
    return attributions


def _statements(doc, attributions: list[Attribution]) -> list[Attribution]:
    """Number the speech events: a speech verb continuing an earlier cue of the same speaker ("she
    said, adding ...", "said ... and added ...") shares that cue's statement; every other attribution
    is a statement of its own (its index in the list). PolNeAR marks two attributions there, so both
    rows stay; "how often was X quoted" counts statements."""
    by_cue = {}
    for index, a in enumerate(attributions):
        a.statement = index
        cue = doc.char_span(a.cue_start, a.cue_end) if a.kind in ("direct", "indirect") else None
        if cue is None or len(cue) != 1:
            continue
        verb = cue[0]
        earlier = by_cue.get(verb.head.i) if verb.dep_ in ("advcl", "conj") and verb.head.i != verb.i else None
        same = earlier is not None and (earlier.speaker_name or earlier.speaker) == (a.speaker_name or a.speaker)
        # "attacked X, saying ..." is one act of speech; "supported X and said ..." two things done
        speech = verb.dep_ == "advcl" or verb.head.lemma_.lower() in SPEECH_VERBS
        if same and speech and verb.lemma_.lower() in SPEECH_VERBS:
            a.statement = earlier.statement
        by_cue[verb.i] = a
    return attributions


def _claimed(direct: Attribution, complements: list[Attribution]) -> bool:
    """True when a direct content lies inside another cue's reported clause or object: in "wrote to
    investors, telling them Valeant was “worth more”" the quotation is what "telling" reports, and
    "wrote" taking it as its adjacent quote would count it twice (audit a1, M1). Nested cues
    ("said she wanted “X”") are not this case: there one cue's content holds the other cue."""
    start, end = direct.content_start, direct.content_end
    for other in complements:
        span = (other.content_start, other.content_end)
        if span == (start, end) or not (span[0] <= start and end <= span[1] + CLAIM_SLACK):
            continue
        if not (span[0] <= direct.cue_start < span[1] or start <= other.cue_start < end):
            return True
    return False


def _without_nested_views(doc, attributions: list[Attribution]) -> list[Attribution]:
    """Drop an indirect attribution by a verb that is not one of speech ("wants", "sees", "supports")
    when its cue lies inside another attribution's content: in "Dorn said she wants a new pier" the
    view is part of what Dorn said. PolNeAR train marks few of them (14% of those found matched)."""

    def inside(a, b):
        return b.content_start is not None and b.content_start <= a.cue_start < b.content_end

    kept = []
    for a in attributions:
        cue = doc.char_span(a.cue_start, a.cue_end, alignment_mode="expand") if a.kind == "indirect" else None
        if cue is not None and cue.root.lemma_.lower() not in SPEECH_VERBS:
            if any(b is not a and inside(a, b) and not inside(b, a) for b in attributions):
                continue
        kept.append(a)
    return kept


def _own_quotes(attributions: list[Attribution], quotes) -> list[Attribution]:
    """End a content before a quotation that another cue claims: in “A,” the mayor said. “B,” said
    Jane Smith. the mayor's statement stops at A's closing mark. PolNeAR runs a statement over "he
    said." into the next quotation, so only a quotation with its own cue is cut off."""
    for a in attributions:
        if a.content_start is None:
            continue
        for b in attributions:
            if b is a or b.content_start is None or not a.content_start < b.content_start < a.content_end:
                continue
            if a.kind != "direct":
                # "X, Ms. Doe said, ''is ...'' to Y. ''Z,'' she said.": the parser ran the sentence
                # a parenthetical cue interrupts into the next quotation, which has its own cue
                # after this content; it ends where that quotation opens (audit a1)
                if b.kind == "direct" and b.cue_start >= a.content_end:
                    cut = len(a.content[: b.content_start - a.content_start].rstrip(" \t\n\xa0.,;"))
                    a.content, a.content_end = a.content[:cut], a.content_start + cut
                continue
            ends = [e for s, e in quotes if a.content_start < e <= b.content_start]
            if ends:
                cut = max(ends)
                a.content = a.content[: cut - a.content_start]
                a.content_end = cut
    return attributions
