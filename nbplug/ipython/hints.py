"""Hints for mistakes IPython only reports in its own words: a cell magic not on a cell's first line.

IPython makes ``%%hook fetch`` a cell magic only on the first line of a cell; anywhere else it
becomes ``get_ipython().run_line_magic('%hook', 'fetch')`` and fails at run time with the bare
"Line magic function `%%hook` not found", after the lines above it have already run. The await
path's input transformer calls :func:`check_cell_magics` on every transformed cell, so the cell is
refused before any of it runs, with a message saying where the magic must go and what else works.
Any registered cell magic is recognised, not only nbplug's.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from IPython.core.error import UsageError

#: What IPython makes of a ``%%name args`` line that is not the first of its cell.
_MISPLACED = re.compile(
    r"get_ipython\(\)\.run_line_magic\('%(\w+)', ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\)"
)


def _cell_magics(shell: Any) -> set[str]:
    manager = getattr(shell, "magics_manager", None)
    magics = getattr(manager, "magics", None) or {}
    return set(magics.get("cell", {}))


def misplaced_message(name: str, line: str, lineno: int) -> str:
    """The UsageError text for ``%%name line`` found on line ``lineno`` (1-based) of a cell."""
    call = f"%%{name} {line}".rstrip()
    message = (
        f"{call} is on line {lineno} of this cell, but a cell magic must be its cell's first line: "
        f"%%{name} takes the whole cell. Move it to the top of the cell (and the code above it to "
        "a cell of its own)."
    )
    if name == "hook":
        hook = next((word for word in line.split() if not word.startswith("-")), "NAME")
        message += (
            f" On any line, the line form works too: %hook {hook} arg=value ... "
            f"(or result = %hook {hook} arg=value)."
        )
    return message


def check_cell_magics(lines: list[str], shell: Any) -> None:
    """Refuse a transformed cell with a registered cell magic past its first line."""
    source = "".join(lines)
    if "run_line_magic('%" not in source:
        return
    known = _cell_magics(shell)
    for number, text in enumerate(source.splitlines(), 1):
        for match in _MISPLACED.finditer(text):
            name = match.group(1)
            if name in known:
                line = ast.literal_eval(match.group(2))
                raise UsageError(misplaced_message(name, str(line), number))
