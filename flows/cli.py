"""The newsetl command line: run flows, serve the demo, query the warehouse, extract and annotate files."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
import traceback
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from flows.environment import LEVELS, apply_defaults, set_log_level, start_api
from flows.errors import (
    ALL_SOURCES_FAILED,
    INTERRUPTED,
    QUALITY_GATE,
    RunOutcome,
    UserError,
    describe,
    is_unexpected,
    one_line,
)

apply_defaults()

class _State:
    """Options that apply to every command."""

    debug = os.environ.get("NEWSETL_DEBUG", "") not in ("", "0", "false")
    interrupted = False  # a Ctrl-C arrived
    interrupt_reported = False  # and its line was printed


def _apply_globals(verbose: int, log_level: str | None, debug: bool) -> None:
    if debug:
        _State.debug = True
        os.environ["NEWSETL_DEBUG"] = "1"  # flows.environment.TerminalFilter lets run errors through
    level = log_level or {0: None, 1: "INFO"}.get(verbose, "DEBUG")
    if level:
        try:
            set_log_level(level)
        except ValueError as exc:
            raise UserError(f"--log-level {level}: {exc}") from None


def _pop_globals(argv: list[str]) -> list[str]:
    """Take --debug, -v/-vv/--verbose and --log-level out of argv wherever they are, and apply them.

    As options of the `newsetl` group they would have to come before the command; users type
    `newsetl run -s x.yaml -v` as often as `newsetl -v run -s x.yaml`.
    """
    rest, verbose, level, debug = [], 0, None, False
    args = iter(argv)
    for arg in args:
        if arg == "--":
            rest.extend([arg, *args])
            break
        if arg == "--debug":
            debug = True
        elif arg in ("-v", "--verbose", "-vv"):
            verbose += len(arg) - 1 if arg.startswith("-v") else 1
        elif arg == "--log-level":
            level = next(args, None)
        elif arg.startswith("--log-level="):
            level = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    _apply_globals(verbose, level, debug)
    return rest


def save_traceback(exc: BaseException) -> Path | None:
    """Write an exception's traceback to a new file in the temporary folder; return its path (None if it cannot)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f"newsetl-error-{time.strftime('%Y%m%dT%H%M%S')}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"newsetl {' '.join(sys.argv[1:])}\n")
            traceback.print_exception(exc, file=fh)
        return Path(name)
    except OSError:
        return None


def report_error(exc: BaseException) -> int:
    """Print an exception as one line on stderr (its traceback under --debug, else saved to a file); return the code."""
    message, code = describe(exc)
    hint = ""
    if _State.debug:
        traceback.print_exception(exc)
    elif is_unexpected(exc):
        # A defect met once in a scheduled run may not come back under --debug: keep its traceback now.
        saved = save_traceback(exc)
        hint = f" (traceback in {saved}; --debug prints it)" if saved else " (--debug shows the traceback)"
    # Escaped: paths, SQL and patterns in messages would otherwise be read as rich markup.
    err.print(f"[red]error:[/red] {escape(message)}{hint}", soft_wrap=True, highlight=False)
    return code


class NewsetlApp(typer.Typer):
    """The Typer app, with one error style: a failing command prints one line and exits 1 or 2."""

    def __call__(self, *args, **kwargs):
        try:
            argv = _pop_globals(list(kwargs.pop("args", None) or sys.argv[1:]))
            code = super().__call__(*args, args=argv, standalone_mode=False, **kwargs)
        except typer.Exit as exc:
            code = exc.exit_code
        except typer.TyperException as exc:  # usage errors (Typer's own click): rc 2
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()
            else:
                err.print(f"[red]error:[/red] {escape(one_line(exc.format_message()))} (see newsetl --help)",
                          soft_wrap=True, highlight=False)
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):  # Typer turns a KeyboardInterrupt into Exit(130) itself
            code = INTERRUPTED
        except Exception as exc:
            code = report_error(exc)
        if code == INTERRUPTED and not _State.interrupt_reported:
            err.print("interrupted", highlight=False)
        sys.exit(code if isinstance(code, int) else 0)


