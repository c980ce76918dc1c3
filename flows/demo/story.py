"""Story writing for the demo site: sentences with planted attributions, and the truth about them.

Stories are assembled from flows.demo.content (cast, topics, sentence patterns) with a seeded
random.Random, so the same seed writes the same words.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flows.demo import content as dc


@dataclass
class Sentence:
    """One sentence of a story with the attributions planted in it (truth records)."""

    text: str
    attributions: list[dict] = field(default_factory=list)
    editable: bool = False  # a plain fact a syndicating outlet may edit or drop


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Writes the sentences of one story in text order, remembering who has been introduced."""

    def __init__(self, rng: random.Random, fill: dict[str, str], curly: bool, honorifics: bool):
        self.rng = rng
        self.fill = fill
        self.curly = curly
        self.honorifics = honorifics  # later mentions as "Ms. Vasquez" / "Mayor Vasquez", not "Vasquez"
        self.introduced: set[str] = set()

    def _speaker(self, key: str, position: str) -> tuple[str, str, str]:
        """Return (phrase as written, speaker text, canonical name) for a person or organisation."""
        if key in dc.ORGS:
            org = dc.ORGS[key]
            return ("the " if org.article else "") + org.name, org.name, org.name
        person = dc.PEOPLE[key]
        if key in self.introduced:
            if self.honorifics:
                honorific = person.title or ("Ms." if person.pronoun == "she" else "Mr.")
                return f"{honorific} {person.surname}", person.surname, person.full
            return person.surname, person.surname, person.full
        self.introduced.add(key)
        # Half the titled people are introduced by title ("Mayor Elena Vasquez"), half by apposition.
        if person.title and self.rng.random() < 0.5:
            return f"{person.title} {person.full}", person.full, person.full
        # An apposition inside the sentence is closed by a comma; at the end the full stop closes it.
        closing = "" if position == "end" else ","
        return f"{person.full}, {person.appos}{closing}", person.full, person.full

    def _sentence(self, template: str, kind: str, cue: str, speaker: str, entity: str | None,
                  anonymous: bool = False, quote: str | None = None, claim: str | None = None,
                  **slots: str) -> Sentence:
        parts = quote.split("|") if quote else []
        values = dict(slots, q=parts[0] if parts else "", q2=parts[1] if len(parts) > 1 else "", day=self.fill["day"])
        if claim is not None:
            values.update(c=claim, C=_cap(claim))
        text = template.format(**values)
        if not self.curly:
            text = text.replace("“", '"').replace("”", '"')
        content = None
        if quote:
            content = parts[0]
        elif claim is not None:
            content = _cap(claim) if "{C}" in template else claim
        record = {"kind": kind, "speaker": speaker, "speaker_entity": entity, "cue": cue,
                  "content": content, "anonymous": anonymous}
        if len(parts) > 1 and "{q2}" in template:
            record["content_parts"] = parts
        return Sentence(text, [record])

    def voice(self, key: str, quotes: list[str], claims: list[str]) -> list[Sentence]:
        """A paragraph in which one person speaks: a quote or a reported claim, maybe a follow-up."""
        rng = self.rng
        splittable = [q for q in quotes if "|" in q]
        roll = rng.random()
        # About a third of speakers open with a quote split around them when they have one, a quarter with
        # a plain quote, the rest with a reported claim: every pattern occurs dozens of times on the site.
        if splittable and roll < 0.35:
            quote = splittable[0]
            quotes.remove(quote)
            template, cue, pos = dc.SPLIT
            first = self._direct(key, template, cue, pos, quote)
        elif quotes and (roll < 0.6 or not claims):
            template, cue, pos = rng.choice(dc.DIRECT)
            first = self._direct(key, template, cue, pos, quotes.pop(0).replace("|", ", "))
        else:
            template, cue, pos = rng.choice(dc.INDIRECT + dc.ACCORDING)
            kind = "according_to" if cue == "according to" else "indirect"
            phrase, speaker, entity = self._speaker(key, pos)
            first = self._sentence(template, kind, cue, speaker, entity, claim=claims.pop(0), s=phrase, S=_cap(phrase))
        paragraph = [first]
        person = dc.PEOPLE[key]
        # A follow-up by the same speaker refers back with a pronoun, as news copy does.
        if rng.random() < 0.5 and (quotes or claims):
            if quotes:
                template, cue = rng.choice(dc.FOLLOW_DIRECT)
                paragraph.append(self._sentence(template, "direct", cue, person.pronoun, person.full,
                                                quote=quotes.pop(0).replace("|", ", "), p=person.pronoun))
            else:
                template, cue = dc.FOLLOW_INDIRECT[0]
                paragraph.append(self._sentence(template, "indirect", cue, _cap(person.pronoun), person.full,
                                                claim=claims.pop(0), P=_cap(person.pronoun)))
        return paragraph

    def _direct(self, key: str, template: str, cue: str, pos: str, quote: str) -> Sentence:
        phrase, speaker, entity = self._speaker(key, pos)
        return self._sentence(template, "direct", cue, speaker, entity, quote=quote, s=phrase, S=_cap(phrase))

    def anonymous(self, claim: str) -> Sentence:
        """A claim resting on unnamed sources."""
        template, cue, speaker = self.rng.choice(dc.ANONYMOUS)
        kind = "according_to" if cue == "according to" else "indirect"
        return self._sentence(template, kind, cue, speaker, None, anonymous=True, claim=claim)

    def outlet_report(self, other: str, claim: str) -> Sentence:
        """A claim resting on the other outlet's reporting."""
        template, cue, kind = self.rng.choice(dc.OUTLET_REPORT)
        written, speaker = dc.OUTLET_MENTION[other]
        return self._sentence(template, kind, cue, speaker, dc.OUTLET_NAMES[other], claim=claim, o=written, O=_cap(written))

    def no_comment(self, key: str) -> Sentence:
        """Someone who would not talk."""
        template, cue = self.rng.choice(dc.NO_COMMENT)
        phrase, speaker, entity = self._speaker(key, "subject")
        return self._sentence(template, "no_comment", cue, speaker, entity, S=_cap(phrase))


