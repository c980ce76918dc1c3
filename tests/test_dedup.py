"""Deduplication layers, the index and cluster assignment, on invented stories."""

from datetime import date

import numpy as np
import pytest
from datasketch import MinHash

from transforms.config import DedupConfig
from transforms.dedup import (
    ArticleKeys,
    Decision,
    DedupIndex,
    IndexRow,
    Merge,
    _shingle_hashes,
    assign_clusters,
    cluster_batch,
    join_clusters,
    normalise_text,
    normalise_title,
    rejoin_clusters,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    text_hash,
    title_key,
)

CONFIG = DedupConfig()

BRIDGE = (
    "The Marrow Creek footbridge will close for six weeks from Monday while engineers replace its rusted "
    "deck, the Tallow County council said on Thursday. Walkers will be sent along the river path instead, "
    "a detour that adds about ten minutes to the trip between the market and the rail station. "
    "Council engineer Priya Osei said the bridge had carried twice the traffic it was built for since "
    'the station reopened. "We would rather close it for a summer than for good," she said. '
    "Shop owners on Ferris Lane fear the detour will keep customers away during the busiest weeks of the "
    "year, and asked the council to put up signs pointing to the market from the river path. "
    "The work will cost 1.2 million crowns, paid from the county's road budget."
)
BRIDGE_TOPIC = (
    "Tallow County council on Thursday approved a plan to build a second footbridge over Marrow Creek, "
    "next to the old one near the rail station. Councillors said the market and the station were now so "
    "busy that one crossing was not enough. The new bridge, designed by a firm from Harlow Bay, will take "
    "two years to finish and open to cyclists as well as walkers. Opposition councillor Tomas Weld voted "
    "against, saying the county's road budget had better uses such as the potholes on Ferris Lane. "
    "Construction is due to start next spring once the river authority grants a permit."
)
ORCHARD = (
    "A late frost has damaged up to a third of the apple blossom in the Vell valley, growers said, "
    "warning of smaller harvests and higher prices in the autumn. The cold snap on Tuesday night brought "
    "temperatures of minus four degrees to orchards that had flowered two weeks early after a warm March. "
    '"You cannot fight the sky," said grower Anselm Brook, who lit braziers between his rows until dawn. '
    "The valley's cooperative will count the losses next week and may ask the regional government for help."
)


def keys(article_id, text, *, url=None, title=None, published=None, outlet="example.org"):
    """Return the ArticleKeys of an invented article."""
    url = url or f"https://{outlet}/{article_id}"
    return ArticleKeys.of(
        article_id, url=url, text=text, title=title, outlet=outlet, published=published, config=CONFIG
    )


def estimated_jaccard(a, b):
    """Return the MinHash estimate of the shingle Jaccard similarity of two texts."""
    return float((signature(a, CONFIG) == signature(b, CONFIG)).mean())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello,   World!", "hello world"),
        ("“Don’t” — it’s 5.30pm", "don t it s 5 30pm"),
        ("ＡＢＣ café\n\nStraße", "abc café strasse"),
        ("¡Hola! «Oui» 「日本」 № 5 • £20", "hola oui 日本 no 5 20"),
        ("   ", ""),
        # Bodies of 700 characters and more take the numpy path.
        ("Hello,   World!\n\n" * 50, " ".join(["hello world"] * 50)),
        ("“Café” — Straße… 日本、 " * 50, " ".join(["café strasse 日本"] * 50)),
    ],
)
def test_normalise_text(text, expected):
    assert normalise_text(text) == expected


def test_text_hash_ignores_case_spacing_and_punctuation():
    assert text_hash("The bridge closes.\n\nWalkers detour.") == text_hash(
        "the bridge closes -- walkers detour"
    )
    assert text_hash("The bridge closes.") != text_hash("The bridge opens.")
    # Normalising is idempotent, so already normalised words hash the same.
    assert text_hash("the bridge closes") == text_hash("The Bridge closes!")
    assert text_hash("") == "cae66941d9efbd404e4d88758ea67670"


def test_signature_is_stable_and_round_trips_through_bytes():
    sig = signature(BRIDGE, CONFIG)
    assert sig.dtype == np.uint32 and sig.shape == (128,)
    # Stored signatures stay comparable only while these values do not change.
    assert sig[:3].tolist() == [10408248, 17530181, 16239160]
    blob = signature_to_bytes(sig)
    assert len(blob) == 512
    assert np.array_equal(signature_from_bytes(blob), sig)


