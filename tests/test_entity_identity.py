"""An entity's id and label do not depend on the order its articles arrive in; older warehouses migrate (014)."""

from __future__ import annotations

import duckdb
import pytest
from test_speaker_migration import migrate_below

from transforms.ids import entity_id, stable_id
from transforms.models import Annotation, ArticleRecord, Attribution, ExtractedArticle, Mention
from warehouse.db import connect, migrate
from warehouse.loader import LoadBatch, load_batch

# (article number, label its article gives "Marrow Bay"): one article says FAC, two say LOC.
LABELS = {1: "FAC", 2: "LOC", 3: "LOC"}


def _record(n: int, label: str) -> ArticleRecord:
    """An article naming Marrow Bay (typed `label` by its own text) and quoting Ilse Marrack."""
    text = "Marrow Bay flooded. Ilse Marrack said the quay would reopen."
    url = f"https://harbour.example/{n}"
    mentions = [Mention("Marrow Bay", label, 0, 10, canonical="Marrow Bay"),
                Mention("Ilse Marrack", "PERSON", 20, 32, canonical="Ilse Marrack")]
    said = [Attribution("indirect", speaker="Ilse Marrack", speaker_entity="Ilse Marrack", speaker_name="Ilse Marrack",
                        speaker_type="person")]
    return ArticleRecord(article_id=f"a{n}", url=url, page_url=url, page_id=f"p{n}", source="harbour-news",
                         article=ExtractedArticle(text=text, title=f"Story {n}"), text_hash=f"h{n}",
                         annotation=Annotation(mentions, said))


def _entities(db, batches: list[list[int]]) -> tuple[list, list]:
    """Load the articles in these batches, in order; the entities rows and the label the marts read per mention."""
    with connect(db) as con:
        for i, batch in enumerate(batches):
            load_batch(con, LoadBatch(f"run{i}", articles=[_record(n, LABELS[n]) for n in batch]))
        entities = con.execute("SELECT * FROM entities ORDER BY canonical").fetchall()
        marts = con.execute("SELECT article_id, entity_id, entity, label FROM stg_mentions ORDER BY ALL").fetchall()
    return entities, marts


@pytest.mark.parametrize("batches", [[[1], [2], [3]], [[3], [1, 2]], [[2], [3], [1]]])
def test_an_entitys_id_and_label_are_the_same_whatever_order_its_articles_arrive_in(tmp_path, batches):
    at_once = _entities(tmp_path / "once.duckdb", [[1, 2, 3]])
    assert at_once[0] == [
        (entity_id("Ilse Marrack"), "Ilse Marrack", "PERSON", ["Ilse Marrack"], 3, 3),
        (entity_id("Marrow Bay"), "Marrow Bay", "LOC", ["Marrow Bay"], 3, 3),  # two LOC votes against one FAC
    ]
    assert {label for *_, label in at_once[1]} == {"PERSON", "LOC"}
    assert _entities(tmp_path / "daily.duckdb", batches) == at_once


@pytest.mark.parametrize("order", [["GPE", "PERSON"], ["PERSON", "GPE"]])
def test_a_tied_vote_goes_to_person_as_in_the_python_vote(tmp_path, order):
    """One article types the name GPE, another PERSON: the stored label is PERSON (transforms.entities.label_vote)."""
    with connect(tmp_path / "news.duckdb") as con:
        for n, label in enumerate(order, start=1):
            load_batch(con, LoadBatch(f"run{n}", articles=[_record(n, label)]))
        assert con.execute("SELECT label FROM entities WHERE canonical = 'Marrow Bay'").fetchall() == [("PERSON",)]


def test_old_mention_rows_are_not_rewritten_when_the_vote_turns(tmp_path):
    db = tmp_path / "news.duckdb"
    _entities(db, [[1], [2, 3]])
    with connect(db) as con:
        rows = con.execute("SELECT article_id, label, article_label, entity_id FROM mentions WHERE canonical = 'Marrow Bay'"
                           " ORDER BY article_id").fetchall()
    # a1 keeps the row it was loaded with; a2/a3 were linked to the stored FAC entity but voted LOC.
    assert rows == [("a1", "FAC", "FAC", entity_id("Marrow Bay")), ("a2", "FAC", "LOC", entity_id("Marrow Bay")),
                    ("a3", "FAC", "LOC", entity_id("Marrow Bay"))]


def test_an_id_is_sql_sha1_of_the_canonical_name():
    con = duckdb.connect()
    for name in ("Marrow Bay", "Łódź", "İstanbul", "ΟΔΟΣ"):
        assert con.execute("SELECT left(sha1(?), 16)", [name]).fetchone()[0] == entity_id(name)


def _old_id(canonical: str, label: str) -> str:
    """entity_id before migration 014: the case-folded name and the label."""
    return stable_id(canonical.casefold(), label)


