"""Prefect artifacts of a run: a markdown summary and a table of top entities and speakers."""

from __future__ import annotations

from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.quality import docs_dir
from warehouse import store
from warehouse.db import connect


def _markdown_table(columns: list[str], rows) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def run_summary_markdown(report, db_path: Path) -> str:
    """Markdown: counts per stage and per terminal state, quarantine reasons, time per stage."""
    with connect(db_path, read_only=True) as con:
        states = store.url_states(con, store.source_names(con))
        reasons = store.quarantine_reasons(con)
        unenriched = store.unenriched_languages(con, report.run_id)
    parts = [
        f"# {report.flow} run {report.run_id}",
        "## Stages", _markdown_table(["stage", "count"], report.stages.items()),
        "## URLs by terminal state", _markdown_table(["state", "urls"], states),
        "## Quarantine reasons", _markdown_table(["stage", "rule", "pages"], reasons) if reasons else "none",
        "## Articles left unenriched (no spaCy model for their language)",
        _markdown_table(["language", "articles"], unenriched) if unenriched else "none",
        # Wall: the flow's time in the stage (with worker processes, batches overlap); CPU: wherever it ran.
        "## Time per stage (s)", _markdown_table(["stage", "wall", "CPU"], [
            (k, f"{v:.2f}", f"{report.cpu[k]:.2f}" if k in report.cpu else "") for k, v in report.seconds.items()]),
    ]
    docs = docs_dir(db_path) / "index.html"
    if docs.exists():
        parts.append(f"## Data Docs\n[{docs}](file://{docs})")
    return "\n\n".join(parts)


def publish_run_artifacts(report, db_path: Path) -> None:
    """Attach the run summary and the top entities and speakers to the current Prefect flow run."""
    create_markdown_artifact(run_summary_markdown(report, db_path), key=f"{report.flow}-summary",
                             description=f"{report.flow} run {report.run_id}")
    with connect(db_path, read_only=True) as con:
        entities, speakers = store.top_entities(con), store.top_speakers(con)
    rows = [{"kind": "entity", "name": e[0], "label": e[1], "count": e[2], "articles": e[3]} for e in entities]
    rows += [{"kind": "speaker", "name": s[0], "label": None, "count": s[1], "articles": s[2]} for s in speakers]
    create_table_artifact(rows, key=f"{report.flow}-top-entities-speakers",
                          description="Top entities and quoted speakers in the warehouse after this run")