@pytest.mark.parametrize(
    "text", ["", "!!!", "Two words", BRIDGE, ORCHARD, "Ünïcödé “quotes” — 日本語のテキスト、句読点。 Straße"]
)
def test_signature_equals_datasketch_minhash_update(text):
    # Stored signatures were made by datasketch: the vectorised arithmetic must give the same bytes.
    minhash = MinHash(num_perm=CONFIG.num_perm, seed=1, scheme="affine32", hashfunc=int)
    words = normalise_text(text)
    for shingle in _shingle_hashes(words, CONFIG.shingle_size).tolist() if words else []:
        minhash.update(shingle)
    assert signature_to_bytes(signature(text, CONFIG)) == minhash.hashvalues.tobytes()


@pytest.mark.parametrize(
    ("other", "low", "high"),
    [
        (BRIDGE, 1.0, 1.0),
        # Syndicated: another outlet's boilerplate around the same body.
        (
            "Subscribe to the Valley Post for all local news. " + BRIDGE + " Copyright Valley Post.",
            0.75,
            0.95,
        ),
        # The last paragraph cut.
        (BRIDGE.rsplit(" Shop owners", 1)[0], 0.55, 0.8),
        # Same topic and names, different story.
        (BRIDGE_TOPIC, 0.0, 0.1),
        (ORCHARD, 0.0, 0.05),
    ],
)
def test_estimated_jaccard(other, low, high):
    assert low <= estimated_jaccard(BRIDGE, other) <= high


@pytest.mark.parametrize(
    ("title", "outlet", "expected"),
    [
        ("NYT: Footbridge to close for six weeks", None, "footbridge to close for six weeks"),
        (
            "Footbridge to close for six weeks | The Valley Post",
            "The Valley Post",
            "footbridge to close for six weeks",
        ),
        (
            "Footbridge to close for six weeks - valleypost.com",
            "valleypost.com",
            "footbridge to close for six weeks",
        ),
        ("Opinion: The bridge we deserve", None, "the bridge we deserve"),
        (
            "Frost hits orchards: growers fear smaller harvest",
            None,
            "frost hits orchards growers fear smaller harvest",
        ),
        ("Live: Vote", None, "live vote"),
        ("Footbridge &amp; river path", None, "footbridge river path"),
    ],
)
def test_normalise_title(title, outlet, expected):
    assert normalise_title(title, outlet) == expected


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        (
            "Footbridge to close for six weeks",
            date(2031, 5, 2),
            "example.org|2031-05-02|footbridge to close for six weeks",
        ),
        ("Footbridge to close for six weeks", None, None),
        ("Letters", date(2031, 5, 2), None),
        (None, date(2031, 5, 2), None),
    ],
)
def test_title_key(title, published, expected):
    assert title_key(title, outlet="example.org", published=published, config=CONFIG) == expected


def test_match_tries_layers_cheapest_first():
    index = DedupIndex(CONFIG)
    stored = keys("a", BRIDGE, title="Footbridge to close for six weeks", published=date(2031, 5, 2))
    index.add(
        "a",
        url=stored.url,
        text_hash=stored.text_hash,
        signature=stored.signature,
        title_key=stored.title_key,
    )

    def match(article):
        found = index.match(
            url=article.url,
            text_hash=article.text_hash,
            signature=article.signature,
            title_key=article.title_key,
        )
        return found and (found.of, found.layer, round(found.similarity, 2))

    assert match(keys("b", ORCHARD, url=stored.url)) == ("a", "url", 1.0)
    assert match(keys("c", BRIDGE.upper())) == ("a", "text_hash", 1.0)
    assert match(keys("d", "Subscribe now. " + BRIDGE))[:2] == ("a", "minhash")
    # Same outlet, same day, same title, rewritten body: the title layer, with the low text similarity.
    assert match(
        keys("e", BRIDGE_TOPIC, title="NYT: Footbridge to close for six weeks", published=date(2031, 5, 2))
    )[:2] == ("a", "title")
    assert (
        match(keys("f", BRIDGE_TOPIC, title="Footbridge to close for six weeks", published=date(2031, 5, 3)))
        is None
    )
    assert match(keys("g", ORCHARD)) is None


def test_assign_clusters_within_batch_earliest_then_longest_is_canonical():
    batch = [
        keys("late", BRIDGE, published=date(2031, 5, 3)),
        keys("short", BRIDGE.rsplit(" The work", 1)[0], published=date(2031, 5, 2)),
        keys("long", "Subscribe to the Valley Post. " + BRIDGE, published=date(2031, 5, 2)),
        keys("frost", ORCHARD, published=None),
        keys("topic", BRIDGE_TOPIC, published=date(2031, 5, 1)),
    ]
    decisions = assign_clusters(batch, DedupIndex(CONFIG))
    assert [(d.article_id, d.cluster, d.layer) for d in decisions] == [
        ("late", "long", "minhash"),
        ("short", "long", "minhash"),
        ("long", "long", None),
        ("frost", "frost", None),
        ("topic", "topic", None),
    ]


