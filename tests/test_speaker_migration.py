"""Warehouses an older newsetl left: migration 007 types old attributions; a reader migrates first."""

from __future__ import annotations

import duckdb

from warehouse.db import MIGRATIONS, migrate


def migrate_below(con, version: int) -> None:
    """Apply the migrations numbered below `version`, as an older newsetl left the warehouse."""
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for path in sorted(MIGRATIONS.glob("*.sql")):
        number = int(path.name.split("_", 1)[0])
        if number < version:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)", [number, path.name])


def test_old_attributions_are_typed_and_pronouns_left_unnamed():
    con = duckdb.connect()
    migrate_below(con, 7)
    con.execute(
        """INSERT INTO mentions (article_id, start_char, end_char, text, label, canonical, entity_id)
           VALUES ('a1', 0, 12, 'Ilse Marrack', 'PERSON', 'Ilse Marrack', 'e1'),
                  ('a1', 20, 39, 'Dunmore Water Board', 'ORG', 'Dunmore Water Board', 'e2')"""
    )
    rows = [
        ("Marrack", "Ilse Marrack", False),
        ("The board", "Dunmore Water Board", False),
        ("officials", None, True),
        ("he", None, False),
        ("who", None, False),
        ("I", None, False),
    ]
    for seq, (speaker, entity, anonymous) in enumerate(rows):
        con.execute(
            "INSERT INTO attributions (article_id, seq, kind, speaker, speaker_entity, anonymous) "
            "VALUES ('a1', ?, 'indirect', ?, ?, ?)",
            [seq, speaker, entity, anonymous],
        )
    assert "007_speaker_types.sql" in migrate(con)
    got = con.execute("SELECT speaker, speaker_type, speaker_name FROM attributions ORDER BY seq").fetchall()
    assert got == [
        ("Marrack", "person", "Ilse Marrack"),
        ("The board", "organization", "Dunmore Water Board"),
        ("officials", "anonymous", None),
        ("he", "unresolved", None),
        ("who", "unresolved", None),
        ("I", "author", None),
    ]


def test_a_reader_of_a_warehouse_an_older_newsetl_wrote_migrates_it_first(tmp_path):
    from warehouse.db import connect, pending_migrations

    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:  # the warehouse as newsetl left it before migration 011
        migrate_below(con, 11)
        assert pending_migrations(con)[0] == "011_cluster_merges.sql"
    with connect(db, read_only=True) as con:
        assert pending_migrations(con) == []
        assert con.execute("SELECT count(*) FROM cluster_merges").fetchone() == (0,)


def test_old_attributions_are_each_a_statement_of_their_own():
    con = duckdb.connect()
    migrate_below(con, 15)
    for seq in range(3):
        con.execute(
            "INSERT INTO attributions (article_id, seq, kind, speaker, anonymous) VALUES ('a1', ?, 'direct', 'Velk', false)",
            [seq],
        )
    assert "015_statements.sql" in migrate(con)
    assert con.execute("SELECT seq, statement FROM attributions ORDER BY seq").fetchall() == [(0, 0), (1, 1), (2, 2)]


def test_old_attributions_are_not_negated():
    con = duckdb.connect()
    migrate_below(con, 16)
    con.execute(
        "INSERT INTO attributions (article_id, seq, kind, speaker, anonymous) VALUES ('a1', 0, 'direct', 'Velk', false)"
    )
    assert "016_negated_cues.sql" in migrate(con)
    assert con.execute("SELECT negated FROM attributions").fetchall() == [(False,)]
