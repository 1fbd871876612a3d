"""The library's layout: imports point one way, as the README's layout map says."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The README's order: each part may import only the parts before it (and itself).
LAYERS = ["errors", "progress", "store", "sparql", "analysis", "ingest", "report", "export", "workspace"]


def _part(module: str) -> str | None:
    """The layer of a ``graph.`` module name (``graph.store.queries`` -> ``store``)."""
    names = module.split(".")
    return names[1] if names[0] == "graph" and len(names) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "graph":
                found += [(node.lineno, f"graph.{alias.name}") for alias in node.names]
    return found


def test_every_part_of_the_library_is_in_the_layout_map():
    parts = {path.stem if path.is_file() else path.name for path in (ROOT / "graph").iterdir()}
    assert parts - {"__init__", "__pycache__", "_data"} == set(LAYERS)


def test_the_library_imports_point_one_way():
    upward = []
    for path in sorted((ROOT / "graph").rglob("*.py")):
        own = _part("graph." + ".".join(path.relative_to(ROOT / "graph").with_suffix("").parts))
        for line, module in _imports(path):
            other = _part(module)
            if own in LAYERS and other in LAYERS and LAYERS.index(other) > LAYERS.index(own):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert upward == []


def test_the_library_never_imports_the_outside_world():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "graph").rglob("*.py"))
        for line, module in _imports(path)
        if module.split(".")[0] in ("api", "tests", "fastapi", "typer", "uvicorn")
    ]
    assert found == []
