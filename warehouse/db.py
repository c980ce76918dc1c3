"""Connecting to the warehouse: migrations applied in order, views created, SQL loaded by name."""

from __future__ import annotations

import logging
import re
import time
from functools import cache
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"
QUERIES = HERE / "queries"
# For SQL a user types: no files or network (COPY TO, EXPORT DATABASE, read_csv, ATTACH, URLs), no
# extension installed or loaded, and the configuration locked so that the SQL cannot SET it back.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}

log = logging.getLogger("newsetl.warehouse")


@cache
def load_sql(name: str) -> str:
    """Return the text of warehouse/queries/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def view_names() -> list[str]:
    """Names of the analytics views, in the order they are created."""
    return [p.stem.split("_", 1)[1] for p in sorted(VIEWS.glob("*.sql"))]


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The migrations this newsetl has that the warehouse has not applied yet."""
    known = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name = 'schema_migrations'").fetchall()}
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()} if known else set()
    return [p.name for p in sorted(MIGRATIONS.glob("*.sql")) if int(p.name.split("_", 1)[0]) not in done]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the numbered migrations not yet applied, then (re)create the views; return what was applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)", [version, path.name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(path.name)
    # Views are files named NN_<view>.sql: order matters because marts read staging views.
    for path in sorted(VIEWS.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    return applied


class WarehouseLocked(duckdb.IOException):
    """Another process held the warehouse's lock for longer than the caller would wait."""


def lock_holder(message: str) -> str:
    """Who holds a DuckDB lock, from its error ("... held in /usr/bin/python3 (PID 4242) ..."), with the command line."""
    found = re.search(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)", message)
    if not found:
        return "another process"
    pid = found["pid"]
    try:  # Linux: the whole command line says more than the interpreter's path (a notebook, DBeaver, newsetl)
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = ""
    return f"PID {pid} ({command[:200] or found['program']})"


def require_warehouse(db_path: Path) -> None:
    """Raise FileNotFoundError, saying how to make one, when there is no warehouse at db_path."""
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `newsetl run` or `newsetl demo` first")


def connect(db_path: Path, read_only: bool = False, wait_seconds: float = 60.0, on_wait=None, sandbox: bool = False):
    """Open the warehouse; a writer migrates it; while another process holds the lock, wait (up to wait_seconds).

    on_wait(text) is called once, at the first refusal, with who holds the lock; without it the
    warning goes to the `newsetl.warehouse` logger. Past the wait, WarehouseLocked says who held it.
    `sandbox` (read-only only) opens it with SANDBOX: the connection reaches nothing but the warehouse.
    """
    if sandbox and not read_only:
        raise ValueError("a sandboxed connection is read-only")
    db_path = Path(db_path)
    if read_only:
        require_warehouse(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    delay, told = 0.1, False
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only, config=SANDBOX if sandbox else {})
            break
        except duckdb.IOException as exc:
            # DuckDB allows one writing process; another holder shows up as a lock conflict.
            if "lock" not in str(exc).lower():
                raise
            holder = lock_holder(str(exc))
            if time.monotonic() > deadline:
                raise WarehouseLocked(f"{db_path} is locked by {holder}; gave up after {wait_seconds:.0f} s") from None
            if not told:
                text = (f"warehouse {db_path} is locked by {holder}; waiting up to {wait_seconds:.0f} s for it "
                        "(notebooks: read a copy, or `newsetl export`)")
                on_wait(text) if on_wait is not None else log.warning("%s", text)
                told = True
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    if not read_only:
        migrate(con)
    elif pending_migrations(con):
        # An upgraded newsetl reading a warehouse an older one wrote: migrate it once, as any run would, then read.
        con.close()
        connect(db_path, wait_seconds=wait_seconds, on_wait=on_wait).close()
        return connect(db_path, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait, sandbox=sandbox)
    return con
