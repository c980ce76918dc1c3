"""Read-only SQL on the warehouse: printed as a rich table, CSV, JSON or NDJSON, written to a file; marts exported.

Printed and written results are the same bytes: a CSV on the screen equals the `--out x.csv` file, and a
list cell is written as a JSON array (["a", "b"]) in every CSV, so spreadsheets and scripts parse it one way.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.errors import FAILED, UserError
from warehouse import store
from warehouse.db import connect, view_names

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Printed formats; "json" is one JSON array, "ndjson" one object per line.
FORMATS = ("table", "csv", "json", "ndjson")
# Output file suffix -> printed format written to it, or None for Parquet (written by DuckDB, typed).
OUT_FORMATS = {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson", ".parquet": None}

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
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _csv_cell(value):
    """A CSV cell: lists and structs as JSON, the rest as in JSON output (ISO dates)."""
    value = _jsonable(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def check_format(fmt: str) -> None:
    """Refuse an unknown printed format before any work is done."""
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt}: unknown format, use one of {', '.join(FORMATS)}")


def open_read_only(db_path: Path, err: Console, sandbox: bool = False) -> store.Connection:
    """Open the warehouse read-only (`sandbox`: with no file, network or extension access); wait out a writer."""
    con = connect(db_path, read_only=True, sandbox=sandbox,
                  on_wait=lambda text: err.print(escape(text), soft_wrap=True, highlight=False))
    # Only a writer (re)creates views, so a warehouse last written by an older newsetl lacks the new ones.
    present = store.present_views(con)
    missing = [name for name in mart_names() if name not in present]
    if missing:
        err.print(f"[yellow]views missing in this warehouse: {', '.join(missing)}; "
                  "the next `newsetl run` creates them[/yellow]", soft_wrap=True)
    return con


def out_format(path: Path) -> str | None:
    """The format of an output file from its suffix (None: Parquet)."""
    try:
        return OUT_FORMATS[path.suffix.lower()]
    except KeyError:
        raise UserError(f"{path}: cannot write this file type, use a name ending in {', '.join(OUT_FORMATS)}") from None


def run_query(out: Console, err: Console, db_path: Path, sql: str, fmt: str | None, limit: int,
              dest: Path | None = None) -> None:
    """Run SQL read-only, print the result in `fmt` and, given `dest`, write it there (printed too if `fmt` is given)."""
    dest_format = out_format(dest) if dest is not None else None
    # The user's SQL runs sandboxed: it reads the warehouse and nothing else on the machine.
    con = open_read_only(db_path, err, sandbox=True)
    try:
        # Parquet is written by DuckDB (typed); CSV and JSON by format_rows, the same bytes as printed.
        result = store.run_sql(con, resolve_sql(sql), dest if dest_format is None else None, "FORMAT parquet")
    except duckdb.PermissionException as exc:
        raise UserError(f"newsetl query reads the warehouse only (no files, network or extensions; --out writes "
                        f"a file): {str(exc).splitlines()[0]}", code=FAILED) from None
    finally:
        con.close()
    if result is None:  # a statement without a result, e.g. SET
        return
    columns, rows = result
    if dest is not None and dest_format is not None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            fh.write(format_rows(columns, rows, dest_format))
    if fmt is not None or dest is None:  # `--out x.parquet` alone: the file is what was asked for, not 50 rows of table
        print_rows(out, columns, rows, fmt or "table", limit)
    if dest is not None:
        err.print(f"wrote {len(rows)} rows to {dest}")


def format_rows(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """Rows as CSV (header first), one JSON array, or one JSON object per line."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        return buffer.getvalue()
    objects = [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    lines = [json.dumps(o, ensure_ascii=False) for o in objects]
    if fmt == "json":  # one array, a row per line: valid JSON that still reads (and diffs) row by row
        return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    if fmt == "ndjson":
        return "".join(line + "\n" for line in lines)
    raise UserError(f"--format {fmt}: unknown format, use one of {', '.join(FORMATS)}")


def print_rows(out: Console, columns: list[str], rows: list[tuple], fmt: str, limit: int) -> None:
    """Print rows as a rich table (first `limit` rows), CSV, a JSON array or JSON lines."""
    if fmt == "table":
        table = Table(*columns, title=f"{len(rows)} rows" + (f" (first {limit} shown)" if len(rows) > limit else ""))
        for row in rows[:limit]:
            # Escaped: cell text is data, not rich markup ("[a-z]" in a pattern must print as itself).
            table.add_row(*["" if v is None else escape(str(_jsonable(v))[:80]) for v in row])
        out.print(table)
    else:
        out.file.write(format_rows(columns, rows, fmt))
        out.file.flush()


def mart_names() -> list[str]:
    """The views meant for users and other tools (staging and intermediate views left out)."""
    return [name for name in view_names() if not name.startswith(INTERNAL_PREFIXES)]


def export_name(view: str) -> str:
    """A mart's name outside the warehouse: articles_mart (named so beside the articles table) is articles."""
    return view.removesuffix("_mart")


def export_marts(db_path: Path, out_dir: Path, err: Console) -> list[tuple[str, int, Path]]:
    """Write every mart to <out_dir>/<mart>.parquet; return (mart, rows, path) for each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    con = open_read_only(db_path, err)
    try:
        for name in mart_names():
            path = out_dir / f"{export_name(name)}.parquet"
            written.append((export_name(name), store.export_view(con, name, path), path))
    finally:
        con.close()
    return written
