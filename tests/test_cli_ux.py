"""What a new user meets: the end-of-run summary, progress bars off a terminal, early errors for a bad --db."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console

NEWSETL = [str(Path(sys.executable).parent / "newsetl")]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(NEWSETL + args, capture_output=True, text=True, timeout=300, cwd=cwd)


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
