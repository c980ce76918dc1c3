"""Deduplication: same URL, same text, near-copies and same title, grouped into clusters.

Layers run cheapest first: the canonical URL, a hash of the normalised text, MinHash over word
shingles (near-copies: syndication with other boilerplate, edits, cuts), and the normalised title
of one outlet on one day.

The near-copy index does the banding of datasketch's MinHashLSH (a stored article is a candidate
when all values of one band agree) over numpy arrays instead of MinHashLSH's dict of sets:
MinHashLSH took 170 us and ~9 KB per inserted key here (100,000 keys: 17 s, 1 GB), so rebuilding
it from 1,000,000 stored signatures at every run would take minutes and ~10 GB. Band keys are
computed vectorised from the stored signatures and kept in one sorted array: rebuilding from
1,000,000 stored rows took ~10 s of CPU and ~1.3 GB (benchmarks/dedup.py --full).
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix  # private: test_signature_equals_datasketch_minhash_update guards it

from transforms.config import DedupConfig

# Stored signatures only compare under one permutation seed and scheme: changing either (or
# shingle_size, num_perm) means recomputing every stored signature.
_SEED = 1
_SCHEME = "affine32"
_EMPTY = np.iinfo(np.uint32).max  # every value of the signature of a text without words

# Odd 64-bit multipliers for the polynomial shingle hash and the band keys (any odd constant
# works; these are the usual golden-ratio and FNV constants).
_BYTE_BASE = 0x9E3779B97F4A7C15
_BAND_PRIME = np.uint64(0x100000001B3)


@functools.cache
def _is_separator(char: str) -> bool:
    """True for whitespace (as str.split sees it) and Unicode punctuation and symbols: all become a space."""
    return char.isspace() or unicodedata.category(char)[0] in "PS"


# str.translate takes a fast path (~40x faster per character) for ASCII text with a table that
# has an entry for every ASCII character.
_ASCII_SEPARATORS = {code: " " if _is_separator(chr(code)) else code for code in range(128)}

# The non-ASCII punctuation of most English news, replaced by a space first: the text then is
# usually pure ASCII, for which NFKC, casefold and translate take fast paths. Replacing them before
# NFKC gives the same words: they compose with no neighbour, and marks NFKC makes become spaces later.
_COMMON_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb"  # ‘’“”–—…«»

# Below this many characters (titles) splitting and joining the words is faster than numpy: its
# cost grows ~16 ns per character, numpy's is ~8.5 us per call plus ~3 ns per character.
_SHORT_TEXT = 700


def normalise_text(text: str) -> str:
    """Return the words of a text, NFKC-normalised and casefolded, joined by single spaces."""
    for mark in _COMMON_PUNCTUATION:
        text = text.replace(mark, " ")
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        folded = folded.translate(_ASCII_SEPARATORS)
    else:
        # Replacing the few distinct separators of the text ran 2.5x faster than str.translate,
        # which looks every character of a non-ASCII text up in the table.
        for mark in [char for char in set(folded) if _is_separator(char)]:
            folded = folded.replace(mark, " ")
    if len(folded) < _SHORT_TEXT:
        return " ".join(folded.split())
    # Keeping the bytes that are no space or follow no space ran 3x faster than
    # " ".join(folded.split()) on article bodies, with the same result (a space byte is only ever
    # a space in UTF-8; lone surrogates pass through as they did).
    data = np.frombuffer(folded.encode(errors="surrogatepass"), dtype=np.uint8)
    in_word = data != ord(" ")
    keep = in_word.copy()
    keep[1:] |= in_word[:-1]
    return data[keep].tobytes().decode(errors="surrogatepass").rstrip(" ")


def text_hash(text: str) -> str:
    """Return the hex BLAKE2b hash of the normalised text (copies differing in case, spacing, punctuation hash equally)."""
    return _words_hash(normalise_text(text))


def _words_hash(words: str) -> str:
    """text_hash() of an already normalised text."""
    return hashlib.blake2b(words.encode(), digest_size=16).hexdigest()


def _shingle_hashes(words: str, size: int) -> np.ndarray:
    """Return a 32-bit hash of each run of `size` consecutive words of a normalised text (one run if shorter)."""
    data = np.frombuffer(words.encode(), dtype=np.uint8)
    spaces = np.flatnonzero(data == ord(" "))
    starts = np.empty(spaces.size + 1, dtype=np.intp)
    starts[0], starts[1:] = 0, spaces + 1
    ends = np.empty(spaces.size + 1, dtype=np.intp)
    ends[:-1], ends[-1] = spaces, data.size
    first = starts[: max(len(starts) - size + 1, 1)]
    last = ends[size - 1 :] if len(ends) >= size else ends[-1:]
    # Polynomial hash of the bytes of each run, from prefix sums: sum(data[k] * B**k) over the run,
    # divided by B**first so that equal runs hash equally wherever they stand (arithmetic mod 2**64).
    powers, inverse_powers = _byte_powers(1 << data.size.bit_length())
    prefix = np.zeros(data.size + 1, dtype=np.uint64)
    np.cumsum(np.multiply(data, powers[: data.size], dtype=np.uint64), out=prefix[1:])
    hashes = (prefix[last] - prefix[first]) * inverse_powers[first]
    return ((hashes >> np.uint64(32)) ^ hashes).astype(np.uint32)


@functools.cache
def _byte_powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """Return B**k and B**-k mod 2**64 for k from 1 to length (cached: asked for by powers of two)."""
    powers = np.cumprod(np.full(length, _BYTE_BASE, dtype=np.uint64))
    return powers, np.cumprod(np.full(length, pow(_BYTE_BASE, -1, 2**64), dtype=np.uint64))


@functools.cache
def _permutations(num_perm: int) -> np.ndarray:
    """Return datasketch's permutation parameters for num_perm (made once: drawing them costs more than hashing)."""
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations


