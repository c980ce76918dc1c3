"""Running newsetl unattended, through the real console script: logs in the Prefect API, one error style,
output formats, the default warehouse, exit codes, Ctrl-C, the warehouse lock, dead hosts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

NEWSETL = [str(Path(sys.executable).parent / "newsetl")]
PYTHON = sys.executable
REPO = Path(__file__).resolve().parents[1]

# Words for invented article bodies: long enough for the articles suite (a real story's length).
WORDS = ("harbour council ferry winter budget station river bridge report school market museum library "
         "festival hospital railway tunnel garden coast island valley").split()


def article_html(n: int, title: str) -> bytes:
    """An invented news page with a distinct body of ~250 words (no dedup between the test's articles)."""
    sentences = [
        f"The {WORDS[(n + i) % len(WORDS)]} of Quillon {WORDS[(n * 3 + i) % len(WORDS)]} plan number {n}-{i} "
        f"was discussed on {('Monday', 'Tuesday', 'Friday')[i % 3]} by {i + n} residents of the "
        f"{WORDS[(n * 7 + i) % len(WORDS)]} district."
        for i in range(20)
    ]
    paragraphs = "".join(f"<p>{' '.join(sentences[i:i + 4])}</p>" for i in range(0, 20, 4))
    return (f"<html lang='en'><head><title>{title}</title><meta name='author' content='Mira Castellane'>"
            f"<meta property='article:published_time' content='2026-02-1{n}T09:30:00Z'></head><body>"
            f"<article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in paths)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>{items}</channel></rss>".encode()


def small_site(server, n: int = 3) -> list[str]:
    """Serve robots.txt, a feed and n article pages on a ScriptedServer; return the article paths."""
    paths = [f"/news/story-{i}" for i in range(n)]
    server.reply("/robots.txt", body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
    server.reply("/rss.xml", body=rss(server.base, paths), content_type="application/rss+xml")
    for i, path in enumerate(paths):
        server.reply(path, body=article_html(i, f"Quillon story number {i} goes on"))
    return paths


def sources_yaml(path: Path, sources: list[tuple[str, str]]) -> Path:
    """A sources file of (name, feed URL) pairs; loopback allowed, as for every test server."""
    lines = ["sources:"]
    for name, feed in sources:
        lines += [f"  - name: {name}", f"    feeds: ['{feed}']", "    allow_private: true"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# One Prefect home for the module's runs (a first start migrates its database: ~20 s saved per test);
# tests that read flow runs back from the API get a home of their own (own_prefect=True).
SHARED_PREFECT_HOME = tempfile.mkdtemp(prefix="newsetl-unattended-prefect-")


def env_for(tmp_path: Path, own_prefect: bool = False, **extra: str) -> dict[str, str]:
    """The environment of a newsetl subprocess: a Prefect home, this tree first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "NEWSETL_HOME", "NEWSETL_DB_PATH")}
    home = str(tmp_path / "prefect") if own_prefect else SHARED_PREFECT_HOME
    return {**env, "PREFECT_HOME": home, "PYTHONPATH": str(REPO), **extra}


def newsetl(args: list[str], tmp_path: Path, timeout: float = 600, stdin: str | None = None,
            cwd: Path | None = None, own_prefect: bool = False, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(NEWSETL + args, capture_output=True, text=True, timeout=timeout, input=stdin,
                          env=env_for(tmp_path, own_prefect, **extra), cwd=cwd or tmp_path)


def error_line(result: subprocess.CompletedProcess) -> str:
    """The one error line of a failed command (stderr must hold exactly one line, no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.stderr
    return lines[0]


# --- logs: INFO in the Prefect API, WARNING in the terminal; first output at once -----------------------


READ_LOGS = """
import json, sys
from flows.environment import apply_defaults
apply_defaults()
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
with get_client(sync_client=True) as client:
    runs = client.read_flow_runs()
    out = []
    for run in runs:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
        out.append({"flow": run.flow_id.hex, "state": run.state.type.value,
                    "logs": [[log.level, log.message] for log in logs]})
print(json.dumps(out))
"""


def read_prefect_logs(tmp_path: Path) -> list[dict]:
    """Every flow run in the test's Prefect home with its logs, read back through the Prefect API client."""
    result = subprocess.run([PYTHON, "-c", READ_LOGS], capture_output=True, text=True, timeout=600,
                            env=env_for(tmp_path, own_prefect=True))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_completed_run_logs_reach_the_prefect_api_and_the_terminal_stays_quiet(http_server, tmp_path):
    small_site(http_server)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    result = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress"], tmp_path, own_prefect=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    # What is starting comes first, before Prefect's API (and its ~20 s first start) is touched.
    assert out[0] == f"newsetl run: reading {sources}"
    assert out.index("starting Prefect's local API...") > 0
    # The terminal shows warnings only: the tasks' INFO lines are not in it...
    assert "discovered 3 URLs" not in result.stdout + result.stderr
    (run,) = read_prefect_logs(tmp_path)
    assert run["state"] == "COMPLETED"
    info = [message for level, message in run["logs"] if level == 20]
    # ...but they are in the Prefect API, for the UI.
    assert "discovered 3 URLs (0 refused by robots.txt)" in info
    assert "fetched 3 pages, 0 failed" in info
    assert any(m.startswith("batch: 3 pages -> 3 articles loaded") for m in info)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)


@pytest.mark.slow  # two runs, or one that only adds a terminal option
def test_verbose_shows_info_lines_in_the_terminal(http_server, tmp_path):
    small_site(http_server, n=1)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    result = newsetl(["run", "-s", str(sources), "--db", str(tmp_path / "w.duckdb"), "--no-progress", "-v"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "discovered 1 URLs (0 refused by robots.txt)" in result.stderr


# --- one error style ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["quarantine"], ["dedup", "--repair"]])
def test_missing_warehouse_is_one_line_rc2_and_nothing_is_created(tmp_path, command):
    result = newsetl([*command, "--db", "missing.duckdb"], tmp_path)
    assert result.returncode == 2
    assert error_line(result) == ("error: no warehouse at missing.duckdb: run `newsetl run` or `newsetl demo` "
                                  "first")
    assert not (tmp_path / "missing.duckdb").exists()


def test_debug_adds_the_traceback(tmp_path):
    result = newsetl(["quarantine", "--db", "missing.duckdb", "--debug"], tmp_path)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "FileNotFoundError" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("error: no warehouse at missing.duckdb")


def test_annotate_missing_and_non_utf8_files(tmp_path):
    missing = newsetl(["annotate", "nope.txt"], tmp_path)
    assert missing.returncode == 2
    assert error_line(missing) == "error: nope.txt: No such file or directory"
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owner said it would reopen.".encode("latin-1"))
    latin = newsetl(["annotate", "latin1.txt"], tmp_path)
    assert latin.returncode == 2
    assert error_line(latin) == "error: latin1.txt: not UTF-8 text (byte 0xe9 at offset 3)"
    assert latin.stdout == ""


@pytest.mark.parametrize("case", ["directory", "latin1", "bad_name", "missing"])
def test_bad_sources_files(case, tmp_path):
    path = tmp_path / "sources.yaml"
    if case == "directory":
        path.mkdir()
        expected = f"error: {path}: cannot read it: Is a directory"
    elif case == "latin1":
        path.write_bytes("sources:\n  - name: caf\xe9\n".encode("latin-1"))
        expected = f"error: {path}: not UTF-8 text (byte 0xe9 at offset 22)"
    elif case == "bad_name":
        path.write_text("sources:\n  - name: Bad Name\n    urls: ['http://127.0.0.1:9/a']\n", encoding="utf-8")
        # The pattern prints as itself: rich would read [a-z0-9] as markup and print '^*$'.
        expected = (f"error: {path}: invalid sources file; line 2: sources.0.name: String should match pattern "
                    "'^[a-z0-9][a-z0-9_.-]*$'; |   - name: Bad Name")
    else:
        expected = f"error: {path}: no such file"
    result = newsetl(["run", "-s", str(path), "--db", str(tmp_path / "w.duckdb")], tmp_path)
    assert result.returncode == 2
    assert error_line(result) == expected
    assert not (tmp_path / "w.duckdb").exists()


def test_bad_setting_names_the_variable_and_value(http_server, tmp_path):
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    result = newsetl(["run", "-s", str(sources), "--db", str(tmp_path / "w.duckdb")], tmp_path,
                     NEWSETL_FETCH__READ_TIMEOUT="soon")
    assert result.returncode == 2
    line = error_line(result)
    assert line.startswith("error: bad setting NEWSETL_FETCH__READ_TIMEOUT='soon': Input should be a valid number")
    assert not (tmp_path / "w.duckdb").exists() and http_server.hits == {}


def test_bad_option_values_are_rc2(tmp_path):
    fmt = newsetl(["query", "--format", "xml", "SELECT 1", "--db", "w.duckdb"], tmp_path)
    assert fmt.returncode == 2
    assert error_line(fmt) == "error: --format xml: unknown format, use one of table, csv, json, ndjson"
    level = newsetl(["--log-level", "loud", "query", "SELECT 1"], tmp_path)
    assert level.returncode == 2
    assert error_line(level).startswith("error: --log-level loud: unknown log level 'LOUD'")


# --- output formats ----------------------------------------------------------------------------------------


@pytest.fixture
def article_warehouse(tmp_path) -> Path:
    """A warehouse file holding the articles_mart SQL test's two articles."""
    from test_views import SQL_TESTS, warehouse_file

    return warehouse_file(tmp_path / "w.duckdb", SQL_TESTS / "articles_mart")


def test_query_json_is_an_array_ndjson_lines_and_csv_lists_agree(article_warehouse, tmp_path):
    sql = "SELECT article_id, authors, published FROM articles_mart ORDER BY 1"
    as_json = newsetl(["query", "--db", str(article_warehouse), "--format", "json", sql], tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [
        {"article_id": "a1", "authors": ["Mira Castellane", "Tomas Vell"], "published": "2026-03-02"},
        {"article_id": "a2", "authors": [], "published": None},
    ]
    as_ndjson = newsetl(["query", "--db", str(article_warehouse), "-f", "ndjson", sql], tmp_path)
    assert [json.loads(line) for line in as_ndjson.stdout.splitlines()] == json.loads(as_json.stdout)
    as_csv = newsetl(["query", "--db", str(article_warehouse), "-f", "csv", sql, "--out", str(tmp_path / "a.csv"),
                      ], tmp_path)
    assert as_csv.returncode == 0, as_csv.stderr
    expected = ['article_id,authors,published', 'a1,"[""Mira Castellane"", ""Tomas Vell""]",2026-03-02', "a2,[],"]
    assert as_csv.stdout.splitlines() == expected
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines() == expected
    newsetl(["query", "--db", str(article_warehouse), sql, "--out", str(tmp_path / "a.json")], tmp_path)
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == json.loads(as_json.stdout)


def test_export_writes_the_articles_mart(article_warehouse, tmp_path):
    result = newsetl(["export", "--db", str(article_warehouse), "--out", str(tmp_path / "marts")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "articles: 2 rows" in result.stdout
    rows = duckdb.sql(f"SELECT outlet, title, authors, published, language, story_id, text "
                      f"FROM '{tmp_path / 'marts' / 'articles.parquet'}' ORDER BY article_id").fetchall()
    assert rows[0][:3] == ("quay-gazette", "Ferry to run all winter", ["Mira Castellane", "Tomas Vell"])
    assert rows[0][4:] == ("en", "a1", "Invented text.")


def test_default_warehouse_is_under_the_current_directory_or_newsetl_home(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    here = newsetl(["quarantine"], tmp_path, cwd=project)
    assert here.returncode == 2
    assert error_line(here) == (f"error: no warehouse at {project / 'warehouse' / 'news.duckdb'}: "
                                "run `newsetl run` or `newsetl demo` first")
    home = newsetl(["quarantine"], tmp_path, cwd=project, NEWSETL_HOME=str(tmp_path / "home"))
    assert error_line(home).startswith(f"error: no warehouse at {tmp_path / 'home' / 'news.duckdb'}:")


# --- validation results offline, with history ----------------------------------------------------------------


def test_validation_page_lists_every_run_offline(tmp_path):
    from test_views import SQL_TESTS, warehouse_file

    db = warehouse_file(tmp_path / "w.duckdb", SQL_TESTS / "run_quality")
    with duckdb.connect(str(db), read_only=True) as con:
        runs = [r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()]
        suites = con.execute("SELECT count(*) FROM validations").fetchone()[0]
    result = newsetl(["validations", "--db", str(db), "--out", str(tmp_path / "v.html")], tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert len(runs) >= 2 and all(f'id="{run}"' in page for run in runs)
    assert page.count("<tr>") - page.count("<tr><th>") == suites
    assert "http://" not in page and "https://" not in page and "<script" not in page  # nothing fetched


# --- every URL ends in a documented state; exit codes; --json ----------------------------------------------


def url_states(db: Path) -> dict[str, tuple[str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {url: (state, reason) for url, state, reason in
                con.execute("SELECT url, state, reason FROM url_status").fetchall()}


def run_rows(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT status, message, finished_at IS NOT NULL FROM runs ORDER BY started_at").fetchall()


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unresolvable_host_beside_a_healthy_one(http_server, tmp_path):
    small_site(http_server)
    sources = tmp_path / "s.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: gazette\n    feeds: ['{http_server.base}/rss.xml']\n    allow_private: true\n"
        # .invalid never resolves (RFC 2606): the feed and the seed fail to fetch, nothing else.
        "  - name: ghost\n    feeds: ['http://news.invalid/rss.xml']\n    urls: ['http://news.invalid/a']\n",
        encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["status"] == "completed" and summary["exit_code"] == 0
    assert summary["counts"]["loaded"] == 3 and summary["counts"]["fetch_failed"] == 1
    states = url_states(db)
    assert sorted(s for s, _ in states.values()) == ["fetch_failed", "loaded", "loaded", "loaded"]
    state, reason = states["http://news.invalid/a"]
    assert state == "fetch_failed" and reason.startswith("dns_error: news.invalid")
    assert run_rows(db) == [("completed", None, True)]


def test_every_fetch_failed_exits_4_with_refused_connections_as_fetch_failures(tmp_path):
    port = closed_port()
    sources = tmp_path / "s.yaml"
    sources.write_text("sources:\n  - name: down\n    allow_private: true\n"
                       f"    urls: ['http://127.0.0.1:{port}/a', 'http://127.0.0.1:{port}/b']\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress"], tmp_path,
                     NEWSETL_FETCH__BACKOFF_BASE="0.05")
    assert result.returncode == 4, result.stderr
    assert error_line(result) == "error: every source failed: down (2 of 2 URLs failed to fetch)"
    states = url_states(db)
    # A host that refuses connections is down, not refusing us by robots.txt.
    assert {s for s, _ in states.values()} == {"fetch_failed"}
    assert all(reason.startswith("connection_error: ConnectError") for _, reason in states.values())
    assert run_rows(db) == [("completed", "every source failed", True)]


@pytest.mark.slow  # two runs, or one that only adds a terminal option
def test_a_stage_that_raises_marks_its_batch_error_and_the_run_goes_on(http_server, tmp_path):
    paths = small_site(http_server, n=4)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    # Two batches of two pages; enrichment of the first raises (an injected fault, as a spaCy crash would).
    result = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress"], tmp_path,
                     NEWSETL_BATCH_SIZE="2", NEWSETL_FAULT="enrich:0")
    assert result.returncode == 0, result.stderr
    states = url_states(db)
    first, second = [f"{http_server.base}{p}" for p in paths[:2]], [f"{http_server.base}{p}" for p in paths[2:]]
    assert [states[u][0] for u in first] == ["error", "error"]
    assert states[first[0]][1] == "stage_error: enrich failed: RuntimeError: injected fault (NEWSETL_FAULT=enrich:0)"
    assert [states[u][0] for u in second] == ["loaded", "loaded"]
    assert "batch 0 failed in stage enrich" in result.stdout
    with duckdb.connect(str(db), read_only=True) as con:  # validation rows name the batch by its place in the run
        assert con.execute("SELECT DISTINCT batch FROM validations ORDER BY 1").fetchall() == [(-1,), (1,)]
    # The pages were kept, so the failed batch can be retried from them without the network.
    retry = newsetl(["requeue", "--rule", "stage_error", "--db", str(db), "--no-progress"], tmp_path)
    assert retry.returncode == 0, retry.stderr
    assert {url_states(db)[u][0] for u in first} == {"loaded"}


def thin_site(server, n: int) -> None:
    """A feed of n pages with no article text: extraction rejects every one."""
    paths = [f"/thin/{i}" for i in range(n)]
    server.reply("/robots.txt", body=b"", content_type="text/plain")
    server.reply("/rss.xml", body=rss(server.base, paths), content_type="application/rss+xml")
    for path in paths:
        server.reply(path, body=b"<html><head><title>x</title></head><body><p>Subscribe.</p></body></html>")


@pytest.mark.slow  # a full run; the default suite keeps the dead-host, exit-4 and Ctrl-C runs
def test_quality_gate_exits_3(http_server, tmp_path):
    thin_site(http_server, 3)
    sources = sources_yaml(tmp_path / "s.yaml", [("thin", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    result = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress"], tmp_path,
                     NEWSETL_QUALITY__MIN_BATCH_ROWS="1")
    assert result.returncode == 3, result.stderr
    line = error_line(result)
    assert line.startswith("error: quality gate stopped the run: source thin, stage extract: 3 of 3 rows failed")
    assert {s for s, _ in url_states(db).values()} == {"quarantined"}
    assert run_rows(db)[0][0] == "failed"


# --- Ctrl-C, kill -9 and recovery -------------------------------------------------------------------------


def slow_site(server, n: int, seconds: float) -> list[str]:
    """small_site whose article pages take `seconds` to answer."""
    import time

    from conftest import send

    paths = small_site(server, n)
    for i, path in enumerate(paths):
        body = article_html(i, f"Quillon story number {i} goes on")

        def slow(handler, _hit, body=body):
            time.sleep(seconds)
            try:
                send(handler, 200, body, "text/html; charset=utf-8")
            except (BrokenPipeError, ConnectionResetError):  # the run was stopped meanwhile
                pass

        server.routes[path] = slow
    return paths


def start_run(tmp_path: Path, sources: Path, db: Path, own_prefect: bool = False, **extra: str) -> subprocess.Popen:
    """`newsetl run` in a session of its own, as a terminal runs it (Ctrl-C reaches the whole group)."""
    return subprocess.Popen(NEWSETL + ["run", "-s", str(sources), "--db", str(db), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env=env_for(tmp_path, own_prefect, **extra), start_new_session=True)


def wait_for_fetch(server, paths: list[str], proc: subprocess.Popen, timeout: float = 300) -> None:
    """Wait until the run has asked for an article page (it is in the fetch stage)."""
    import time

    deadline = time.monotonic() + timeout
    while not any(server.hits.get(p) for p in paths):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never reached the fetch stage"
        time.sleep(0.2)


def flow_run_states(tmp_path: Path) -> list[str]:
    return [run["state"] for run in read_prefect_logs(tmp_path)]


FORCED_EXIT = "interrupted: stopped before the run could be closed; the next run marks it abandoned"


def test_ctrl_c_stops_the_run_marks_it_interrupted_and_exits_130(http_server, tmp_path):
    import signal
    import time

    paths = slow_site(http_server, 3, seconds=60)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    proc = start_run(tmp_path, sources, db, own_prefect=True)
    wait_for_fetch(http_server, paths, proc)
    os.killpg(proc.pid, signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=120)  # generous: the bound is 5 s, a busy machine is slower
    took = time.monotonic() - sent
    print(f"Ctrl-C to exit: {took:.1f} s")
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    if lines == [FORCED_EXIT]:
        # A busy machine: closing the run outlasted the CLI's deadline (FORCE_EXIT_SECONDS), so it
        # exited anyway, as documented; the run row is left for the next run to mark abandoned.
        assert [row[0] for row in run_rows(db)] in (["running"], ["interrupted"])
    else:
        assert lines == ["interrupted: the run is marked interrupted"]
        assert run_rows(db) == [("interrupted", "interrupted (Ctrl-C)", True)]
        assert flow_run_states(tmp_path) in (["CRASHED"], ["CANCELLED"])
    # The URLs the run had not fetched are pending (documented): the next run fetches them.
    assert {s for s, _ in url_states(db).values()} == {"pending"}


@pytest.mark.slow  # two runs, or one that only adds a terminal option
def test_kill_9_leaves_a_run_the_next_run_marks_abandoned(http_server, tmp_path):
    import signal

    paths = slow_site(http_server, 3, seconds=60)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    proc = start_run(tmp_path, sources, db, own_prefect=True)
    wait_for_fetch(http_server, paths, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert run_rows(db) == [("running", None, False)]
    assert flow_run_states(tmp_path) == ["RUNNING"]
    small_site(http_server)  # the site answers at once now
    result = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress"], tmp_path, own_prefect=True)
    assert result.returncode == 0, result.stderr
    rows = run_rows(db)
    assert rows[0][0] == "abandoned" and rows[0][2] is True
    assert rows[0][1].startswith(f"abandoned: process {proc.pid} on ") and rows[0][1].endswith("ended without "
                                                                                             "finishing the run")
    assert rows[1] == ("completed", None, True)
    assert sorted(flow_run_states(tmp_path)) == ["COMPLETED", "CRASHED"]
    assert {s for s, _ in url_states(db).values()} == {"loaded"}


# --- the warehouse lock -------------------------------------------------------------------------------------


def hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process (a notebook) holding the warehouse open read-write for a while."""
    holder = subprocess.Popen(
        [PYTHON, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('locked', flush=True); "
                       f"time.sleep({seconds})"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.slow  # a full run; the default suite keeps the dead-host, exit-4 and Ctrl-C runs
def test_a_held_lock_is_named_at_once_and_the_run_waits(http_server, tmp_path):
    small_site(http_server)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    holder = hold_lock(db, 600)
    proc = start_run(tmp_path, sources, db)
    try:
        # The run says who holds the lock as soon as it meets it, then waits; the holder then closes.
        said = next((line for line in proc.stderr if "is locked by" in line), "")
        holder.kill()
        holder.wait()
        out, err = proc.communicate(timeout=600)
    finally:
        holder.kill()
        proc.kill()
    assert f"warehouse {db} is locked by PID {holder.pid} (" in said
    assert "waiting up to 120 s for it (notebooks: read a copy, or `newsetl export`)" in said
    assert proc.returncode == 0, err
    assert {s for s, _ in url_states(db).values()} == {"loaded"}


@pytest.mark.slow  # two runs, or one that only adds a terminal option
def test_a_lock_held_too_long_keeps_the_batch_as_parts_for_the_next_run(http_server, tmp_path):
    paths = slow_site(http_server, 3, seconds=3)
    sources = sources_yaml(tmp_path / "s.yaml", [("gazette", f"{http_server.base}/rss.xml")])
    db = tmp_path / "w.duckdb"
    proc = start_run(tmp_path, sources, db, NEWSETL_LOCK_WAIT="2")
    wait_for_fetch(http_server, paths, proc)
    holder = hold_lock(db, 600)
    try:
        out, err = proc.communicate(timeout=600)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 0, err
    assert "kept 1 batch as Parquet parts in" in out
    parts = sorted((tmp_path / "w.duckdb.parts").iterdir())
    assert len(parts) == 2  # the batch, and the run's final record
    assert {p.name for p in parts[0].glob("*.parquet")} >= {"batch_articles.parquet", "batch_pages.parquet"}
    assert url_states(db) and {s for s, _ in url_states(db).values()} == {"pending"}
    again = newsetl(["run", "-s", str(sources), "--db", str(db), "--no-progress"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert {s for s, _ in url_states(db).values()} == {"loaded"}
    assert not any((tmp_path / "w.duckdb.parts").iterdir())
    assert [r[0] for r in run_rows(db)] == ["completed", "completed"]


def test_a_failed_source_is_blamed_on_its_own_problems_only():
    from collections import Counter

    from flows.run_control import failed_sources

    # "bbc" must not take the problem of "bbc-world", whose name merely starts the same way.
    problems = ["bbc-world: https://w.example/rss: http_503", "bbc: https://b.example/rss: dns_error: gone"]
    assert failed_sources(["bbc", "bbc-world"], [], [], problems, Counter()) == {
        "bbc": "discovery failed: bbc: https://b.example/rss: dns_error: gone",
        "bbc-world": "discovery failed: bbc-world: https://w.example/rss: http_503",
    }
    assert failed_sources(["bbc"], [], [], problems[:1], Counter()) == {}
