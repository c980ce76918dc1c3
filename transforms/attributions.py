"""Attributions: who said what, on whose authority (first version; see issue 8)."""

from __future__ import annotations

from transforms.models import Attribution, Mention


def find_attributions(doc, mentions: list[Mention]) -> list[Attribution]:
    """Return the attributions found in a spaCy Doc."""
    return []
