"""Ctrl-C that always wins: a SIGINT handler for code that runs on an asyncio event loop.

The same model in a kernel, terminal IPython and ``nbplug run``. A signal handler installed with
``loop.add_signal_handler`` (or ipykernel's, which cancels the cell) only runs when the loop gets
control back, so a synchronous extension, set-up or teardown (``time.sleep(8)``, ``while True``)
could not be interrupted at all. :class:`InterruptHandler` is a plain ``signal`` handler instead:
when the interrupt lands in user code running in an *interruptible* task (the awaited magic, the
CLI's main task and its lifespans' tasks, a lifespan's teardown step), it raises
``KeyboardInterrupt`` there, where Python would deliver it, and the owner of that task turns it into
the cancellation of that call; anywhere else (the loop waiting in ``select``, nbplug's or asyncio's
own code) it hands the interrupt to the loop, whose callback decides (cancel the awaited call, cut a
teardown short, exit). Rejected: raising KeyboardInterrupt wherever the signal lands, as Python's
default handler does (in the loop's own code it leaves tasks half-stepped and pending), and threads
that watch for signals (a thread cannot interrupt the main thread's synchronous code either).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .._base.ctrlc import is_ctrl_c, mark_ctrl_c
from .._base.where import LIBRARY_DIRS, in_package

_ASYNCIO_DIR = os.path.dirname(os.path.abspath(asyncio.__file__)) + os.sep

#: Tasks into whose synchronous user code a Ctrl-C may raise KeyboardInterrupt; their owner
#: catches it (a teardown step, the awaited magic, the CLI's main task).
_interruptible: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()

#: Interruptible tasks into which a Ctrl-C raised KeyboardInterrupt and whose owner has not asked
#: yet (:func:`took_interrupt`): tells a Ctrl-C from a KeyboardInterrupt the user's code raised.
_raised_into: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()

#: Called on the loop after each interrupt: (how many so far, the task KeyboardInterrupt was
#: raised into, or None when it was left to this callback).
OnInterrupt = Callable[[int, "asyncio.Task[Any] | None"], object]


def mark_interruptible(task: asyncio.Task[Any]) -> None:
    """Let a Ctrl-C raise KeyboardInterrupt into ``task``'s synchronous user code."""
    _interruptible.add(task)


def unmark_interruptible(task: asyncio.Task[Any]) -> None:
    """Undo :func:`mark_interruptible`."""
    _interruptible.discard(task)


def took_interrupt(task: asyncio.Task[Any] | None) -> bool:
    """True once after a Ctrl-C raised KeyboardInterrupt into ``task`` (not the user's own raise)."""
    if task is None or task not in _raised_into:
        return False
    _raised_into.discard(task)
    return True


def is_interrupt(exc: BaseException, task: asyncio.Task[Any] | None) -> bool:
    """Whether ``exc`` is a Ctrl-C, not a KeyboardInterrupt the user's code raised: one a Ctrl-C
    raised into ``task`` (:func:`took_interrupt`, asked first: it forgets what it answers for) or
    one :func:`~nbplug._base.ctrlc.is_ctrl_c` recognises."""
    return isinstance(exc, KeyboardInterrupt) and (took_interrupt(task) or is_ctrl_c(exc))


def runs_user_code(frame: FrameType | None) -> bool:
    """True when the task step that ``frame`` belongs to is inside the user's code: a frame of
    the user's (neither nbplug's, nor the standard library's or an installed package's) lies
    between ``frame`` and the event loop's own frames. nbplug's code that the user's code called
    (a log handler, a nested hook call) counts as the user's, as Python would see it."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_ASYNCIO_DIR):
            return False  # reached the loop's own frames: no user code in this step
        if not (
            in_package(filename)
            or filename.startswith(LIBRARY_DIRS)
            or filename.startswith("<frozen")
        ):
            return True
        frame = frame.f_back
    return False


class InterruptHandler:
    """A SIGINT handler for ``loop`` (see the module docstring); a context manager.

    ``on_interrupt(count, raised_into)`` runs on the loop after every interrupt. Outside the main
    thread (where Python cannot handle signals) installing does nothing.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, on_interrupt: OnInterrupt) -> None:
        self.loop = loop
        self.on_interrupt = on_interrupt
        self.count = 0
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> InterruptHandler:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        task = asyncio.current_task(self.loop) if self.loop.is_running() else None
        raised = task is not None and task in _interruptible and runs_user_code(frame)
        self.loop.call_soon_threadsafe(self.on_interrupt, self.count, task if raised else None)
        if raised:
            assert task is not None
            _raised_into.add(task)
            raise mark_ctrl_c(KeyboardInterrupt())  # a formatting guard lets it through (ctrlc)


@contextmanager
def interrupt_handler(
    loop: asyncio.AbstractEventLoop, on_interrupt: OnInterrupt, task: asyncio.Task[Any] | None
) -> Iterator[InterruptHandler]:
    """Install an :class:`InterruptHandler`, with ``task`` interruptible, for the ``with`` body."""
    if task is not None:
        mark_interruptible(task)
    handler = InterruptHandler(loop, on_interrupt)
    try:
        with handler:
            yield handler
    finally:
        if task is not None:
            unmark_interruptible(task)
