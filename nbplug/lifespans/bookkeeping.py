"""What a lifespan group knows: one entry per lifespan, its observers, its gathered errors, its lock.

:class:`Bookkeeping` is an object the group owns, as is its :class:`~.stopping.Teardown`; both the
group's set-up and the teardown read and change the entries through it, and only it emits phase
changes, so an observer sees every change whoever made it. Rejected: a base class the teardown and
the group extend (its ``__init__`` would set up the teardown's state, and every method of the three
would share one namespace), and mixins (each would declare the shared attributes again for mypy).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Sequence
from typing import Any, Literal

from .._base.ctrlc import is_ctrl_c
from .._base.safetext import error_text, safe_repr
from .events import ACTIVE_PHASES, FINAL_PHASES, LifespanEvent, LifespanState, Phase
from .spec import LifespanSpec

logger = logging.getLogger("nbplug.lifespans")
logger.addHandler(logging.NullHandler())  # a library: silent until the app configures logging

TaskFailurePolicy = Literal["stop_all", "isolate"]
Observer = Callable[[LifespanEvent], object]


class LifespanEntry:
    """The group's bookkeeping for one lifespan (the observable part is ``state``)."""

    def __init__(self, spec: LifespanSpec, params: dict[str, Any]) -> None:
        self.spec = spec
        self.params = params
        self.state = LifespanState(name=spec.name, depends_on=spec.depends_on)
        self.agen: AsyncGenerator[Any, None] | None = None
        self.job: Awaitable[Any] | None = None
        self.task: asyncio.Task[Any] | None = None
        self.setup_done = False
        self.torn_down = False
        self.stopping = False
        self.cuts = 0  # interrupts that cancelled its teardown (see Teardown.interrupt)
        self.seq = -1
        self.errors: list[BaseException] = []

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def task_ended(self) -> bool:
        """True when this lifespan yielded a coroutine and its task has finished."""
        return self.task is not None and self.task.done()


def add_note(exc: BaseException, note: str) -> None:
    """``exc.add_note(note)``, unless the error refuses notes (a hostile ``__setattr__``)."""
    with contextlib.suppress(Exception):
        exc.add_note(note)


def raise_gathered(errors: Sequence[BaseException], message: str) -> None:
    """Raise nothing, the one error, or an exception group of all of them."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BaseExceptionGroup(message, list(errors))


class Bookkeeping:
    """The state of a lifespan group: its entries, observers, gathered errors, lock and jobs."""

    def __init__(self) -> None:
        self.entries: dict[str, LifespanEntry] = {}
        self.observers: list[Observer] = []
        #: Errors gathered and not raised yet (raised by ``wait()``/``stop()``, or taken).
        self.errors: list[BaseException] = []
        self.jobs: set[asyncio.Task[None]] = set()
        self.idle_waiters: list[asyncio.Future[None]] = []
        self.lock: asyncio.Lock | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread_id = 0
        self.seq = 0

    # ----------------------------------------------------------------------------------- observing
    @property
    def states(self) -> list[LifespanState]:
        return [e.state for e in self.entries.values()]

    @property
    def running(self) -> bool:
        return any(e.state.phase in ACTIVE_PHASES for e in self.entries.values())

    def subscribe(self, callback: Observer) -> Callable[[], None]:
        self.observers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self.observers.remove(callback)

        return unsubscribe

    def emit(self, event: LifespanEvent) -> None:
        for callback in list(self.observers):
            try:
                callback(event)
            except BaseException as exc:  # an observer's SystemExit must not end the group
                if is_ctrl_c(exc):
                    raise
                logger.exception(
                    "Lifespan observer %s failed on the %s event of %r",
                    safe_repr(callback), event.kind, event.name,
                )

    def set_phase(
        self, e: LifespanEntry, phase: Phase, message: str = "", error: BaseException | None = None
    ) -> None:
        state = e.state
        state.phase = phase
        now = time.monotonic()
        state.phases.append((phase, now))
        if error is not None:
            state.error = error
        if phase is Phase.RUNNING:
            state.started_at = now
        elif phase in FINAL_PHASES:
            state.stopped_at = now
            if self.idle_waiters:
                self.wake_idle()
        if self.observers:
            name = e.spec.name
            self.emit(LifespanEvent(name, "phase", phase, message or phase.value, time.time(), error))

    def record_failure(self, e: LifespanEntry, exc: BaseException, where: str) -> None:
        """Keep ``exc`` as one of ``e``'s errors and say so in its log and the library's log.

        Formatted with ``error_text``: an error whose ``str`` raises still shows its type, and
        cannot stop the group's bookkeeping half-way (the lifespan stuck, a teardown skipped).
        """
        e.errors.append(exc)
        text = error_text(exc)
        e.state.log.append(f"{where} failed: {text}")
        logger.error("The %s of lifespan '%s' failed: %s", where, e.name, text)

    def log_line(self, e: LifespanEntry, record: logging.LogRecord) -> None:
        loop = self.loop
        if loop is not None and threading.get_ident() != self.thread_id:
            # logged from a worker thread: observers are promised the loop's thread
            loop.call_soon_threadsafe(self.log_line, e, record)
            return
        message = record.getMessage()
        e.state.log.append(message)
        self.emit(LifespanEvent(e.name, "log", e.state.phase, message, record.created))

    def entry(self, name: str) -> LifespanEntry:
        """The entry of lifespan ``name`` (KeyError naming the known ones when absent)."""
        try:
            return self.entries[name]
        except KeyError:
            known = ", ".join(self.entries) or "none"
            raise KeyError(f"no lifespan named {name!r} in this group (known: {known})") from None

    def all_tasks_ended(self) -> bool:
        # daemon lifespans (the terminal keys) serve the others: their tasks never keep a group up
        live = [
            e for e in self.entries.values() if e.state.phase in ACTIVE_PHASES and not e.spec.daemon
        ]
        return bool(live) and all(e.state.phase is Phase.RUNNING and e.task_ended for e in live)

    # ------------------------------------------------------------------------------ errors, jobs
    def take_errors(self) -> list[BaseException]:
        errors, self.errors = self.errors, []
        return errors

    def raise_errors(self, extra: Sequence[BaseException] = ()) -> None:
        errors = [*self.take_errors(), *extra]
        raise_gathered(errors, f"{len(errors)} lifespan errors")

    def get_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self.lock is None or self.loop is not loop:
            self.lock, self.loop, self.thread_id = asyncio.Lock(), loop, threading.get_ident()
        return self.lock

    def spawn(self, coro: Coroutine[Any, Any, None], what: str) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro, name=f"nbplug-lifespans-{what}")
        self.jobs.add(task)
        task.add_done_callback(self._job_done)
        return task

    def _job_done(self, task: asyncio.Task[None]) -> None:
        self.jobs.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            self.errors.append(exc)
        self.wake_idle()

    def wake_idle(self) -> None:
        waiters, self.idle_waiters = self.idle_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def drain_jobs(self) -> None:
        while self.jobs:
            await asyncio.wait(set(self.jobs))

    async def wait_idle(self) -> None:
        """Wait until no lifespan is active and no job runs any more."""
        loop = asyncio.get_running_loop()
        while True:
            await self.drain_jobs()
            if not self.running and not self.jobs:
                return
            waiter: asyncio.Future[None] = loop.create_future()
            self.idle_waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self.idle_waiters:
                    self.idle_waiters.remove(waiter)
