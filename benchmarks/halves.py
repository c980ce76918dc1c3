"""Fixed halves of a dev set: rules are built on half A and reported on half B."""

from __future__ import annotations

import hashlib


def half(name: str) -> str:
    """"A" when the first byte of sha1(name) is even, else "B": fixed across runs and machines."""
    return "A" if hashlib.sha1(name.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def split(names) -> dict[str, list[str]]:
    """Names by half, in their given order."""
    halves: dict[str, list[str]] = {"A": [], "B": []}
    for name in names:
        halves[half(name)].append(name)
    return halves
