"""Read-only SQL on the warehouse: printed as a rich table, CSV or JSON, written to CSV/JSON/Parquet; marts exported."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from warehouse import store
from warehouse.db import connect, view_names

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# COPY options per output file suffix: .json is one JSON array, .ndjson/.jsonl one object per line.
OUT_FORMATS = {
    ".csv": "FORMAT csv, HEADER true",
    ".json": "FORMAT json, ARRAY true",
    ".ndjson": "FORMAT json",
    ".jsonl": "FORMAT json",
    ".parquet": "FORMAT parquet",
}

# Views below the marts: staging (stg_) and intermediate (int_) exist to build the marts.
INTERNAL_PREFIXES = ("stg_", "int_")


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


def open_read_only(db_path: Path, err: Console) -> store.Connection:
    """Open the warehouse read-only; while a flow holds the write lock, wait with a message."""
    con = connect(db_path, read_only=True, on_wait=lambda _m: err.print("warehouse is being written; waiting..."))
    # Only a writer (re)creates views, so a warehouse last written by an older newsetl lacks the new ones.
    present = store.present_views(con)
    missing = [name for name in mart_names() if name not in present]
    if missing:
        err.print(f"[yellow]views missing in this warehouse: {', '.join(missing)}; "
                  "the next `newsetl run` creates them[/yellow]")
    return con


def copy_options(path: Path) -> str:
    """The COPY options for an output file, from its suffix."""
    try:
        return OUT_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"cannot write {path.name!r}: use a file ending in {', '.join(OUT_FORMATS)}") from None


def run_query(out: Console, err: Console, db_path: Path, sql: str, fmt: str, limit: int,
              dest: Path | None = None) -> None:
    """Run SQL read-only, print the result in `fmt` and, given `dest`, write it there too."""
    options = copy_options(dest) if dest is not None else None
    con = open_read_only(db_path, err)
    try:
        result = store.run_sql(con, resolve_sql(sql), dest, options)
    finally:
        con.close()
    if result is None:  # a statement without a result, e.g. SET
        return
    columns, rows = result
    print_rows(out, columns, rows, fmt, limit)
    if dest is not None:
        err.print(f"wrote {len(rows)} rows to {dest}")


def print_rows(out: Console, columns: list[str], rows: list[tuple], fmt: str, limit: int) -> None:
    """Print rows as a rich table (first `limit` rows), CSV or JSON lines."""
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


def mart_names() -> list[str]:
    """The views meant for users and other tools (staging and intermediate views left out)."""
    return [name for name in view_names() if not name.startswith(INTERNAL_PREFIXES)]


def export_marts(db_path: Path, out_dir: Path, err: Console) -> list[tuple[str, int, Path]]:
    """Write every mart to <out_dir>/<mart>.parquet; return (mart, rows, path) for each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    con = open_read_only(db_path, err)
    try:
        for name in mart_names():
            path = out_dir / f"{name}.parquet"
            written.append((name, store.export_view(con, name, path), path))
    finally:
        con.close()
    return written
