"""LifespanGroup: set up lifespans in dependency order, run what they yield, tear down in reverse.

The teardown promise: the teardown (the code after ``yield``) of every lifespan that finished
set-up is started exactly once, whatever ends it (stop, signal, a failed task or set-up elsewhere, a
raising teardown); a user's repeated Ctrl-C may cut one short, and that is reported.

The group is one class holding set-up and running; it owns two objects, as anyio's task group uses
its cancel scope: a :class:`~.bookkeeping.Bookkeeping` (entries, observers, gathered errors, lock)
and a :class:`~.stopping.Teardown` (stopping, waiting, interrupts; the interrupt model is described
there). Its public methods are the whole API; the two objects are not part of it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import inspect
import logging
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from .._base.safetext import safe_repr, type_name
from .bookkeeping import Bookkeeping, LifespanEntry, Observer, TaskFailurePolicy, add_note, logger
from .bus import UpdateBus
from .context import LifespanContext, make_logger
from .errors import LifespanError
from .events import ACTIVE_PHASES, LifespanState, Phase
from .interrupts import is_interrupt
from .order import setup_order
from .params import resolve_params
from .spec import LifespanSpec
from .stopping import Teardown
from .tasks import start_task, task_error


class LifespanGroup:
    """Lifespans that set up, run and tear down together on the running event loop.

    ``on_task_failure``: "stop_all" (the CLI) stops every lifespan when a task fails and raises the
    error from ``wait()``; "isolate" (the notebook) tears down and marks FAILED only the failed
    lifespan and those depending on it. ``interruptible_tasks`` (the CLI): a Ctrl-C landing in a
    task's synchronous code raises KeyboardInterrupt there, and that task ends as cancelled;
    off in a notebook, where a Ctrl-C is meant for the cell that runs, not a lifespan's task.
    """

    def __init__(
        self,
        manager: Any = None,
        bus: UpdateBus | None = None,
        *,
        on_task_failure: TaskFailurePolicy = "stop_all",
        log_level: int | None = None,
        interruptible_tasks: bool = False,
    ) -> None:
        if on_task_failure not in ("stop_all", "isolate"):
            raise ValueError(
                f"on_task_failure must be 'stop_all' or 'isolate', not {safe_repr(on_task_failure)}"
            )
        self.manager = manager
        self.bus = bus if bus is not None else UpdateBus()
        self.log_level = log_level
        self.interruptible_tasks = interruptible_tasks
        self._book = Bookkeeping()
        self._teardown = Teardown(self._book, on_task_failure)
        self._auto_stop: asyncio.Task[None] | None = None

    @property
    def on_task_failure(self) -> TaskFailurePolicy:
        """What a failed task stops: "stop_all" or "isolate" (fixed when the group is made)."""
        return self._teardown.on_task_failure

    def __repr__(self) -> str:
        inner = ", ".join(f"{s.name}={s.phase.value}" for s in self.states)
        return f"<LifespanGroup {self.on_task_failure} [{inner}]>"

    # ----------------------------------------------------------------------------------- observing
    @property
    def states(self) -> list[LifespanState]:
        """Every lifespan of the group, in the order they were added."""
        return self._book.states

    def state(self, name: str) -> LifespanState:
        """The state of lifespan ``name`` (KeyError naming the known ones when absent)."""
        return self._book.entry(name).state

    @property
    def names(self) -> list[str]:
        """Names of the lifespans in the group, in the order they were added."""
        return list(self._book.entries)

    @property
    def running(self) -> bool:
        """True while some lifespan is setting up, running or stopping."""
        return self._book.running

    def subscribe(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback(event)`` on every phase change and log line; returns an unsubscribe."""
        return self._book.subscribe(callback)

    # ------------------------------------------------------------------------------------- adding
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
        old = self._book.entries.get(spec.name)
        if old is not None and old.state.phase in ACTIVE_PHASES:
            raise ValueError(
                f"lifespan {spec.name!r} is {old.state.phase.value} in this group; stop it first "
                f"or add it under another name"
            )
        entry = LifespanEntry(spec, resolve_params(spec, params))
        self._book.entries.pop(spec.name, None)
        self._book.entries[spec.name] = entry
        self._book.set_phase(entry, Phase.PENDING, "added")
        return entry.state

    # ------------------------------------------------------------------------------------ set-up
    async def start(self) -> list[str]:
        """Set up every pending lifespan (dependencies first), then schedule what they yielded.

        Returns the names set up, in order. If a set-up fails or is cancelled, every lifespan of
        this start that finished set-up is torn down (and under "stop_all", every other one too)
        before the error is raised.
        """
        async with self._book.get_lock():
            pending = [e for e in self._book.entries.values() if e.state.phase is Phase.PENDING]
            if not pending:
                return []
            running = [n for n, e in self._book.entries.items() if e.state.phase is Phase.RUNNING]
            order = setup_order(
                [e.name for e in pending], {e.name: e.spec.depends_on for e in pending}, running
            )
            batch = [self._book.entries[n] for n in order]
            try:
                for e in batch:
                    await self._setup(e)
            except BaseException as exc:
                # a set-up interrupted (a Ctrl-C, a cancellation), not failed: only this start's
                interrupted = isinstance(exc, asyncio.CancelledError | KeyboardInterrupt) and not any(
                    e.state.phase is Phase.FAILED for e in batch
                )
                await self._roll_back(batch, exc, interrupted)
                raise
            for e in batch:
                self._schedule(e)
            return order

    async def _roll_back(
        self, batch: list[LifespanEntry], exc: BaseException, interrupted: bool
    ) -> None:
        for e in batch:
            if e.state.phase is Phase.PENDING:
                self._book.set_phase(e, Phase.STOPPED, "not started: an earlier set-up did not finish")
        targets = [e for e in batch if e.setup_done]
        if self.on_task_failure == "stop_all" and not isinstance(exc, asyncio.CancelledError):
            targets = [e for e in self._book.entries.values() if e.setup_done and not e.torn_down]
        if not targets:
            return
        logger.debug("A set-up did not finish; tearing down what was set up")
        job = asyncio.get_running_loop().create_task(
            self._teardown.tear_down(targets), name="nbplug-lifespans-rollback"
        )
        errors = await self._teardown.run_to_end(job)
        if errors and interrupted:
            self._book.errors.extend(errors)  # raised with the cancellation's report (take_errors)
        elif errors:
            raise BaseExceptionGroup(
                f"a lifespan set-up failed, and {len(errors)} teardown(s) failed too",
                [exc, *errors],
            )

    async def _setup(self, e: LifespanEntry) -> None:
        self._book.set_phase(e, Phase.SETTING_UP)
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
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            e.agen = None
            if isinstance(exc, KeyboardInterrupt):
                add_note(exc, f"(raised by the set-up of lifespan {e.name!r})")
                if not is_interrupt(exc, asyncio.current_task()):
                    self._fail(e, exc, "set-up")  # the user's own raise: a failure
                    raise
            self._book.set_phase(e, Phase.STOPPED, "interrupted during set-up")  # Ctrl-C
            raise
        except BaseException as exc:
            e.agen = None
            add_note(exc, f"(raised by the set-up of lifespan {e.name!r})")
            self._fail(e, exc, "set-up")
            raise
        e.setup_done = True
        e.state.set_up_at = time.monotonic()
        self._book.seq += 1
        e.seq = self._book.seq
        if value is not None and not inspect.isawaitable(value):
            err = LifespanError(
                f"lifespan {e.name!r} yielded {safe_repr(value)} ({type_name(value)}); yield a coroutine "
                f"to run as a task, or None to stay up until stopped"
            )
            e.errors.append(err)
            e.state.error = err
            raise err
        e.job = value

    def _make_log(self, e: LifespanEntry) -> logging.Logger:
        return make_logger(e.name, functools.partial(self._book.log_line, e), self.log_level)

    def _fail(self, e: LifespanEntry, exc: BaseException, where: str) -> None:
        self._book.record_failure(e, exc, where)
        self._book.set_phase(e, Phase.FAILED, f"failed in {where}", exc)

    def _schedule(self, e: LifespanEntry) -> None:
        job, e.job = e.job, None
        if job is None:
            logger.debug("Waiting until stopped for '%s'", e.name)
        else:
            logger.debug("Scheduling task for '%s'", e.name)
            e.task = start_task(job, f"lifespan:{e.name}", interruptible=self.interruptible_tasks)
            e.task.add_done_callback(functools.partial(self._task_done, e))
            e.state.has_task = True
        self._book.set_phase(e, Phase.RUNNING)

    # ------------------------------------------------------------------------------------ running
    def _task_done(self, e: LifespanEntry, task: asyncio.Task[Any]) -> None:
        if e.stopping:
            return
        if task.cancelled():
            logger.debug("Task for '%s' cancelled", e.name)
        elif (exc := task_error(task)) is not None:
            add_note(exc, f"(raised by the task of lifespan {e.name!r})")
            self._fail_task(e, exc)
            return
        else:
            logger.debug("Task for '%s' finished", e.name)
        self._maybe_stop_by_itself()

    def _fail_task(self, e: LifespanEntry, exc: BaseException) -> None:
        e.state.error = exc
        self._book.record_failure(e, exc, "task")
        if self.on_task_failure == "isolate":
            self._book.spawn(self._stop_isolated(e), f"isolate-{e.name}")
        else:
            self._book.errors.append(exc)
            self._teardown.request_stop(None)

    async def _stop_isolated(self, e: LifespanEntry) -> None:
        # Errors are recorded on each lifespan's state and logged; isolation raises nothing.
        await self._teardown.stop_job([e.name], auto=False)

    def _maybe_stop_by_itself(self) -> None:
        # tasks ending in one loop step each get here: one pending stop (it re-checks) is enough
        if self._auto_stop is not None and not self._auto_stop.done():
            return
        if self._book.all_tasks_ended():
            logger.debug("Every task has ended; stopping")
            self._auto_stop = self._book.spawn(self._stop_by_itself(), "stop-by-itself")

    async def _stop_by_itself(self) -> None:
        await self._teardown.stop_job(None, auto=True)

    # ----------------------------------------------------------------------------------- stopping
    def request_stop(self, names: Sequence[str] | None = None) -> None:
        """Start stopping (all, or ``names`` and their dependents) without awaiting it.

        For synchronous callers such as signal handlers and widget buttons, on the loop's thread
        or any other; errors are raised later by ``wait()`` or ``stop()``.
        """
        for name in names or ():
            self._book.entry(name)
        self._teardown.request_stop(list(names) if names is not None else None)

    async def stop(self, names: Sequence[str] | None = None) -> None:
        """Stop all lifespans (or ``names`` and those depending on them) in reverse set-up order.

        Every teardown runs; their errors (and those of earlier failures under "stop_all") are
        raised together afterwards. If the caller is cancelled meanwhile, teardown still finishes
        and the cancellation is re-raised.
        """
        if isinstance(names, str):
            names = [names]
        for name in names or ():
            self._book.entry(name)
        await self._teardown.stop(list(names) if names is not None else None)

    async def wait(self) -> None:
        """Wait until no lifespan is active any more; then raise the errors gathered meanwhile."""
        await self._book.wait_idle()
        self._book.raise_errors()

    def interrupt(self) -> list[str]:
        """Cut short what a teardown waits for now; return the names of the lifespans concerned.

        A repeated Ctrl-C calls this (the CLI directly, the notebook by cancelling the awaiting
        cell). While a lifespan's teardown runs, ``CancelledError`` is thrown into it (its
        ``finally`` blocks run) and the lifespan is marked failed with a
        :class:`LifespanInterrupted`; the teardown goes on with the next lifespan. While the
        teardown waits for cancelled tasks to end, they are cancelled again. Outside a teardown,
        nothing happens (an empty list).
        """
        return self._teardown.interrupt()

    @property
    def interrupted_teardowns(self) -> list[str]:
        """The lifespans whose teardown an interrupt cut short, in order."""
        return list(self._teardown.interrupted)

    def take_errors(self) -> list[BaseException]:
        """The errors gathered and not raised yet (teardowns that failed while the caller was
        cancelled, a failed task under "stop_all"), forgetting them."""
        return self._book.take_errors()

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
                self._book.errors.extend(errors)
                return
            raise BaseExceptionGroup(
                "the lifespan group's body and teardown both failed", [exc, stop_exc]
            ) from None
