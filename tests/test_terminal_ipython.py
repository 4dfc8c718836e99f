"""Terminal IPython driven through a pseudo-terminal (pexpect): load, add, %%hook, start, stop, exit."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from package_paths import PACKAGE_DIR

pexpect = pytest.importorskip("pexpect")

pytestmark = [pytest.mark.slow]

DEFINITIONS = '''
import asyncio, pathlib, time
from nbplug import Extension, ExtensionPoint
from nbplug.lifespans import lifespan

extension_point = ExtensionPoint("feed")
extension = Extension("feed")
TICKS = pathlib.Path(__file__).with_name("ticks.txt")

class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:
        """A headline."""

class Weather:
    @extension
    async def fetch(self, topic):
        await asyncio.sleep(0.01)
        return f"weather[{topic}]"

class Timing:
    @extension(wrapper=True)
    async def fetch(self, topic):
        print(f"timing: asked for {topic}")
        yield

class Slow:
    @extension
    async def fetch(self, topic):
        TICKS.with_name("slow-began.txt").write_text("began")
        try:
            await asyncio.sleep(60)
        finally:
            TICKS.with_name("slow.txt").write_text("cleaned up")
        return "slow"

class Blocking:
    @extension
    def fetch(self, topic):
        TICKS.with_name("blocking-began.txt").write_text("began")
        time.sleep(30)
        return "slept"

@lifespan
async def hangs():
    yield None
    try:
        TICKS.with_name("hangs.txt").write_text("teardown")
        await asyncio.Event().wait()
    finally:
        TICKS.with_name("hangs.txt").write_text("finally ran")

@lifespan
async def ticker():
    async def tick():
        n = 0
        while True:
            await asyncio.sleep(0.02)
            n += 1
            TICKS.write_text(str(n))
    yield tick()
    TICKS.write_text("torn down")
'''


class Terminal:
    """An interactive ``ipython`` in a pseudo-terminal, one prompt at a time."""

    def __init__(self, workdir: Path) -> None:
        ipython = Path(sys.executable).with_name("ipython")
        self.child = pexpect.spawn(
            str(ipython),
            ["--no-banner", "--colors=nocolor", "--HistoryManager.hist_file=:memory:"],
            cwd=str(workdir),
            dimensions=(50, 200),
            encoding="utf-8",
            timeout=30,
            env={**os.environ, "TERM": "xterm", "PYTHONPATH": str(workdir)},
        )
        self.count = 1
        self.child.expect(r"In \[1\]")

    def line(self, text: str) -> str:
        """Enter one line; return what was printed before the next prompt."""
        self.child.sendline(text)
        return self._next_prompt()

    def cell(self, *lines: str) -> str:
        """Enter a multi-line cell (a cell magic ends with an empty line); return its output."""
        for text in [*lines, ""]:
            self.child.send(text + "\r")
            self.child.expect(r"\.\.\.:")  # the continuation prompt: IPython wants more
        self.child.send("\r")
        return self._next_prompt()

    def _next_prompt(self) -> str:
        self.count += 1
        self.child.expect(rf"In \[{self.count}\]")
        return str(self.child.before)

    def exit(self) -> None:
        self.child.sendline("exit")
        self.child.expect(pexpect.EOF)


def _pty_available() -> bool:
    try:
        primary, secondary = os.openpty()
    except OSError:
        return False
    os.close(primary)
    os.close(secondary)
    return True


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if not _pty_available():
        pytest.skip("no pseudo-terminal available on this machine")
    (tmp_path / "tdefs.py").write_text(DEFINITIONS)
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)


def read_ticks(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def wait_change(path: Path, old: str, timeout: float = 10) -> str:
    """The file's next content other than ``old``, read once per look: the ticker rewrites the
    file every 20 ms (truncate, then write), so a second read may see it empty mid-write."""
    deadline = time.monotonic() + timeout
    while True:
        now = read_ticks(path)
        if (now and now != old) or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def test_magics_and_lifespans_in_terminal_ipython(terminal: Terminal, tmp_path: Path) -> None:
    ticks = tmp_path / "ticks.txt"
    terminal.line("%load_ext nbplug")
    terminal.line("from tdefs import *")
    added = terminal.line("%plugin add Specs Weather ticker")
    assert "added 'Weather'" in added
    out = terminal.cell("%%hook fetch", "topic = 'x'")
    assert "Weather.fetch" in out and "['weather[x]']" in out
    terminal.line('r = %hook fetch topic="y"')
    assert "['weather[y]']" in terminal.line("print(r)")
    listed = terminal.line("%plugin list")  # the design map's text form
    assert "extension point, 1 plugin" in listed and "mode:  collecting: every extension is called" in listed
    assert "why:   Weather is the only extension" in listed
    assert "running" in terminal.line("%plugin start ticker")
    # nothing is typed now: the prompt waits, and the lifespan's task keeps running
    first = wait_change(ticks, "")
    assert first.isdigit()
    second = wait_change(ticks, first)
    assert second.isdigit() and int(second) > int(first)
    assert "stopped ticker" in terminal.line("%plugin stop")
    assert read_ticks(ticks) == "torn down"
    terminal.exit()


def test_the_call_views_text_form_in_terminal_ipython(terminal: Terminal) -> None:
    terminal.line("%load_ext nbplug")
    terminal.line("from tdefs import *")
    terminal.line("%plugin add Specs Weather Timing")
    out = terminal.cell("%%hook -t fetch", "topic = 'x'")
    lines = [line.rstrip() for line in out.replace("\r", "").splitlines()]
    body = [re.sub(r"\s+\d+(\.\d+)? (µs|ms)$", "", line) for line in lines]
    start = body.index("  Timing.fetch  wrapper")  # the wrapper, then what it wraps, nested
    assert body[start + 1:start + 5] == [
        "  ├ before yield",
        "  │   print: timing: asked for x",
        "  │ Weather.fetch  → 'weather[x]'",
        "  └ after yield: received ['weather[x]'], returned it unchanged",
    ]
    assert "  collecting: every extension is called; the call returns their non-None results in call " \
        "order" in lines
    assert "  why this order: Timing wraps the call (wrapper); Weather is the only extension" in lines
    assert any(line.startswith("  timeline (") for line in lines)  # -t
    assert "Out[" in out and "['weather[x]']" in out.split("Out[")[1]  # the terminal keeps Out[n]
    assert out.count("timing: asked for x") == 1  # at its step, not loose as well
    terminal.exit()


def test_exit_with_a_running_lifespan_tears_it_down(terminal: Terminal, tmp_path: Path) -> None:
    ticks = tmp_path / "ticks.txt"
    terminal.line("%load_ext nbplug")
    terminal.line("from tdefs import *")
    terminal.line("%plugin add ticker")
    terminal.line("%plugin start ticker")
    assert wait_change(ticks, "").isdigit()
    terminal.exit()
    assert read_ticks(ticks) == "torn down"


def test_ctrl_c_cancels_a_hook_call_and_the_session_stays_usable(
    terminal: Terminal, tmp_path: Path
) -> None:
    ticks = tmp_path / "ticks.txt"
    terminal.line("%load_ext nbplug")
    terminal.line("from tdefs import *")
    terminal.line("%plugin add Specs Weather Slow ticker")
    terminal.line("%plugin start ticker")
    terminal.child.sendline('%hook fetch topic="x"')
    assert wait_change(tmp_path / "slow-began.txt", "") == "began"
    time.sleep(0.2)
    terminal.child.sendintr()
    out = terminal._next_prompt()
    assert "KeyboardInterrupt" in out and PACKAGE_DIR not in out, out
    assert (tmp_path / "slow.txt").read_text() == "cleaned up"  # its finally ran, at once
    first = wait_change(ticks, "")
    assert wait_change(ticks, first) != first  # the lifespan kept running
    terminal.line("%plugin remove Slow")
    terminal.line('r = %hook -q fetch topic="y"')
    assert "['weather[y]']" in terminal.line("print(r)")
    listed = terminal.line("%plugin list")  # the design map's text form
    assert "extension point, 1 plugin" in listed and "mode:  collecting: every extension is called" in listed
    assert "why:   Weather is the only extension" in listed
    terminal.exit()


def test_ctrl_c_interrupts_a_synchronous_implementation(terminal: Terminal, tmp_path: Path) -> None:
    terminal.line("%load_ext nbplug")
    terminal.line("from tdefs import *")
    terminal.line("%plugin add Specs Blocking")
    started = time.monotonic()
    terminal.child.sendline('%hook fetch topic="x"')
    assert wait_change(tmp_path / "blocking-began.txt", "") == "began"
    time.sleep(0.2)
    terminal.child.sendintr()
    out = terminal._next_prompt()
    assert time.monotonic() - started < 20  # not the 30 s of the sleep
    assert "KeyboardInterrupt" in out and "time.sleep(30)" in out and PACKAGE_DIR not in out, out
    terminal.line("%plugin remove Blocking")
    terminal.line("%plugin add Weather")
    assert "['weather[y]']" in terminal.line('%hook -q fetch topic="y"')
    terminal.exit()


def test_ctrl_c_cuts_a_hanging_teardown_short(terminal: Terminal, tmp_path: Path) -> None:
    hangs = tmp_path / "hangs.txt"
    terminal.line("%load_ext nbplug")
    terminal.line("from tdefs import *")
    terminal.line("%plugin add hangs ticker")
    terminal.line("%plugin start ticker hangs")
    terminal.child.sendline("%plugin stop")
    assert wait_change(hangs, "") == "teardown"
    time.sleep(0.2)
    terminal.child.sendintr()
    out = terminal._next_prompt()
    assert "cut short the teardown of 'hangs'" in out, out
    assert read_ticks(hangs) == "finally ran"
    assert wait_change(tmp_path / "ticks.txt", "torn down", timeout=1) == "torn down"
    terminal.exit()