def test_an_earlier_original_arriving_later_takes_the_stored_cluster_over():
    index = DedupIndex(CONFIG)
    assign_clusters([keys("first-loaded", BRIDGE, published=date(2031, 5, 3))], index)
    [decision], merges = cluster_batch([keys("earlier", BRIDGE + " Updated.", published=date(2031, 5, 1))], index)
    assert (decision.cluster, decision.canonical) == ("earlier", True)
    assert [(m.cluster, m.into, m.layer) for m in merges] == [("first-loaded", "earlier", "minhash")]
    assert index.decision("first-loaded")[1:3] == ("earlier", "minhash")
    # A later copy still joins the stored canonical, and nothing merges.
    [late], merges = cluster_batch([keys("later", BRIDGE + " Ends.", published=date(2031, 5, 4))], index)
    assert (late.cluster, late.canonical, merges) == ("earlier", False, [])


def test_assign_clusters_is_idempotent_and_survives_a_rebuild_from_rows():
    batch = [
        keys("a", BRIDGE, published=date(2031, 5, 2)),
        keys("b", BRIDGE + " Copyright Valley Post.", published=date(2031, 5, 2)),
        keys("c", ORCHARD, published=date(2031, 5, 2)),
        keys("d", ORCHARD, url="https://example.org/c"),
    ]
    index = DedupIndex(CONFIG)
    first = assign_clusters(batch, index)
    assert assign_clusters(batch, index) == first
    assert len(index) == 4
    rows = [
        IndexRow(
            k.article_id,
            k.url,
            k.text_hash,
            signature_to_bytes(k.signature),
            k.title_key,
            d.cluster,
            d.layer,
            d.similarity,
            k.published,
            k.length,
        )
        for k, d in zip(batch, first, strict=True)
    ]
    rebuilt = DedupIndex.from_rows(rows, CONFIG)
    assert assign_clusters(batch, rebuilt) == first
    # A new copy is still found in the rebuilt index, and later additions are found too.
    [copy] = assign_clusters([keys("e", "Read more at the Valley Post. " + BRIDGE)], rebuilt)
    assert (copy.cluster, copy.layer) == ("b", "minhash")
    [copy_of_new] = assign_clusters([keys("f", "Read more at the Valley Post. " + BRIDGE + " End.")], rebuilt)
    assert (copy_of_new.cluster, copy_of_new.layer) == ("b", "minhash")


def test_texts_without_words_never_merge_by_minhash():
    index = DedupIndex(CONFIG)
    decisions = assign_clusters(
        [keys("x", "!!!", url="https://a.org/x"), keys("y", "...", url="https://b.org/y")], index
    )
    # Equal (empty) texts join by the exact hash; an empty signature is never an LSH candidate.
    assert decisions == [Decision("x", "x"), Decision("y", "x", "text_hash", 1.0)]
    assert (
        index.match(
            url="https://c.org/z", text_hash="other", signature=signature("?", CONFIG), title_key=None
        )
        is None
    )


def test_article_keys_of_normalises_once_for_hash_signature_and_title():
    article = ArticleKeys.of(
        "a",
        url="https://example.org/a",
        text="The Bridge closes.",
        title="NYT: Footbridge to close for six weeks in May",
        outlet="example.org",
        published=date(2031, 5, 2),
        config=CONFIG,
    )
    assert article.text_hash == text_hash("the bridge closes")
    assert article.title_key == "example.org|2031-05-02|footbridge to close for six weeks in may"
    assert article.length == 18
    assert np.array_equal(article.signature, signature("the bridge closes", CONFIG))


@pytest.mark.parametrize(("links", "keys_", "expected"), [
    ([], {}, []),
    # The cluster whose canonical member was published first is kept.
    ([("a", "b", "minhash", 0.9)], {"a": (False, date(2031, 5, 2)), "b": (False, date(2031, 5, 1))},
     [Merge("a", "b", "minhash", 0.9)]),
    # A chain a-c-b is one story; b links to the kept a only through c: it takes its first link's layer.
    ([("c", "a", "text_hash", 1.0), ("c", "b", "title", 0.3)],
     {"a": (False, date(2031, 5, 1)), "b": (False, date(2031, 5, 2)), "c": (False, date(2031, 5, 3))},
     [Merge("b", "a", "title", 0.3), Merge("c", "a", "text_hash", 1.0)]),
    # Two stories stay two; a cluster without a known key comes last.
    ([("a", "b", "url", 1.0), ("x", "y", "minhash", 0.85)],
     {"b": (False, date(2031, 5, 9)), "y": (False, date(2031, 5, 9))},
     [Merge("a", "b", "url", 1.0), Merge("x", "y", "minhash", 0.85)]),
])
def test_join_clusters(links, keys_, expected):
    assert join_clusters(links, keys_) == expected