def fill_slots(topic: dc.Topic, rng: random.Random, published: datetime) -> dict[str, str]:
    """Slot values of one story: numbers, days and a second place vary from story to story."""
    # News happens on the day of publication or the day before; what is announced comes days later.
    day = (published - timedelta(days=rng.randint(0, 1))).strftime("%A")
    day2 = (published + timedelta(days=rng.randint(2, 5))).strftime("%A")
    return {
        "place": topic.place, "org": dc.ORGS[topic.org].name,
        "place2": rng.choice([p for p in dc.PLACES if p != topic.place]),
        "n": str(rng.randint(3, 12)), "n2": str(rng.randint(14, 60)), "big": str(rng.randint(120, 900)),
        "money": f"${rng.randint(2, 40)}.{rng.randint(1, 9)} million", "sum": f"${rng.randint(40, 900)},000",
        "pct": str(rng.randint(4, 35)),
        "day": day, "day2": day2,
    }


class Desk:
    """The news desk's memory across stories: headlines used, and what each topic has already told.

    Ledes, facts, speakers and lines are dealt least used first, so two stories on one topic share
    little text (they must not look like copies of each other to deduplication).
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.dealt: dict[str, list[set[str]]] = {}
        self.titles: set[str] = set()

    def deal(self, topic: dc.Topic, name: str, items: tuple[str, ...] | list[str], k: int) -> list[str]:
        """k distinct items: the least used on this topic, and the least often used together before."""
        history = self.dealt.setdefault(f"{topic.key}:{name}", [])
        uses = Counter(item for earlier in history for item in earlier)
        dealt: list[str] = []

        def cost(item: str) -> tuple[int, float]:
            together = sum(len(earlier.intersection(dealt)) for earlier in history if item in earlier)
            return uses[item] + together, self.rng.random()

        for _ in range(min(k, len(items))):
            dealt.append(min((item for item in items if item not in dealt), key=cost))
        history.append(set(dealt))
        return dealt

    def headline(self, options: list[str]) -> str:
        """The first option whose wording is not yet used on the site (numbers aside)."""
        # A running story can outlast its headlines; then a follow-up label keeps titles unique.
        for update in itertools.count():
            for option in options:
                title = f"Update {update}: {option}" if update else option
                wording = re.sub(r"\d+", "#", title)  # "cut by 4 percent" and "cut by 30 percent" are one headline
                if wording not in self.titles:
                    self.titles.add(wording)
                    return title
        raise AssertionError("unreachable")


def compose_story(topic: dc.Topic, rng: random.Random, desk: Desk, published: datetime, outlet: str, other: str,
                  cite_other: bool) -> tuple[str, list[str], list[list[Sentence]]]:
    """Write one story on a topic: (headline, headlines that would fit it, paragraphs)."""
    fill = fill_slots(topic, rng, published)
    options = [h.format(**fill) for h in desk.deal(topic, "headlines", topic.headlines, len(topic.headlines))]
    title = desk.headline(options)
    # The Courier sets mostly curly quotes, the Ledger mostly straight ones; each has some of the other.
    # The Ledger's house style gives people an honorific on every later mention.
    writer = _Writer(rng, fill, curly=rng.random() < (0.8 if outlet == "harbour-courier" else 0.3),
                     honorifics=outlet == "northvale-ledger")
    facts = [Sentence(f.format(**fill), editable=True) for f in desk.deal(topic, "facts", topic.facts, rng.randint(3, 5))]
    voices = desk.deal(topic, "voices", list(topic.voices), rng.randint(2, 3))
    rumours = [r.format(**fill) for r in desk.deal(topic, "rumours", topic.rumours, 2)]
    # The layout is fixed first so that sentences are written in text order (first mentions first).
    fact_groups = []
    while facts:
        take = 2 if len(facts) > 2 and rng.random() < 0.5 else 1
        fact_groups.append([facts.pop() for _ in range(take)])
    body = ["voice"] * len(voices) + ["facts"] * len(fact_groups)
    if rng.random() < 0.5:  # half the stories lean on unnamed sources
        body.append("anonymous")
    if cite_other:
        body.append("report")
    rng.shuffle(body)
    if rng.random() < 0.7:  # most stories come back to someone already quoted, who is then named by surname
        body.insert(rng.randint(body.index("voice") + 1, len(body)), "again")
    dealt: set[str] = set()

    def lines_of(key: str) -> tuple[list[str], list[str]]:
        """One quote and one claim of a speaker, not yet given in this story (one may follow up the other)."""
        quotes, claims = ([x for x in desk.deal(topic, f"{key}:{i}", lines, 2) if x not in dealt][:1]
                          for i, lines in enumerate(topic.voices[key]))
        dealt.update(quotes + claims)
        return [q.format(**fill) for q in quotes], [c.format(**fill) for c in claims]

    paragraphs = [[Sentence(desk.deal(topic, "ledes", topic.ledes, 1)[0].format(**fill))]]
    spoken: list[str] = []
    for slot in body:
        if slot == "voice":
            spoken.append(voices.pop())
            paragraphs.append(writer.voice(spoken[-1], *lines_of(spoken[-1])))
        elif slot == "again":
            key = rng.choice(spoken)
            quotes, claims = lines_of(key)
            if quotes or claims:
                paragraphs.append(writer.voice(key, quotes, claims))
        elif slot == "facts":
            paragraphs.append(fact_groups.pop())
        elif slot == "anonymous":
            paragraphs.append([writer.anonymous(rumours.pop())])
        else:
            paragraphs.append([writer.outlet_report(other, rumours.pop())])
    # Nobody declines to comment after speaking, nor does an organisation whose people already spoke.
    told = " ".join(s.text for para in paragraphs for s in para)
    silent = [k for k in topic.silent if k not in writer.introduced and (k not in dc.ORGS or dc.ORGS[k].name not in told)]
    # Stories stay within 12 paragraphs, the longest the issue asks for.
    if silent and rng.random() < 0.7 and len(paragraphs) < 12:
        paragraphs.append([writer.no_comment(rng.choice(silent))])
    return title, options, paragraphs


def edit_copy(paragraphs: list[list[Sentence]], rng: random.Random) -> list[list[Sentence]]:
    """A syndicating outlet's version of a story: one fact dropped and one lightly edited."""
    paragraphs = [list(p) for p in paragraphs]
    facts = [(i, j) for i, para in enumerate(paragraphs) for j, s in enumerate(para) if s.editable]
    drop_i, drop_j = rng.choice(facts)
    edits = ((i, j, old, new) for i, j in facts if (i, j) != (drop_i, drop_j)
             for old, new in dc.COPY_EDITS if old in paragraphs[i][j].text)
    for i, j, old, new in itertools.islice(edits, 1):
        paragraphs[i][j] = Sentence(paragraphs[i][j].text.replace(old, new, 1), editable=True)
    del paragraphs[drop_i][drop_j]
    return [p for p in paragraphs if p]