app = NewsetlApp(help="newsetl: a news ETL pipeline from feeds to a DuckDB warehouse.", no_args_is_help=True,
                 pretty_exceptions_enable=False, add_completion=False)
# Piped or redirected output has no width to fit: rich's 80-column default cut URLs to "http://1…" in tables.
PIPED_WIDTH = 240


def _console(stderr: bool = False) -> Console:
    """A console that fits the terminal, or is PIPED_WIDTH wide when writing to a file or pipe (unless COLUMNS says)."""
    out = Console(stderr=stderr)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = PIPED_WIDTH
    return out


console = _console()
err = _console(stderr=True)

# Fixed loopback ports of `newsetl demo`, outside the ranges OSes hand out as ephemeral ports.
DEMO_PORT = 18401


@app.callback()
def main(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, show_default=False,
                                         help="log lines in the terminal: -v INFO, -vv DEBUG \\[default: WARNING]")] = 0,
    log_level: Annotated[str | None, typer.Option(help=f"terminal log level: {', '.join(LEVELS)}")] = None,
    debug: Annotated[bool, typer.Option(help="show the traceback of an error")] = False,
) -> None:
    """newsetl: a news ETL pipeline from feeds to a DuckDB warehouse.

    These options work before or after the command. Exit codes: 0 done, 1 failed, 2 bad input,
    3 stopped by the quality gate, 4 every source failed, 130 interrupted.
    """
    _apply_globals(verbose, log_level, debug)


# Help texts are rich markup: a literal "[" is written "\\[", or "[default: ...]" vanishes as an unknown tag.
DbOption = Annotated[Path | None, typer.Option(
    "--db", help="DuckDB warehouse file \\[default: $NEWSETL_HOME/news.duckdb, else ./warehouse/news.duckdb]")]
ProgressOption = Annotated[bool, typer.Option(help="show progress bars")]
JsonOption = Annotated[bool, typer.Option("--json", help="print only the run summary, as one JSON object")]


def _settings(db: Path | None, progress: bool = True):
    from flows.settings import Settings

    settings = Settings(progress=progress)
    if db is not None:
        settings.db_path = db
    check_db_path(Path(settings.db_path), "--db" if db is not None else "warehouse")
    return settings


def check_db_path(db_path: Path, name: str = "--db") -> None:
    """Refuse a warehouse path that can never be a DuckDB file (a folder, or under a file), before any work starts."""
    if db_path.is_dir():
        raise UserError(f"{name} {db_path}: is a folder; give a file, e.g. {db_path / 'news.duckdb'}")
    if db_path.is_file() and db_path.stat().st_size >= 12:
        with open(db_path, "rb") as fh:
            # DuckDB's file header carries "DUCK" at bytes 8-11; anything else (a sources.yaml typed for the db)
            # would fail later as an "IO Error" with exit code 1.
            if fh.read(12)[8:] != b"DUCK":
                raise UserError(f"{name} {db_path}: not a DuckDB warehouse file")
    for parent in db_path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UserError(f"{name} {db_path}: {parent} is a file, not a folder")
            break


def new_warehouse_note(db_path: Path) -> str | None:
    """The line saying a run will create its warehouse (and which folders), None when the file exists."""
    if db_path.exists():
        return None
    missing = [p for p in db_path.parents if not p.exists()]
    # A mistyped --db would otherwise leave a new warehouse (and folders) somewhere with no word.
    folders = f" and the folder {missing[-1]}" if missing else ""
    return f"creating a new warehouse {db_path}{folders}"


def show_progress(out: Console, wanted: bool) -> bool:
    """Progress bars only on a terminal: piped or redirected, they would leave their last frame in the output."""
    return wanted and out.is_terminal


def _say(out: Console, text: str) -> None:
    """A status line, printed at once (escaped: it carries paths and names)."""
    out.print(escape(text), soft_wrap=True, highlight=False)


def _start_api(out: Console) -> None:
    """Start (or reach) Prefect's API, saying so first: a first start of a new PREFECT_HOME takes ~20 s."""
    url = os.environ.get("PREFECT_API_URL")
    _say(out, f"connecting to Prefect's API at {url}" if url else "starting Prefect's local API...")
    t0 = time.perf_counter()
    start_api()
    _say(out, f"Prefect's API ready ({time.perf_counter() - t0:.1f} s)")


