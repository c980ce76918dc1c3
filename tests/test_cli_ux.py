"""What a new user meets: the end-of-run summary, progress bars off a terminal, early errors for a bad --db."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

NEWSETL = [str(Path(sys.executable).parent / "newsetl")]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # env given: os.environ as Python sees it (a native library in the test process sets COLUMNS=80 at C level)
    return subprocess.run(NEWSETL + args, capture_output=True, text=True, timeout=300, cwd=cwd, env=dict(os.environ))


def test_summary_says_loaded_counts_copies_and_keeps_the_query_line_whole(tmp_path):
    from flows.summary import print_summary
    from warehouse.db import connect

    db = tmp_path / "a-rather-long-folder-name-for-the-warehouse" / "news.duckdb"
    db.parent.mkdir()
    with connect(db):
        pass
    report = SimpleNamespace(run_id="r1", stages={"discovered": 9, "fetched": 9, "duplicates": 2, "loaded": 9},
                             seconds={"discover": 0.1, "fetch": 1.2, "extract": 0.9, "dedup": 0.0, "validate": 1.1,
                                      "enrich": 5.1, "load": 0.4},
                             problems=["feed [http://x.example/rss] unreadable"], data_docs=None)
    out = io.StringIO()
    print_summary(Console(file=out, width=60), db, report)
    text = out.getvalue()
    assert "loaded (originals + copies) │ 9" in text
    assert f'newsetl query --db {db} "SELECT state, count(*) FROM url_status GROUP BY 1"' in text
    assert "validate 1.1s, enrich 5.1s, load 0.4s" in text
    assert "problem: feed [http://x.example/rss] unreadable" in text  # brackets shown, not read as markup
    docs = tmp_path / "data_docs" / "index.html"
    out = io.StringIO()
    print_summary(Console(file=out, width=60), db, SimpleNamespace(**{**vars(report), "data_docs": docs}))
    assert f"Data Docs (this run's validation results): {docs.as_uri()}; every run's, offline: newsetl validations " \
           f"--db {db} --out validations.html" in out.getvalue()


def test_progress_bars_only_on_a_terminal():
    from flows.cli import show_progress

    assert show_progress(Console(file=io.StringIO()), True) is False
    assert show_progress(Console(file=io.StringIO(), force_terminal=True), True) is True
    assert show_progress(Console(file=io.StringIO(), force_terminal=True), False) is False


def test_a_folder_or_a_path_under_a_file_is_no_warehouse(tmp_path):
    from flows.cli import check_db_path
    from flows.errors import UserError
    from warehouse.db import connect

    check_db_path(tmp_path / "new" / "news.duckdb")  # a new folder is fine: the run creates it
    with connect(tmp_path / "news.duckdb"):
        pass
    check_db_path(tmp_path / "news.duckdb")
    (tmp_path / "sources.yaml").write_text("sources:\n  - name: x\n")
    with pytest.raises(UserError, match="sources.yaml: not a DuckDB warehouse file"):
        check_db_path(tmp_path / "sources.yaml")
    with pytest.raises(UserError, match="is a folder; give a file, e.g. .*news.duckdb"):
        check_db_path(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UserError, match="notes.txt is a file, not a folder"):
        check_db_path(tmp_path / "notes.txt" / "news.duckdb")


@pytest.mark.parametrize("command", [["reprocess"], ["requeue", "--rule", "no_article"], ["query", "top_speakers"]])
def test_commands_on_no_warehouse_fail_at_once_with_one_line(tmp_path, command):
    missing = run([*command, "--db", str(tmp_path / "none.duckdb")], tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: no warehouse at {tmp_path / 'none.duckdb'}: run `newsetl run` or " \
                                     "`newsetl demo` first"
    assert "Prefect" not in missing.stdout  # refused before Prefect's API was started (~10 s)
    folder = run([*command, "--db", str(tmp_path)], tmp_path)
    assert folder.returncode == 2 and folder.stderr.strip().startswith(f"error: --db {tmp_path}: is a folder")


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty; it should hold a `sources:` list (see docs/sources.md)"),
    ("sources:\n  - name: x\n    feeds: [a\n",
     "not valid YAML: line 4, column 1: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence "
     "that starts on line 3)"),
    ("source:\n  - name: x\n", "line 2: source: unknown field 'source' (did you mean 'sources'?)"),
    ("sources:\n  - name: x\n    urls: ['https://a.example/']\n    politeness: {delay: 1}\n",
     "line 4: sources.0.politeness.delay: unknown field 'delay' (did you mean 'min_delay'?)"),
    ("sources:\n  - name: x\n    urls: ['https://a.example/']\n    zzz: 1\n",
     "line 4: sources.0.zzz: unknown field 'zzz' (fields: name, title, feeds, sitemaps, urls"),
])
def test_sources_file_mistakes_are_said_plainly(tmp_path, text, message):
    from flows.sources import SourcesError, load_sources

    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert message in str(caught.value), str(caught.value)
    assert "<unicode string>" not in str(caught.value) and "Extra inputs" not in str(caught.value)


def test_piped_tables_keep_whole_urls(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "news.duckdb"
    with connect(db):
        pass
    url = "http://127.0.0.1:18401/2026/03/17/fishing-quota-cut-hits-marrow-bay-fleet.html"
    sql = (f"SELECT '{url}' AS url, 'quarantined' AS state, 'extract' AS stage, 'no_article' AS rule, "
           "'no article text found' AS detail, 'Drivers warn of delays as Northvale Transit is short' AS page")
    result = run(["query", "--db", str(db), sql], tmp_path)
    assert result.returncode == 0, result.stderr
    assert url in result.stdout and "no_article" in result.stdout and "…" not in result.stdout


def test_extract_errors_say_what_is_wrong_and_how_to_reach_a_test_server(tmp_path):
    result = run(["extract", "-f", "txt", str(tmp_path / "nope.html"), "http://127.0.0.1:9/story.html"], tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    missing, refused = result.stderr.strip().splitlines()
    assert missing == f"{tmp_path / 'nope.html'}: ExtractionError: no such file or directory"
    assert refused.endswith("(--allow-private 127.0.0.1 lets it through)"), refused


def test_reprocess_summary_says_pages_were_read_not_fetched(tmp_path):
    from flows.summary import print_summary
    from warehouse.db import connect

    db = tmp_path / "news.duckdb"
    with connect(db):
        pass
    out = io.StringIO()
    for flow in ("ingest", "reprocess"):
        report = SimpleNamespace(run_id="r1", flow=flow, stages={"fetched": 68, "loaded": 66}, seconds={}, problems=[],
                                 data_docs=None)
        print_summary(Console(file=out, width=100), db, report)
    text = out.getvalue()
    assert text.count("read (stored pages)") == 1 and text.count("│ fetched ") == 1


def test_query_out_alone_writes_the_file_without_printing_the_table(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "news.duckdb"
    with connect(db):
        pass
    sql = "SELECT * FROM range(3) t(n)"
    quiet = run(["query", "--db", str(db), sql, "--out", str(tmp_path / "n.csv")], tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == "", quiet.stdout
    assert quiet.stderr.strip() == f"wrote 3 rows to {tmp_path / 'n.csv'}"
    assert (tmp_path / "n.csv").read_text() == "n\n0\n1\n2\n"
    both = run(["query", "--db", str(db), sql, "--out", str(tmp_path / "n.json"), "--format", "csv"], tmp_path)
    assert both.stdout == "n\n0\n1\n2\n"
    assert run(["query", "--db", str(db), sql], tmp_path).stdout.count("│") == 6  # no --out: the table, 3 rows


def test_dedup_help_is_one_summary_line():
    from typer.testing import CliRunner

    from flows.cli import app

    listing = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["--help"]).output
    line = next(x for x in listing.splitlines() if "│ dedup" in x)
    assert "Find stored stories that should be one (match every original again); --repair joins them." in line


def test_requeue_of_an_unknown_rule_and_reprocess_of_an_unknown_source_say_so_at_once(tmp_path):
    import json

    from warehouse.db import connect

    db = tmp_path / "news.duckdb"
    with connect(db) as con:
        con.execute("INSERT INTO sources (name) VALUES ('harbour-courier'), ('northvale-ledger')")
        con.execute("INSERT INTO quarantine (url, source, stage, rule, severity, quarantined_at) VALUES ("
                    "'http://a.example/1', 'harbour-courier', 'extract', 'no_article', 'error', now())")
    requeue = run(["requeue", "--rule", "no_artcle", "--db", str(db)], tmp_path)
    assert requeue.returncode == 0 and "Prefect" not in requeue.stdout
    assert "no pages are quarantined for no_artcle; nothing to requeue (rules in the quarantine, pages: " \
           "no_article (1))" in requeue.stdout
    as_json = run(["requeue", "--rule", "stage_error", "--db", str(db), "--json"], tmp_path)
    summary = json.loads(as_json.stdout)
    assert (summary["status"], summary["exit_code"]) == ("completed", 0) and "stage_error" in summary["message"]
    reprocess = run(["reprocess", "--source", "harbour", "--db", str(db)], tmp_path)
    assert reprocess.returncode == 2 and "Prefect" not in reprocess.stdout
    assert reprocess.stderr.strip() == "error: --source harbour: not in the warehouse (its sources: harbour-courier, " \
                                       "northvale-ledger)"


@pytest.mark.parametrize(("command", "shown"), [
    ([], "-vv DEBUG [default: WARNING]"),
    (["run"], "[default: $NEWSETL_HOME/news.duckdb, else ./warehouse/news.duckdb]"),
    (["query"], "[default: table; with --out: print nothing]"),
    (["report"], "YYYY-MM-DD [default: earliest]"),
])
def test_help_shows_its_defaults(command, shown):
    import re

    from typer.testing import CliRunner

    from flows.cli import app

    text = CliRunner(env={"COLUMNS": "250"}).invoke(app, [*command, "--help"]).output
    assert shown in re.sub(r"\s*│\s*", " ", text), text  # rich markup once ate every "[default: ...]"


def test_report_dates_in_the_wrong_order_and_export_into_a_file_are_bad_input(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "news.duckdb"
    with connect(db):
        pass
    report = run(["report", "--db", str(db), "--start", "2026-03-01", "--end", "2026-02-01",
                  "--out", str(tmp_path / "r" / "r.html")], tmp_path)
    assert report.returncode == 2 and report.stderr.strip() == "error: --start 2026-03-01 is after --end 2026-02-01"
    (tmp_path / "marts.txt").write_text("x")
    export = run(["export", "--db", str(db), "--out", str(tmp_path / "marts.txt")], tmp_path)
    assert export.returncode == 2
    assert export.stderr.strip() == f"error: --out {tmp_path / 'marts.txt'}: is a file; export writes one Parquet " \
                                    "file per mart into a folder"


def test_a_run_on_a_new_warehouse_says_what_it_creates(tmp_path):
    from flows.cli import new_warehouse_note

    deep = tmp_path / "typo" / "sub" / "news.duckdb"
    assert new_warehouse_note(deep) == f"creating a new warehouse {deep} and the folder {tmp_path / 'typo'}"
    assert new_warehouse_note(tmp_path / "news.duckdb") == f"creating a new warehouse {tmp_path / 'news.duckdb'}"
    (tmp_path / "news.duckdb").write_bytes(b"")
    assert new_warehouse_note(tmp_path / "news.duckdb") is None


def test_two_warehouses_in_one_folder_keep_their_own_data_docs(tmp_path):
    from flows.quality import docs_dir

    assert docs_dir(tmp_path / "a.duckdb") == tmp_path / "data_docs" / "a"
    assert docs_dir(tmp_path / "a.duckdb") != docs_dir(tmp_path / "b.duckdb")


def test_an_unexpected_error_names_the_file_that_keeps_its_traceback(tmp_path, monkeypatch, capsys):
    from flows import cli

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(cli._State, "debug", False)
    try:
        {}["missing key"]
    except KeyError as exc:
        assert cli.report_error(exc) == 1
    line = capsys.readouterr().err.strip()
    saved = next(tmp_path.glob("newsetl-error-*.txt"))
    assert line == f"error: KeyError: 'missing key' (traceback in {saved}; --debug prints it)"
    assert "Traceback (most recent call last)" in saved.read_text() and "KeyError: 'missing key'" in saved.read_text()


def test_bad_input_keeps_no_traceback(tmp_path, monkeypatch, capsys):
    from flows import cli
    from flows.errors import UserError

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(cli._State, "debug", False)
    assert cli.report_error(UserError("--db x: is a folder")) == 2
    assert capsys.readouterr().err.strip() == "error: --db x: is a folder"
    assert not list(tmp_path.glob("newsetl-error-*"))
