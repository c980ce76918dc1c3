"""The end-of-run summary: counts per stage and state, top entities and speakers."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from warehouse.db import connect, load_sql

STAGE_ORDER = [
    "discovered", "robots_denied", "already_loaded", "fetched", "fetch_failed", "unchanged",
    "extracted", "duplicates", "quarantined", "loaded",
]


def _table(title: str, columns: list[str], rows) -> Table:
    table = Table(*columns, title=title, title_justify="left")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return table


def print_summary(console: Console, db_path: Path, report) -> None:
    """Print what the run did and what the warehouse now holds."""
    stages = [(k, report.stages.get(k, 0)) for k in STAGE_ORDER if k in report.stages]
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    console.print(_table(f"Run {report.run_id}: stages", ["stage", "count"], stages))
    if timing:
        console.print(f"time per stage: {timing}")
    with connect(db_path, read_only=True) as con:
        sources = [r[0] for r in con.execute(load_sql("source_names")).fetchall()]
        console.print(_table("URLs by terminal state", ["state", "urls"],
                             con.execute(load_sql("summary_states"), [sources]).fetchall()))
        console.print(_table("Top entities", ["entity", "label", "mentions", "articles"],
                             con.execute(load_sql("summary_entities")).fetchall()))
        console.print(_table("Top quoted speakers", ["speaker", "attributions", "articles", "anonymous", "no comment"],
                             con.execute(load_sql("summary_speakers")).fetchall()))
    for problem in report.problems:
        console.print(f"[yellow]problem:[/yellow] {problem}")
    if report.data_docs:
        console.print(f"Data Docs (validation results): {report.data_docs.resolve().as_uri()}")
    console.print(f"\nQuery the warehouse:  newsetl query --db {db_path} \"SELECT state, count(*) FROM url_status GROUP BY 1\"")