# After a Ctrl-C the run is closed (marked interrupted, Prefect told) and the process exits; if that
# has not happened within this many seconds (a stage stuck in C code, a busy API), it exits anyway:
# the bound is 5 s, and the next run marks a run left `running` abandoned.
FORCE_EXIT_SECONDS = 4.0


def _on_interrupt(_signum, _frame) -> None:
    """First Ctrl-C: stop the run (KeyboardInterrupt) with a deadline; a second one: exit at once."""
    import threading

    if _State.interrupted:
        os._exit(INTERRUPTED)
    _State.interrupted = True
    if os.environ.get("NEWSETL_DEBUG", "") in ("", "0", "false"):
        # The run's event loops are torn down mid-task; on a busy machine asyncio then logs the
        # cancelled tasks with tracebacks under the one line that says what happened. --debug keeps them.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    def force_exit() -> None:
        err.print("interrupted: stopped before the run could be closed; the next run marks it abandoned",
                  highlight=False, soft_wrap=True)
        err.file.flush()
        os._exit(INTERRUPTED)

    timer = threading.Timer(FORCE_EXIT_SECONDS, force_exit)
    timer.daemon = True
    timer.start()
    raise KeyboardInterrupt


def _run_flow(flow_name: str, settings, *args, as_json: bool = False) -> None:
    """Run a flow of flows.pipelines with progress bars (if asked), print its summary, end with the run's exit code."""
    import signal

    out = err if as_json else console
    # Flows write files next to the warehouse (Data Docs, parts): an absolute path keeps them there.
    settings.db_path = Path(settings.db_path).absolute()
    settings.progress = show_progress(out, settings.progress)
    if note := new_warehouse_note(settings.db_path):
        _say(out, note)
    _start_api(out)
    _say(out, f"running the {flow_name} flow on {settings.db_path}")
    from flows import pipelines
    from flows.progress import rich_progress
    from flows.quality import QualityError

    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        with rich_progress(out) if settings.progress else nullcontext():
            report = getattr(pipelines, flow_name)(*args)
    except KeyboardInterrupt as exc:
        report = getattr(exc, "report", None)
        status = report.status if report is not None and getattr(report, "status", None) else "interrupted"
        if as_json:
            print(json.dumps(run_summary(report, settings.db_path, status, INTERRUPTED, "interrupted")), flush=True)
        _State.interrupt_reported = True
        err.print("interrupted: the run is marked interrupted" if report is not None else "interrupted",
                  highlight=False)
        raise typer.Exit(INTERRUPTED) from None
    except QualityError as exc:
        outcome = RunOutcome(f"quality gate stopped the run: {exc}", QUALITY_GATE)
        if as_json:
            print(json.dumps(run_summary(getattr(exc, "report", None), settings.db_path, "failed", outcome.code,
                                         str(outcome))), flush=True)
        raise outcome from exc
    finally:
        signal.signal(signal.SIGINT, previous)
    message, code = run_outcome(report)
    if as_json:
        print(json.dumps(run_summary(report, settings.db_path, "completed", code, message)), flush=True)
    else:
        _print_report(report, settings.db_path)
    if code:
        raise RunOutcome(message, code)


def run_outcome(report) -> tuple[str | None, int]:
    """The exit code of a completed run: 0, or 4 when every source failed (with the line that says so)."""
    failed = getattr(report, "failed_sources", None) or {}
    sources = getattr(report, "sources", None) or []
    if sources and set(sources) <= set(failed):
        return "every source failed: " + "; ".join(f"{name} ({failed[name]})" for name in sources), ALL_SOURCES_FAILED
    return None, 0


def _print_report(report, db_path: Path) -> None:
    """The end-of-run summary; when batches were kept as parts, only the run's counts (the warehouse is locked)."""
    from flows.summary import print_summary

    kept = getattr(report, "kept", None) or []
    if not kept:
        print_summary(console, db_path, report)
        return
    counts = ", ".join(f"{k} {v}" for k, v in report.stages.items())
    _say(console, f"run {report.run_id}: {counts}")
    batches = [p for p in kept if not p.name.endswith("-run")]  # the other part is the run's own record
    _say(console, f"the warehouse stayed locked: kept {len(batches)} batch{'es' if len(batches) != 1 else ''} as "
                  f"Parquet parts in {kept[0].parent}; the next run loads them")


