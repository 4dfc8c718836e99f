"""The lifespan group's bookkeeping: one entry per lifespan, observers, phase changes, the lock.

Split out of :mod:`.group` (which had grown past 600 lines holding two jobs): this module is the
state that both set-up (:mod:`.group`) and teardown (:mod:`.stopping`) read and change, as the base
class :class:`GroupBookkeeping`; :mod:`.stopping` builds the teardown on it, and
:class:`~.group.LifespanGroup` the set-up and running on that, so imports run one way
(bookkeeping -> stopping -> group). The bookkeeping entry is public (:class:`LifespanEntry`) because
both modules need it. Rejected: mixins side by side, each declaring
the shared attributes and methods again for mypy (declarations to keep in step; a chain of base
classes needs none), and helper functions taking the group as an argument (the methods would change
shape, not just place).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Sequence
from typing import Any, Literal

from .bus import UpdateBus
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
        self.cuts = 0  # interrupts that cancelled its teardown (see LifespanGroup.interrupt)
        self.seq = -1
        self.errors: list[BaseException] = []

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def task_ended(self) -> bool:
        """True when this lifespan yielded a coroutine and its task has finished."""
        return self.task is not None and self.task.done()


def raise_gathered(errors: Sequence[BaseException], message: str) -> None:
    """Raise nothing, the one error, or an exception group of all of them."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BaseExceptionGroup(message, list(errors))



class GroupBookkeeping:
    """The state of a lifespan group: its entries, observers, gathered errors, lock and jobs."""

    def __init__(
        self,
        manager: Any = None,
        bus: UpdateBus | None = None,
        *,
        on_task_failure: TaskFailurePolicy = "stop_all",
        log_level: int | None = None,
    ) -> None:
        if on_task_failure not in ("stop_all", "isolate"):
            raise ValueError(
                f"on_task_failure must be 'stop_all' or 'isolate', not {on_task_failure!r}"
            )
        self.manager = manager
        self.bus = bus if bus is not None else UpdateBus()
        self.on_task_failure: TaskFailurePolicy = on_task_failure
        self.log_level = log_level
        self._entries: dict[str, LifespanEntry] = {}
        self._observers: list[Observer] = []
        self._errors: list[BaseException] = []
        self._jobs: set[asyncio.Task[None]] = set()
        self._auto_stop: asyncio.Task[None] | None = None
        self._idle_waiters: list[asyncio.Future[None]] = []
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread_id = 0
        self._seq = 0
        #: What a teardown job waits for now: the cancelled tasks, or one lifespan's teardown.
        self._waiting_tasks: dict[asyncio.Task[Any], LifespanEntry] = {}
        self._teardown_step: tuple[LifespanEntry, asyncio.Task[Any]] | None = None
        self._interrupted: list[str] = []

    # ----------------------------------------------------------------------------------- observing
    @property
    def states(self) -> list[LifespanState]:
        """Every lifespan of the group, in the order they were added."""
        return [e.state for e in self._entries.values()]

    def state(self, name: str) -> LifespanState:
        """The state of lifespan ``name`` (KeyError naming the known ones when absent)."""
        return self._entry(name).state

    @property
    def names(self) -> list[str]:
        """Names of the lifespans in the group, in the order they were added."""
        return list(self._entries)

    @property
    def running(self) -> bool:
        """True while some lifespan is setting up, running or stopping."""
        return any(e.state.phase in ACTIVE_PHASES for e in self._entries.values())

    def subscribe(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback(event)`` on every phase change and log line; returns an unsubscribe."""
        self._observers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._observers.remove(callback)

        return unsubscribe

    def _emit(self, event: LifespanEvent) -> None:
        for callback in list(self._observers):
            try:
                callback(event)
            except Exception:
                logger.exception("Lifespan observer %r failed on %r", callback, event)

    def _set_phase(
        self, e: LifespanEntry, phase: Phase, message: str = "", error: BaseException | None = None
    ) -> None:
        state = e.state
        state.phase = phase
        if error is not None:
            state.error = error
        if phase is Phase.RUNNING:
            state.started_at = time.monotonic()
        elif phase in FINAL_PHASES:
            state.stopped_at = time.monotonic()
            if self._idle_waiters:
                self._wake_idle()
        if self._observers:
            name = e.spec.name
            self._emit(LifespanEvent(name, "phase", phase, message or phase.value, time.time(), error))

    def _log_line(self, e: LifespanEntry, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is not None and threading.get_ident() != self._thread_id:
            # logged from a worker thread: observers are promised the loop's thread
            loop.call_soon_threadsafe(self._log_line, e, record)
            return
        message = record.getMessage()
        e.state.log.append(message)
        self._emit(LifespanEvent(e.name, "log", e.state.phase, message, record.created))

    def _entry(self, name: str) -> LifespanEntry:
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(self._entries) or "none"
            raise KeyError(f"no lifespan named {name!r} in this group (known: {known})") from None

    # ------------------------------------------------------------------------------------ locking
    def _get_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop, self._thread_id = asyncio.Lock(), loop, threading.get_ident()
        return self._lock

    def _spawn(self, coro: Coroutine[Any, Any, None], what: str) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro, name=f"nbplug-lifespans-{what}")
        self._jobs.add(task)
        task.add_done_callback(self._job_done)
        return task

    def _job_done(self, task: asyncio.Task[None]) -> None:
        self._jobs.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            self._errors.append(exc)
        self._wake_idle()

    def _wake_idle(self) -> None:
        waiters, self._idle_waiters = self._idle_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

