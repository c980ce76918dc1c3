"""Stored stories joined later: an article linking two stored clusters, and the repair of a double-counted warehouse.

Real DuckDB files in tmp_path; batches are clustered by transforms.dedup.cluster_batch against the index
read from the warehouse (as a run does) and written by the loader, merges in the batch's transaction.
"""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

# The figures that must not depend on how the outlets were loaded, as the two-process test counts them.
from test_concurrent_dedup import figures

from flows.recovery import repair_dedup
from transforms.config import DedupConfig
from transforms.dedup import ArticleKeys, DedupIndex, cluster_batch, signature_from_bytes, signature_to_bytes
from transforms.models import Annotation, ArticleRecord, Attribution, Duplicate, ExtractedArticle, Mention
from warehouse import store
from warehouse.db import connect
from warehouse.loader import LoadBatch, load_batch

CONFIG = DedupConfig()
NEWSETL = str(Path(sys.executable).parent / "newsetl")
WORDS = ("harbour council ferry budget quay market station bridge river tide school clinic road tram port "
         "mayor vote plan works storm flood winter summer price rent wage fleet crew dock pier canal").split()
NAMES = ["Mira Castellane", "Tomas Vell", "Priya Osei", "Anselm Brook", "Ida Marrow", "Joel Harlow"]
QUOTE = "We will see what the week brings"

def story(n: int) -> str:
    """An invented story of ~150 words, different for every n, quoting NAMES[n]."""
    rng = random.Random(n)
    words = " ".join(rng.choice(WORDS) for _ in range(150))
    return f'{words}. "{QUOTE}," said {NAMES[n]}.'


def record(article_id: str, outlet: str, text: str, published: date, title: str | None = None) -> ArticleRecord:
    """An article of `outlet` with its dedup keys and one mention and one quote of the person it quotes."""
    url = f"https://{outlet}.example/{article_id}"
    keys = ArticleKeys.of(article_id, url=url, text=text, title=title, outlet=outlet, published=published,
                          config=CONFIG)
    name = next(name for name in NAMES if name in text)
    start = text.index(name)
    annotation = Annotation(
        [Mention(name, "PERSON", start, start + len(name), canonical=name, sentence=0)],
        [Attribution("direct", speaker=name, speaker_start=start, speaker_end=start + len(name), speaker_entity=name,
                     content=QUOTE, speaker_type="person", speaker_name=name)],
    )
    return ArticleRecord(article_id, url, url, f"page-{article_id}", outlet,
                         ExtractedArticle(text=text, title=title, published=published), keys.text_hash,
                         signature_to_bytes(keys.signature), keys.title_key, annotation=annotation)


def ingest(db, run_id: str, records: list[ArticleRecord], index_rows: bool = True) -> list:
    """Cluster a batch against the stored articles (none when index_rows is False, as two runs at once once
    did) and load it as a run does: copies stored, not enriched; stored clusters joined. Returns the merges."""
    with connect(db) as con:
        index = DedupIndex.from_rows(store.dedup_index_rows(con) if index_rows else [], CONFIG)
        keys = [ArticleKeys(r.article_id, r.url, r.text_hash, signature_from_bytes(r.signature), r.title_key,
                            r.article.published, len(r.article.text)) for r in records]
        decisions, merges = cluster_batch(keys, index)
        copies = []
        for r, decision in zip(records, decisions, strict=True):
            r.cluster_id, r.is_canonical = decision.cluster, decision.canonical
            if not decision.canonical:
                r.annotation = None  # a copy is not enriched
                copies.append(Duplicate(r.page_url, decision.cluster, decision.cluster, decision.layer,
                                        decision.similarity, r.article_id))
        load_batch(con, LoadBatch(run_id, articles=records, duplicates=copies, merges=merges))
    return merges


def rows(db, sql: str) -> list[tuple]:
    with connect(db, read_only=True) as con:
        return con.execute(sql).fetchall()


TITLE = "Ferry timetable to change from Monday"
LINKS = story(0)  # the text of a, and the outlet/day/title of b: an article carrying both links them


SHORT = f'The ferry timetable changes on Monday. "{QUOTE}," said {NAMES[1]}.'


