"""The end-of-run summary: counts per stage and state, top entities and speakers."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from warehouse import store
from warehouse.db import connect

STAGE_ORDER = [
    "discovered", "robots_denied", "already_loaded", "retry_later", "fetched", "fetch_failed", "unchanged",
    "extracted", "skipped_language", "duplicates", "quarantined", "loaded",
]
# The run's `loaded` counts every stored article, copies of a story included, while the URL state
# `loaded` counts originals only (copies end `duplicate`): the label says so, or 66 != 59 looks like a loss.
STAGE_LABELS = {"loaded": "loaded (originals + copies)"}
# reprocess and requeue count the stored pages they read under `fetched`: nothing was fetched.
STORED_LABELS = {**STAGE_LABELS, "fetched": "read (stored pages)"}


def _table(title: str, columns: list[str], rows) -> Table:
    # At least as wide as its title, so a narrow table's title stays on one line.
    table = Table(*columns, title=title, title_justify="left", min_width=len(title))
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return table


def unenriched_counts(db_path: Path, run_id: str) -> dict[str, int]:
    """Articles a run loaded unenriched, per language (no spaCy model configured for it); {} without a warehouse."""
    if not Path(db_path).exists():
        return {}
    with connect(db_path, read_only=True) as con:
        return dict(store.unenriched_languages(con, run_id))


def print_summary(console: Console, db_path: Path, report) -> None:
    """Print what the run did and what the warehouse now holds."""
    labels = STAGE_LABELS if getattr(report, "flow", "ingest") == "ingest" else STORED_LABELS
    stages = [(labels.get(k, k), report.stages.get(k, 0)) for k in STAGE_ORDER if k in report.stages]
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    console.print(_table(f"Run {report.run_id}: stages", ["stage", "count"], stages))
    if timing:
        console.print(f"time per stage: {timing}", soft_wrap=True)
    with connect(db_path, read_only=True) as con:
        console.print(_table("URLs by terminal state", ["state", "urls"],
                             store.url_states(con, store.source_names(con))))
        unenriched = store.unenriched_languages(con, report.run_id)
        if unenriched:
            console.print(_table("Articles left unenriched (no spaCy model for their language)",
                                 ["language", "articles"], unenriched))
        console.print(_table("Top entities", ["entity", "label", "mentions", "articles"], store.top_entities(con)))
        console.print(_table("Top quoted speakers", ["speaker", "attributions", "articles", "anonymous", "no comment"],
                             store.top_speakers(con)))
        unresolved, attributions, share = store.unresolved_speakers(con)
        console.print(f"speakers not resolved to a name: {unresolved} of {attributions} attributions ({share:.1%})")
    for problem in report.problems:
        console.print(f"[yellow]problem:[/yellow] {escape(problem)}", soft_wrap=True)  # URLs and patterns: not markup
    if report.data_docs:
        # Data Docs load their CSS and scripts from a CDN and hold the last run only; `validations` has every run, offline.
        console.print(f"Data Docs (this run's validation results): {report.data_docs.resolve().as_uri()}; every run's, "
                      f"offline: newsetl validations --db {db_path} --out validations.html",
                      soft_wrap=True, highlight=False, markup=False)
    # soft_wrap: a command cut at the terminal's width could not be copied and pasted
    console.print(f"\nQuery the warehouse:  newsetl query --db {db_path} \"SELECT state, count(*) FROM url_status GROUP BY 1\"",
                  soft_wrap=True, highlight=False, markup=False)
