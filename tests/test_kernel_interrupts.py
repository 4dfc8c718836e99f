"""Ctrl-C always wins in a real kernel (issue 12, cases 1 and 2): interrupts sent as the front
end's stop button sends them, through the kernel manager's process (SIGINT).

ipykernel's own handler cancels an async cell once and ignores further interrupts, and cannot stop
synchronous code at all; under nbplug's interrupt model a synchronous implementation is
interrupted where Python would, and an interrupt during a hanging teardown cuts it short.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from interrupt_fixtures import DEFINITIONS, marked
from kernel_fixtures import KernelNotebook, errors, kernel_notebook, outputs_text
from package_paths import PACKAGE_DIR

pytestmark = [pytest.mark.kernel, pytest.mark.slow]



@contextmanager
def interrupt_when(nb: KernelNotebook, ready: Callable[[], bool]) -> Iterator[None]:
    """Interrupt the kernel once ``ready()`` (polled from a thread)."""

    def send() -> None:
        deadline = time.monotonic() + 30
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        nb.interrupt()

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        yield
    finally:
        sender.join(40)


@pytest.mark.parametrize("autoawait", ["on", "off"])  # off: the magic is reached synchronously
def test_an_interrupt_stops_a_synchronous_implementation(tmp_path: Path, autoawait: str) -> None:
    mark = tmp_path / "mark.txt"
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(DEFINITIONS.format(mark=str(mark)))
        nb.ok(f"%plugin add Specs Blocking\n%autoawait {autoawait}")
        started = time.monotonic()
        with interrupt_when(nb, lambda: marked(mark, "fetch")):
            cell = nb.cell('%hook fetch topic="x"')
        assert time.monotonic() - started < 20  # not the 30 s of the sleep
        assert "KeyboardInterrupt" in errors(cell)
        text = re.sub(r"\x1b\[[0-9;]*m", "", outputs_text(cell))  # IPython's colours
        assert "time.sleep(30)" in text and PACKAGE_DIR not in text, text
        nb.ok("%autoawait on\n%plugin remove Blocking")
        assert "nothing was running" in outputs_text(nb.ok("%plugin stop"))


def test_an_interrupt_cuts_a_hanging_teardown_short(tmp_path: Path) -> None:
    mark = tmp_path / "mark.txt"
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(DEFINITIONS.format(mark=str(mark)))
        nb.ok("%plugin add steady hangs\n%plugin start steady hangs")
        with interrupt_when(nb, lambda: marked(mark, "teardown")):
            cell = nb.cell("%plugin stop")
        assert "KeyboardInterrupt" in errors(cell)
        assert "cut short the teardown of 'hangs'" in outputs_text(cell)
        assert nb.value("cleaned") == "['finally of hangs', 'steady torn down']"
        phase = nb.value("import nbplug.ipython\nnbplug.ipython.get_session().group.state('hangs').phase")
        assert phase == "<Phase.FAILED: 'failed'>"
