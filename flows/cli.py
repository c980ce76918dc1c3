"""The newsetl command line: run flows, serve the demo, query the warehouse, extract and annotate files."""

from __future__ import annotations

import json
import os
import sys
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.environment import apply_defaults, start_api

apply_defaults()

app = typer.Typer(help="newsetl: a news ETL pipeline from feeds to a DuckDB warehouse.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
console = Console()
err = Console(stderr=True)

# Fixed loopback ports of `newsetl demo`, outside the ranges OSes hand out as ephemeral ports.
DEMO_PORT = 18401

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB warehouse file [default: warehouse/news.duckdb]")]


def _settings(db: Path | None, progress: bool = True):
    from flows.settings import Settings

    settings = Settings(progress=progress)
    if db is not None:
        settings.db_path = db
    return settings


def _run_flow(flow, settings, *args) -> None:
    """Run a flow of flows.pipelines with progress bars (if asked) and print its summary."""
    from flows.progress import rich_progress
    from flows.summary import print_summary

    start_api()
    with rich_progress(console) if settings.progress else nullcontext():
        report = flow(*args)
    print_summary(console, settings.db_path, report)


def _run_ingest(sources: Path, settings) -> None:
    from flows.pipelines import ingest

    _run_flow(ingest, settings, str(sources), settings)


@app.command()
def run(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="YAML file listing the sources")],
    db: DbOption = None,
    progress: Annotated[bool, typer.Option(help="show progress bars")] = True,
) -> None:
    """Run the ingest flow over the sources in a YAML file."""
    from flows.sources import SourcesError, load_sources

    try:
        load_sources(sources)
    except SourcesError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    _run_ingest(sources, _settings(db, progress))


@app.command()
def reprocess(
    db: DbOption = None,
    source: Annotated[list[str] | None, typer.Option(help="only these sources (repeatable)")] = None,
    progress: Annotated[bool, typer.Option(help="show progress bars")] = True,
) -> None:
    """Re-run extraction and everything after it from the stored raw pages, without the network."""
    from flows.pipelines import reprocess as reprocess_flow

    settings = _settings(db, progress)
    _run_flow(reprocess_flow, settings, settings, source or None)


@app.command()
def serve(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="YAML file listing the sources")],
    db: DbOption = None,
) -> None:
    """Serve one Prefect deployment per source, scheduled by its `schedule` (cron); runs until interrupted."""
    from prefect import serve as prefect_serve

    from flows.pipelines import ingest
    from flows.sources import SourcesError, load_sources

    try:
        listed = load_sources(sources)
    except SourcesError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if db is not None:
        # Runs execute in child processes that read their settings from the environment.
        os.environ["NEWSETL_DB_PATH"] = str(db.resolve())
    deployments = [
        ingest.to_deployment(
            name=source.name,
            cron=source.schedule,
            parameters={"sources_path": str(sources.resolve()), "only": [source.name]},
            description=f"Ingest {source.title or source.name}",
            tags=["newsetl", source.name],
            # One run of a source at a time; DuckDB's single-writer lock orders the loads of different sources.
            concurrency_limit=1,
        )
        for source in listed
    ]
    console.print(f"serving {len(deployments)} deployments: " + ", ".join(
        f"ingest/{s.name} ({s.schedule or 'manual'})" for s in listed))
    prefect_serve(*deployments, print_starting_message=False)


@app.command()
def demo(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="seed of the generated demo site")] = 7,
    workdir: Annotated[Path, typer.Option(help="where the demo writes its sources file and truth file")] = Path(".demo"),
    progress: Annotated[bool, typer.Option(help="show progress bars")] = True,
    port: Annotated[int, typer.Option(help="first port of the demo outlets (the second takes the next)")] = DEMO_PORT,
) -> None:
    """Serve the demo news site on 127.0.0.1, ingest it, stop it, print a summary."""
    from flows.demo_site import build_site, serve_site, write_sources_yaml, write_truth

    workdir.mkdir(parents=True, exist_ok=True)
    site = build_site(seed)
    # The outlets' URLs include the port: the same ports every time keep a rerun idempotent.
    with ExitStack() as stack:
        try:
            bases = stack.enter_context(serve_site(site, ports=[port, port + 1]))
        except OSError as exc:
            err.print(f"[yellow]ports {port}-{port + 1} are busy ({exc.strerror}); serving on free ports, so this "
                      "run's URLs differ from earlier demo runs (pass --port to choose)[/yellow]")
            bases = stack.enter_context(serve_site(site))
        console.print(f"demo site serving {len(bases)} outlets: " + ", ".join(bases.values()))
        write_sources_yaml(site, bases, workdir / "sources.yaml")
        write_truth(site, bases, workdir / "truth.json")
        _run_ingest(workdir / "sources.yaml", _settings(db, progress))


