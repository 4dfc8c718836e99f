"""The session's teardown from synchronous code on a stopped loop: to its end, within a window.

At kernel shutdown ipykernel stops its loop and leaves a ``stop()`` queued on it; the teardown that
``atexit`` runs there must still reach the end of every lifespan's teardown (issue 20).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from nbplug.lifespans import lifespan
from nbplug.session import NotebookSession


def teardown_of(name: str, seconds: float, done: list[str]) -> object:
    @lifespan(name=name)
    async def run() -> AsyncIterator[object]:
        yield asyncio.Event().wait()
        try:
            await asyncio.sleep(seconds)
            done.append(f"{name} ended")
        finally:
            done.append(f"{name} finally")

    return run


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def started(loop: asyncio.AbstractEventLoop, *lifespans: tuple[str, float], done: list[str]
            ) -> NotebookSession:
    session = NotebookSession()
    for name, seconds in lifespans:
        loop.run_until_complete(session.add(teardown_of(name, seconds, done), name))
    loop.run_until_complete(session.start([name for name, _ in lifespans]))
    return session


def test_teardowns_that_await_finish_though_a_stop_is_queued_on_the_loop(
    loop: asyncio.AbstractEventLoop,
) -> None:
    done: list[str] = []
    session = started(loop, ("quick", 0.05), ("slow", 0.2), done=done)
    loop.call_soon(loop.stop)  # what ipykernel leaves behind when it stops its loop
    session.close_blocking(timeout=5)
    assert done == ["slow ended", "slow finally", "quick ended", "quick finally"]
    assert not session.group.running


def test_a_teardown_past_the_window_is_cut_short_and_named_and_the_others_still_run(
    loop: asyncio.AbstractEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    done: list[str] = []
    session = started(loop, ("quick", 0.05), ("stuck", 60), done=done)
    with caplog.at_level(logging.WARNING, logger="nbplug.ipython"):
        session.close_blocking(timeout=0.3)
    assert done == ["stuck finally", "quick ended", "quick finally"]
    assert "the teardown of lifespan 'stuck' did not end within 0.3 s" in caplog.text
    assert not session.group.running