def _surface_forms() -> dict[str, tuple[str, str]]:
    """Every way a known name is written -> (label, canonical name)."""
    forms: dict[str, tuple[str, str]] = {}
    for person in dc.PEOPLE.values():
        forms[person.full] = forms[person.surname] = ("PERSON", person.full)
    for org in dc.ORGS.values():
        forms[org.name] = ("ORG", org.name)
    for place in dc.PLACES:
        forms[place] = ("GPE", place)
    for slug, (_, entity_text) in dc.OUTLET_MENTION.items():
        forms[entity_text] = ("ORG", dc.OUTLET_NAMES[slug])
    forms["Northvale Daily Ledger"] = ("ORG", dc.OUTLET_NAMES["northvale-ledger"])
    return forms


SURFACE_FORMS = _surface_forms()
# Longest names first, so "Kellsbridge General Hospital" wins over "Kellsbridge".
NAME_RE = re.compile(r"\b(" + "|".join(re.escape(f) for f in sorted(SURFACE_FORMS, key=len, reverse=True)) + r")\b")


def article_entities(text: str) -> list[dict]:
    """Distinct entity mentions of a text, in order of first appearance."""
    seen: dict[str, dict] = {}
    for match in NAME_RE.finditer(text):
        label, canonical = SURFACE_FORMS[match.group(1)]
        seen.setdefault(match.group(1), {"text": match.group(1), "label": label, "canonical": canonical})
    return list(seen.values())
