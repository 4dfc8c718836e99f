"""Coalesce bursts of redraw requests into at most a few redraws a second on the event loop.

A lifespan that logs hundreds of lines a second produces hundreds of events; redrawing a widget for
each would flood the front end with comm messages. ``Throttle.request()`` is O(1) and schedules one
redraw with ``loop.call_later``; requests made while one is pending are folded into it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from nbplug._base.loops import running_loop


class Throttle:
    """Run ``callback`` at most once per ``interval`` seconds, however often it is requested."""

    def __init__(
        self,
        callback: Callable[[], None],
        interval: float = 0.1,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if interval < 0:
            raise ValueError(f"Throttle interval must be >= 0 seconds, got {interval!r}")
        self._callback = callback
        self.interval = interval
        self._clock = clock
        self._handle: asyncio.TimerHandle | asyncio.Handle | None = None
        self._last_run: float | None = None
        self.runs = 0
        self.requests = 0

    @property
    def pending(self) -> bool:
        """Whether a run is scheduled and has not happened yet."""
        return self._handle is not None

    def request(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Ask for a run on ``loop`` (default: the running loop); run now if no loop runs."""
        self.requests += 1
        if self._handle is not None:
            return
        if loop is None:
            loop = running_loop()
        if loop is None:
            self.flush()
            return
        now = self._clock()
        delay = 0.0 if self._last_run is None else max(0.0, self._last_run + self.interval - now)
        if delay == 0.0:
            self._handle = loop.call_soon(self._fire)
        else:
            self._handle = loop.call_later(delay, self._fire)

    def flush(self) -> None:
        """Run now and drop any scheduled run."""
        self.cancel()
        self._fire()

    def cancel(self) -> None:
        """Drop a scheduled run, if any."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _fire(self) -> None:
        self._handle = None
        self._last_run = self._clock()
        self.runs += 1
        self._callback()
