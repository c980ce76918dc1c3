"""Odd and hostile texts through the whole enrichment (annotate_texts): no rule may raise, every offset slices."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.attributions import quote_spans
from transforms.entities import find_mentions
from transforms.nlp import annotate_texts
from transforms.speakers import Speakers

# Each aims at a rule's edge: no token, no sentence, a name at index 0, unbalanced quotes, a colon
# or a closing parenthesis at the start (the labelled-quote rule looks left of it), no-letter names.
HOSTILE = {
    "empty": "",
    "spaces": " \t\xa0 ",
    "newlines": "\n\n\n",
    "punctuation": "!!! ??? ... ,,, ;;; :: “” \"\" () —",
    "unbalanced quotes": '“He said it was fine, said Jones. "And then: “ Smith: “ More from Lee: “',
    "colon first": ":“a”",
    "parenthesis first": ") : “quote” (R-S.C.): “quote” Rep. (R): “q”",
    "name at index 0": "Jones:“a” and Apple: “b”",
    "emoji": "😀😀 Jones said 🎉 “great” 👍 ✨ Apple: “🍎”",
    "right to left": "قال محمد إن الوضع جيد. «هذا رائع» שלום עולם",
    "fractions": "½ ¼ ¾ ½ cup sugar ¼ tsp salt. K. Hupfer 1 goal ½",
    "lines of digits": "\n".join(str(i) * 5 for i in range(200)),
    "one word 50k chars": "buffalo " * 6250,
    "one token 50k chars": "word" * 12500,
    "control characters": "\x00\x01 Jones said \x0b “hi” \u200b\u200e\u202e",
    "no-break spaces": "he said.\xa0“Next.”\xa0\xa0 said Jones",
    "pronouns only": "He said he would. It said they did. They said. Their own.",
    "platforms": "took to X. posted on Twitter, Facebook and X",
}


def _check(text, annotation):
    """Every stored span lies in the text and slices to its stored string."""
    for m in annotation.mentions:
        assert 0 <= m.start < m.end <= len(text) and m.text == text[m.start : m.end]
    for a in annotation.attributions:
        for value, start, end in (
            (a.speaker, a.speaker_start, a.speaker_end),
            (a.cue, a.cue_start, a.cue_end),
            (a.content, a.content_start, a.content_end),
        ):
            assert value == (text[start:end] if start is not None else None)


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_never_raises(nlp, text):
    (annotation,) = annotate_texts([text])
    _check(text, annotation)
    # the benchmark-only mode that answers every pronoun must not raise either
    doc = nlp(text)
    speakers = Speakers(doc, find_mentions(doc), quote_spans(doc.text), every_pronoun=True)
    assert all(speakers.pronoun(t) is None or speakers.pronoun(t).name for t in doc)


# Words that trigger issue 17d/19d's rules: colons before quotations, party labels, speech verbs
# conjoined, platforms, products, numbers glued to names, place descriptions, pronouns.
PIECES = st.sampled_from(
    ["“", "”", '"', ":", "(", ")", "(R-S.C.)", "Rep.", "Jones", "Trey Gowdy", "said", "added", "and", "he",
     "it", "they", "their", "Apple", "MacBook Pro", "3", "½", "1-0", "on", "Twitter", "took to", "X", ",",
     ".", "\n", "\xa0", "a town", "is located", "island of", "Bridge", "van", "K.", "1 goal", "read",
     "More from", "Historians", "—", "told", "him", "because", "the company", "😀"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=30), st.booleans())
def test_random_rule_triggers_never_raise(nlp, pieces, spaced):
    text = (" " if spaced else "").join(pieces)
    (annotation,) = annotate_texts([text])
    _check(text, annotation)
