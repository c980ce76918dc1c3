"""Layering: transforms/ stays pure, expectations/ and warehouse/ never reach into flows/, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"prefect", "duckdb", "httpx", "requests", "urllib3", "socket", "great_expectations"}
ROOT = Path(__file__).resolve().parents[1]
TRANSFORMS = ROOT / "transforms"
PACKAGES = ("transforms", "warehouse", "expectations", "flows")


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a module imports."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of a file under root (a package's __init__ is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the modules of `packages` it imports, anywhere in its body (lazy imports count too)."""
    files = {module_name(p, root): p for package in packages for p in (root / package).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from pkg import module`
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle found by a depth-first walk, each as the path that closes it."""
    found, state = [], {}  # state: 1 on the current path, 2 done

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [node, nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*path, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [])
    return found


def test_transforms_import_no_io_libraries():
    modules = sorted(TRANSFORMS.glob("*.py"))
    assert len(modules) >= 8
    offenders = {p.name: sorted(imported_roots(p) & FORBIDDEN) for p in modules if imported_roots(p) & FORBIDDEN}
    assert offenders == {}


def test_transforms_import_no_other_package_of_ours():
    offenders = {p.name: sorted(imported_roots(p) & {"flows", "warehouse", "expectations"})
                 for p in TRANSFORMS.glob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_expectations_and_warehouse_never_import_flows():
    modules = sorted([*(ROOT / "expectations").rglob("*.py"), *(ROOT / "warehouse").rglob("*.py")])
    assert len(modules) >= 6
    offenders = [str(p.relative_to(ROOT)) for p in modules if "flows" in imported_roots(p)]
    assert offenders == []


def test_packages_have_no_import_cycle():
    graph = import_graph(ROOT, PACKAGES)
    assert "flows.ingest" in graph and "transforms.models" in graph["flows.ingest"]
    assert cycles(graph) == []


def test_cycle_finder_sees_a_cycle(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import x\n")
    (package / "b.py").write_text("def f():\n    from pkg import c\n")
    (package / "c.py").write_text("import pkg.a\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg", "pkg.c"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_checker_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom prefect import flow\nimport duckdb.typing\n")
    assert imported_roots(bad) & FORBIDDEN == {"prefect", "duckdb"}