def run_summary(report, db_path: Path, status: str, code: int, message: str | None = None) -> dict:
    """A run's summary as one JSON-able dict (what `--json` prints)."""
    summary = {"status": status, "exit_code": code, "message": message, "db": str(db_path)}
    if report is not None:
        summary |= {
            "run_id": report.run_id, "flow": report.flow,
            "started": report.started.isoformat() if report.started else None,
            "counts": report.stages, "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
            "problems": report.problems, "failed_sources": getattr(report, "failed_sources", {}),
            "kept_parts": [str(p) for p in getattr(report, "kept", [])],
        }
        if not getattr(report, "kept", None):  # kept parts: the warehouse was locked, its rows are not there yet
            from flows.summary import unenriched_counts

            summary["unenriched"] = unenriched_counts(db_path, report.run_id)
    return summary


def _load_sources(sources: Path):
    from flows.sources import load_sources

    return load_sources(sources)


@app.command()
def run(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="YAML file listing the sources")],
    db: DbOption = None,
    progress: ProgressOption = True,
    as_json: JsonOption = False,
) -> None:
    """Run the ingest flow over the sources in a YAML file."""
    out = err if as_json else console
    _say(out, f"newsetl run: reading {sources}")
    listed = _load_sources(sources)
    settings = _settings(db, progress and not as_json)
    _say(out, f"{len(listed)} sources: {', '.join(s.name for s in listed)}")
    _run_flow("ingest", settings, str(sources), settings, as_json=as_json)


@app.command()
def reprocess(
    db: DbOption = None,
    source: Annotated[list[str] | None, typer.Option(help="only these sources (repeatable)")] = None,
    progress: ProgressOption = True,
    as_json: JsonOption = False,
) -> None:
    """Re-run extraction and everything after it from the stored raw pages, without the network."""
    from warehouse import store
    from warehouse.db import connect, require_warehouse

    _say(err if as_json else console, "newsetl reprocess: from the stored raw pages")
    settings = _settings(db, progress and not as_json)
    require_warehouse(settings.db_path)  # before Prefect's API starts: its ~10 s would only end in this error
    if source:
        with connect(settings.db_path, read_only=True, wait_seconds=settings.lock_wait) as con:
            known = store.source_names(con)
        unknown = [name for name in source if name not in known]
        if unknown:  # a misspelt --source would reprocess nothing and still print a whole summary
            raise UserError(f"--source {', '.join(unknown)}: not in the warehouse (its sources: {', '.join(known)})")
    _run_flow("reprocess", settings, settings, source or None, as_json=as_json)


@app.command()
def dedup(
    db: DbOption = None,
    repair: Annotated[bool, typer.Option("--repair", help="join the stories that should be one")] = False,
) -> None:
    """Find stored stories that should be one (match every original again); --repair joins them.

    Two runs at once can each store the other's copy as an original; after --repair it is counted once.
    """
    from flows.recovery import repair_dedup
    from warehouse.db import connect, require_warehouse

    _say(console, "newsetl dedup: matching the stored originals again")
    settings = _settings(db, progress=False)
    require_warehouse(settings.db_path)  # --repair opens it for writing, which would create an empty one
    # The repair matches and merges under one write lock; a dry run only reads.
    with connect(settings.db_path, read_only=not repair, wait_seconds=settings.lock_wait) as con:
        merges = repair_dedup(con, settings.dedup, apply=repair)
    stories = len({m.into for m in merges})
    if repair:
        _say(console, f"{len(merges)} clusters merged into {stories} stories")
    else:
        _say(console, f"{len(merges)} clusters would be merged into {stories} stories (--repair merges them)")


