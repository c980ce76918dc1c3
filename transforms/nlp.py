"""spaCy loading and batch annotation: entities and attributions for many texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from transforms.attributions import find_attributions
from transforms.config import EntityConfig, NlpConfig, SpeakerConfig
from transforms.entities import find_mentions
from transforms.models import Annotation


@lru_cache(maxsize=4)
def load_nlp(model: str, components: tuple[str, ...]):
    """Load a spaCy model from an installed package with only the given components enabled."""
    import spacy

    nlp = spacy.load(model)
    for name in nlp.pipe_names:
        if name not in components:
            nlp.disable_pipe(name)
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
