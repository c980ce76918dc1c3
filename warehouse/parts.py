"""Batches kept as Parquet parts beside the warehouse when its lock is held too long, loaded by the next run.

A notebook or a SQL client holding the warehouse open blocks every writer. A batch that has been
fetched, extracted and enriched is not thrown away for that: its tables (what the loader would
write) go to <warehouse>.parts/<run>-<batch>/<table>.parquet, and the next run that gets the lock
loads them, oldest first, before it reads anything else. A part is written to a temporary folder
and renamed, so a crash never leaves half a part; it is deleted only after its load commits.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.loader import load_batch

RUN_RECORD = "run.json"


def parts_dir(db_path: Path) -> Path:
    """Where the parts of a warehouse wait: beside it, <name>.parts."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".parts")


def _publish(db_path: Path, name: str, write) -> Path:
    """Write a part through `write(folder)` into a temporary folder, then rename it into place."""
    root = parts_dir(db_path)
    root.mkdir(parents=True, exist_ok=True)
    tmp, final = root / f".{name}.tmp", root / name
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    write(tmp)
    os.replace(tmp, final)
    return final


def save_tables(db_path: Path, tables: dict[str, pa.Table], label: str) -> Path:
    """Keep one batch's tables (loader.batch_tables) as a part named `label` (unique, sorting by time)."""

    def write(folder: Path) -> None:
        for name, table in tables.items():
            pq.write_table(table, folder / f"{name}.parquet")

    return _publish(db_path, label, write)


def save_run_record(db_path: Path, label: str, record: dict) -> Path:
    """Keep the final record of a run whose end could not be written (store.record_run's arguments)."""
    return _publish(db_path, label, lambda folder: (folder / RUN_RECORD).write_text(json.dumps(record, default=str)))


def pending_parts(db_path: Path) -> list[Path]:
    """Parts waiting to be loaded, oldest first (their names sort by time)."""
    root = parts_dir(db_path)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_part(con, part: Path, record_run) -> dict[str, int]:
    """Load one part in one transaction (or replay its run record through record_run), then delete it."""
    if (part / RUN_RECORD).exists():
        record_run(con, **json.loads((part / RUN_RECORD).read_text()))
        counts = {"runs": 1}
    else:
        tables: dict[str, pa.Table] = {p.stem: pq.read_table(p) for p in sorted(part.glob("*.parquet"))}
        counts = load_batch(con, tables)
    shutil.rmtree(part)
    return counts
