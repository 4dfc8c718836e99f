"""A running ``%%hook`` call shows which extension runs now; an interrupted one shows how far it
got and the user's frame (in-process shell, real SIGINTs; tests/test_kernel_progress.py has the
kernel's side)."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from ipython_fixtures import Shell, shell  # noqa: F401
from test_ipython_interrupts import interrupt_when

from nbplug.ipython import get_session

PLUGINS = '''
import asyncio, pathlib, time
from nbplug import Extension, ExtensionPoint

extension_point = ExtensionPoint("feed")
extension = Extension("feed")
MARK = pathlib.Path({mark!r})

class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:
        """A headline."""

class Slow:
    @extension
    async def fetch(self, topic):
        MARK.write_text("slow")
        await asyncio.sleep({seconds})
        return "slow news"

class Quick:
    @extension
    def fetch(self, topic):
        return "quick news"
'''


def slow_feed(shell: Shell, tmp_path: Path, seconds: float) -> Path:  # noqa: F811
    mark = tmp_path / "mark.txt"
    shell.run(PLUGINS.format(mark=str(mark), seconds=seconds))
    shell.run("%plugin add Specs Slow Quick")  # Quick runs first, then Slow
    return mark


def test_a_call_longer_than_a_second_says_which_extension_runs_now(
    shell: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    slow_feed(shell, tmp_path, 1.6)
    capsys.readouterr()
    assert shell.run("%hook -q fetch topic='x'") == ["quick news", "slow news"]
    out = capsys.readouterr().out
    assert "fetch: Slow.fetch (plugin 'Slow') runs now, 1." in out, out


def test_a_quick_call_says_nothing_of_its_progress(
    shell: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    slow_feed(shell, tmp_path, 0)
    capsys.readouterr()
    shell.run("%hook -q fetch topic='x'")
    assert "runs now" not in capsys.readouterr().out


def test_an_interrupted_call_shows_how_far_it_got_and_the_users_frame(
    shell: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    mark = slow_feed(shell, tmp_path, 30)
    capsys.readouterr()
    with interrupt_when(lambda: mark.exists()):
        error = shell.fails("%%hook fetch\ntopic = 'x'\n")
    assert isinstance(error, KeyboardInterrupt)
    out = capsys.readouterr().out
    assert "quick news" in out and "KeyboardInterrupt" in out, out  # the partial call view
    trace = get_session(shell.ip).last_trace
    assert trace is not None and isinstance(trace.exception, KeyboardInterrupt)
    quick, slow = trace.implementations()
    assert quick.result == "quick news" and isinstance(slow.exception, KeyboardInterrupt)
    frames = traceback.extract_tb(error.__traceback__)
    assert frames and frames[-1].line == "await asyncio.sleep(30)", frames
    assert not any("asyncio" in Path(f.filename).parts for f in frames), frames
    shell.run("%plugin remove Slow")
    assert shell.run("%hook -q fetch topic='y'") == ["quick news"]  # the session goes on
