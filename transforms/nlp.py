"""spaCy loading and batch annotation: entities and attributions for many texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from transforms.attributions import find_attributions
from transforms.config import EntityConfig, NlpConfig, SpeakerConfig
from transforms.entities import find_mentions
from transforms.models import Annotation

# Marks that may close a line's last sentence: stops, a colon before a list, closing quotation marks.
_SENTENCE_ENDS = frozenset(".!?:;\"”’')…")


def line_sentences(doc):
    """Start a sentence after every line break: an extracted article's line is a paragraph, a heading or a list item."""
    # spaCy's parser keeps preset sentence starts; left alone it glues a heading ("15. Seek help")
    # or a closing quotation mark to the next paragraph's first sentence. Given a start, it may also
    # cut the line's first word off as a sentence of its own ("Rachel" | "Rook took Carroll home"):
    # the second token is marked as no start.
    # A line that starts in lower case after one with no closing punctuation is a sentence the
    # page broke ("... making the rounds on social media,\nshow Nigerian actress ..."): left to the parser.
    after_break, last = False, None
    for token in doc:
        if after_break and not token.is_space:
            wrapped = token.text[:1].islower() and last is not None and last.text[-1:] not in _SENTENCE_ENDS
            if not wrapped:
                token.is_sent_start = True
                if token.i + 1 < len(doc):
                    doc[token.i + 1].is_sent_start = False
            after_break = False
        if "\n" in token.text_with_ws:
            after_break = True
        elif not token.is_space:
            last = token
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str, components: tuple[str, ...], line_breaks: bool = True):
    """Load a spaCy model from an installed package with only the given components enabled; with
    line_breaks, a sentence starts after every line break (line_breaks=False: the bare library)."""
    import spacy
    from spacy.language import Language

    nlp = spacy.load(model)
    for name in nlp.pipe_names:
        if name not in components:
            nlp.disable_pipe(name)
    splitter = next((name for name in ("parser", "senter") if name in components and name in nlp.pipe_names), None)
    if line_breaks and splitter is not None:  # a model with neither has no sentences to set
        if "line_sentences" not in Language.factories:
            Language.component("line_sentences", func=line_sentences)
        nlp.add_pipe("line_sentences", before=splitter)
    return nlp


def parse_form(text: str) -> str:
    """The text as spaCy should see it: CR and CRLF line ends as LF, keeping every offset."""
    # Same length, so offsets into the parsed text are offsets into the original; spaCy and
    # the paragraph logic of the attribution rules treat a bare "\r" as part of a sentence.
    return text.replace("\r\n", " \n").replace("\r", "\n")


def _restore(annotation: Annotation, text: str) -> Annotation:
    """Take every stored string from the original text by its offsets (exactly as read)."""
    for m in annotation.mentions:
        m.text = text[m.start : m.end]
    for a in annotation.attributions:
        for part in ("speaker", "cue", "content"):
            start, end = getattr(a, f"{part}_start"), getattr(a, f"{part}_end")
            if start is not None and end is not None:
                setattr(a, part, text[start:end])
    return annotation


def annotate_texts(
    texts: Iterable[str], config: NlpConfig | None = None, entity_config: EntityConfig | None = None,
    model: str | None = None, speaker_config: SpeakerConfig | None = None,
) -> Iterator[Annotation]:
    """Yield one Annotation per text, running spaCy through nlp.pipe in batches (`model` overrides config.model)."""
    config = config or NlpConfig()
    nlp = load_nlp(model or config.model, tuple(config.components))
    pairs = ((parse_form(text), text) for text in texts)
    for doc, text in nlp.pipe(pairs, as_tuples=True, batch_size=config.batch_size, n_process=config.n_process):
        mentions = find_mentions(doc, entity_config)
        annotation = Annotation(mentions=mentions, attributions=find_attributions(doc, mentions, speaker_config))
        yield annotation if doc.text == text else _restore(annotation, text)
