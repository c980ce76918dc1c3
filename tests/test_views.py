"""SQL tests as data: tests/sql/<view>/ holds input rows per table (<table>.ndjson) and the view's rows (expect.ndjson)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from warehouse.db import migrate, view_names

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
