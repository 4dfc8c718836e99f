"""The cell transform: top-level ``%%hook``, ``%hook``, ``%plugin`` and ``%%record`` calls become
awaited ones.

IPython turns ``%%hook fetch`` into ``get_ipython().run_cell_magic('hook', 'fetch', body)`` and
``r = %hook fetch x=1`` into ``r = get_ipython().run_line_magic('hook', 'fetch x=1')``. A transformer
in ``shell.input_transformers_post`` (IPython's public list of transformers that run after its own)
rewrites those calls into ``(await <nbplug.ipython.running>.run_magic(...))``. The cell then holds
top-level ``await``, so IPython's autoawait runs it as a coroutine: in ipykernel on the kernel's own
running loop (background lifespan tasks and widget comms keep going while a hook call awaits), in
terminal IPython on the asyncio loop that ``%gui asyncio`` keeps running at the prompt. Nothing in
asyncio is patched.

Decision: the rewrite works on the parsed cell, not on its text, so that only calls where ``await``
is allowed change (the top level and ``async def`` bodies). Calls inside a ``def``, a lambda, a class
body or a comprehension, cells run with ``%autoawait`` off or by a trio/curio runner, and the very
cell that ran ``%load_ext nbplug`` (transformed before the extension existed) reach the magic
synchronously (:mod:`.running`, ``run_sync``). Rejected: a regular expression over the cell's text
(it would put ``await`` inside a ``def``, a syntax error in the user's own cell).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from .hints import check_cell_magics

#: The magics whose calls are awaited (and ``%unload_ext``/``%reload_ext nbplug``, so that the
#: lifespans' teardown is awaited on the loop before the extension goes away).
AWAITED_MAGICS = frozenset({"hook", "plugin", "record"})
EXTENSION_NAMES = frozenset({"nbplug", "nbplug.ipython"})
EXTENSION_MAGICS = frozenset({"unload_ext", "reload_ext"})
ENTRY = "__import__('nbplug.ipython.running', fromlist=['run_magic']).run_magic"
_SCOPES_WITHOUT_AWAIT = (
    ast.FunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def _magic_call(node: ast.AST) -> tuple[str, tuple[str, ...]] | None:
    """Recognise ``get_ipython().run_{line,cell}_magic('<ours>', ...)``; return (kind, args)."""
    if not (isinstance(node, ast.Call) and not node.keywords):
        return None
    func = node.func
    if not (
        isinstance(func, ast.Attribute)
        and func.attr in ("run_line_magic", "run_cell_magic")
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "get_ipython"
        and not func.value.args
    ):
        return None
    args = tuple(
        a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
    )
    kind = "cell" if func.attr == "run_cell_magic" else "line"
    if len(args) != len(node.args) or len(args) != (3 if kind == "cell" else 2):
        return None
    name = args[0]
    if name in AWAITED_MAGICS or (
        kind == "line" and name in EXTENSION_MAGICS and args[1].strip() in EXTENSION_NAMES
    ):
        return kind, args
    return None


class _Finder(ast.NodeVisitor):
    """Collect our magic calls that sit where ``await`` is allowed (top level or ``async def``)."""

    def __init__(self) -> None:
        self.found: list[tuple[ast.Call, str, tuple[str, ...]]] = []

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, _SCOPES_WITHOUT_AWAIT):
            return  # await is not allowed in here: leave these calls synchronous
        match = _magic_call(node)
        if match is not None:
            assert isinstance(node, ast.Call)
            self.found.append((node, *match))
            return
        super().generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        """``await`` is allowed in an ``async def`` body (not in nested sync scopes)."""
        for child in node.body:
            self.visit(child)


def rewrite(lines: list[str]) -> list[str]:
    """Rewrite our magic calls in a transformed cell into awaited calls (other code untouched).

    A ``%%hook`` / ``%hook`` call that ends the cell is told so (``ends_cell=True``): its result
    becomes the cell's ``Out[n]``, which the call view may already show."""
    source = "".join(lines)
    if "_magic(" not in source:
        return lines
    try:
        tree = compile(source, "<cell>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except (SyntaxError, ValueError):
        return lines  # IPython reports the syntax error itself, on the user's code
    finder = _Finder()
    finder.visit(tree)
    if not finder.found:
        return lines
    last = tree.body[-1] if tree.body else None
    ends_cell = last.value if isinstance(last, ast.Expr) else None
    encoded = [line.encode() for line in source.splitlines(keepends=True)]
    for node, kind, args in sorted(
        finder.found, key=lambda f: (f[0].lineno, f[0].col_offset), reverse=True
    ):
        assert node.end_lineno is not None and node.end_col_offset is not None
        call = awaited_call(kind, args, ends_cell=node is ends_cell and args[0] == "hook").encode()
        first, last = node.lineno - 1, node.end_lineno - 1
        head = encoded[first][: node.col_offset]
        tail = encoded[last][node.end_col_offset :]
        encoded[first : last + 1] = [head + call + tail]
    return [line.decode() for line in encoded]


def awaited_call(kind: str, args: tuple[str, ...], *, ends_cell: bool) -> str:
    """The awaited call that replaces ``get_ipython().run_{kind}_magic(*args)`` in a cell."""
    ends = ", ends_cell=True" if ends_cell else ""
    return f"(await {ENTRY}({kind!r}, {', '.join(repr(a) for a in args)}{ends}))"


def can_await(shell: Any) -> bool:
    """True when the shell runs top-level ``await`` on an asyncio loop (autoawait + asyncio).

    The runner is compared with the one ``InteractiveShell.loop_runner_map`` names ``asyncio``
    (what ``%autoawait asyncio`` selects), so a trio or curio runner leaves cells alone."""
    runners = getattr(shell, "loop_runner_map", {})
    asyncio_runner = runners.get("asyncio", (None,))[0]
    return bool(getattr(shell, "autoawait", False)) and (
        asyncio_runner is not None and shell.loop_runner is asyncio_runner
    )


def make_transformer(shell: Any) -> Callable[[list[str]], list[str]]:
    """The ``input_transformers_post`` entry for ``shell`` (inactive while it cannot await)."""

    def nbplug_await_transformer(lines: list[str]) -> list[str]:
        check_cell_magics(lines, shell)  # a %%hook past the first line: say so before anything runs
        if not can_await(shell):
            return lines
        return rewrite(lines)

    return nbplug_await_transformer
