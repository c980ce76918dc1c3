"""Stable row identities: short hashes of the values that make a row the same row."""

from __future__ import annotations

import hashlib

from transforms.models import Page


def stable_id(*parts: object) -> str:
    """A short, stable hex id from the given parts."""
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def page_id(page: Page) -> str:
    """Identity of a response: the same URL answering the same way twice is one row."""
    body_hash = hashlib.sha1(page.body).hexdigest() if page.body is not None else None
    return stable_id(page.url, page.status, page.error, body_hash)


def entity_id(canonical: str) -> str:
    """Identity of an entity across the corpus: its canonical name alone (its label is a vote that may change).

    The same as SQL's left(sha1(canonical), 16) (migration 014 computes it so), hence no case folding.
    """
    return stable_id(canonical)
