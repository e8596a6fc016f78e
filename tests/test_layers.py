"""The house: layered packages along the data flow, each importing only those below it.

dashboard/ is read as text (ast), every import counted, those inside functions too:

    text < model < ingest < analysis < render < web < the entry points (app.py, __main__.py)

A module may import modules of its own layer (with no cycle) and of the layers below;
only web/ and app.py import Streamlit; no module is over 800 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
LAYERS = ("text", "model", "ingest", "analysis", "render", "web")
ENTRY_POINTS = ("dashboard.app", "dashboard.__main__")
MAX_LINES = 800


def module_name(path: Path) -> str:
    parts = path.relative_to(DASHBOARD.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in DASHBOARD.rglob("*.py")}


def imports(path: Path) -> set[str]:
    """The modules of dashboard/ that `path` imports, anywhere in it."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            candidates = [module] + [f"{module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        found.update(c for c in candidates if c in MODULES and c != name)
    return found


GRAPH = {name: imports(path) for name, path in MODULES.items()}


def layer(module: str) -> int:
    """A module's floor: its layer's index; the entry points above all; the package's
    own __init__ below all (it defines nothing)."""
    if module in ENTRY_POINTS:
        return len(LAYERS)
    parts = module.split(".")
    if len(parts) < 2:
        return -1
    return LAYERS.index(parts[1])


def test_every_module_lives_in_a_layer():
    strays = [m for m in MODULES if m not in ENTRY_POINTS and m != "dashboard" and layer(m) < 0]
    assert not strays, strays


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_down_or_across(module):
    upward = sorted(m for m in GRAPH[module] if layer(m) > layer(module))
    assert not upward, f"{module} imports a higher layer: {upward}"


def test_no_import_cycle():
    """Depth-first search for a back edge (imports inside functions count too)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (cycle := visit(module)):
            pytest.fail(" -> ".join(cycle))


def test_only_the_web_layer_imports_streamlit():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        } | {
            (n.module or "").split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and not n.level
        }
        if used & {"streamlit", "streamlit_folium"}:
            assert name == "dashboard.app" or name.startswith("dashboard.web"), name


def test_no_module_is_over_800_lines():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long
