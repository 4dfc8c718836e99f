"""Ctrl-C always wins in the in-process shell (issue 12, cases 1, 2 and 6), with real SIGINTs.

A thread sends SIGINT to this process once the call under test has begun (the shell runs cells in
the main thread, where Python handles signals). Synchronous implementations and set-ups are
interrupted where Python would interrupt them; a hanging teardown is cut short by the interrupt
that lands while it runs, its finally blocks run, and it is reported by name; the KeyboardInterrupt
shown names no file of nbplug's.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from interrupt_fixtures import DEFINITIONS, marked
from ipython_fixtures import Shell, shell
from package_paths import PACKAGE_DIR

from nbplug.ipython import get_session
from nbplug.lifespans import LifespanInterrupted, Phase

__all__ = ["shell"]




@contextmanager
def interrupt_when(ready: Callable[[], bool]) -> Iterator[None]:
    """Send SIGINT to this process once ``ready()`` (polled from a thread)."""
    done = threading.Event()

    def send() -> None:
        deadline = time.monotonic() + 20
        while not ready() and time.monotonic() < deadline and not done.is_set():
            time.sleep(0.02)
        if not done.is_set():
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGINT)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        yield
    finally:
        done.set()
        sender.join(25)


@pytest.fixture
def mark(tmp_path: Path) -> Path:
    return tmp_path / "mark.txt"


@pytest.fixture
def blocking(shell: Shell, mark: Path) -> Shell:
    shell.run(DEFINITIONS.format(mark=str(mark)))
    shell.run("%plugin add Specs")
    return shell


@pytest.mark.parametrize("plugin", ["Blocking", "Spinning"])
def test_ctrl_c_interrupts_a_synchronous_implementation(
    blocking: Shell, mark: Path, plugin: str, capsys: pytest.CaptureFixture[str]
) -> None:
    blocking.run(f"%plugin add {plugin}")
    capsys.readouterr()
    started = time.monotonic()
    with interrupt_when(lambda: marked(mark, "fetch")):
        error = blocking.fails('%hook fetch topic="x"')
    assert time.monotonic() - started < 10  # not the 30 s of the sleep, nor forever
    assert isinstance(error, KeyboardInterrupt)
    out = capsys.readouterr().out
    assert "KeyboardInterrupt" in out and f"in {plugin}.fetch" in out, out
    assert PACKAGE_DIR not in out, out  # the user's frames only
    blocking.run(f"%plugin remove {plugin}\n%plugin add Weather")
    assert blocking.run('%hook -q fetch topic="y"') == ["weather[y]"]


def test_ctrl_c_on_the_synchronous_magic_path_is_handled_the_same(
    blocking: Shell, mark: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With %autoawait off the magic is reached synchronously (run_sync): the same model."""
    blocking.run("%plugin add Blocking\n%autoawait off")
    capsys.readouterr()
    try:
        with interrupt_when(lambda: marked(mark, "fetch")):
            error = blocking.fails('%hook fetch topic="x"')
    finally:
        blocking.run("%autoawait on")
    assert isinstance(error, KeyboardInterrupt)
    out = capsys.readouterr().out
    assert "KeyboardInterrupt" in out and "in Blocking.fetch" in out, out
    assert PACKAGE_DIR not in out, out  # the user's frames only


def test_ctrl_c_interrupts_a_synchronous_set_up(blocking: Shell, mark: Path) -> None:
    blocking.run("%plugin add slow_setup")
    started = time.monotonic()
    with interrupt_when(lambda: marked(mark, "set-up")):
        error = blocking.fails("%plugin start slow_setup")
    assert time.monotonic() - started < 10
    assert isinstance(error, KeyboardInterrupt)
    assert get_session().group.state("slow_setup").phase is Phase.STOPPED


def test_ctrl_c_during_a_hanging_teardown_cuts_it_short_and_the_others_still_run(
    blocking: Shell, mark: Path
) -> None:
    blocking.run("%plugin add steady hangs\n%plugin start steady hangs")
    cleaned: list[str] = blocking.ns["cleaned"]
    with interrupt_when(lambda: marked(mark, "teardown")):
        error = blocking.fails("%plugin stop")
    assert isinstance(error, KeyboardInterrupt)
    assert "cut short the teardown of 'hangs'" in str(error)
    assert cleaned == ["finally of hangs", "steady torn down"]
    group = get_session().group
    assert group.state("hangs").phase is Phase.FAILED
    assert isinstance(group.state("hangs").error, LifespanInterrupted)
    assert group.state("steady").phase is Phase.STOPPED
    blocking.run("%plugin start steady")  # the session is still usable
    assert group.state("steady").phase is Phase.RUNNING
