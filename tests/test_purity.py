"""transforms/ stays pure: no network, database or orchestration imports."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"prefect", "duckdb", "httpx", "requests", "urllib3", "socket", "great_expectations"}
TRANSFORMS = Path(__file__).resolve().parents[1] / "transforms"


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a module imports."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_transforms_import_no_io_libraries():
    modules = sorted(TRANSFORMS.glob("*.py"))
    assert len(modules) >= 8
    offenders = {p.name: sorted(imported_roots(p) & FORBIDDEN) for p in modules if imported_roots(p) & FORBIDDEN}
    assert offenders == {}


def test_checker_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom prefect import flow\nimport duckdb.typing\n")
    assert imported_roots(bad) & FORBIDDEN == {"prefect", "duckdb"}
