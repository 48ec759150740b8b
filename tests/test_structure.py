"""The house: no import circle, no arrow from a lower floor to a higher one, the stand-in kept to the demo.

Floors, top to bottom: wiring (the app factory, CLI, server, operator commands, the stand-in harness), then
Slack surfaces and jobs (handlers/, bot/jobs), then the domain (bot/work), then Slack I/O and shared types
(bot/slack, bot/core), then the engine and storage (bot/coach, storage). Every import counts, including the
ones inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage")

FLOORS: tuple[tuple[str, int], ...] = (
    ("bot.coach", 0),
    ("storage", 0),
    ("bot.core", 1),
    ("bot.slack", 1),
    ("bot.work", 2),
    ("bot.jobs", 3),
    ("handlers", 3),
    ("bot", 4),  # bot.app, bot.cli, bot.server, bot.http, bot.preflight, bot.ops, bot.standin
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in known else base)
    resolved = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _floor(module: str) -> int:
    for prefix, floor in FLOORS:
        if module == prefix or module.startswith(prefix + "."):
            return floor
    raise AssertionError(f"{module} is on no floor")


def _is_package(module: str) -> bool:
    return module in ("bot", "handlers", "storage") or _modules()[module].name == "__init__.py"


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == [], f"import circles: {circles}"


def test_no_arrow_runs_up_a_floor() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if not _is_package(target) and _floor(target) > _floor(module)
    ]
    assert upward == [], "imports from a lower floor to a higher one:\n" + "\n".join(sorted(upward))


def test_the_engine_and_storage_stand_alone() -> None:
    graph = _graph()
    for module, targets in graph.items():
        if module.startswith("bot.coach"):
            assert all(t.startswith("bot.coach") or t == "bot" for t in targets), (module, targets)
        if module.startswith("storage"):
            assert all(t.startswith("storage") for t in targets), (module, targets)


def test_the_stand_in_is_only_for_the_demo() -> None:
    """The demo, and the sandbox it (and the tests) run the real app in; never the app itself."""
    users = {m for m, targets in _graph().items() for t in targets if t.startswith("bot.standin")}
    assert {m for m in users if not m.startswith("bot.standin")} <= {"bot.ops.demo", "bot.ops.sandbox"}
