"""One warehouse, many users: real processes contending for DuckDB's single writer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.db import connect

NEWSETL = str(Path(sys.executable).parent / "newsetl")

STORY = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{who}, the harbour master of {town}, said on Monday that the new pier would open in the spring after two
years of delays caused by storms and a shortage of steel.</p>
<p>"We are nearly there, and the boats will be back by April," {who} said. The council has set aside money for
a second phase, according to documents seen by reporters, and engineers in {town} are drawing up plans.</p>
<p>Residents of {town} said they had waited long enough for the work to finish, and local fishermen told the
meeting that the old pier was no longer safe to use in winter. The ministry declined to comment.</p>
</article></body></html>"""


def serve_source(server, prefix: str, town: str, who: str, n: int) -> str:
    """Script n story pages and a sitemap under /prefix; return the sitemap URL."""
    urls = []
    for i in range(n):
        path = f"/{prefix}/story-{i}.html"
        title = f"{town} pier story number {i} of the season"
        server.reply(path, body=STORY.format(title=title, who=who, town=f"{town}{i}").encode())
        urls.append(server.base + path)
    sitemap = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    server.reply(f"/{prefix}/sitemap.xml", content_type="application/xml",
                 body=f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sitemap}</urlset>'.encode())
    return f"{server.base}/{prefix}/sitemap.xml"


def write_sources(path: Path, name: str, sitemap: str) -> None:
    path.write_text(f"sources:\n  - name: {name}\n    sitemaps: ['{sitemap}']\n    allow_private: true\n")


def with_saved_traceback(output: str) -> str:
    """A command's output, followed by the traceback file its error line names, if any."""
    saved = re.search(r"\(traceback in (.+?); --debug prints it\)", output)
    return output + (Path(saved[1]).read_text() if saved else "")


def test_two_flows_started_together_both_load(http_server, tmp_path):
    http_server.reply("/robots.txt", content_type="text/plain", body=b"User-agent: *\nAllow: /\n")
    db = tmp_path / "news.duckdb"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    procs = []
    for name, town, who in (("north", "Quillon", "Ada Brenner"), ("south", "Dastmoor", "Yusuf Kell")):
        write_sources(tmp_path / f"{name}.yaml", name, serve_source(http_server, name, town, who, 4))
        procs.append(subprocess.Popen(
            [NEWSETL, "run", "--sources", str(tmp_path / f"{name}.yaml"), "--db", str(db), "--no-progress"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
    outputs = [p.communicate(timeout=400)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [with_saved_traceback(out) for out in outputs]
    for out in outputs:
        assert "Traceback" not in out, out[-3000:]
    with connect(db, read_only=True) as con:
        per_source = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY 1").fetchall())
        runs = con.execute("SELECT status, count(*) FROM runs GROUP BY 1").fetchall()
    assert per_source == {"north": 4, "south": 4}
    assert runs == [("completed", 2)]


def hold_write_lock(db: Path) -> subprocess.Popen:
    """Another process holding the warehouse's write lock, as a loading flow does, until its stdin is closed."""
    connect(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('locked', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_query_waits_for_the_writer(tmp_path):
    db = tmp_path / "news.duckdb"
    holder = hold_write_lock(db)
    query = subprocess.Popen([NEWSETL, "query", "--db", str(db), "-f", "csv", "SELECT count(*) AS n FROM runs"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The lock is released only once the query has said it waits, however slowly the machine starts it.
    said = query.stderr.readline()
    holder.stdin.close()
    holder.wait(timeout=30)
    out, err = query.communicate(timeout=120)
    assert query.returncode == 0, said + err
    assert "waiting" in said
    assert out.splitlines() == ["n", "0"]


def test_reader_gives_up_with_a_clear_error_after_its_deadline(tmp_path):
    import duckdb

    holder = hold_write_lock(tmp_path / "news.duckdb")
    with pytest.raises(duckdb.IOException, match="lock"):
        connect(tmp_path / "news.duckdb", read_only=True, wait_seconds=0.5)
    holder.kill()
