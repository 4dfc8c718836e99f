"""The board's Stop buttons: ``group.stop([...])`` scheduled without blocking the click handler.

A click arrives on the kernel's event loop thread, inside a comm message handler that must return
at once, so the stop runs as a task on the running loop; from another thread it is handed to the
loop the board last saw running. The teardown steps then reach the board as the group's events.
Decision: no loop at all is said on the board (``notice``) with what to do instead, never raised
into the click handler, where the front end would show nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from nbplug._base.loops import running_loop
from nbplug._base.safetext import error_text

from ..base.shapes import LifespanGroupLike

__all__ = ["Stopper"]


class Stopper:
    """Schedules a group's stops for the board and keeps what went wrong in ``notice``."""

    def __init__(self, group: LifespanGroupLike, on_change: Callable[[], None]) -> None:
        self.group = group
        self.tasks: set[asyncio.Future[Any]] = set()
        self.notice = ""
        self.loop: asyncio.AbstractEventLoop | None = None
        self._on_change = on_change

    def current_loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop running in this thread (remembered, for a stop asked from another thread)."""
        running = running_loop()
        if running is not None:
            self.loop = running
        return running

    def stop(self, names: Sequence[str] | None) -> asyncio.Future[Any] | None:
        """Schedule ``group.stop(names)``; the task, or None when no event loop can run it."""
        what = "stop " + (", ".join(names) if names else "all")
        awaitable = self.group.stop(list(names) if names is not None else None)
        loop = self.loop
        if self.current_loop() is not None:
            future: asyncio.Future[Any] = asyncio.ensure_future(awaitable)
        elif loop is not None and loop.is_running() and not loop.is_closed():
            future = asyncio.wrap_future(
                asyncio.run_coroutine_threadsafe(_as_coro(awaitable), loop), loop=loop
            )
        else:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            self.say(f"cannot {what}: no running event loop; use `await group.stop()`")
            return None
        self.notice = ""
        self.tasks.add(future)
        future.add_done_callback(lambda done: self._done(done, what))
        return future

    def _done(self, future: asyncio.Future[Any], what: str) -> None:
        self.tasks.discard(future)
        if future.cancelled():
            self.say(f"{what}: cancelled")
        elif (error := future.exception()) is not None:
            self.say(f"{what} failed: {error_text(error)}")
        else:
            self._on_change()

    def say(self, notice: str) -> None:
        """Show ``notice`` on the board (the last problem the board itself ran into)."""
        self.notice = notice
        self._on_change()


async def _as_coro(awaitable: Awaitable[Any]) -> Any:
    """Wrap any awaitable in a coroutine (run_coroutine_threadsafe accepts only coroutines)."""
    return await awaitable