@app.command()
def serve(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="YAML file listing the sources")],
    db: DbOption = None,
) -> None:
    """Serve one Prefect deployment per source, scheduled by its `schedule` (cron); runs until interrupted.

    Prints one line when a run starts and one when it ends, with its counts.
    """
    _say(console, f"newsetl serve: reading {sources}")
    listed = _load_sources(sources)
    db_path = (db or _settings(None, progress=False).db_path).resolve()
    # Runs execute in child processes that read their settings from the environment (and may not share our cwd).
    os.environ["NEWSETL_DB_PATH"] = str(db_path)
    _start_api(console)
    from prefect import serve as prefect_serve

    from flows.pipelines import ingest
    from flows.serving import RunWatcher

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
    _say(console, f"serving {len(deployments)} deployments: " + ", ".join(
        f"ingest/{s.name} ({s.schedule or 'manual'})" for s in listed))
    with RunWatcher(console, [s.name for s in listed], db_path):
        prefect_serve(*deployments, print_starting_message=False)


@app.command()
def demo(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="seed of the generated demo site")] = 7,
    workdir: Annotated[Path, typer.Option(help="where the demo writes its sources file and truth file")] = Path(".demo"),
    progress: ProgressOption = True,
    port: Annotated[int, typer.Option(help="first port of the demo outlets (the second takes the next)")] = DEMO_PORT,
    as_json: JsonOption = False,
) -> None:
    """Serve the demo news site on 127.0.0.1, ingest it, stop it, print a summary."""
    out = err if as_json else console
    _say(out, f"newsetl demo: generating the demo site (seed {seed})")
    from flows.demo.site import build_site, serve_site, write_sources_yaml, write_truth

    workdir.mkdir(parents=True, exist_ok=True)
    site = build_site(seed)
    # The outlets' URLs include the port: the same ports every time keep a rerun idempotent.
    with ExitStack() as stack:
        try:
            bases = stack.enter_context(serve_site(site, ports=[port, port + 1]))
        except OSError as exc:
            err.print(f"[yellow]ports {port}-{port + 1} are busy ({escape(str(exc.strerror))}); serving on free "
                      "ports, so this run's URLs differ from earlier demo runs (pass --port to choose)[/yellow]",
                      soft_wrap=True)
            bases = stack.enter_context(serve_site(site))
        _say(out, f"demo site serving {len(bases)} outlets: " + ", ".join(bases.values()))
        write_sources_yaml(site, bases, workdir / "sources.yaml")
        write_truth(site, bases, workdir / "truth.json")
        settings = _settings(db, progress and not as_json)
        _run_flow("ingest", settings, str(workdir / "sources.yaml"), settings, as_json=as_json)


@app.command("demo-site")
def demo_site(
    seed: Annotated[int, typer.Option(help="seed of the generated demo site")] = 7,
    port: Annotated[int, typer.Option(help="first port (the second outlet takes the next); 0 picks free ports")] = 0,
) -> None:
    """Serve the demo news site on 127.0.0.1 until interrupted."""
    from flows.demo.site import main_serve

    main_serve(seed=seed, host="127.0.0.1", port=port)


FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv, json (one array) or ndjson")]


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL, or the name of a view")],
    db: DbOption = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="table, csv, json (one array) or ndjson "
                                            "\\[default: table; with --out: print nothing]")] = None,
    limit: Annotated[int, typer.Option(help="rows shown in table format")] = 50,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write the result to a .csv, .json, .ndjson or "
                                             ".parquet file (and print it too if --format is given)")] = None,
) -> None:
    """Run read-only SQL (or a view's name) on the warehouse and print the result, or write it to a file."""
    from flows.query import check_format, run_query

    if fmt is not None:
        check_format(fmt)
    settings = _settings(db, progress=False)
    run_query(console, err, settings.db_path, sql, fmt, limit, out)


@app.command()
def quarantine(
    db: DbOption = None,
    rule: Annotated[str | None, typer.Option(help="only pages that broke this rule")] = None,
    source: Annotated[str | None, typer.Option(help="only pages of this source")] = None,
    fmt: FormatOption = "table",
    limit: Annotated[int, typer.Option(help="rows shown in table format")] = 50,
) -> None:
    """List quarantined pages with every rule they broke, the detail and the offending value."""
    from flows.quality import quarantine_rows
    from flows.query import check_format, open_read_only, print_rows

    check_format(fmt)
    settings = _settings(db, progress=False)
    with open_read_only(settings.db_path, err) as con:
        columns, rows = quarantine_rows(con, rule, source, brief=fmt == "table")
    print_rows(console, columns, rows, fmt, limit)


