"""A ``%%hook`` cell always replies in a real kernel, whatever its extension raised (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ipython_fixtures import HOSTILE_ERRORS, SPECS_AND_PLUGINS
from kernel_fixtures import errors, kernel_notebook, outputs_text
from package_paths import PACKAGE_DIR

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


def plain(cell: object) -> str:
    """What the cell showed, without the terminal colours of IPython's tracebacks."""
    return re.sub(r"\x1b\[[0-9;]*m", "", outputs_text(cell))


def test_hook_cells_reply_for_unshowable_errors_and_exception_groups(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path, timeout=30) as nb:  # a cell left without reply times out
        nb.ok("%load_ext nbplug")
        nb.ok(SPECS_AND_PLUGINS + HOSTILE_ERRORS)
        nb.ok("%plugin add Specs Unshowable")
        cell = nb.cell("%%hook fetch\ntopic = 'x'")
        assert errors(cell) == "BadStr: its message could not be shown (str() raised RuntimeError)"
        shown = plain(cell)
        assert "raise BadStr()" in shown and PACKAGE_DIR not in shown, shown
        # not an Exception, its str raising SystemExit; a type made at run time: named too
        nb.ok("%plugin remove Unshowable\n%plugin add Raising")
        cell = nb.cell("%%hook fetch\ntopic = 'exit'")
        assert errors(cell) == "BadExit: its message could not be shown (str() raised SystemExit)"
        assert "BadExit: its message could not be shown" in plain(cell)  # the last line
        cell = nb.cell("%%hook fetch\ntopic = 'made'")
        assert errors(cell) == (
            "MadeHere: its message could not be shown (str() raised ZeroDivisionError)")
        nb.ok("%plugin remove Raising")
        nb.ok("%plugin add Grouped")
        shown = plain(nb.cell("%%hook fetch\ntopic = 'x'"))
        assert 'raise ExceptionGroup("two feeds failed"' in shown, shown
        assert "ValueError: one" in shown and PACKAGE_DIR not in shown, shown
        assert nb.value("1 + 1") == "2"  # the kernel goes on answering