def signature(text: str, config: DedupConfig) -> np.ndarray:
    """Return the MinHash signature (config.num_perm uint32 values) of the word shingles of the normalised text."""
    return _words_signature(normalise_text(text), config)


def _words_signature(words: str, config: DedupConfig) -> np.ndarray:
    """signature() of an already normalised text: datasketch's MinHash.update_batch arithmetic, vectorised."""
    if not words:
        return np.full(config.num_perm, _EMPTY, dtype=np.uint32)
    # MinHash.update_batch passes each shingle through a Python hash function, which took half the
    # time of a signature; the same arithmetic over all shingles at once gives the same values:
    # the MurmurHash3 finaliser, then a * h + b mod 2**32 per permutation, the minimum over shingles.
    a, b = _permutations(config.num_perm)
    values = np.multiply.outer(a, _fmix(_shingle_hashes(words, config.shingle_size), 32))
    values += b[:, None]
    return values.min(axis=1)


def signature_to_bytes(sig: np.ndarray) -> bytes:
    """Return a signature as bytes, for a BLOB column."""
    return np.asarray(sig, dtype=np.uint32).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    """Return the signature stored by signature_to_bytes."""
    return np.frombuffer(data, dtype=np.uint32)


# Title parts split off at " - ", " | ", ": " and the like ("NYT: X", "X | Outlet").
_TITLE_SEPARATORS = re.compile(r"\s[-–—|]\s|:\s")


def normalise_title(title: str, outlet: str | None = None) -> str:
    """Return the title normalised like text, without the outlet's name or short kicker parts ("NYT: X" -> "x")."""
    parts = [normalise_text(part) for part in _TITLE_SEPARATORS.split(html.unescape(title))]
    outlet_name = normalise_text(outlet) if outlet else None
    # Parts of one or two words are kickers and outlet names ("Opinion", "Live", "NYT", "BBC News").
    story = [part for part in parts if part.count(" ") >= 2 and part != outlet_name]
    return " ".join(story or [part for part in parts if part])


def title_key(title: str | None, *, outlet: str, published: date | None, config: DedupConfig) -> str | None:
    """Return "outlet|day|normalised title", the same-story signal of one outlet, or None when too weak."""
    if not title or published is None:
        return None
    normalised = normalise_title(title, outlet)
    if len(normalised) < config.min_title_chars:
        return None
    return f"{outlet}|{published.isoformat()}|{normalised}"


