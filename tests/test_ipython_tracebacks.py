"""Errors from user code show only the user's frames in the magics (issue 12, case 6).

The cell's line shows the magic as written (``%%hook fetch``), not the awaited call it became; a
KeyboardInterrupt raised by an ``__init__`` or a set-up shows no frame of nbplug's;
``NBPLUG_TRACEBACK=full`` shows them all.
"""

from __future__ import annotations

import pytest
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell
from package_paths import PACKAGE_DIR

__all__ = ["shell"]


FAILING = '''
from nbplug.lifespans import lifespan

class Bad:
    @extension
    def fetch(self, topic):
        raise ValueError("no feed for " + topic)

class Interrupted:
    def __init__(self):
        raise KeyboardInterrupt

    @extension
    def fetch(self, topic):
        return "never"

@lifespan
async def stops_setup():
    raise KeyboardInterrupt
    yield None
'''


@pytest.fixture
def failing(shell: Shell) -> Shell:
    shell.run(SPECS_AND_PLUGINS)
    shell.run(FAILING)
    shell.run("%plugin add Specs")
    return shell


def shown(shell: Shell, code: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What the user sees of a failing cell: IPython's traceback, as printed."""
    capsys.readouterr()
    shell.fails(code)
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("%%hook -q fetch\ntopic = 'x'", "----> 1 %%hook -q fetch"),
        ("r = %hook -q fetch topic='y'", "----> 1 r = %hook -q fetch topic='y'"),
    ],
)
def test_a_hook_traceback_shows_the_magic_as_written_and_the_users_frames(
    failing: Shell, code: str, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    failing.run("%plugin add Bad")
    out = shown(failing, code, capsys)
    assert line in out, out
    assert "run_magic" not in out and PACKAGE_DIR not in out, out
    assert 'raise ValueError("no feed for " + topic)' in out


@pytest.mark.parametrize(
    "code", ["%plugin add Interrupted", "%plugin add stops_setup\n%plugin start stops_setup"]
)
def test_keyboard_interrupt_from_user_code_shows_no_nbplug_frames(
    failing: Shell, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = shown(failing, code, capsys)
    assert "KeyboardInterrupt" in out and "raise KeyboardInterrupt" in out, out
    assert PACKAGE_DIR not in out, out


def test_nbplug_traceback_full_shows_nbplugs_frames(
    failing: Shell, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing.run("%plugin add Bad")
    monkeypatch.setenv("NBPLUG_TRACEBACK", "full")
    failing.ip.InteractiveTB.set_mode("Verbose")  # IPython's own switch shows hidden frames
    try:
        out = shown(failing, "r = %hook -q fetch topic='y'", capsys)
    finally:
        failing.ip.InteractiveTB.set_mode("Context")
    assert PACKAGE_DIR in out, out
