"""The warehouse's front door: typed reads and writes for the flows, the CLI and the report.

Every function takes an open connection (warehouse.db.connect) and runs a named query from
warehouse/queries/<name>.sql with its parameters bound; callers never write SQL. Batches are
written by warehouse.loader.load_batch.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd

from transforms.models import Page
from warehouse.db import load_sql
from warehouse.loader import now

Connection = duckdb.DuckDBPyConnection


def _rows(con: Connection, name: str, params: list | None = None) -> list[tuple]:
    return con.execute(load_sql(name), params).fetchall()


def _column(con: Connection, name: str, params: list | None = None) -> list:
    return [row[0] for row in _rows(con, name, params)]


# --- runs -------------------------------------------------------------------------------------

def record_run(con: Connection, run_id: str, flow: str, started_at: datetime, status: str,
               counts: dict | None = None, message: str | None = None, flow_run_id: str | None = None) -> None:
    """Insert or update the row of one flow run; any status but "running" marks it finished now.

    The row names this process (host, pid), so that a later run can tell whether it is still alive.
    """
    con.execute(load_sql("record_run"), [run_id, flow, started_at, now() if status != "running" else None, status,
                                         json.dumps(counts) if counts is not None else None, flow_run_id,
                                         socket.gethostname(), os.getpid(), message])


class RunningRun(NamedTuple):
    """A run the warehouse still marks running."""

    run_id: str
    started_at: datetime
    flow_run_id: str | None
    host: str | None
    pid: int | None


def running_runs(con: Connection) -> list[RunningRun]:
    """Runs still marked running, oldest first."""
    return [RunningRun(*row) for row in _rows(con, "running_runs")]


def end_run(con: Connection, run_id: str, status: str, message: str) -> None:
    """Mark a run that is still running as ended (abandoned, interrupted) now, saying why."""
    con.execute(load_sql("end_run"), [status, now(), message, run_id])

def run_of_flow_run(con: Connection, flow_run_id: str) -> tuple[str, str | None] | None:
    """(status, counts JSON) the warehouse recorded for a Prefect flow run, or None."""
    found = _rows(con, "run_of_flow_run", [flow_run_id])
    return found[0] if found else None


def validation_history(con: Connection, runs: int) -> tuple[list[str], list[tuple]]:
    """Column names and rows of every suite run of the latest `runs` flow runs, newest run first."""
    cursor = con.execute(load_sql("validation_history"), [runs])
    return [d[0] for d in cursor.description], cursor.fetchall()

# --- what the ingest, reprocess and requeue flows read ------------------------------------------

class Validators(NamedTuple):
    """The validators of a URL's latest 200 response, for a conditional GET (None when unknown)."""

    etag: str | None
    last_modified: str | None


def fetch_validators(con: Connection, urls: list[str]) -> dict[str, Validators]:
    """Of `urls`, those already loaded (or copies, or unchanged), with their latest validators."""
    return {url: Validators(etag, modified) for url, etag, modified in _rows(con, "fetch_state", [urls])}


def retry_later(con: Connection, urls: list[str], after_days: int, max_days: int,
                statuses: list[int], at: datetime | None = None) -> set[str]:
    """Of `urls`, those whose last rejection is one a refetch rarely cures and whose backoff wait has not passed at `at`."""
    if after_days <= 0:
        return set()
    return set(_column(con, "retry_later", [urls, after_days, max(max_days, after_days), at or now(),
                                                   list(statuses)]))


def dedup_index_rows(con: Connection, article_ids: list[str] | None = None) -> list[tuple]:
    """Every stored article (or only `article_ids`) in load order, in the column order DedupIndex.from_rows reads."""
    return _rows(con, "dedup_index_rows", [article_ids])


def article_ids(con: Connection) -> list[str]:
    """The id of every stored article."""
    return _column(con, "article_ids")


def article_urls(con: Connection) -> dict[str, tuple[str, str]]:
    """(article id, page URL) of every stored article by its canonical URL."""
    return {url: (article_id, page_url) for article_id, url, page_url in _rows(con, "article_urls")}


def raw_pages(con: Connection, urls: list[str]) -> list[Page]:
    """The latest successful stored response of each of `urls`, body unzipped, from the raw archive."""
    return [
        Page(url=url, source=source, final_url=final_url, status=status, content_type=content_type,
             body=gzip.decompress(body), fetched_at=fetched_at)
        for url, source, final_url, status, content_type, body, fetched_at in _rows(con, "raw_pages", [urls])
    ]


def reprocess_urls(con: Connection, sources: list[str] | None = None) -> list[str]:
    """URLs with a stored 200 response, of the given sources (None: all)."""
    return _column(con, "reprocess_urls", [sources])


def requeue_urls(con: Connection, rule: str) -> list[str]:
    """URLs quarantined for breaking `rule`."""
    return _column(con, "requeue_urls", [rule])


def entities_to_validate(con: Connection, run_id: str) -> pd.DataFrame:
    """The entities suite's frame: every entity the run's articles mention, with what its mentions count."""
    return con.execute(load_sql("validate_entities"), [run_id]).df()


# --- summaries: end of run, Prefect artifacts, `newsetl quarantine` --------------------------------

def source_names(con: Connection) -> list[str]:
    """Sources named in the sources table, else every source that discovered a URL."""
    return _column(con, "source_names")


def source_languages(con: Connection) -> dict[str, list[str]]:
    """Each stored source's `languages:` list: the languages its articles are kept in (empty: all)."""
    return dict(_rows(con, "source_languages"))


