"""Errors leaving a ``%%hook`` cell in a form IPython (and the kernel's reply) can show (issue 20).

An error whose ``__str__`` raises cannot be the cell's error: IPython formats it with ``str`` for
its history and ipykernel for its reply, so the kernel never answered. An exception group is shown
by IPython with the standard library's traceback, which honours no ``__tracebackhide__``, so it
printed nbplug's frames.
"""

from __future__ import annotations

import pytest
from ipython_fixtures import HOSTILE_ERRORS, SPECS_AND_PLUGINS, Shell, shell
from package_paths import PACKAGE_DIR

from nbplug.ipython.errorview import UnshowableError

__all__ = ["shell"]


@pytest.fixture
def hostile(shell: Shell) -> Shell:
    for cell in (SPECS_AND_PLUGINS, HOSTILE_ERRORS, "%plugin add Specs"):
        shell.run(cell)
    return shell


@pytest.mark.parametrize("code", ["%%hook fetch\ntopic = 'x'", "r = %hook -q fetch topic='x'"])
def test_an_error_whose_str_raises_leaves_the_cell_as_an_error_that_can_be_shown(
    hostile: Shell, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.run("%plugin add Unshowable")
    capsys.readouterr()
    error = hostile.fails(code)
    shown = capsys.readouterr().out
    assert isinstance(error, UnshowableError) and type(error).__name__ == "BadStr"
    assert str(error) == "its message could not be shown (str() raised RuntimeError)"
    assert isinstance(error.__context__, hostile.ns["BadStr"])  # the original, for a debugger
    assert "raise BadStr()" in shown and PACKAGE_DIR not in shown, shown
    assert "BadStr: its message could not be shown" in shown, shown  # the traceback's last line


@pytest.mark.parametrize(("topic", "name", "raised"), [("exit", "BadExit", "SystemExit"),
                                                       ("made", "MadeHere", "ZeroDivisionError")])
def test_a_base_exception_or_a_type_made_at_run_time_whose_str_raises_is_shown_by_its_name(
    hostile: Shell, topic: str, name: str, raised: str, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.run("%plugin add Raising")
    capsys.readouterr()
    error = hostile.fails(f"%%hook fetch\ntopic = {topic!r}")
    shown = capsys.readouterr().out
    assert isinstance(error, UnshowableError) and type(error).__name__ == name
    assert f"{name}: its message could not be shown (str() raised {raised})" in shown, shown
    assert type(error.__context__).__name__ == name and PACKAGE_DIR not in shown, shown


def test_an_unshowable_error_from_a_plugins_init_is_shown_too(
    hostile: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    error = hostile.fails("%plugin add BadInit")
    shown = capsys.readouterr().out
    assert type(error).__name__ == "BadStr" and "could not be shown" in str(error)
    assert "raise BadStr()" in shown and PACKAGE_DIR not in shown, shown


def test_an_exception_group_from_a_hook_call_shows_the_users_frames_only(
    hostile: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.run("%plugin add Grouped")
    capsys.readouterr()
    error = hostile.fails("%%hook -q fetch\ntopic = 'x'")
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert isinstance(error, ExceptionGroup) and str(error).startswith("two feeds failed")
    assert 'raise ExceptionGroup("two feeds failed"' in shown, shown
    assert "ValueError: one" in shown and "KeyError: 'two'" in shown, shown
    assert PACKAGE_DIR not in shown, shown


def test_a_users_own_exception_group_is_shown_as_ipython_shows_it(
    hostile: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    hostile.fails("raise ExceptionGroup('mine', [ValueError('v')])")
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert "ExceptionGroup: mine (1 sub-exception)" in shown and "ValueError: v" in shown, shown
