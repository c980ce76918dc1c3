"""spaCy loading and batch annotation: entities and attributions for many texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from transforms.attributions import find_attributions
from transforms.config import EntityConfig, NlpConfig
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


def annotate_texts(
    texts: Iterable[str], config: NlpConfig | None = None, entity_config: EntityConfig | None = None
) -> Iterator[Annotation]:
    """Yield one Annotation per text, running spaCy through nlp.pipe in batches."""
    config = config or NlpConfig()
    nlp = load_nlp(config.model, tuple(config.components))
    for doc in nlp.pipe(texts, batch_size=config.batch_size, n_process=config.n_process):
        mentions = find_mentions(doc, entity_config)
        yield Annotation(mentions=mentions, attributions=find_attributions(doc, mentions))
