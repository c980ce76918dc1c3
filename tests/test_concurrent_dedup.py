"""Two outlets of the demo ingested at once by two real processes find the copies one joint run finds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from flows.demo.site import build_site, serve_site, write_sources_yaml
from flows.recovery import repair_dedup
from flows.settings import Settings
from warehouse.db import connect

NEWSETL = str(Path(sys.executable).parent / "newsetl")

# What must not depend on how the outlets were run: copies found, stories, and the marts' counts
# (mentions and attributions of original articles only).
FIGURES = {
    "duplicates": "SELECT count(*) FROM duplicates",
    "canonical": "SELECT count(*) FROM articles WHERE is_canonical",
    "stories": "SELECT count(*) FROM stories",
    "mentions": "SELECT count(*) FROM mentions JOIN articles USING (article_id) WHERE is_canonical",
    "quotes": "SELECT count(*) FROM quotes",
    "entities_in_marts": "SELECT count(*) FROM int_article_entities",
}


def figures(db: Path) -> dict[str, int]:
    """The FIGURES of a warehouse."""
    with connect(db, read_only=True) as con:
        return {name: con.execute(sql).fetchone()[0] for name, sql in FIGURES.items()}


def newsetl_run(sources: Path, db: Path, env: dict) -> subprocess.Popen:
    """Start `newsetl run` in its own process."""
    return subprocess.Popen([NEWSETL, "run", "--sources", str(sources), "--db", str(db), "--no-progress"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.slow  # three demo runs, two of them at once: ~2 minutes idle, more on a busy machine
def test_outlets_run_at_once_find_the_same_copies_as_one_joint_run(tmp_path):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    # The two separate runs must overlap however the machine schedules them: once armed, each outlet
    # holds its first answer until the other outlet has been asked too, so both runs have started
    # (and read the dedup index) before either can end. Timeouts are raised above the wait.
    armed, met, held, lock = threading.Event(), threading.Barrier(2, timeout=300), set(), threading.Lock()

    def meet(slug: str, path: str) -> None:
        with lock:
            first = armed.is_set() and slug not in held
            if first:
                held.add(slug)
        if first:
            met.wait()

    slow = {"NEWSETL_FETCH__READ_TIMEOUT": "400", "NEWSETL_FETCH__TOTAL_TIMEOUT": "400",
            "NEWSETL_FETCH__HOST_TIME_BUDGET": "1000"}
    site = build_site(7)
    with serve_site(site, gate=meet) as bases:
        write_sources_yaml(site, bases, tmp_path / "sources.yaml")
        listed = yaml.safe_load((tmp_path / "sources.yaml").read_text())["sources"]
        for source in listed:
            (tmp_path / f"{source['name']}.yaml").write_text(yaml.safe_dump({"sources": [source]}))
        joint = newsetl_run(tmp_path / "sources.yaml", tmp_path / "joint.duckdb", env)
        assert joint.wait(timeout=600) == 0, joint.stdout.read()[-3000:]
        armed.set()
        apart = [newsetl_run(tmp_path / f"{s['name']}.yaml", tmp_path / "apart.duckdb", {**env, **slow}) for s in listed]
        outputs = [p.communicate(timeout=600)[0] for p in apart]
        assert [p.returncode for p in apart] == [0, 0], [out[-3000:] for out in outputs]
    with connect(tmp_path / "apart.duckdb", read_only=True) as con:
        started, ended = zip(*con.execute("SELECT started_at, finished_at FROM runs WHERE flow = 'ingest'").fetchall(),
                             strict=True)
    assert not met.broken and len(held) == 2
    assert len(started) == 2 and max(started) < min(ended)  # the two runs overlapped
    together = figures(tmp_path / "joint.duckdb")
    assert together["duplicates"] >= 7  # the demo's syndicated copies, at least
    assert figures(tmp_path / "apart.duckdb") == together
    with connect(tmp_path / "joint.duckdb", read_only=True) as joint_con, \
            connect(tmp_path / "apart.duckdb", read_only=True) as apart_con:
        # The same copies: the earliest published article of a story is its canonical one either way.
        copies = "SELECT url FROM duplicates ORDER BY url"
        assert apart_con.execute(copies).fetchall() == joint_con.execute(copies).fetchall()
    for db in ("joint.duckdb", "apart.duckdb"):  # nothing left that `newsetl dedup --repair` would join
        with connect(tmp_path / db) as con:
            assert repair_dedup(con, Settings().dedup, apply=False) == [], db
