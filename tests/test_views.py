"""SQL tests as data: tests/sql/<view>/ holds input rows per table (<table>.ndjson) and the view's rows (expect.ndjson)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from flows.cli import app
from flows.query import export_name, mart_names, run_query
from warehouse.db import connect, migrate, view_names
from warehouse.loader import refresh_repeats

SQL_TESTS = Path(__file__).resolve().parent / "sql"


def load_inputs(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Insert each <table>.ndjson of a folder into its table, typed by the table's own columns."""
    for path in sorted(folder.glob("*.ndjson")):
        if path.stem == "expect":
            continue
        columns = {name: type_ for name, type_, *_ in con.execute(f'DESCRIBE "{path.stem}"').fetchall()}
        con.execute(
            f"INSERT INTO \"{path.stem}\" SELECT * FROM read_json(?, format = 'newline_delimited', columns = ?)",
            [str(path), columns],
        )


def warehouse_from(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse (migrations and views applied) holding a test folder's input rows."""
    con = duckdb.connect()
    migrate(con)
    load_inputs(con, folder)
    refresh_repeats(con)  # what a load decides about copies' repeated attributions
    return con


def _sorted(rows: list[dict]) -> list[dict]:
    # Views without ORDER BY return rows in no fixed order; rank columns carry the order that matters.
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


@pytest.mark.parametrize("folder", sorted(p for p in SQL_TESTS.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_view(folder):
    con = warehouse_from(folder)
    got = [json.loads(row[0]) for row in con.execute(f'SELECT to_json(v) FROM "{folder.name}" AS v').fetchall()]
    lines = (folder / "expect.ndjson").read_text(encoding="utf-8").splitlines()
    assert _sorted(got) == _sorted([json.loads(line) for line in lines if line.strip()])


def test_every_view_has_a_sql_test():
    assert sorted(view_names()) == sorted(p.name for p in SQL_TESTS.iterdir() if p.is_dir())


def warehouse_file(path: Path, folder: Path) -> Path:
    """A warehouse file at `path` holding a test folder's input rows."""
    with connect(path) as con:
        load_inputs(con, folder)
        refresh_repeats(con)
    return path


@pytest.fixture
def quotes_warehouse(tmp_path) -> Path:
    """The quotes test's rows in a file: two originals, one copy, their mentions and attributions."""
    return warehouse_file(tmp_path / "w.duckdb", SQL_TESTS / "quotes")


SPEAKERS_SQL = "SELECT canonical_speaker, count(*) AS n FROM quotes GROUP BY 1 ORDER BY n DESC, 1 NULLS LAST"


def test_query_out_writes_csv_json_and_parquet(quotes_warehouse, tmp_path):
    console = Console(file=StringIO(), width=200)
    for name in ("s.csv", "s.json", "s.parquet", "quotes.ndjson"):
        sql = "quotes" if name == "quotes.ndjson" else SPEAKERS_SQL
        run_query(console, console, quotes_warehouse, sql, "table", 5, tmp_path / "out" / name)
    assert (tmp_path / "out" / "s.csv").read_text().splitlines() == [
        "canonical_speaker,n", "Ilse Marrack,2", "Dunmore Water Board,1", "a senior engineer,1",
        "officials who spoke on condition of anonymity,1", ",1",
    ]
    as_json = json.loads((tmp_path / "out" / "s.json").read_text())
    assert as_json[0] == {"canonical_speaker": "Ilse Marrack", "n": 2} and len(as_json) == 5
    parquet = duckdb.sql(f"SELECT * FROM '{tmp_path / 'out' / 's.parquet'}'").fetchall()
    assert parquet[0] == ("Ilse Marrack", 2) and len(parquet) == 5
    quotes = [json.loads(line) for line in (tmp_path / "out" / "quotes.ndjson").read_text().splitlines()]
    assert {q["article_id"] for q in quotes} == {"a1", "a3"}  # the copy a2 is not counted again
    assert quotes[0]["entities"] == ["Dunmore Water Board", "Fenmoor"]
    assert "wrote 6 rows" in console.file.getvalue()


def test_query_out_refuses_unknown_suffix(quotes_warehouse, tmp_path):
    with pytest.raises(ValueError, match="xlsx"):
        run_query(Console(), Console(), quotes_warehouse, "quotes", "table", 5, tmp_path / "q.xlsx")


def test_reader_names_views_an_older_writer_did_not_create(quotes_warehouse):
    with connect(quotes_warehouse) as con:
        con.execute("DROP VIEW run_quality")
    console = Console(file=StringIO(), width=200)
    run_query(console, console, quotes_warehouse, "SELECT 1", "csv", 5)
    assert "views missing in this warehouse: run_quality;" in console.file.getvalue()


def test_export_cli_writes_every_mart(quotes_warehouse, tmp_path):
    out = tmp_path / "marts"
    result = CliRunner().invoke(app, ["export", "--db", str(quotes_warehouse), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in out.glob("*.parquet")) == sorted(export_name(m) for m in mart_names())
    assert "articles" in {p.stem for p in out.glob("*.parquet")}
    assert not any(name.startswith(("stg_", "int_")) for name in mart_names())
    assert {"quotes", "stories", "url_status", "top_speakers", "run_quality"} <= set(mart_names())
    assert duckdb.sql(f"SELECT count(*) FROM '{out / 'quotes.parquet'}'").fetchall() == [(6,)]
    assert "quotes: 6 rows" in result.output


def test_summary_names_resolved_speakers_and_counts_unresolved(tmp_path):
    from warehouse import store

    # The top_speakers test's rows: the quotes test's, a pronoun, a relative word, the writer's "I",
    # a name the entity stage missed.
    with connect(warehouse_file(tmp_path / "w.duckdb", SQL_TESTS / "top_speakers"), read_only=True) as con:
        speakers = store.top_speakers(con)
        unresolved = store.unresolved_speakers(con)
    # "Marrack", "Ilse Marrack" and "She" (issue 17) in originals; the copy a2's quote is not counted
    # again, so the summary agrees with the top_speakers mart (its expect.ndjson: 3 attributions, 2 articles).
    assert speakers[0] == ("Ilse Marrack", 3, 2, 0, 0)
    assert not {"he", "who", "she", "i", None} & {s[0] for s in speakers}
    assert ("Nora Fell", 1, 1, 0, 0) in speakers  # the writer's "I": the byline
    assert unresolved == (3, 12, 0.25)  # "he", "who" and an according-to without a speaker, of 12 in originals
