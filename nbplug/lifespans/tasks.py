"""A lifespan's task: the awaitable it yielded, run so that nothing it raises escapes the event loop.

asyncio re-raises ``SystemExit`` and ``KeyboardInterrupt`` from a task's step out of the loop
itself: in a kernel that ends the kernel (the notebook's state is lost), under ``nbplug run`` it
skips every teardown. So the group runs each lifespan's awaitable inside :func:`contained`, which
holds those two in a :class:`ContainedExit`; :func:`task_error` hands back the original, so the
lifespan fails with the very error its code raised and the group tears down as for any failure.
Cancellation passes through unchanged: a cancelled task still shows as cancelled; so does a task a
Ctrl-C landed in (an interruptible one, under ``nbplug run``), since the interrupt was the user's
wish to stop, not that lifespan's failure.

Rejected: a loop exception handler (asyncio calls it only for errors nobody retrieved, after the
loop was already left), catching them in the task's done callback (asyncio has re-raised them by
then), and a custom task factory (it is the loop's, shared with the user's own code).
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Awaitable
from typing import Any, TypeVar, cast

from .._base.safetext import own_name, type_name
from .interrupts import mark_interruptible, took_interrupt

T = TypeVar("T")


class ContainedExit(Exception):
    """A ``SystemExit`` or ``KeyboardInterrupt`` raised by a lifespan's task, held as an error."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(type_name(error))
        self.error = error


async def contained(job: Awaitable[T]) -> T:
    """Await ``job``; a ``SystemExit`` or ``KeyboardInterrupt`` it raises comes out contained,
    except a Ctrl-C's, which ends the task as cancelled (what a Ctrl-C does to what it lands in)."""
    try:
        return await job
    except KeyboardInterrupt as exc:
        # Only nbplug's own handler's raise is a Ctrl-C here, not is_interrupt's wider rule: under
        # Python's default handler (an idle kernel) a task's KeyboardInterrupt fails it, shown.
        if took_interrupt(asyncio.current_task()):
            raise asyncio.CancelledError("interrupted (Ctrl-C)") from None
        raise ContainedExit(exc) from None
    except SystemExit as exc:
        raise ContainedExit(exc) from None


def start_task(job: Awaitable[Any], name: str, *, interruptible: bool = False) -> asyncio.Task[Any]:
    """Run ``job`` as a task named ``name`` on the running loop, contained; ``interruptible``: a
    Ctrl-C landing in its synchronous code raises KeyboardInterrupt there (see ``interrupts``)."""
    coro = cast("types.CoroutineType[Any, Any, Any]", contained(job))
    inner = own_name(job, "__qualname__")
    if inner is not None:
        coro.__qualname__ = inner  # a task list (the keys' Ctrl-D) names the user's coroutine
    task = asyncio.get_running_loop().create_task(coro, name=name)
    if interruptible:
        mark_interruptible(task)
    return task


def task_error(task: asyncio.Future[Any]) -> BaseException | None:
    """The error ``task`` ended with (the original of a contained one); None if none or cancelled."""
    if task.cancelled():
        return None
    exc = task.exception()
    return exc.error if isinstance(exc, ContainedExit) else exc
