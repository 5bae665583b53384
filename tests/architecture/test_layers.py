"""The map holds: each layer imports only the layers below it, no modules import each other
in a loop, and a function-local import says why it cannot sit at the top.

Layers, lowest first (docs/architecture.md): the core (microintern's accounts, cycles,
notifications, core) <- postings and authorization, side by side <- applications <- offers
<- advising (microintern/advising) <- the portal (microintern/portal, the roof). microintern's
settings, urls, celery and wsgi wire everything together and are not a layer. Migrations name
other apps' migrations as dependencies, not imports, and are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("microintern", "postings", "authorization", "applications", "offers")
WIRING = {"microintern", "microintern.settings", "microintern.urls", "microintern.celery"}
WIRING |= {"microintern.wsgi", "microintern.envconfig"}

LAYERS = {"core": 0, "postings": 1, "authorization": 1, "applications": 2, "offers": 3}
LAYERS["advising"] = 4  # microintern/advising: above offers, below the roof (DESIGN.md)
LAYERS["portal"] = 5


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "microintern":
        if module in WIRING:
            return None
        if parts[1:2] == ["advising"]:
            return "advising"
        return "portal" if parts[1:2] == ["portal"] else "core"
    return parts[0] if parts[0] in LAYERS else None


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = project_modules()


def imported(module: str, path: Path) -> Iterator[tuple[ast.stmt, str, bool]]:
    """(statement, imported project module, inside a function?) for each import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    local = {
        id(node)
        for fn in ast.walk(tree)
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
        for node in ast.walk(fn)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from a.b import c` may import the module a.b.c itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != module:
                yield node, target, id(node) in local


def test_no_layer_imports_a_higher_one() -> None:
    upward = []
    for module, path in MODULES.items():
        mine = layer_of(module)
        for node, target, _ in imported(module, path):
            theirs = layer_of(target)
            if mine and theirs and theirs != mine and LAYERS[theirs] >= LAYERS[mine]:
                upward.append(f"{path.relative_to(ROOT)}:{node.lineno} ({mine}) -> {target}")
    assert upward == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    graph = {m: {t for _, t, _ in imported(m, p)} for m, p in MODULES.items()}
    # A package's __init__ that re-exports its modules is a face, not a dependency of theirs.
    for module in graph:
        graph[module] = {t for t in graph[module] if not module.startswith(t + ".")}
    loops = [component for component in strongly_connected(graph) if len(component) > 1]
    assert loops == []


def test_every_function_local_import_says_why() -> None:
    silent = []
    for module, path in MODULES.items():
        lines = path.read_text().splitlines()
        for node, _, local in imported(module, path):
            if not local:
                continue
            if not explained(lines, node.lineno - 1):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert silent == []


def explained(lines: list[str], index: int) -> bool:
    """A comment on the import's line, or above the block of imports it belongs to."""
    if "#" in lines[index]:
        return True
    index -= 1
    while index >= 0:
        line = lines[index].strip()
        if line.startswith("#"):
            return True
        if not (line == "" or line.startswith(("from ", "import "))):
            return False
        index -= 1
    return False


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative enough for a project of a few hundred modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            components.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return components


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("microintern.accounts.models", "core"),
        ("microintern.portal.views", "portal"),
        ("microintern.urls", None),
        ("postings.access", "postings"),
        ("offers.services.offers", "offers"),
        ("microintern.advising.services", "advising"),
    ],
)
def test_it_knows_each_modules_layer(module: str, layer: str | None) -> None:
    assert module in MODULES
    assert layer_of(module) == layer