@pytest.mark.parametrize(("b_text", "canonical", "copies"), [
    # c copies a (its text) and b (outlet, day, title): b, published as early and longer, stays canonical.
    (story(1) + " " + story(2), "b", [("a", "b", "text_hash"), ("c", "b", "title")]),
    # c is the original (published before a, as early as b and longer): it takes the story over.
    (SHORT, "c", [("a", "c", "text_hash"), ("b", "c", "title")]),
])
def test_an_article_linking_two_stored_stories_joins_them(tmp_path, b_text, canonical, copies):
    db = tmp_path / "news.duckdb"
    published = date(2031, 5, 2)
    ingest(db, "run1", [record("a", "courier", LINKS, date(2031, 5, 3)),
                        record("b", "ledger", b_text, published, TITLE)])
    assert rows(db, "SELECT count(*) FROM stories") == [(2,)]
    merges = ingest(db, "run2", [record("c", "ledger", LINKS, published, TITLE)])
    # The stored clusters folded: a's into b's, or both into the new c's.
    assert sorted(m.cluster for m in merges) == [article for article, *_ in copies if article != "c"]
    assert rows(db, "SELECT DISTINCT cluster_id FROM articles") == [(canonical,)]
    assert rows(db, "SELECT article_id FROM articles WHERE is_canonical") == [(canonical,)]
    assert rows(db, "SELECT article_id, duplicate_of, layer FROM duplicates ORDER BY 1") == copies
    # The marts count the story once: the canonical article's one mention and one quote.
    speaker = NAMES[0] if canonical == "c" else NAMES[1]
    assert rows(db, "SELECT canonical_speaker, count(*) FROM quotes GROUP BY 1") == [(speaker, 1)]
    assert figures(db) | {"stories": 1} == {"duplicates": 2, "canonical": 1, "stories": 1, "mentions": 1, "quotes": 1,
                                            "entities_in_marts": 1}
    assert rows(db, "SELECT count(*) FROM stories") == [(1,)]
    # Rows keep their ids; the merge is recorded; a rerun of either run changes nothing.
    assert rows(db, "SELECT article_id FROM articles ORDER BY 1") == [("a",), ("b",), ("c",)]
    assert rows(db, "SELECT DISTINCT into_cluster, run_id FROM cluster_merges") == [(canonical, "run2")]
    before = figures(db)
    assert ingest(db, "run2", [record("c", "ledger", LINKS, published, TITLE)]) == []
    assert ingest(db, "run1", [record("a", "courier", LINKS, date(2031, 5, 3))]) == []
    assert figures(db) == before
    assert rows(db, "SELECT article_id FROM articles WHERE is_canonical") == [(canonical,)]


def outlets() -> tuple[list[ArticleRecord], list[ArticleRecord]]:
    """Two outlets' batches: three stories syndicated from courier to ledger (one a day later), and each one of its own."""
    courier = [record(f"c{n}", "courier", story(n), date(2031, 5, 1)) for n in range(4)]
    ledger = [record(f"l{n}", "ledger", f"Subscribe to the Ledger. {story(n)} Copyright the Ledger.",
                     date(2031, 5, 1 + (n == 2))) for n in range(3)]
    ledger.append(record("l5", "ledger", story(5), date(2031, 5, 1)))
    return courier, ledger


def test_repair_joins_what_runs_at_once_stored_apart_and_counts_as_a_joint_run(tmp_path):
    joint, apart = tmp_path / "joint.duckdb", tmp_path / "apart.duckdb"
    courier, ledger = outlets()
    ingest(joint, "joint", courier + ledger)
    # Ledger first, then courier, each blind to the other: every syndicated copy stored as an original.
    ingest(apart, "ledger", outlets()[1], index_rows=False)
    ingest(apart, "courier", outlets()[0], index_rows=False)
    together = figures(joint)
    assert together == {"duplicates": 3, "canonical": 5, "stories": 5, "mentions": 5, "quotes": 5,
                        "entities_in_marts": 5}
    assert figures(apart)["quotes"] == 8  # the three copies counted twice
    # Through the command line: a dry run writes nothing, --repair joins them.
    dry = subprocess.run([NEWSETL, "dedup", "--db", str(apart)], capture_output=True, text=True, timeout=300)
    assert "3 clusters would be merged into 3 stories (--repair merges them)" in dry.stdout, dry.stderr
    assert rows(apart, "SELECT count(*) FROM cluster_merges") == [(0,)]
    done = subprocess.run([NEWSETL, "dedup", "--repair", "--db", str(apart)], capture_output=True, text=True,
                          timeout=300)
    assert (done.returncode, "3 clusters merged into 3 stories" in done.stdout) == (0, True), done.stderr
    # arrival_order, as in the joint run: the ledger's copies published the same day are longer (its
    # boilerplate) and stay canonical; the one published a day later yields to the courier's.
    assert rows(apart, "SELECT cluster_id, into_cluster, layer FROM cluster_merges ORDER BY 1") == [
        ("c0", "l0", "minhash"), ("c1", "l1", "minhash"), ("l2", "c2", "minhash")]
    assert figures(apart) == together
    copies = "SELECT url, duplicate_of, cluster_id FROM duplicates ORDER BY url"
    assert rows(apart, copies) == rows(joint, copies)
    # The entities table counts originals only, as the marts do: each quoted person once, not twice.
    entities = "SELECT canonical, mention_count, article_count FROM entities ORDER BY 1"
    assert rows(apart, entities) == rows(joint, entities) == sorted((NAMES[n], 1, 1) for n in (0, 1, 2, 3, 5))
    with connect(apart) as con:
        assert repair_dedup(con, CONFIG, apply=True) == []  # idempotent
    assert figures(apart) == together
