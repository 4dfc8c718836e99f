"""The update bus: the latest value per key, and async iteration over its updates.

Every key has a version number that ``set`` increments; a reader remembers the version it last
delivered and waits only while nothing newer exists, so an update that lands while the reader is busy
is delivered on its next step instead of being lost (the race the seed's clear-after-yield has).

Defaults follow click-async-plugins' ITC where a porting user would notice: ``updates(key)`` starts
with the value the key holds. Kept different on purpose: a key never set is waited for instead of
yielding None (the original's own callback helper has to drop that None), and cancellation of a
callback loop is re-raised rather than swallowed.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine
from typing import Any, TypeVar

from .._base.safetext import safe_repr
from .aliases import UpdateCallback

logger = logging.getLogger("nbplug.bus")
logger.addHandler(logging.NullHandler())  # a library: silent until the app configures logging

T = TypeVar("T")


class UpdateBus:
    """Latest value per key with change notification; use it from the event loop's thread."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._versions: dict[str, int] = {}
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._readers: dict[str, int] = {}

    def __repr__(self) -> str:
        keys = ", ".join(f"{k}={safe_repr(v)}" for k, v in self._values.items())
        return f"UpdateBus({keys})"

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` and wake every reader waiting on it."""
        self._values[key] = value
        self.fire(key)

    def fire(self, key: str) -> None:
        """Count an update of ``key`` without changing its value (readers get the value again)."""
        self._versions[key] = self._versions.get(key, 0) + 1
        logger.debug("Notifying subscribers of update to '%s'…", key)
        for waiter in self._waiters.pop(key, ()):
            if not waiter.done():
                waiter.set_result(None)

    def get(self, key: str, default: Any = None) -> Any:
        """The latest value of ``key``, or ``default`` when it was never set."""
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def version(self, key: str) -> int:
        """How many updates ``key`` has had (0 when never set)."""
        return self._versions.get(key, 0)

    def has_subscribers(self, key: str) -> bool:
        """True while some ``updates(key)`` iterator is open."""
        return self._readers.get(key, 0) > 0

    async def _changed_since(self, key: str, seen: int) -> None:
        while self._versions.get(key, 0) == seen:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            waiters = self._waiters.setdefault(key, [])
            waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in waiters:
                    waiters.remove(waiter)
                if not waiters and self._waiters.get(key) is waiters:
                    del self._waiters[key]

    async def updates(
        self,
        key: str,
        *,
        immediately: bool | None = None,
        timeout: float | None = None,
        throttle: float | None = None,
        default: Any = None,
    ) -> AsyncGenerator[Any, None]:
        """Yield the value of ``key`` each time it is updated.

        ``immediately``: by default (None) the current value comes first when the key holds one,
        and a key never set is waited for; True yields at once, the current value or ``default``;
        False waits for the next update. ``timeout``: when no update came within that many
        seconds, yield the current value anyway (a heartbeat). ``throttle``: yield updates at most
        once per that many seconds, those in between collapsing into the latest; the value yielded
        at once is the starting point, not an update, so the first update is never held back.
        To leave early and unsubscribe at once, wrap it in ``contextlib.aclosing``; an abandoned
        iterator is unsubscribed when the event loop finalizes it, a little later.
        """
        for label, value in (("timeout", timeout), ("throttle", throttle)):
            if value is not None and not (value > 0 and math.isfinite(value)):
                raise ValueError(
                    f"{label} must be a positive number of seconds or None, not {safe_repr(value)}"
                )
        loop = asyncio.get_running_loop()
        self._readers[key] = self._readers.get(key, 0) + 1
        try:
            seen = self.version(key)
            last_yield: float | None = None
            if immediately or (immediately is None and key in self._values):
                yield self._values.get(key, default)
            while True:
                if seen == self._versions.get(key, 0):
                    logger.debug("Waiting for update to '%s'…", key)
                    if timeout is None:  # the common case: no timer to arm and disarm
                        await self._changed_since(key, seen)
                    else:
                        try:
                            async with asyncio.timeout(timeout):
                                await self._changed_since(key, seen)
                        except TimeoutError:
                            logger.debug("No update to '%s' within %ss", key, timeout)
                if throttle is not None:
                    if last_yield is not None:
                        remaining = last_yield + throttle - loop.time()
                        if remaining > 0:
                            await asyncio.sleep(remaining)
                    last_yield = loop.time()
                seen = self._versions.get(key, 0)
                yield self._values.get(key, default)
        finally:
            self._readers[key] -= 1
            if not self._readers[key]:
                del self._readers[key]

    def react(
        self,
        key: str,
        callback: UpdateCallback[Any],
        *,
        immediately: bool | None = None,
        timeout: float | None = None,
        throttle: float | None = None,
        skip_none: bool = True,
    ) -> Coroutine[Any, Any, None]:
        """A coroutine calling ``callback(value)`` for each update of ``key``: yield it from a lifespan.

        ``yield ctx.bus.react("countdown", show)`` runs ``show`` (sync or async) on every update
        until the lifespan stops; the options are those of :meth:`updates`.
        """
        updates = self.updates(key, immediately=immediately, timeout=timeout, throttle=throttle)
        return react_to_updates(updates, callback, skip_none=skip_none)


async def react_to_updates(
    updates: AsyncIterator[T], callback: UpdateCallback[T], *, skip_none: bool = True
) -> None:
    """Call ``callback(value)`` for each value of ``updates``, awaiting it when it is async.

    ``skip_none``: values that are None (a key never set, yielded at once or as a heartbeat) are
    not passed on. Ends when ``updates`` ends; the updates are closed on the way out, so no
    subscriber is left behind. Cancellation is re-raised, not swallowed, so a lifespan's task shows
    as cancelled; an error from ``callback`` ends it (and fails its lifespan's task).
    """
    try:
        async for value in updates:
            if value is None and skip_none:
                continue
            outcome = callback(value)
            if inspect.isawaitable(outcome):
                await outcome
    finally:
        close = getattr(updates, "aclose", None)
        if close is not None:
            await close()