@dataclass(frozen=True)
class Match:
    """A stored article that a new one duplicates: its cluster's canonical member, the layer, the similarity."""

    of: str
    layer: str  # one of models.DUPLICATE_LAYERS
    similarity: float  # estimated Jaccard of the shingles (minhash, title), 1.0 for url and text_hash


class Decision(NamedTuple):
    """Where one article went: its cluster (named by the canonical member) and, for a duplicate, how it matched."""

    # A NamedTuple rather than a frozen dataclass: from_rows makes one per stored article, 1.7x faster.

    article_id: str
    cluster: str
    layer: str | None = None  # None: the article founded the cluster and is its canonical member
    similarity: float | None = None

    @property
    def canonical(self) -> bool:
        """True when the article is its cluster's canonical member."""
        return self.layer is None


@dataclass(frozen=True)
class ArticleKeys:
    """What deduplication needs of one new article."""

    article_id: str
    url: str  # canonical_url() of the page
    text_hash: str
    signature: np.ndarray
    title_key: str | None
    published: date | None
    length: int  # characters of text

    @classmethod
    def of(
        cls,
        article_id: str,
        *,
        url: str,
        text: str,
        title: str | None,
        outlet: str,
        published: date | None,
        config: DedupConfig,
    ) -> ArticleKeys:
        """Compute the keys of an article from its canonical URL, text and title (the text normalised once)."""
        words = normalise_text(text)
        return cls(
            article_id=article_id,
            url=url,
            text_hash=_words_hash(words),
            signature=_words_signature(words, config),
            title_key=title_key(title, outlet=outlet, published=published, config=config),
            published=published,
            length=len(text),
        )


class IndexRow(NamedTuple):
    """One stored article, as DedupIndex.from_rows reads it (the column order of the warehouse query)."""

    article_id: str
    url: str
    text_hash: str
    signature: bytes  # signature_to_bytes()
    title_key: str | None
    cluster: str
    layer: str | None
    similarity: float | None
    published: date | None = None  # the arrival_order key of the article, which decides a joined cluster's
    length: int = 0  # canonical member (characters of text)


class Merge(NamedTuple):
    """A stored story cluster folded into another: its members move to `into`, its canonical member becomes a copy."""

    cluster: str
    into: str
    layer: str  # how the article that joined them matched `cluster` (models.DUPLICATE_LAYERS)
    similarity: float


def _band_keys(signatures: np.ndarray, config: DedupConfig) -> np.ndarray:
    """Return one 64-bit key per LSH band per signature, shape (n, lsh_bands); bands never share keys."""
    bands, rows = config.lsh_bands, config.lsh_rows
    values = signatures[:, : bands * rows].reshape(len(signatures), bands, rows).astype(np.uint64)
    keys = np.arange(1, bands + 1, dtype=np.uint64) * _BAND_PRIME  # broadcast to (n, bands) below
    for row in range(rows):
        keys = (keys ^ values[:, :, row]) * _BAND_PRIME
    return keys


