"""Kernel shutdown and restart run every lifespan's teardown to its end (issue 20).

A graceful shutdown (``shutdown_kernel(now=False)``, what JupyterLab's "Shut Down Kernel" does) and
a restart stop the kernel's event loop; teardowns that await must still finish. Each teardown here
awaits, then writes its file last: the file is there only if the teardown ran to its end.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from kernel_fixtures import kernel_notebook

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

LIFESPANS = '''
import asyncio, pathlib
from nbplug.lifespans import lifespan

def slow_teardown(name, seconds):
    @lifespan(name=name)
    async def run():
        yield asyncio.Event().wait()
        await asyncio.sleep(seconds)
        pathlib.Path({folder!r}, name).write_text(f"torn down after {{seconds}} s")
    return run

quick = slow_teardown("quick", 0.2)
slow = slow_teardown("slow", 1.0)

%plugin add quick slow
%plugin start quick slow
'''


@pytest.mark.parametrize("how", ["shutdown", "restart"])
def test_teardowns_that_await_finish_on_kernel_shutdown_and_restart(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "marks"
    folder.mkdir()
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(LIFESPANS.format(folder=str(folder)))
        assert sorted(p.name for p in folder.iterdir()) == []
        nb.end(how)
        deadline = time.monotonic() + 20
        while len(list(folder.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (folder / "quick").read_text() == "torn down after 0.2 s"
        assert (folder / "slow").read_text() == "torn down after 1.0 s"


def test_a_teardown_overrunning_the_shutdown_window_is_named_and_the_others_still_run(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "marks"
    folder.mkdir()
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(LIFESPANS.format(folder=str(folder)).replace("%plugin", "# %plugin"))
        nb.ok(
            f"""
            @lifespan
            async def stuck():
                yield asyncio.Event().wait()
                try:
                    await asyncio.sleep(60)
                finally:
                    pathlib.Path({str(folder)!r}, "stuck").write_text("cut short")

            %plugin add quick stuck
            %plugin start quick stuck
            """
        )
        began = time.monotonic()
        nb.shutdown()  # stuck tears down first (reverse order), quick after it
        took = time.monotonic() - began
        deadline = time.monotonic() + 10
        while len(list(folder.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert (folder / "stuck").read_text() == "cut short"
    assert (folder / "quick").read_text() == "torn down after 0.2 s"
    assert took < 5, took  # within jupyter_client's wait: the kernel exited, it was not killed
    assert ("the teardown of lifespan 'stuck' was still running when the kernel was told to "
            "terminate (SIGTERM); it was cut short") in capfd.readouterr().err


THREADED = '''
import asyncio, pathlib, time
from nbplug.lifespans import lifespan

@lifespan
async def threaded():
    yield asyncio.Event().wait()
    await asyncio.to_thread(time.sleep, 0.3)  # work on a worker thread of the default executor
    pathlib.Path({folder!r}, "threaded").write_text("torn down after a worker thread's 0.3 s")

%plugin add threaded
%plugin start threaded
'''


@pytest.mark.parametrize("how", ["shutdown", "restart"])
def test_a_teardown_awaiting_a_worker_thread_finishes_on_kernel_shutdown_and_restart(
    tmp_path: Path, how: str, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "marks"
    folder.mkdir()
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(THREADED.format(folder=str(folder)))
        nb.end(how)
        deadline = time.monotonic() + 20
        while not list(folder.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (folder / "threaded").read_text() == "torn down after a worker thread's 0.3 s", (
            capfd.readouterr().err)
