"""nbplug's imports run one way and import no private names.

Every import statement in ``nbplug/`` is read from the source — at module level, inside functions and
under ``if TYPE_CHECKING:`` alike, since a cycle hidden in a function is still a knot — and the test
fails on an import cycle between modules, on a private name (``_x``) imported from another module,
and on a private module imported from outside its own package. The layers are held to their order:
the kit imports nothing above it; nothing below the notebook face imports it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nbplug"


@dataclass(frozen=True)
class Import:
    """One imported module (and, for ``from M import n``, the name) at a place in a module."""

    source: str
    line: int
    target: str
    name: str | None


def module_files(root: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> file, for every module and package under ``root``."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import of an nbplug module written anywhere in ``path``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name, None) for alias in node.names
                      if alias.name.split(".")[0] == "nbplug"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "nbplug":
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in modules:  # ``from package import module``
                    found.append(Import(module, node.lineno, submodule, None))
                else:
                    found.append(Import(module, node.lineno, target, alias.name))
    return found


def all_imports() -> list[Import]:
    modules = module_files()
    return [imp for name, path in modules.items() for imp in imports_of(name, path, modules)]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles among ``edges`` (one path per strongly connected group), via Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def private_import_problems(imports: list[Import]) -> list[str]:
    """Private names imported from another module; private modules imported from another package."""
    problems = []
    for imp in imports:
        where = f"{imp.source} (line {imp.line})"
        if imp.name is not None and private(imp.name) and imp.target != imp.source:
            problems.append(f"{where} imports the private name {imp.name} from {imp.target}")
        parts = imp.target.split(".")
        for depth, part in enumerate(parts):
            owner = ".".join(parts[:depth])  # the package the private module belongs to
            if private(part) and not (imp.source == owner or imp.source.startswith(owner + ".")):
                problems.append(f"{where} imports {imp.target}, private to {owner}")
    return problems


def test_the_walk_finds_the_kit_and_the_layers_above_it() -> None:
    imports = all_imports()
    sources = {imp.source for imp in imports}
    assert {"nbplug.hooks", "nbplug.registry", "nbplug.ipython.session", "nbplug.lifespans.group",
            "nbplug.widgets.board"} <= sources
    # a function-level import and a TYPE_CHECKING import are both seen
    assert any(imp.source == "nbplug" and imp.target == "nbplug.ipython" for imp in imports)
    assert any(imp.source == "nbplug" and imp.target == "nbplug.tracing" for imp in imports)


def test_no_import_cycle_between_modules() -> None:
    edges: dict[str, set[str]] = {}
    for imp in all_imports():
        if imp.target != imp.source:
            edges.setdefault(imp.source, set()).add(imp.target)
    found = cycles(edges)
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(group) for group in found)


def test_no_private_name_imported_from_another_module() -> None:
    problems = private_import_problems(all_imports())
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from .calls import _second\n", ["nbplug.interpret (line 1) imports the private name _second "
                                           "from nbplug.calls"]),
        ("from .widgets._view import X\n", ["nbplug.interpret (line 1) imports nbplug.widgets._view, "
                                            "private to nbplug.widgets"]),
        ("def f():\n    from .calls import second\n", []),
    ],
)
def test_the_private_name_rule_itself(tmp_path: Path, source: str, expected: list[str]) -> None:
    root = tmp_path / "nbplug"
    (root / "widgets").mkdir(parents=True)
    for name in ("__init__.py", "calls.py", "widgets/__init__.py", "widgets/_view.py"):
        (root / name).write_text("")
    (root / "interpret.py").write_text(source)
    modules = module_files(root)
    imports = imports_of("nbplug.interpret", modules["nbplug.interpret"], modules)
    assert private_import_problems(imports) == expected


def test_the_cycle_rule_itself() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(edges) == [["a", "b", "c"], ["e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


#: the plugin kit's modules (see nbplug/__init__.py): they import one another and nothing else of nbplug
KIT = frozenset(f"nbplug.{name}" for name in (
    "errors", "result", "tracing", "suggest", "members", "signatures", "markers", "records", "plan",
    "wrapping", "calls", "interpret", "dispatch", "hooks", "validation", "registry", "manager", "aio",
    "callsite", "distributions", "lookups", "tagtrace"))


def test_the_kit_imports_nothing_of_the_layers_above_it() -> None:
    assert all(module in module_files() for module in KIT)
    above = [f"{imp.source} (line {imp.line}) imports {imp.target}" for imp in all_imports()
             if imp.source in KIT and imp.target not in KIT]
    assert above == [], "\n".join(above)


def test_the_notebook_face_is_imported_only_by_itself_and_load_ipython_extension() -> None:
    """Nothing below the notebook face imports ``nbplug.ipython``; ``nbplug``'s own
    ``load_ipython_extension`` (what ``%load_ext nbplug`` calls) hands over to it."""
    wrong = [f"{imp.source} (line {imp.line}) imports {imp.target}" for imp in all_imports()
             if (imp.target == "nbplug.ipython" or imp.target.startswith("nbplug.ipython."))
             and not (imp.source == "nbplug" or imp.source.startswith("nbplug.ipython"))]
    assert wrong == [], "\n".join(wrong)
