"""Read-only SQL on the warehouse: printed as a rich table, CSV or JSON, written to CSV/JSON/Parquet; marts exported."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

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


def open_read_only(db_path: Path, err: Console, sandbox: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only (`sandbox`: with no file, network or extension access); wait out a writer."""
    con = connect(db_path, read_only=True, sandbox=sandbox,
                  on_wait=lambda _m: err.print("warehouse is being written; waiting..."))
    # Only a writer (re)creates views, so a warehouse last written by an older newsetl lacks the new ones.
    present = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
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
    # The user's SQL runs sandboxed: it reads the warehouse and nothing else on the machine.
    con = open_read_only(db_path, err, sandbox=True)
    try:
        try:
            relation = con.sql(resolve_sql(sql))
        except duckdb.PermissionException as exc:
            raise PermissionError(f"newsetl query reads the warehouse only (no files, network or extensions; "
                                  f"--out writes a file): {str(exc).splitlines()[0]}") from None
        if relation is None:  # a statement without a result, e.g. SET
            return
        # Run once, keep the result in memory: printing and writing read it, not the warehouse.
        result = relation.to_arrow_table()
        con.register("query_result", result)
        cursor = con.execute("SELECT * FROM query_result")
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    if dest is not None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Our code writes the file the user named, from an in-memory database that holds only the result.
        with duckdb.connect() as writer:
            writer.register("query_result", result)
            writer.execute(f"COPY query_result TO ? ({options})", [str(dest)])
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
            rows = con.execute(f'COPY (SELECT * FROM "{name}") TO ? (FORMAT parquet)', [str(path)]).fetchall()[0][0]
            written.append((name, rows, path))
    finally:
        con.close()
    return written
