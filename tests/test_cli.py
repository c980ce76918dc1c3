"""The `newsetl extract`, `annotate` and `query` contracts, through the real console script."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

NEWSETL = [str(Path(sys.executable).parent / "newsetl")]

ARTICLE_HTML = """<html><head><title>Harbour ferry to run through winter | The Test Gazette</title>
<meta name="author" content="Mira Castellane"><meta property="article:published_time" content="2026-02-11T09:30:00Z">
<meta property="og:site_name" content="The Test Gazette"><link rel="canonical" href="https://gazette.example/ferry">
</head><body><nav><a href="/">Home</a></nav><article><h1>Harbour ferry to run through winter</h1>
<p>The harbour ferry between Quillon and Dastmoor will keep running through the winter for the first time,
the operator said on Tuesday, after a trial season carried more passengers than expected.</p>
<p>"We were surprised by how many people used it in November," said Tomas Vell, the operator's manager.
He added that the timetable would be cut to four crossings a day from January.</p>
<p>Councillors in Dastmoor had asked for the service to continue, according to minutes of their last meeting.</p>
</article><footer>Copyright The Test Gazette</footer></body></html>"""


def run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(NEWSETL + args, input=stdin, capture_output=True, text=True, timeout=300)


def test_extract_contract(tmp_path):
    page = tmp_path / "ferry.html.gz"
    page.write_bytes(gzip.compress(ARTICLE_HTML.encode()))
    broken = tmp_path / "empty.html"
    broken.write_text("")
    result = run(["extract", str(page), str(broken)])
    assert result.returncode == 0, result.stderr
    good, bad = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(good) >= {"path", "title", "author", "published", "sitename", "language", "url", "text"}
    assert good["title"] == "Harbour ferry to run through winter"
    assert good["author"] == "Mira Castellane"
    assert good["published"] == "2026-02-11"
    assert good["url"] == "https://gazette.example/ferry"
    assert "Tomas Vell" in good["text"] and "Copyright" not in good["text"]
    assert set(bad) == {"path", "error"} and bad["path"] == str(broken)


def test_extract_exits_nonzero_when_every_file_fails(tmp_path):
    broken = tmp_path / "empty.html"
    broken.write_text("")
    assert run(["extract", str(broken)]).returncode == 1


def test_annotate_offsets_slice_the_input(tmp_path):
    # CRLF line ends and curly quotes: offsets must count characters exactly as read.
    text = ("Mayor Elena Brask opened the bridge on Monday.\r\n"
            "“We will respond,” Brask said, “if it is needed.”\r\n"
            "Officials who spoke on condition of anonymity said the repairs cost more than planned.\r\n"
            "The operator declined to comment.\r\n")
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode("utf-8"))
    result = run(["annotate", str(path), "-"], stdin="Tomas Vell said the ferry would run.")
    assert result.returncode == 0, result.stderr
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["path"] == str(path) and second["path"] == "-"
    assert any(e["canonical"] == "Elena Brask" for e in first["entities"])
    for entity in first["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
    kinds = {a["kind"] for a in first["attributions"]}
    assert {"direct", "indirect", "no_comment"} <= kinds
    for attribution in first["attributions"]:
        assert set(attribution) >= {"speaker", "speaker_start", "speaker_end", "speaker_entity", "cue", "cue_start",
                                    "cue_end", "content", "content_start", "content_end", "kind", "anonymous"}
        for part in ("speaker", "cue", "content"):
            if attribution[part] is not None:
                assert text[attribution[f"{part}_start"]:attribution[f"{part}_end"]] == attribution[part]
    direct = [a for a in first["attributions"] if a["kind"] == "direct"]
    assert direct[0]["speaker_entity"] == "Elena Brask"
    assert any(a["anonymous"] for a in first["attributions"])
    assert second["attributions"][0]["speaker"] == "Tomas Vell"


@pytest.fixture
def small_warehouse(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        con.execute("INSERT INTO sources VALUES ('gazette', 'The Test Gazette', '{}', now())")
    return db


def test_query_formats(small_warehouse):
    as_json = run(["query", "--db", str(small_warehouse), "--format", "json", "sources"])
    assert as_json.returncode == 0, as_json.stderr
    assert [row["name"] for row in json.loads(as_json.stdout)] == ["gazette"]  # one JSON array
    as_csv = run(["query", "--db", str(small_warehouse), "-f", "csv", "SELECT name, title FROM sources"])
    assert as_csv.stdout.splitlines() == ["name,title", "gazette,The Test Gazette"]


def test_query_is_read_only_and_errors_are_messages(small_warehouse):
    result = run(["query", "--db", str(small_warehouse), "DELETE FROM sources"])
    assert result.returncode == 1
    assert "read-only" in result.stderr.lower() and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")


def test_a_relative_warehouse_path_is_made_absolute(tmp_path, monkeypatch):
    from flows.settings import Settings

    # GX's Data Docs refused a relative base directory ("base_directory must be an absolute path").
    monkeypatch.chdir(tmp_path)
    assert Settings(db_path=Path("w.duckdb")).db_path == tmp_path / "w.duckdb"
    assert Settings(db_path=Path("~/w.duckdb")).db_path == Path.home() / "w.duckdb"