def test_migration_014_moves_every_table_to_the_new_ids_and_votes_the_labels():
    con = duckdb.connect()
    migrate_below(con, 14)
    for n, label in LABELS.items():
        con.execute("INSERT INTO articles (article_id, url, page_url, page_id, source, text, text_hash, word_count,"
                    " cluster_id, is_canonical, enriched, loaded_at) VALUES (?, ?, ?, ?, 'harbour', 'x', ?, 1, ?, true,"
                    " true, now())", [f"a{n}", f"u{n}", f"u{n}", f"p{n}", f"h{n}", f"a{n}"])
        con.execute("INSERT INTO mentions (article_id, start_char, end_char, text, label, canonical, entity_id)"
                    " VALUES (?, 0, 10, 'Marrow Bay', ?, 'Marrow Bay', ?)", [f"a{n}", label, _old_id("Marrow Bay", label)])
        con.execute("INSERT INTO attributions (article_id, seq, kind, speaker, speaker_entity, entity_id, anonymous)"
                    " VALUES (?, 0, 'indirect', 'Marrack', 'Ilse Marrack', ?, false)",
                    [f"a{n}", _old_id("Ilse Marrack", "PERSON")])
    con.execute("INSERT INTO mentions (article_id, start_char, end_char, text, label, canonical, entity_id)"
                " VALUES ('a1', 20, 32, 'Ilse Marrack', 'PERSON', 'Ilse Marrack', ?)", [_old_id("Ilse Marrack", "PERSON")])
    # The entities as the old loader left them: one row per (name, label), the first batch's label.
    con.execute("INSERT INTO entities VALUES (?, 'Marrow Bay', 'FAC', ['Marrow Bay'], 1, 1),"
                " (?, 'Marrow Bay', 'LOC', ['Marrow Bay'], 2, 2), (?, 'Ilse Marrack', 'PERSON', ['Ilse Marrack'], 1, 1)",
                [_old_id("Marrow Bay", "FAC"), _old_id("Marrow Bay", "LOC"), _old_id("Ilse Marrack", "PERSON")])

    assert "014_entity_identity.sql" in migrate(con)

    bay, ilse = entity_id("Marrow Bay"), entity_id("Ilse Marrack")
    assert con.execute("SELECT * FROM entities ORDER BY canonical").fetchall() == [
        (ilse, "Ilse Marrack", "PERSON", ["Ilse Marrack"], 1, 1),
        (bay, "Marrow Bay", "LOC", ["Marrow Bay"], 3, 3),
    ]
    assert con.execute("SELECT DISTINCT entity_id FROM mentions WHERE canonical = 'Marrow Bay'").fetchall() == [(bay,)]
    assert con.execute("SELECT DISTINCT entity_id FROM attributions").fetchall() == [(ilse,)]
    assert con.execute("SELECT old_entity_id, entity_id, canonical, label FROM entity_id_changes ORDER BY ALL").fetchall() == sorted([
        (_old_id("Marrow Bay", "FAC"), bay, "Marrow Bay", "FAC"),
        (_old_id("Marrow Bay", "LOC"), bay, "Marrow Bay", "LOC"),
        (_old_id("Ilse Marrack", "PERSON"), ilse, "Ilse Marrack", "PERSON"),
    ])
    # The old rows keep the label they were loaded with; the marts read the entity's vote.
    assert con.execute("SELECT label FROM mentions WHERE article_id = 'a1' AND canonical = 'Marrow Bay'").fetchone() == ("FAC",)
    assert con.execute("SELECT DISTINCT label FROM stg_mentions WHERE entity = 'Marrow Bay'").fetchall() == [("LOC",)]


def test_a_part_kept_before_migration_014_loads_with_its_labels_as_the_articles(tmp_path):
    from warehouse.contracts import MENTIONS
    from warehouse.loader import batch_tables

    tables = batch_tables(LoadBatch("run0", articles=[_record(1, "FAC")]))
    old = tables[MENTIONS.batch]
    tables[MENTIONS.batch] = old.drop_columns(["article_label"])  # a Parquet part written by an older newsetl
    with connect(tmp_path / "news.duckdb") as con:
        load_batch(con, tables)
        rows = con.execute("SELECT canonical, label, article_label FROM mentions ORDER BY canonical").fetchall()
    assert rows == [("Ilse Marrack", "PERSON", "PERSON"), ("Marrow Bay", "FAC", "FAC")]


def test_the_entities_suite_names_a_label_that_is_not_the_vote(tmp_path):
    from expectations.tables import entities_suite
    from expectations.validate import run_suite
    from warehouse import store

    db = tmp_path / "news.duckdb"
    _entities(db, [[1, 2, 3]])
    with connect(db) as con:
        assert run_suite("entities", entities_suite, (), store.entities_to_validate(con, "run0")).counts() == {}
        con.execute("UPDATE entities SET label = 'FAC' WHERE canonical = 'Marrow Bay'")  # the first batch's label
        frame = store.entities_to_validate(con, "run0")
    assert run_suite("entities", entities_suite, (), frame).counts() == {"label_is_the_vote": 1}
