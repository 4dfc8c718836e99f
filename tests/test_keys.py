"""The terminal key lifespan (``nbplug.terminal.keyboard``) through a pseudo-terminal, and without one.

Each pseudo-terminal run is ``stty -g; PROGRAM; echo exit=$?; stty -g`` in bash, so the terminal's
mode before and after the program is compared as ``stty`` prints it: after a normal exit, a Ctrl-C
and a crash.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pexpect
import pytest

from nbplug.lifespans import LifespanGroup, LifespanSpec, lifespan
from nbplug.terminal.keyboard import Key, key_label, key_list, keys, terminal_keys

ROOT = Path(__file__).resolve().parents[1]
DEMO = str(ROOT / "examples" / "demo.py")
GUARD = 30  # seconds: only a guard against a hung child

SPAWNED: list[pexpect.spawn] = []


@pytest.fixture(autouse=True)
def _no_child_left() -> Iterator[None]:
    yield
    while SPAWNED:
        child = SPAWNED.pop()
        if child.isalive():
            child.terminate(force=True)
        child.close()


class Terminal:
    """A program run in a pseudo-terminal between two ``stty -g``."""

    def __init__(self, *argv: str, background: bool = False) -> None:
        program = " ".join(shlex.quote(a) for a in argv)
        if background:  # job control on: the program gets a process group of its own, not the tty's
            program = f"set -m; {program} & wait $!"
        script = f"stty -g; {program}; echo exit=$?; stty -g"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TERM": "xterm"}
        self.child = pexpect.spawn(
            "bash", ["--norc", "--noprofile", "-c", script],
            cwd=ROOT, env=env, encoding="utf-8", timeout=GUARD, dimensions=(40, 200),
        )
        SPAWNED.append(self.child)
        self.child.expect(r"(\S+)\r\n")
        self.mode_before = self.child.match.group(1)

    def expect(self, pattern: str) -> str:
        self.child.expect(pattern)
        return str(self.child.before)

    def press(self, key: str, then: str) -> str:
        """Send one key; return what was printed up to ``then`` (a regular expression)."""
        self.child.send(key)
        return self.expect(then)

    def finish(self) -> tuple[int, str]:
        """Wait for the program's end: its exit status, and the mode stty printed after it."""
        self.child.expect(r"exit=(\d+)\r\n")
        code = int(self.child.match.group(1))
        self.child.expect(r"(\S+)\r\n")
        return code, self.child.match.group(1)


def test_the_keys_work_and_ctrl_c_leaves_the_terminal_as_it_was() -> None:
    term = Terminal(sys.executable, DEMO, "ticker", "--every", "0.2", "--times", "10000", "keys")
    term.expect(r"Press \? for the keys")
    listing = term.press("?", r"Log less \(up to CRITICAL\)")
    for row in ("?       Print this list of keys", "Enter   Print a blank line", "Esc     Print",
                "Ctrl-D  Print the running tasks and the context", "+       Log more"):
        assert row in listing, listing
    info = term.press("\x04", r"\*\*\* End")
    assert "lifespan:ticker" in info and "ticker.<locals>.tick" in info, info
    assert "lifespan:keys" in info and "read_keys" in info, info
    assert "*** Lifespans:" in info and "keys    running" in info, info
    term.press("+", "Log level now DEBUG")
    term.press("x", "DEBUG:nbplug.keys:Ignoring the key 'x'; press \\? for the list")
    term.press("-", "Log level now INFO")
    term.press("\x1b", r"--- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ---")
    term.child.send("\x03")  # Ctrl-C through the terminal: SIGINT to the program
    code, mode_after = term.finish()
    assert code == 130
    assert mode_after == term.mode_before


def test_a_normal_exit_leaves_the_terminal_as_it_was_and_keys_keep_nothing_up() -> None:
    term = Terminal(sys.executable, DEMO, "ticker", "--every", "0.1", "--times", "5", "keys")
    term.expect(r"Press \? for the keys")
    term.expect("tick 5")
    code, mode_after = term.finish()  # ticker ended by itself: keys, a daemon, did not hold it
    assert code == 0
    assert mode_after == term.mode_before


CRASHING = """
import asyncio
from nbplug.terminal.keyboard import Key, terminal_keys
from nbplug.lifespans import lifespan

def crash(ctx):
    raise RuntimeError("the key crashed")

def hello(ctx):
    return f"hello from {ctx.name}"

async def later(ctx):
    await asyncio.sleep(0.01)
    return "an async key answered"

class Unprintable:
    def __str__(self):
        raise SystemExit("str of a broken object")

def unprintable(ctx):
    return Unprintable()

keys = terminal_keys(
    Key("h", "Say hello", hello), Key("a", "Answer later", later), Key("b", "Crash the program", crash),
    Key("u", "Answer something unprintable", unprintable),
)

@lifespan
async def idle(ctx):
    yield asyncio.Event().wait()
    ctx.log.info("idle torn down")
"""