@app.command("demo-site")
def demo_site(
    seed: Annotated[int, typer.Option(help="seed of the generated demo site")] = 7,
    port: Annotated[int, typer.Option(help="first port (the second outlet takes the next); 0 picks free ports")] = 0,
) -> None:
    """Serve the demo news site on 127.0.0.1 until interrupted."""
    from flows.demo_site import main_serve

    main_serve(seed=seed, host="127.0.0.1", port=port)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL, or the name of a view")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    limit: Annotated[int, typer.Option(help="rows shown in table format")] = 50,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="also write the result to a .csv, .json, .ndjson "
                                             "or .parquet file")] = None,
) -> None:
    """Run read-only SQL (or a view's name) on the warehouse, print the result, optionally write it to a file."""
    from flows.query import run_query

    settings = _settings(db, progress=False)
    try:
        run_query(console, err, settings.db_path, sql, fmt, limit, out)
    except Exception as exc:  # a user's SQL error is a message, not a traceback
        err.print(f"[red]{type(exc).__name__}: {exc}[/red]")
        raise typer.Exit(1) from None


@app.command()
def quarantine(
    db: DbOption = None,
    rule: Annotated[str | None, typer.Option(help="only pages that broke this rule")] = None,
    source: Annotated[str | None, typer.Option(help="only pages of this source")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    limit: Annotated[int, typer.Option(help="rows shown in table format")] = 50,
) -> None:
    """List quarantined pages with every rule they broke, the detail and the offending value."""
    from flows.quality import quarantine_rows
    from flows.query import open_read_only, print_rows

    settings = _settings(db, progress=False)
    with open_read_only(settings.db_path, err) as con:
        columns, rows = quarantine_rows(con, rule, source, brief=fmt == "table")
    print_rows(console, columns, rows, fmt, limit)


@app.command()
def requeue(
    rule: Annotated[str, typer.Option(help="requeue the pages quarantined for this rule")],
    db: DbOption = None,
    progress: Annotated[bool, typer.Option(help="show progress bars")] = True,
) -> None:
    """Send quarantined pages through extraction, dedup, validation, enrichment and load again (no network)."""
    from flows.pipelines import requeue as requeue_flow

    settings = _settings(db, progress)
    _run_flow(requeue_flow, settings, rule, settings)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help=".html or .html.gz files, http(s) URLs (fetched politely), or - for stdin")],
    output_format: Annotated[str, typer.Option("--format", help="json (one object per line), txt or markdown")] = "json",
    allow_private: Annotated[list[str] | None, typer.Option(help="host whose private address a URL may reach")] = None,
) -> None:
    """Extract article text and metadata from HTML files, standard input or URLs."""
    from flows.extract_command import FORMATS, run

    if output_format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    failed = run(inputs, output_format, _settings(None).fetch, frozenset(allow_private or ()))
    if inputs and failed == len(inputs):
        raise typer.Exit(1)


@app.command()
def annotate(paths: Annotated[list[str], typer.Argument(help="plain-text files, or - for stdin")]) -> None:
    """Find entities and attributions in plain-text files: one JSON object per line."""
    from dataclasses import asdict

    from transforms.nlp import annotate_texts

    texts, names = [], []
    for name in paths:
        # newline="" keeps the text exactly as read, so offsets match the file's characters.
        if name == "-":
            texts.append(sys.stdin.buffer.read().decode("utf-8"))
        else:
            with open(name, encoding="utf-8", newline="") as fh:
                texts.append(fh.read())
        names.append(name)
    settings = _settings(None)
    for name, ann in zip(names, annotate_texts(texts, settings.nlp, settings.entities), strict=True):
        entities = [
            {"text": m.text, "label": m.label, "start": m.start, "end": m.end, "canonical": m.canonical}
            for m in ann.mentions
        ]
        print(json.dumps({"path": name, "entities": entities,
                          "attributions": [asdict(a) for a in ann.attributions]}, ensure_ascii=False), flush=True)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the Parquet files")] = Path("export"),
    db: DbOption = None,
) -> None:
    """Write every analytics mart to <out>/<mart>.parquet for other tools."""
    from flows.query import export_marts

    settings = _settings(db, progress=False)
    try:
        written = export_marts(settings.db_path, out, err)
    except Exception as exc:  # a missing warehouse or view is a message, not a traceback
        err.print(f"[red]{type(exc).__name__}: {exc}[/red]")
        raise typer.Exit(1) from None
    for name, rows, path in written:
        console.print(f"{name}: {rows} rows -> {path}", soft_wrap=True)


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file; the PNG charts go next to it")] = Path(
        "report/report.html"),
    start: Annotated[str | None, typer.Option(help="first publication day, YYYY-MM-DD [default: earliest]")] = None,
    end: Annotated[str | None, typer.Option(help="last publication day, YYYY-MM-DD [default: latest]")] = None,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report with PNG charts for a range of publication days."""
    from datetime import date

    settings = _settings(db, progress=False)
    try:
        first, last = (date.fromisoformat(d) if d else None for d in (start, end))
        from flows.report import write_report  # matplotlib loads only once the dates are valid

        written = write_report(settings.db_path, out, first, last, err)
    except Exception as exc:  # a bad date, a missing warehouse or view is a message, not a traceback
        err.print(f"[red]{type(exc).__name__}: {exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"report: {written[0]}  charts: " + ", ".join(p.name for p in written[1:]), soft_wrap=True)


if __name__ == "__main__":
    app()
