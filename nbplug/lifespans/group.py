"""LifespanGroup: set up lifespans in dependency order, run what they yield, tear down in reverse.

The teardown promise: the teardown (the code after ``yield``) of every lifespan that finished
set-up is started exactly once, whatever ends it (stop, signal, a failed task or set-up elsewhere, a
raising teardown); a user's repeated Ctrl-C may cut one short, and that is reported.

The interrupt model. Teardown runs in a task of its own that the caller awaits through a shield, and
each lifespan's teardown in a task of its own inside that. Cancelling the caller while a teardown
runs (a further Ctrl-C) does not abandon the teardown: it *interrupts* it (:meth:`interrupt`):
``CancelledError`` is thrown into the one teardown running now, so its ``finally`` blocks run; that
lifespan is marked failed with a :class:`LifespanInterrupted` naming it, and the remaining teardowns
run as usual. The caller's cancellation is re-raised once every teardown was started; the errors of
those teardowns are kept for :meth:`take_errors` (the CLI prints them). Rejected: a shield that
ignores every further Ctrl-C (a hanging teardown could then only be killed, losing a notebook's
state) and abandoning the teardown on a further Ctrl-C (its resources would leak silently).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import inspect
import logging
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Iterable, Sequence
from types import TracebackType
from typing import Any, Literal

from .bus import UpdateBus
from .context import LifespanContext, make_logger
from .errors import LifespanError, LifespanInterrupted
from .events import ACTIVE_PHASES, FINAL_PHASES, LifespanEvent, LifespanState, Phase
from .interrupts import mark_interruptible, unmark_interruptible
from .order import dependents_of, setup_order
from .params import resolve_params
from .spec import LifespanSpec

logger = logging.getLogger("nbplug.lifespans")
logger.addHandler(logging.NullHandler())  # a library: silent until the app configures logging

TaskFailurePolicy = Literal["stop_all", "isolate"]
Observer = Callable[[LifespanEvent], object]


class _Entry:
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


class LifespanGroup:
    """Lifespans that set up, run and tear down together on the running event loop.

    ``on_task_failure``: "stop_all" (the CLI) stops every lifespan when a task fails and raises the
    error from ``wait()``; "isolate" (the notebook) tears down and marks FAILED only the failed
    lifespan and those depending on it.
    """

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
        self._entries: dict[str, _Entry] = {}
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
        self._waiting_tasks: dict[asyncio.Task[Any], _Entry] = {}
        self._teardown_step: tuple[_Entry, asyncio.Task[Any]] | None = None
        self._interrupted: list[str] = []

    def __repr__(self) -> str:
        inner = ", ".join(f"{s.name}={s.phase.value}" for s in self.states)
        return f"<LifespanGroup {self.on_task_failure} [{inner}]>"

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
        self, e: _Entry, phase: Phase, message: str = "", error: BaseException | None = None
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

    def _log_line(self, e: _Entry, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is not None and threading.get_ident() != self._thread_id:
            # logged from a worker thread: observers are promised the loop's thread
            loop.call_soon_threadsafe(self._log_line, e, record)
            return
        message = record.getMessage()
        e.state.log.append(message)
        self._emit(LifespanEvent(e.name, "log", e.state.phase, message, record.created))

    # ------------------------------------------------------------------------------------- adding
    def _entry(self, name: str) -> _Entry:
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(self._entries) or "none"
            raise KeyError(f"no lifespan named {name!r} in this group (known: {known})") from None

    def add(
        self,
        spec_or_fn: LifespanSpec | Callable[..., Any],
        params: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> LifespanState:
        """Queue a lifespan for the next ``start()``; missing params take their click defaults.

        A stopped or failed lifespan of the same name is replaced; a pending one too. Raises
        ValueError while one of that name is active, LifespanUsageError for bad params.
        """
        spec = (
            spec_or_fn
            if isinstance(spec_or_fn, LifespanSpec)
            else LifespanSpec.from_function(spec_or_fn)
        )
        if name is not None and name != spec.name:
            spec = dataclasses.replace(spec, name=name)
        old = self._entries.get(spec.name)
        if old is not None and old.state.phase in ACTIVE_PHASES:
            raise ValueError(
                f"lifespan {spec.name!r} is {old.state.phase.value} in this group; stop it first "
                f"or add it under another name"
            )
        entry = _Entry(spec, resolve_params(spec, params))
        self._entries.pop(spec.name, None)
        self._entries[spec.name] = entry
        self._set_phase(entry, Phase.PENDING, "added")
        return entry.state

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

    async def _await_teardown(self, job: asyncio.Task[list[BaseException]]) -> list[BaseException]:
        """Await a teardown job to its end; each cancellation meanwhile interrupts the teardown
        running then (see :meth:`interrupt`). A cancellation is re-raised at the end, the job's
        errors kept for :meth:`take_errors`."""
        cancelled: asyncio.CancelledError | None = None
        while not job.done():
            try:
                await asyncio.shield(job)
            except asyncio.CancelledError as exc:
                if job.cancelled():
                    raise
                cancelled = exc
                cut = self.interrupt()
                logger.debug("Cancelled while tearing down; interrupted %s", cut or "nothing")
        if cancelled is not None:
            self._errors.extend(job.result())
            raise cancelled
        return job.result()

    def interrupt(self) -> list[str]:
        """Cut short what a teardown waits for now; return the names of the lifespans concerned.

        A repeated Ctrl-C calls this (the CLI directly, the notebook by cancelling the awaiting
        cell). While a lifespan's teardown runs, ``CancelledError`` is thrown into it (its
        ``finally`` blocks run) and the lifespan is marked failed with a
        :class:`LifespanInterrupted`; the teardown goes on with the next lifespan. While the
        teardown waits for cancelled tasks to end, they are cancelled again. Outside a teardown,
        nothing happens (an empty list).
        """
        if self._teardown_step is not None:
            entry, job = self._teardown_step
            if not job.done():
                entry.cuts += 1
                job.cancel()
                return [entry.name]
        names = []
        for task, entry in self._waiting_tasks.items():
            if not task.done():
                task.cancel()
                names.append(entry.name)
        return names

    @property
    def interrupted_teardowns(self) -> list[str]:
        """The lifespans whose teardown an interrupt cut short, in order."""
        return list(self._interrupted)

    def take_errors(self) -> list[BaseException]:
        """The errors gathered and not raised yet (teardowns that failed while the caller was
        cancelled, a failed task under "stop_all"), forgetting them."""
        errors, self._errors = self._errors, []
        return errors

    # ------------------------------------------------------------------------------------ set-up
    async def start(self) -> list[str]:
        """Set up every pending lifespan (dependencies first), then schedule what they yielded.

        Returns the names set up, in order. If a set-up fails or is cancelled, every lifespan of
        this start that finished set-up is torn down (and under "stop_all", every other one too)
        before the error is raised.
        """
        async with self._get_lock():
            pending = [e for e in self._entries.values() if e.state.phase is Phase.PENDING]
            if not pending:
                return []
            running = [n for n, e in self._entries.items() if e.state.phase is Phase.RUNNING]
            order = setup_order(
                [e.name for e in pending], {e.name: e.spec.depends_on for e in pending}, running
            )
            batch = [self._entries[n] for n in order]
            try:
                for e in batch:
                    await self._setup(e)
            except BaseException as exc:
                await self._roll_back(batch, exc)
                raise
            for e in batch:
                self._schedule(e)
            return order

    async def _roll_back(self, batch: list[_Entry], exc: BaseException) -> None:
        for e in batch:
            if e.state.phase is Phase.PENDING:
                self._set_phase(e, Phase.STOPPED, "not started: an earlier set-up did not finish")
        targets = [e for e in batch if e.setup_done]
        if self.on_task_failure == "stop_all" and not isinstance(exc, asyncio.CancelledError):
            targets = [e for e in self._entries.values() if e.setup_done and not e.torn_down]
        if not targets:
            return
        logger.debug("A set-up did not finish; tearing down what was set up")
        job = asyncio.get_running_loop().create_task(
            self._teardown(targets), name="nbplug-lifespans-rollback"
        )
        errors = await self._await_teardown(job)
        if errors and isinstance(exc, asyncio.CancelledError | KeyboardInterrupt):
            self._errors.extend(errors)  # raised with the cancellation's report (take_errors)
        elif errors:
            raise BaseExceptionGroup(
                f"a lifespan set-up failed, and {len(errors)} teardown(s) failed too",
                [exc, *errors],
            )

    async def _setup(self, e: _Entry) -> None:
        self._set_phase(e, Phase.SETTING_UP)
        logger.debug("Setting up task for '%s'", e.name)
        kwargs = dict(e.params)
        if e.spec.wants_ctx:
            kwargs["ctx"] = LifespanContext(
                e.name, self.manager, self.bus, functools.partial(self._make_log, e), self
            )
        try:
            e.agen = e.spec.function(**kwargs)
            value = await e.agen.__anext__()
        except StopAsyncIteration:
            err = LifespanError(
                f"lifespan {e.name!r} ended without yielding: a lifespan yields once, a coroutine "
                f"to run as a task or None to stay up until stopped"
            )
            self._fail(e, err, "set-up")
            raise err from None
        except (asyncio.CancelledError, KeyboardInterrupt):  # Ctrl-C: async or synchronous code
            e.agen = None
            self._set_phase(e, Phase.STOPPED, "interrupted during set-up")
            raise
        except BaseException as exc:
            e.agen = None
            exc.add_note(f"(raised by the set-up of lifespan {e.name!r})")
            self._fail(e, exc, "set-up")
            raise
        e.setup_done = True
        self._seq += 1
        e.seq = self._seq
        if value is not None and not inspect.isawaitable(value):
            err = LifespanError(
                f"lifespan {e.name!r} yielded {value!r} ({type(value).__name__}); yield a coroutine "
                f"to run as a task, or None to stay up until stopped"
            )
            e.errors.append(err)
            e.state.error = err
            raise err
        e.job = value

    def _make_log(self, e: _Entry) -> logging.Logger:
        return make_logger(e.name, functools.partial(self._log_line, e), self.log_level)

    def _fail(self, e: _Entry, exc: BaseException, where: str) -> None:
        e.errors.append(exc)
        logger.error("Lifespan '%s' failed in %s: %s: %s", e.name, where, type(exc).__name__, exc)
        e.state.log.append(f"failed in {where}: {type(exc).__name__}: {exc}")
        self._set_phase(e, Phase.FAILED, f"failed in {where}", exc)

    def _schedule(self, e: _Entry) -> None:
        job, e.job = e.job, None
        if job is None:
            logger.debug("Waiting until stopped for '%s'", e.name)
        else:
            logger.debug("Scheduling task for '%s'", e.name)
            if isinstance(job, Coroutine):
                e.task = asyncio.get_running_loop().create_task(job, name=f"lifespan:{e.name}")
            else:
                e.task = asyncio.ensure_future(job)
            e.task.add_done_callback(functools.partial(self._task_done, e))
            e.state.has_task = True
        self._set_phase(e, Phase.RUNNING)

    # ------------------------------------------------------------------------------------ running
    def _task_done(self, e: _Entry, task: asyncio.Task[Any]) -> None:
        if e.stopping:
            return
        if task.cancelled():
            logger.debug("Task for '%s' cancelled", e.name)
        elif (exc := task.exception()) is not None:
            exc.add_note(f"(raised by the task of lifespan {e.name!r})")
            self._fail_task(e, exc)
            return
        else:
            logger.debug("Task for '%s' finished", e.name)
        self._maybe_stop_by_itself()

    def _fail_task(self, e: _Entry, exc: BaseException) -> None:
        e.errors.append(exc)
        e.state.error = exc
        e.state.log.append(f"task failed: {type(exc).__name__}: {exc}")
        logger.error("Task for '%s' failed: %s: %s", e.name, type(exc).__name__, exc)
        if self.on_task_failure == "isolate":
            self._spawn(self._stop_isolated(e), f"isolate-{e.name}")
        else:
            self._errors.append(exc)
            self._spawn(self._stop_requested(None), "stop-all")

    async def _stop_isolated(self, e: _Entry) -> None:
        # Errors are recorded on each lifespan's state and logged; isolation raises nothing.
        await self._stop_job([e.name], auto=False)

    def _all_tasks_ended(self) -> bool:
        # daemon lifespans (the terminal keys) serve the others: their tasks never keep a group up
        live = [
            e for e in self._entries.values() if e.state.phase in ACTIVE_PHASES and not e.spec.daemon
        ]
        return bool(live) and all(
            e.state.phase is Phase.RUNNING and e.task_ended for e in live
        )

    def _maybe_stop_by_itself(self) -> None:
        # tasks ending in one loop step each get here: one pending stop (it re-checks) is enough
        if self._auto_stop is not None and not self._auto_stop.done():
            return
        if self._all_tasks_ended():
            logger.debug("Every task has ended; stopping")
            self._auto_stop = self._spawn(self._stop_by_itself(), "stop-by-itself")

    async def _stop_by_itself(self) -> None:
        await self._stop_job(None, auto=True)

    # ----------------------------------------------------------------------------------- stopping
    def _stop_targets(self, names: Iterable[str] | None) -> list[_Entry]:
        live = {n: e for n, e in self._entries.items() if e.setup_done and not e.torn_down}
        if names is None:
            return list(live.values())
        wanted = dependents_of(set(names), {n: e.spec.depends_on for n, e in live.items()}, live)
        return [e for n, e in live.items() if n in wanted]

    async def _stop_job(self, names: Sequence[str] | None, *, auto: bool) -> list[BaseException]:
        async with self._get_lock():
            if auto and not self._all_tasks_ended():
                return []
            errors = await self._teardown(self._stop_targets(names))
            if names is not None and not auto:
                return errors
            if not auto or self.on_task_failure == "stop_all":
                self._errors.extend(errors)
            return []

    async def _teardown(self, targets: list[_Entry]) -> list[BaseException]:
        """Cancel the targets' tasks, then run each teardown once, in reverse set-up order."""
        targets = sorted(targets, key=lambda e: e.seq, reverse=True)
        errors: list[BaseException] = []
        for e in targets:
            e.stopping = True
            job, e.job = e.job, None
            if inspect.iscoroutine(job):  # set up but never scheduled (a later set-up failed)
                job.close()
            self._set_phase(e, Phase.STOPPING)
        tasks = {e.task for e in targets if e.task is not None and not e.task.done()}
        for task in tasks:
            task.cancel()
        if tasks:
            self._waiting_tasks = {e.task: e for e in targets if e.task in tasks}
            try:
                await asyncio.wait(tasks)
            finally:
                self._waiting_tasks = {}
        for e in targets:
            if e.task is not None and e.task in tasks:
                if e.task.cancelled():
                    logger.debug("Task for '%s' cancelled", e.name)
                elif (exc := e.task.exception()) is not None:
                    exc.add_note(f"(raised by the task of lifespan {e.name!r} when cancelled)")
                    e.errors.append(exc)
                    errors.append(exc)
        logger.debug("Terminating…")
        cancelled: asyncio.CancelledError | None = None
        for e in targets:
            try:
                err = await self._run_teardown(e)
            except asyncio.CancelledError as exc:  # cancelled from outside: finish the others
                cancelled = exc
                err = None
            if err is not None:
                errors.append(err)
            if e.errors:
                first = e.errors[0] if len(e.errors) == 1 else BaseExceptionGroup(
                    f"lifespan {e.name!r} failed", list(e.errors)
                )
                self._set_phase(e, Phase.FAILED, "failed", first)
            else:
                self._set_phase(e, Phase.STOPPED)
            e.task = None
        if cancelled is not None:
            raise cancelled
        return errors

    async def _run_teardown(self, e: _Entry) -> BaseException | None:
        """Run one lifespan's code after ``yield``, in this teardown job's task.

        :meth:`interrupt` cancels this task while the teardown awaits: the CancelledError is
        thrown into the teardown (its ``finally`` blocks run), recorded as a LifespanInterrupted,
        and the task uncancelled again so the job goes on. (Rejected: a task per teardown, which
        made stopping trivial lifespans several times dearer.)
        """
        agen, e.agen = e.agen, None
        if agen is None or e.torn_down:
            return None
        e.torn_down = True
        logger.debug("Tearing down '%s'", e.name)
        task = asyncio.current_task()
        assert task is not None
        self._teardown_step = (e, task)
        mark_interruptible(task)  # a Ctrl-C in its synchronous code cuts it short too
        try:
            await agen.__anext__()
        except StopAsyncIteration:
            return None
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            if e.cuts or isinstance(exc, KeyboardInterrupt):
                self._interrupted.append(e.name)
                return self._teardown_failed(e, LifespanInterrupted(e.name))
            if task.cancelling():
                raise  # cancelled from outside (loop shutdown): _teardown finishes the others
            return self._teardown_failed(e, exc)
        except BaseException as exc:
            if e.cuts:
                exc.add_note(f"(raised while an interrupt cut the teardown of {e.name!r} short)")
            return self._teardown_failed(e, exc)
        finally:
            self._teardown_step = None
            unmark_interruptible(task)
            for _ in range(min(e.cuts, task.cancelling())):
                task.uncancel()  # our own cuts only: an outside cancellation stays
            e.cuts = 0
        err = LifespanError(f"lifespan {e.name!r} yielded a second time; a lifespan yields once")
        try:
            await agen.aclose()
        except BaseException as exc:
            err.add_note(f"closing it then raised {type(exc).__name__}: {exc}")
        return self._teardown_failed(e, err)

    def _teardown_failed(self, e: _Entry, exc: BaseException) -> BaseException:
        exc.add_note(f"(raised by the teardown of lifespan {e.name!r})")
        e.errors.append(exc)
        e.state.log.append(f"teardown failed: {type(exc).__name__}: {exc}")
        logger.error("Teardown of '%s' failed: %s: %s", e.name, type(exc).__name__, exc)
        return exc

    def request_stop(self, names: Sequence[str] | None = None) -> None:
        """Start stopping (all, or ``names`` and their dependents) without awaiting it.

        For synchronous callers such as signal handlers and widget buttons, on the loop's thread
        or any other; errors are raised later by ``wait()`` or ``stop()``.
        """
        for name in names or ():
            self._entry(name)
        names = list(names) if names is not None else None
        loop = self._loop
        if loop is not None and threading.get_ident() != self._thread_id:
            loop.call_soon_threadsafe(self.request_stop, names)
            return
        self._spawn(self._stop_requested(names), "stop-requested")

    async def _stop_requested(self, names: Sequence[str] | None) -> None:
        self._errors.extend(await self._stop_job(names, auto=False))

    async def stop(self, names: Sequence[str] | None = None) -> None:
        """Stop all lifespans (or ``names`` and those depending on them) in reverse set-up order.

        Every teardown runs; their errors (and those of earlier failures under "stop_all") are
        raised together afterwards. If the caller is cancelled meanwhile, teardown still finishes
        and the cancellation is re-raised.
        """
        if isinstance(names, str):
            names = [names]
        for name in names or ():
            self._entry(name)
        job = asyncio.get_running_loop().create_task(
            self._stop_job(list(names) if names is not None else None, auto=False),
            name="nbplug-lifespans-stop",
        )
        errors = await self._await_teardown(job)
        if names is None:
            await self._drain_jobs()
        self._raise_errors(errors)

    async def _drain_jobs(self) -> None:
        while self._jobs:
            await asyncio.wait(set(self._jobs))

    def _raise_errors(self, extra: Sequence[BaseException] = ()) -> None:
        errors = [*self._errors, *extra]
        self._errors = []
        raise_gathered(errors, f"{len(errors)} lifespan errors")

    async def wait(self) -> None:
        """Wait until no lifespan is active any more; then raise the errors gathered meanwhile."""
        loop = asyncio.get_running_loop()
        while True:
            await self._drain_jobs()
            if not self.running and not self._jobs:
                break
            waiter: asyncio.Future[None] = loop.create_future()
            self._idle_waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self._idle_waiters:
                    self._idle_waiters.remove(waiter)
        self._raise_errors()

    # ---------------------------------------------------------------------------- context manager
    async def __aenter__(self) -> LifespanGroup:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.stop()
        except asyncio.CancelledError:
            raise
        except BaseException as stop_exc:
            if exc is None:
                raise
            if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt):
                # raised with the cancellation's report: the caller takes them (take_errors)
                errors = list(stop_exc.exceptions) if isinstance(stop_exc, BaseExceptionGroup) else [stop_exc]
                self._errors.extend(errors)
                return
            raise BaseExceptionGroup(
                "the lifespan group's body and teardown both failed", [exc, stop_exc]
            ) from None