def test_a_crash_leaves_the_terminal_as_it_was_and_a_program_adds_its_own_keys(
    tmp_path: Path,
) -> None:
    target = tmp_path / "crashing.py"
    target.write_text(textwrap.dedent(CRASHING))
    term = Terminal(sys.executable, "-m", "nbplug.terminal.cli", "run", str(target), "idle", "keys")
    term.expect(r"Press \? for the keys")
    listing = term.press("?", "Crash the program")
    assert "h       Say hello" in listing and "Ctrl-D  Print the running tasks" in listing
    term.press("h", "hello from keys")
    term.press("a", "an async key answered")
    term.press("u", "<unrepresentable Unprintable>")  # shown guarded; the keys go on
    term.press("h", "hello from keys")
    term.child.send("b")
    rest = term.expect("exit=")
    assert "Error: RuntimeError: the key crashed" in rest and "idle torn down" in rest
    term.child.expect(r"(\d+)\r\n")
    assert term.child.match.group(1) == "1"
    term.child.expect(r"(\S+)\r\n")
    assert term.child.match.group(1) == term.mode_before


def test_a_failing_setup_after_keys_leaves_the_terminal_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "late.py"
    target.write_text(
        "from nbplug.lifespans import lifespan\n"
        "@lifespan\n"
        "async def late(ctx):\n"
        "    raise OSError('port 80 is taken')\n"
        "    yield\n"
    )
    term = Terminal(sys.executable, "-m", "nbplug.terminal.cli", "run", str(target), "keys", "late")
    code, mode_after = term.finish()
    assert code == 1
    assert mode_after == term.mode_before


def test_a_third_ctrl_c_exiting_at_once_leaves_the_terminal_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "hanging.py"
    target.write_text(
        "import asyncio\n"
        "from nbplug.lifespans import lifespan\n"
        "@lifespan\n"
        "async def hang(ctx):\n"
        "    yield None\n"
        "    ctx.log.info('hanging in teardown')\n"
        "    while True:\n"
        "        try:\n"
        "            await asyncio.sleep(3600)\n"
        "        except asyncio.CancelledError:\n"
        "            ctx.log.info('ignoring the cancellation')\n"
    )
    # keys first: torn down last, so it still holds the terminal when the process leaves at once
    term = Terminal(sys.executable, "-m", "nbplug.terminal.cli", "run", str(target), "keys", "hang")
    term.expect(r"Press \? for the keys")
    term.expect("Waiting until stopped for 'hang'")
    term.child.send("\x03")
    term.expect("hanging in teardown")
    term.child.send("\x03")
    term.expect("cut short")
    term.child.send("\x03")
    term.expect("exiting at once; abandoned:")
    code, mode_after = term.finish()
    assert code == 130
    assert mode_after == term.mode_before


def test_in_the_background_of_its_terminal_the_keys_leave_it_alone() -> None:
    # changing the mode from a background process group would stop the program (SIGTTOU)
    term = Terminal(
        sys.executable, DEMO, "ticker", "--every", "0.05", "--times", "3", "keys", background=True
    )
    term.expect("The program runs in the background of its terminal; no keys are read")
    code, mode_after = term.finish()
    assert code == 0
    assert mode_after == term.mode_before


def test_without_a_terminal_the_keys_do_nothing_and_hold_nothing_up() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nbplug.terminal.cli", "run", "examples/countdown.py",
         "countdown", "--from", "1", "--sleep", "0.01", "keys"],
        cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=GUARD,
    )
    assert done.returncode == 0, done.stderr
    assert "Standard input is not a terminal; no keys are read" in done.stderr
    assert "Press ?" not in done.stderr


# ----------------------------------------------------------------------------------- in-process
def test_keys_are_listed_by_label_and_bad_keys_are_refused() -> None:
    assert [key_label(c) for c in ("\n", "\x1b", "\x04", "+", "t")] == [
        "Enter", "Esc", "Ctrl-D", "+", "t",
    ]
    assert key_list([Key("t", "Print the time", lambda ctx: "now")]).splitlines() == [
        "Keys:", "  ?  Print this list of keys", "  t  Print the time",
    ]
    with pytest.raises(ValueError, match="one character"):
        Key("tt", "two", lambda ctx: None)
    with pytest.raises(ValueError, match="'\\?' lists the keys"):
        terminal_keys(Key("?", "mine", lambda ctx: None))
    spec = LifespanSpec.from_function(terminal_keys(name="debug"))
    assert spec.name == "debug" and spec.daemon
    assert LifespanSpec.from_function(keys).name == "keys"


async def test_a_daemon_lifespan_does_not_keep_a_group_up() -> None:
    journal: list[str] = []

    @lifespan(daemon=True)
    async def helper() -> AsyncIterator[object]:
        yield asyncio.Event().wait()
        journal.append("helper torn down")

    @lifespan
    async def work() -> AsyncIterator[object]:
        yield asyncio.sleep(0.01)
        journal.append("work torn down")

    group = LifespanGroup()
    group.add(helper)
    await group.start()
    await asyncio.sleep(0.02)
    assert group.running  # a daemon alone stays up until stopped
    group.add(work)
    await group.start()
    await asyncio.wait_for(group.wait(), GUARD)
    assert journal == ["work torn down", "helper torn down"]