class DedupIndex:
    """Stored articles by URL, text hash, LSH band and title key, each with the cluster it belongs to."""

    # Rows of band keys computed at once when rebuilding: bounds the temporary uint64 copy (~100 MB).
    _CHUNK = 100_000

    def __init__(self, config: DedupConfig):
        self.config = config
        self._position: dict[str, int] = {}
        self._decisions: list[Decision] = []
        self._by_url: dict[str, int] = {}
        self._by_text_hash: dict[str, int] = {}
        self._by_title: dict[str, int] = {}
        self._signatures = np.empty((0, config.num_perm), dtype=np.uint32)
        # Band keys of the articles present at the last rebuild, sorted, with their positions...
        self._sorted = np.empty(0, dtype=np.uint64)
        self._position_mask = np.uint64(0)
        # ...and of those added since, in a dict (appending to sorted arrays costs O(n) each time).
        self._recent: dict[int, int | list[int]] = {}
        # What arrival_order needs of each article (who stays canonical when clusters join), by position:
        # the publication day (ordinal, 0 unknown) and the text length. Two arrays, not a key tuple per
        # article: +8 bytes an article, where a dict of tuples added ~35% to rebuilding the index.
        self._days = np.empty(0, dtype=np.int32)
        self._lengths = np.empty(0, dtype=np.int32)
        # A cluster's canonical member is the article it is named after, except these (a copy promoted
        # when its cluster's canonical article was quarantined): cluster -> position.
        self._canonical_of: dict[str, int] = {}
        # The copies of each cluster that has any, by position: folding a cluster moves them without a scan.
        self._copies: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._decisions)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence], config: DedupConfig) -> DedupIndex:
        """Build the index from stored articles (IndexRow column order), in the order they were loaded."""
        index = cls(config)
        signatures, days, lengths = [], [], []
        for article_id, url, hash_, sig, key, cluster, layer, similarity, published, length in rows:
            if article_id in index._position:
                continue
            position = index._remember(Decision(article_id, cluster, layer, similarity), url, hash_, key)
            if layer is None and cluster != article_id:
                index._canonical_of.setdefault(cluster, position)
            signatures.append(sig)
            days.append(published.toordinal() if published else 0)
            lengths.append(length or 0)
        index._signatures = np.frombuffer(b"".join(signatures), dtype=np.uint32).reshape(-1, config.num_perm)
        index._days, index._lengths = np.array(days, dtype=np.int32), np.array(lengths, dtype=np.int32)
        index._rebuild_bands()
        return index

    def _remember(self, decision: Decision, url: str, hash_: str, key: str | None) -> int:
        """Record an article's decision and exact keys; return its position. The first holder of a key keeps it."""
        position = len(self._decisions)
        self._position[decision.article_id] = position
        self._decisions.append(decision)
        if decision.layer is not None:
            self._copies.setdefault(decision.cluster, []).append(position)
        self._by_url.setdefault(url, position)
        self._by_text_hash.setdefault(hash_, position)
        if key:
            self._by_title.setdefault(key, position)
        return position

    def _rebuild_bands(self) -> None:
        """Sort the band keys of all stored signatures into one array."""
        # Each entry packs the high bits of a band key with the article's position in the low bits:
        # one np.sort (8x faster than argsort here) builds the table and no position array is kept.
        # The key bits given up only add rare spurious candidates, which the Jaccard check drops.
        self._position_mask = np.uint64((1 << max(len(self).bit_length(), 1)) - 1)
        chunks = [np.empty(0, dtype=np.uint64)]
        for start in range(0, len(self), self._CHUNK):
            signatures = self._signatures[start : min(start + self._CHUNK, len(self))]
            positions = np.arange(start, start + len(signatures), dtype=np.uint64)[:, None]
            keys = (_band_keys(signatures, self.config) & ~self._position_mask) | positions
            chunks.append(keys[signatures.min(axis=1) != _EMPTY].ravel())
        self._sorted = np.sort(np.concatenate(chunks))
        self._recent = {}

    def decision(self, article_id: str) -> Decision | None:
        """Return the stored decision of an article already in the index, else None."""
        position = self._position.get(article_id)
        return None if position is None else self._decisions[position]

    def add(
        self,
        article_id: str,
        *,
        url: str,
        text_hash: str,
        signature: np.ndarray,
        title_key: str | None,
        match: Match | None = None,
        published: date | None = None,
        length: int = 0,
    ) -> Decision:
        """Store an article: a duplicate when `match` is given, else the canonical member of a new cluster."""
        bands = self._bands(signature[None, :])[0]
        return self._add(article_id, url, text_hash, signature, title_key, match, bands, published, length)

    def match(
        self, *, url: str, text_hash: str, signature: np.ndarray, title_key: str | None
    ) -> Match | None:
        """Return the cluster a new article duplicates, trying the layers cheapest first, or None."""
        found = self.matches(url=url, text_hash=text_hash, signature=signature, title_key=title_key)
        return found[0] if found else None

    def matches(
        self, *, url: str, text_hash: str, signature: np.ndarray, title_key: str | None
    ) -> list[Match]:
        """Every stored cluster a new article duplicates, one Match per cluster, cheapest layer first (match() is the first)."""
        return self._matches(url, text_hash, signature, title_key, self._bands(signature[None, :])[0])

    def _bands(self, signatures: np.ndarray) -> list[np.ndarray | None]:
        """Return the LSH band keys of each signature (rows), None for a text without words.

        The signature of a text without words would match every other one: it is never a candidate.
        """
        empty = signatures.min(axis=1) == _EMPTY
        return [
            None if e else keys
            for keys, e in zip(_band_keys(signatures, self.config), empty.tolist(), strict=True)
        ]

    def _add(
        self,
        article_id: str,
        url: str,
        hash_: str,
        sig: np.ndarray,
        key: str | None,
        match: Match | None,
        bands: np.ndarray | None,
        published: date | None = None,
        length: int = 0,
    ) -> Decision:
        """add() with the band keys already computed."""
        known = self.decision(article_id)
        if known is not None:
            return known
        if match is None:
            decision = Decision(article_id, article_id)
        else:
            decision = Decision(article_id, match.of, match.layer, match.similarity)
        position = self._remember(decision, url, hash_, key)
        if position == len(self._signatures):  # full: double the capacity (amortised O(1) appends)
            grown = np.empty((max(2 * position, 1024), self.config.num_perm), dtype=np.uint32)
            grown[:position] = self._signatures[:position]
            self._signatures = grown
            self._days = np.resize(self._days, len(grown))
            self._lengths = np.resize(self._lengths, len(grown))
        self._signatures[position] = sig
        self._days[position] = published.toordinal() if published else 0
        self._lengths[position] = length
        for band in [] if bands is None else bands.tolist():
            # A bare position until a second article shares the band: a one-element list per band
            # (4 million for 100,000 articles) took 40% of the time of assign_clusters, mostly in
            # the garbage collector.
            held = self._recent.get(band)
            if held is None:
                self._recent[band] = position
            elif isinstance(held, int):
                self._recent[band] = [held, position]
            else:
                held.append(position)
        return decision

    def _matches(
        self, url: str, hash_: str, sig: np.ndarray, key: str | None, bands: np.ndarray | None
    ) -> list[Match]:
        """Every stored cluster a new article duplicates, by any layer, one Match per cluster, cheapest layer first.

        An article may link clusters that are stored apart (a copy of two stored articles, an original
        arriving after its copies were stored as stories of their own): the clusters are then joined.
        """
        found: dict[str, Match] = {}

        def keep(position: int, layer: str, similarity: float) -> None:
            match = self._match_of(position, layer, similarity)
            found.setdefault(match.of, match)

        for layer, table, value in (("url", self._by_url, url), ("text_hash", self._by_text_hash, hash_)):
            position = table.get(value)
            if position is not None:
                keep(position, layer, 1.0)
        candidates, similarities = self._candidates(sig, bands) if bands is not None else ([], [])
        for position, similarity in zip(candidates, similarities, strict=True):
            if similarity >= self.config.jaccard_threshold:
                keep(position, "minhash", similarity)
        position = self._by_title.get(key) if key else None
        if position is not None:
            keep(position, "title", float((self._signatures[position] == sig).mean()))
        return list(found.values())

    def _candidates(self, sig: np.ndarray, bands: np.ndarray) -> tuple[list[int], list[float]]:
        """The LSH candidates of a signature and their estimated Jaccard, most similar first (ties: earliest stored)."""
        candidates, similarities = self._lsh_candidates(sig, bands)
        order = np.lexsort((candidates, -similarities))
        return candidates[order].tolist(), similarities[order].tolist()

    def cluster_key(self, cluster: str) -> tuple:
        """The arrival_order key of a stored cluster's canonical member (unknown: after every dated article)."""
        position = self._canonical_of.get(cluster, self._position.get(cluster))
        decision = None if position is None else self._decisions[position]
        if decision is None or decision.layer is not None or decision.cluster != cluster:
            return arrival_order(None, 0, cluster)
        day = int(self._days[position])
        return arrival_order(date.fromordinal(day) if day else None, int(self._lengths[position]), decision.article_id)

    def _fold(self, merge: Merge) -> None:
        """Move every member of merge.cluster to merge.into; its canonical member becomes a copy, matched as merge says."""
        moved = self._copies.pop(merge.cluster, [])
        canonical = self._canonical_of.pop(merge.cluster, self._position.get(merge.cluster))
        decision = None if canonical is None else self._decisions[canonical]
        if decision is not None and decision.cluster == merge.cluster and decision.layer is None:
            self._decisions[canonical] = decision._replace(cluster=merge.into, layer=merge.layer,
                                                           similarity=merge.similarity)
            moved.append(canonical)
        for position in moved:
            self._decisions[position] = self._decisions[position]._replace(cluster=merge.into)
        self._copies.setdefault(merge.into, []).extend(moved)

    def _lsh_candidates(self, sig: np.ndarray, bands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stored articles sharing an LSH band with a signature (positions, ascending) and their estimated Jaccard."""
        stored = bands & ~self._position_mask
        low = np.searchsorted(self._sorted, stored, side="left")
        high = np.searchsorted(self._sorted, stored | self._position_mask, side="right")
        found = [
            (self._sorted[lo:hi] & self._position_mask).astype(np.int64)
            for lo, hi in zip(low.tolist(), high.tolist(), strict=True)
            if hi > lo
        ]
        found += [
            np.array(held, dtype=np.int64, ndmin=1)  # a bare position or a list of them
            for held in map(self._recent.get, bands.tolist())
            if held is not None
        ]
        candidates = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
        # datasketch's estimate (MinHash.jaccard): the share of signature values that agree.
        return candidates, (self._signatures[candidates] == sig).mean(axis=1)

    def _match_of(self, position: int, layer: str, similarity: float) -> Match:
        """Return a Match naming the canonical member of the cluster of the stored article at `position`."""
        return Match(self._decisions[position].cluster, layer, similarity)


def arrival_order(published: date | None, length: int, article_id: str) -> tuple:
    """Sort key: earliest published first (unknown dates last), then longest, then by id for determinism."""
    return (published is None, published or date.min, -length, article_id)


def _arrival_order(article: ArticleKeys) -> tuple:
    """arrival_order of a batch's article."""
    return arrival_order(article.published, article.length, article.article_id)


def join_clusters(links: Iterable[tuple[str, str, str, float]], keys: dict[str, tuple]) -> list[Merge]:
    """Clusters linked by articles (pairs (a, b, layer, similarity)) joined into one story each.

    The cluster whose canonical member comes first in arrival_order (keys[cluster]; unknown: last) is
    kept; every other cluster of the group is folded into it, with the layer of its link to the kept
    cluster when there is one, else of its first link. Merges come sorted by cluster.
    """
    parent: dict[str, str] = {}
    incident: dict[str, list[tuple[str, str, float]]] = {}

    def root(cluster: str) -> str:
        while parent[cluster] != cluster:
            parent[cluster] = parent[parent[cluster]]  # path halving
            cluster = parent[cluster]
        return cluster

    for a, b, layer, similarity in links:
        for one, other in ((a, b), (b, a)):
            parent.setdefault(one, one)
            incident.setdefault(one, []).append((other, layer, similarity))
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for cluster in parent:
        groups.setdefault(root(cluster), []).append(cluster)
    merges = []
    for members in groups.values():
        kept = min(members, key=lambda c: (keys.get(c) or arrival_order(None, 0, c), c))
        for cluster in members:
            if cluster != kept:
                links_of = incident[cluster]
                _, layer, similarity = next((link for link in links_of if link[0] == kept), links_of[0])
                merges.append(Merge(cluster, kept, layer, similarity))
    return sorted(merges)


def cluster_batch(batch: Sequence[ArticleKeys], index: DedupIndex) -> tuple[list[Decision], list[Merge]]:
    """Decide each new article's cluster and add it to the index; return the decisions in batch order and the merges.

    A story's canonical member is its earliest published (then longest) article, in the batch or
    stored: an article that links stored clusters joins them into one, whose canonical member is the
    first in arrival_order, the article itself included (an original arriving after its copies takes
    their cluster over). The merges name the stored clusters folded, each into the one kept, as the
    index now holds them (the loader applies them to the stored rows). Articles already in the index get
    their stored decision back, so running a batch twice changes nothing.
    """
    ordered = sorted(batch, key=_arrival_order)
    # Band keys computed for the whole batch at once (one article at a time they took a fifth of
    # the clustering time), and once for the match and the add.
    signatures = np.array([article.signature for article in ordered], dtype=np.uint32)
    all_bands = index._bands(signatures.reshape(-1, index.config.num_perm))
    merges: dict[str, Merge] = {}
    new = {article.article_id for article in batch if index.decision(article.article_id) is None}
    for article, bands in zip(ordered, all_bands, strict=True):
        if index.decision(article.article_id) is not None:
            continue
        keys = (article.url, article.text_hash, article.signature, article.title_key)
        arrival = _arrival_order(article)
        matches = index._matches(*keys, bands)
        if len(matches) <= 1 and (not matches or index.cluster_key(matches[0].of) <= arrival):
            index._add(article.article_id, *keys, matches[0] if matches else None, bands, article.published,
                       article.length)
            continue
        plan = join_clusters([(article.article_id, m.of, m.layer, m.similarity) for m in matches],
                             {article.article_id: arrival, **{m.of: index.cluster_key(m.of) for m in matches}})
        kept = plan[0].into
        index._add(article.article_id, *keys, next((m for m in matches if m.of == kept), None), bands,
                   article.published, article.length)
        for merge in plan:
            if merge.cluster == article.article_id:
                continue  # the article itself: a copy in the kept cluster, added just above
            index._fold(merge)
            merges = {folded: m._replace(into=kept) if m.into == merge.cluster else m for folded, m in merges.items()}
            if merge.cluster not in new:  # a cluster founded in this batch is not stored: its rows come decided
                merges[merge.cluster] = merge
    return [index.decision(article.article_id) for article in batch], sorted(merges.values())


def assign_clusters(batch: Sequence[ArticleKeys], index: DedupIndex) -> list[Decision]:
    """The decisions of cluster_batch (the stored clusters it joins are in the index)."""
    return cluster_batch(batch, index)[0]


def rejoin_clusters(rows: Iterable[Sequence], config: DedupConfig) -> list[Merge]:
    """The merges that join the stored stories one should be (IndexRow rows: a whole warehouse).

    Each canonical article is matched against every stored article as a new one would be: a match in
    another cluster links the two. Repairs a warehouse whose runs missed each other's copies (before
    issue 16, two runs at once); on a repaired warehouse it returns nothing. ~17 s of CPU per 100,000
    stored originals (random signatures, 10% near-copies; a one-off command, not a run's cost).
    """
    rows = [IndexRow(*row) for row in rows]
    index = DedupIndex.from_rows(rows, config)
    # Copies link nothing their canonical article does not: only the canonical ones are matched.
    originals = [row for row in rows if row.layer is None and index.decision(row.article_id).layer is None]
    links = []
    for start in range(0, len(originals), DedupIndex._CHUNK):
        chunk = originals[start : start + DedupIndex._CHUNK]
        # Band keys a chunk at once, as cluster_batch computes a batch's (one row at a time: 20.4 s instead of
        # 17.3 s for 100,000 rows; the rest is each stored article finding itself in all its LSH bands).
        signatures = np.frombuffer(b"".join(row.signature for row in chunk), dtype=np.uint32)
        all_bands = index._bands(signatures.reshape(-1, config.num_perm))
        for row, sig, bands in zip(chunk, signatures.reshape(-1, config.num_perm), all_bands, strict=True):
            for match in index._matches(row.url, row.text_hash, sig, row.title_key, bands):
                if match.of != row.cluster:
                    links.append((row.cluster, match.of, match.layer, match.similarity))
    return join_clusters(links, {cluster: index.cluster_key(cluster) for link in links for cluster in link[:2]})