TITLE = "Footbridge to close for six weeks"


@pytest.mark.parametrize(("stored", "new", "decisions", "merges"), [
    # A copy of two stored stories (the text of one, the outlet/day/title of the other) joins them under
    # the earlier-published one, which stays canonical; the other's canonical becomes a copy.
    ([keys("a", BRIDGE, published=date(2031, 5, 2), outlet="x.org"),
      keys("b", BRIDGE_TOPIC + " " + ORCHARD, title=TITLE, published=date(2031, 5, 1), outlet="y.org")],
     [keys("c", BRIDGE, title=TITLE, published=date(2031, 5, 1), outlet="y.org")],  # same day, shorter than b
     {"a": ("b", "text_hash"), "b": ("b", None), "c": ("b", "title")},
     [("a", "b", "text_hash")]),
    # The original, published before its two copies that were stored as stories of their own, takes both over.
    ([keys("copy-1", BRIDGE, published=date(2031, 5, 3), outlet="x.org"),
      keys("copy-2", BRIDGE_TOPIC, title=TITLE, published=date(2031, 5, 2), outlet="y.org")],
     [keys("original", BRIDGE, title=TITLE, published=date(2031, 5, 2), outlet="y.org")],
     {"copy-1": ("original", "text_hash"), "copy-2": ("original", "title"), "original": ("original", None)},
     [("copy-1", "original", "text_hash"), ("copy-2", "original", "title")]),
    # Within one batch: the first article founds a story, a later one of the batch links it to a stored one.
    ([keys("stored", ORCHARD, title=TITLE, published=date(2031, 5, 2), outlet="y.org")],
     [keys("new", BRIDGE, published=date(2031, 5, 1), outlet="x.org"),
      keys("link", BRIDGE, title=TITLE, published=date(2031, 5, 2), outlet="y.org", url="https://y.org/l")],
     {"stored": ("new", "title"), "new": ("new", None), "link": ("new", "text_hash")},
     [("stored", "new", "title")]),
    # Nothing links: no merge.
    ([keys("a", BRIDGE, published=date(2031, 5, 2))], [keys("b", ORCHARD, published=date(2031, 5, 1))],
     {"a": ("a", None), "b": ("b", None)}, []),
])
def test_cluster_batch_joins_the_stored_clusters_an_article_links(stored, new, decisions, merges):
    index = DedupIndex(CONFIG)
    for article in stored:  # each stored as a story of its own, as runs that missed each other left them
        index.add(article.article_id, url=article.url, text_hash=article.text_hash, signature=article.signature,
                  title_key=article.title_key, published=article.published, length=article.length)
    _, found = cluster_batch(new, index)
    assert {a: index.decision(a)[1:3] for a in decisions} == decisions
    assert [(m.cluster, m.into, m.layer) for m in found] == merges
    # Idempotent: the batch again changes nothing.
    assert cluster_batch(new, index)[1] == []


def stored_row(article, cluster=None, layer=None):
    """The IndexRow of an invented stored article (its own cluster's canonical member unless told)."""
    return IndexRow(article.article_id, article.url, article.text_hash, signature_to_bytes(article.signature),
                    article.title_key, cluster or article.article_id, layer, 1.0 if layer else None,
                    article.published, article.length)


ORIGINAL = keys("original", BRIDGE, published=date(2031, 5, 1))
COPY = keys("copy", "Read the Valley Post. " + BRIDGE, published=date(2031, 5, 2))
LATER_COPY = keys("later-copy", BRIDGE + " Copyright the Ledger.", published=date(2031, 5, 3))
OTHER = keys("other", ORCHARD, published=date(2031, 5, 1))


@pytest.mark.parametrize(("rows", "expected"), [
    # Copies stored as stories of their own (two runs at once) join the earliest published one.
    ([stored_row(COPY), stored_row(OTHER), stored_row(LATER_COPY), stored_row(ORIGINAL)],
     [("copy", "original", "minhash"), ("later-copy", "original", "minhash")]),
    # Already one story: nothing to join (a second repair merges 0).
    ([stored_row(ORIGINAL), stored_row(COPY, "original", "minhash"), stored_row(OTHER)], []),
    ([], []),
])
def test_rejoin_clusters(rows, expected):
    assert [(m.cluster, m.into, m.layer) for m in rejoin_clusters(rows, CONFIG)] == expected
