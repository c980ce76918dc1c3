"""One entity across the corpus: short forms, surnames and acronyms joined to full names seen elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from transforms.models import Mention


def link_corpus(articles: Sequence[Sequence[Mention]]) -> list[list[Mention]]:
    """Return the articles' mentions with canonical names linked across the corpus."""
    return [list(ms) for ms in articles]
