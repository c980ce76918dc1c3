"""`newsetl query` reads the warehouse and nothing else: no files, no network, no extensions (real CLI)."""

from __future__ import annotations

import json

import pytest
from test_cli import run, small_warehouse  # noqa: F401 (a fixture)


@pytest.mark.parametrize(("sql", "refusal"), [
    ("COPY sources TO '{tmp}/out.csv'", 'newsetl query reads the warehouse only'),
    ("EXPORT DATABASE '{tmp}/exported'", 'newsetl query reads the warehouse only'),
    ("SELECT * FROM read_csv('/etc/passwd')", 'Cannot access file "/etc/passwd"'),
    ("SELECT * FROM read_text('/etc/hostname')", 'Cannot access file "/etc/hostname"'),
    ("SELECT * FROM 'http://127.0.0.1:9/x.csv'", 'Cannot access file "http://127.0.0.1:9/x.csv"'),
    ("ATTACH '{tmp}/other.duckdb'", "newsetl query reads the warehouse only"),
    ("INSTALL httpfs", "newsetl query reads the warehouse only"),
    ("LOAD httpfs", "Loading external extensions is disabled"),
    ("SET enable_external_access = true", 'Cannot change configuration option "enable_external_access"'),
    ("SET lock_configuration = false", 'Cannot change configuration option "lock_configuration"'),
])
def test_query_cannot_reach_files_network_or_extensions(small_warehouse, tmp_path, sql, refusal):  # noqa: F811
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(["query", "--db", str(small_warehouse), sql.format(tmp=tmp_path)])
    assert result.returncode == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ") and refusal in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_query_out_and_export_still_write_their_files(small_warehouse, tmp_path):  # noqa: F811
    out = tmp_path / "sources.json"
    result = run(["query", "--db", str(small_warehouse), "-f", "csv", "sources", "--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert [row["name"] for row in json.loads(out.read_text())] == ["gazette"]
    exported = run(["export", "--db", str(small_warehouse), "--out", str(tmp_path / "marts")])
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "marts" / "quotes.parquet").is_file()