@app.command()
def requeue(
    rule: Annotated[str, typer.Option(help="requeue the pages quarantined for this rule")],
    db: DbOption = None,
    progress: ProgressOption = True,
    as_json: JsonOption = False,
) -> None:
    """Send quarantined pages through extraction, dedup, validation, enrichment and load again (no network)."""
    from warehouse import store
    from warehouse.db import connect, require_warehouse

    _say(err if as_json else console, f"newsetl requeue: pages quarantined for {rule}")
    settings = _settings(db, progress and not as_json)
    require_warehouse(settings.db_path)  # before Prefect's API starts: its ~10 s would only end in this error
    with connect(settings.db_path, read_only=True, wait_seconds=settings.lock_wait) as con:
        rules = {r: pages for _, r, pages in store.quarantine_reasons(con)}
    if rule not in rules:
        # Nothing to do is not a failure (cron may run `requeue --rule stage_error` daily), but a typo must show.
        listed = ", ".join(f"{r} ({n})" for r, n in rules.items()) or "none"
        message = f"no pages are quarantined for {rule}; nothing to requeue (rules in the quarantine, pages: {listed})"
        _say(err if as_json else console, message)
        if as_json:
            print(json.dumps(run_summary(None, Path(settings.db_path).absolute(), "completed", 0, message)), flush=True)
        return
    _run_flow("requeue", settings, rule, settings, as_json=as_json)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help=".html or .html.gz files, http(s) URLs (fetched politely), or - for stdin")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="json (one object per line), txt or markdown")] = "json",
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
        try:
            # newline="" keeps the text exactly as read, so offsets match the file's characters.
            if name == "-":
                texts.append(sys.stdin.buffer.read().decode("utf-8"))
            else:
                with open(name, encoding="utf-8", newline="") as fh:
                    texts.append(fh.read())
        except UnicodeDecodeError as exc:
            raise UserError(f"{name}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None
        names.append(name)
    settings = _settings(None)
    for name, ann in zip(names, annotate_texts(texts, settings.nlp, settings.entities, speaker_config=settings.speakers), strict=True):
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

    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: is a file; export writes one Parquet file per mart into a folder")
    settings = _settings(db, progress=False)
    written = export_marts(settings.db_path, out, err)
    for name, rows, path in written:
        console.print(f"{name}: {rows} rows -> {path}", soft_wrap=True)


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file; the PNG charts go next to it")] = Path(
        "report/report.html"),
    start: Annotated[str | None, typer.Option(help="first publication day, YYYY-MM-DD \\[default: earliest]")] = None,
    end: Annotated[str | None, typer.Option(help="last publication day, YYYY-MM-DD \\[default: latest]")] = None,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report with PNG charts for a range of publication days."""
    from datetime import date

    settings = _settings(db, progress=False)
    days = []
    for option, value in (("--start", start), ("--end", end)):
        try:
            days.append(date.fromisoformat(value) if value else None)
        except ValueError:
            raise UserError(f"{option} {value}: not a day as YYYY-MM-DD") from None
    if days[0] and days[1] and days[0] > days[1]:
        raise UserError(f"--start {start} is after --end {end}")
    from flows.report import write_report  # matplotlib loads only once the dates are valid

    written = write_report(settings.db_path, out, days[0], days[1], err)
    console.print(f"report: {written[0]}  charts: " + ", ".join(p.name for p in written[1:]), soft_wrap=True)


@app.command()
def validations(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file")] = Path("validations.html"),
    db: DbOption = None,
    runs: Annotated[int, typer.Option(help="the latest N runs")] = 200,
) -> None:
    """Write an offline HTML page of every run's validation results (from the `validations` table)."""
    from flows.validation_report import write_validation_report

    settings = _settings(db, progress=False)
    path, shown = write_validation_report(settings.db_path, out, runs, err)
    _say(console, f"validation results of {shown} runs: {path}")


if __name__ == "__main__":
    app()
