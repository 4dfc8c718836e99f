"""nbplug's house: a room per layer, imports that run one way, no private names imported.

Every import statement in ``nbplug/`` is read from the source — at module level, inside functions and
under ``if TYPE_CHECKING:`` alike, since a cycle hidden in a function is still a knot — and the test
fails on an import cycle between modules, on a private name (``_x``) imported from another module,
on a private module imported from outside its own package, on a room importing a room above it, on
a kit module importing one after it in the kit's order, and on a module in the package root that is
not the public face.
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
    assert {"nbplug._kit.hooks", "nbplug._kit.registry", "nbplug.session.notebook",
            "nbplug.lifespans.group", "nbplug.widgets.board.widget"} <= sources
    # a function-level import and a TYPE_CHECKING import are both seen
    assert any(imp.source == "nbplug" and imp.target == "nbplug.ipython" for imp in imports)
    assert any(imp.source == "nbplug" and imp.target == "nbplug._kit.tracing" for imp in imports)


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
        ("from .widgets._view import X\n", ["nbplug.interpret (line 1) imports "
                                            "nbplug.widgets._view, private to nbplug.widgets"]),
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


#: The rooms, lowest first: a module may import its own room and the rooms listed for it.
ROOMS: dict[str, frozenset[str]] = {
    "_base": frozenset(),
    "_kit": frozenset({"_base"}),
    "lifespans": frozenset({"_base", "_kit"}),
    "recording": frozenset({"_base", "_kit"}),
    "terminal": frozenset({"_base", "_kit", "lifespans"}),
    "session": frozenset({"_base", "_kit", "lifespans"}),
    "widgets": frozenset({"_base", "_kit", "lifespans", "recording"}),
    "ipython": frozenset({"_base", "_kit", "lifespans", "recording", "session", "widgets"}),
    # the public face: nbplug/__init__.py re-exports the kit and hands over to the others lazily
    "__init__": frozenset({"_kit", "recording", "ipython"}),
    "__main__": frozenset({"terminal"}),
}

#: The kit's modules in the one direction their imports run (see nbplug/_kit/__init__.py): each
#: imports only modules before it; modules on one line import none of each other's line-mates
#: except as the pairs in KIT_SIBLINGS allow.
KIT_ORDER = [
    ["errors", "result", "tracing", "suggest", "introspection", "callsite"],
    ["markers"],
    ["records"],
    ["plan"],
    ["wrapping"],
    ["interpret"],
    ["calls"],
    ["dispatch"],
    ["hooks"],
    ["validation", "distributions", "tagtrace"],
    ["lookups"],
    ["registry"],
    ["manager", "aio"],
]


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_package_root_holds_the_public_face_only() -> None:
    files = sorted(p.name for p in PACKAGE.iterdir() if p.is_file())
    assert files == ["__init__.py", "__main__.py", "py.typed"]
    rooms = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert rooms == sorted(room for room in ROOMS if not room.startswith("__"))


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = [f"{imp.source} (line {imp.line}) imports {imp.target}" for imp in all_imports()
             if room_of(imp.target) != room_of(imp.source)
             and room_of(imp.target) not in ROOMS[room_of(imp.source)]]
    assert wrong == [], "\n".join(wrong)


def test_the_kit_imports_one_way_inside() -> None:
    rank = {f"nbplug._kit.{name}": depth for depth, line in enumerate(KIT_ORDER) for name in line}
    assert set(rank) == {m for m in module_files() if m.startswith("nbplug._kit.")}
    wrong = [f"{imp.source} (line {imp.line}) imports {imp.target}" for imp in all_imports()
             if imp.source in rank and imp.target in rank and imp.target != imp.source
             and rank[imp.target] >= rank[imp.source]
             and not (rank[imp.target] == rank[imp.source] == 0 and imp.target.endswith(
                 ("errors", "suggest", "introspection", "callsite")))]
    assert wrong == [], "\n".join(wrong)


def test_the_kit_never_imports_the_layers_above_it() -> None:
    above = [f"{imp.source} (line {imp.line}) imports {imp.target}" for imp in all_imports()
             if imp.source.startswith("nbplug._kit") and room_of(imp.target) not in {"_kit", "_base"}]
    assert above == [], "\n".join(above)


def test_the_notebook_face_is_imported_only_by_itself_and_load_ipython_extension() -> None:
    """Nothing below the notebook face imports ``nbplug.ipython``; ``nbplug``'s own
    ``load_ipython_extension`` (what ``%load_ext nbplug`` calls) hands over to it."""
    wrong = [f"{imp.source} (line {imp.line}) imports {imp.target}" for imp in all_imports()
             if (imp.target == "nbplug.ipython" or imp.target.startswith("nbplug.ipython."))
             and not (imp.source == "nbplug" or imp.source.startswith("nbplug.ipython"))]
    assert wrong == [], "\n".join(wrong)


def test_the_session_and_the_kit_import_no_ipython() -> None:
    """The session is IPython-free (the magics are a thin layer over it); so is everything below."""
    wrong = []
    for name, path in module_files().items():
        if room_of(name) in {"_base", "_kit", "lifespans", "recording", "terminal", "session"}:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                         else [])
                wrong += [f"{name} (line {node.lineno}) imports {n}" for n in names
                          if n.split(".")[0] in {"IPython", "ipykernel", "ipywidgets"}]
    assert wrong == [], "\n".join(wrong)
