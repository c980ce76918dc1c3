"""Read-only SQL on the warehouse, printed as a rich table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from warehouse.db import connect, view_names

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def resolve_sql(sql_or_view: str) -> str:
    """A bare view or table name becomes SELECT * FROM it; anything else is SQL as given."""
    text = sql_or_view.strip().rstrip(";")
    return f'SELECT * FROM "{text}"' if IDENTIFIER.match(text) else text


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def run_query(out: Console, err: Console, db_path: Path, sql: str, fmt: str, limit: int) -> None:
    """Run SQL read-only; while a flow holds the write lock, wait with a message."""
    con = connect(db_path, read_only=True, on_wait=lambda _m: err.print("warehouse is being written; waiting..."))
    try:
        cursor = con.execute(resolve_sql(sql))
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    if fmt == "csv":
        writer = csv.writer(out.file)
        writer.writerow(columns)
        writer.writerows([[_jsonable(v) for v in row] for row in rows])
    elif fmt == "json":
        for row in rows:
            out.file.write(json.dumps({c: _jsonable(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False) + "\n")
    elif fmt == "table":
        table = Table(*columns, title=f"{len(rows)} rows" + (f" (first {limit} shown)" if len(rows) > limit else ""))
        for row in rows[:limit]:
            table.add_row(*["" if v is None else str(_jsonable(v))[:80] for v in row])
        out.print(table)
    else:
        raise ValueError(f"unknown format {fmt!r}: use table, csv or json")


def available_views() -> list[str]:
    """Names a user can pass instead of SQL."""
    return view_names()