def url_states(con: Connection, sources: list[str]) -> list[tuple[str, int]]:
    """(state, URLs) per terminal state of the given sources, most URLs first."""
    return _rows(con, "summary_states", [sources])


def unenriched_languages(con: Connection, run_id: str) -> list[tuple[str, int]]:
    """(language, articles) a run loaded unenriched because no spaCy model is configured for the language."""
    return _rows(con, "summary_unenriched", [run_id])


def top_entities(con: Connection) -> list[tuple[str, str, int, int]]:
    """(entity, label, mentions, articles) of the most mentioned entities."""
    return _rows(con, "summary_entities")


def top_speakers(con: Connection) -> list[tuple[str, int, int, int, int]]:
    """(speaker, attributions, articles, anonymous, no comment) of the most quoted speakers."""
    return _rows(con, "summary_speakers")


def unresolved_speakers(con: Connection) -> tuple[int, int, float]:
    """(unresolved, attributions, share): attributions whose speaker no name was found for."""
    return _rows(con, "summary_unresolved_speakers")[0]


def quarantine_reasons(con: Connection) -> list[tuple[str, str, int]]:
    """(stage, rule, pages) of the quarantine, most pages first."""
    return _rows(con, "summary_quarantine_rules")


def quarantine_list(con: Connection, rule: str | None = None,
                    source: str | None = None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the quarantine listing: one row per page and rule broken."""
    cursor = con.execute(load_sql("quarantine_list"), [rule, source])
    return [d[0] for d in cursor.description], cursor.fetchall()


# --- `newsetl query` and `newsetl export` ------------------------------------------------------

def table_columns(con: Connection) -> dict[str, dict[str, str]]:
    """DuckDB type of every column by table (schema_migrations left out): what the migrations made."""
    tables: dict[str, dict[str, str]] = {}
    for table, column, type_ in _rows(con, "table_columns"):
        tables.setdefault(table, {})[column] = type_
    return tables


def cluster_canonical(con: Connection, cluster: str) -> tuple[str, date | None, int, str] | None:
    """(article id, published, text length, page URL) of a cluster's canonical member, None if it has none."""
    rows = _rows(con, "cluster_canonical", [cluster])
    return rows[0] if rows else None


def present_views(con: Connection) -> set[str]:
    """Names of the views the warehouse holds."""
    return set(_column(con, "present_views"))


def run_sql(con: Connection, sql: str, dest: Path | None = None,
            copy_options: str | None = None) -> tuple[list[str], list[tuple]] | None:
    """Run a user's SQL once: its column names and rows, also written to `dest` with COPY `copy_options`.

    None for a statement without a result (e.g. SET).
    """
    relation = con.sql(sql)
    if relation is None:
        return None
    # Run once, keep the result in memory: the rows and the file read it, not the warehouse.
    result = relation.to_arrow_table()
    con.register("query_result", result)
    try:
        cursor = con.execute("SELECT * FROM query_result")
        columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.unregister("query_result")
    if dest is not None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # `con` may be sandboxed (no file access, see warehouse.db.SANDBOX): an in-memory database
        # holding only the result writes the file the user named.
        with duckdb.connect() as writer:
            writer.register("query_result", result)
            writer.execute(f"COPY query_result TO ? ({copy_options})", [str(dest)])
    return columns, rows


def export_view(con: Connection, view: str, path: Path) -> int:
    """Write one view (a name from warehouse.db.view_names) to a Parquet file; return its rows."""
    return con.execute(f'COPY (SELECT * FROM "{view}") TO ? (FORMAT parquet)', [str(path)]).fetchall()[0][0]


# --- the HTML report (flows/report.py) ----------------------------------------------------------

def report_days(con: Connection) -> tuple[date | None, date | None]:
    """The first and last publication day with articles (None, None when there are none)."""
    return _rows(con, "report_days")[0]


def outlet_day_articles(con: Connection, start: date, end: date) -> list[tuple[date, str, int]]:
    """(day, outlet, articles) per outlet and publication day in [start, end]."""
    return _rows(con, "report_volume", [start, end])


def outlet_totals(con: Connection, start: date, end: date) -> list[tuple[str, int, int, int]]:
    """(outlet, articles, originals, copies) over [start, end], most articles first."""
    return _rows(con, "report_outlet_totals", [start, end])


def top_entities_between(con: Connection, start: date, end: date, limit: int) -> list[tuple[str, str, int, int]]:
    """(entity, label, mentions, articles) of the `limit` most mentioned entities over [start, end]."""
    return _rows(con, "report_top_entities", [start, end, limit])


def entity_days(con: Connection, start: date, end: date, entities: list[str]) -> list[tuple[str, date, int]]:
    """(entity, day, mentions) of the named entities over [start, end]."""
    return _rows(con, "report_entity_days", [start, end, entities])


def top_speakers_between(con: Connection, start: date, end: date, limit: int) -> list[tuple]:
    """(speaker, total, one count per ATTRIBUTION_KINDS, outlets) of the `limit` most quoted named speakers."""
    return _rows(con, "report_speakers", [start, end, limit])


def anonymous_shares(con: Connection, start: date, end: date) -> list[tuple[str, int, int, float]]:
    """(outlet, attributions, anonymous, share) over [start, end], highest share first."""
    return _rows(con, "report_anonymous", [start, end])


class ReportTotals(NamedTuple):
    """The report's headline counts over a range of publication days."""

    articles: int | None
    outlets: int
    stories: int
    attributions: int


def report_totals(con: Connection, start: date, end: date) -> ReportTotals:
    """Articles, outlets, stories and attributions over [start, end]."""
    return ReportTotals(*_rows(con, "report_totals", [start, end])[0])
