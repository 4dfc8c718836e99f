"""LifespanGroup: set up lifespans in dependency order, run what they yield, tear down in reverse.

The teardown promise: the teardown (the code after ``yield``) of every lifespan that finished
set-up is started exactly once, whatever ends it (stop, signal, a failed task or set-up elsewhere, a
raising teardown); a user's repeated Ctrl-C may cut one short, and that is reported.

Set-up and running live here; the teardown and its interrupt handling in :mod:`.stopping` (the
interrupt model is described there), the shared bookkeeping in :mod:`.bookkeeping`: the module had
grown past 600 lines holding those jobs, and was split along them with the methods moved unchanged.
``LifespanGroup`` subclasses :class:`~.stopping.GroupTeardown`, which subclasses
:class:`~.bookkeeping.GroupBookkeeping`, so imports run one way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import inspect
import logging
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any

from .bookkeeping import LifespanEntry, logger
from .context import LifespanContext, make_logger
from .errors import LifespanError
from .events import ACTIVE_PHASES, LifespanState, Phase
from .order import setup_order
from .params import resolve_params
from .spec import LifespanSpec
from .stopping import GroupTeardown


class LifespanGroup(GroupTeardown):
    """Lifespans that set up, run and tear down together on the running event loop.

    ``on_task_failure``: "stop_all" (the CLI) stops every lifespan when a task fails and raises the
    error from ``wait()``; "isolate" (the notebook) tears down and marks FAILED only the failed
    lifespan and those depending on it.
    """

    def __repr__(self) -> str:
        inner = ", ".join(f"{s.name}={s.phase.value}" for s in self.states)
        return f"<LifespanGroup {self.on_task_failure} [{inner}]>"

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
        old = self._entries.get(spec.name)
        if old is not None and old.state.phase in ACTIVE_PHASES:
            raise ValueError(
                f"lifespan {spec.name!r} is {old.state.phase.value} in this group; stop it first "
                f"or add it under another name"
            )
        entry = LifespanEntry(spec, resolve_params(spec, params))
        self._entries.pop(spec.name, None)
        self._entries[spec.name] = entry
        self._set_phase(entry, Phase.PENDING, "added")
        return entry.state

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

    async def _roll_back(self, batch: list[LifespanEntry], exc: BaseException) -> None:
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

    async def _setup(self, e: LifespanEntry) -> None:
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

    def _make_log(self, e: LifespanEntry) -> logging.Logger:
        return make_logger(e.name, functools.partial(self._log_line, e), self.log_level)

    def _fail(self, e: LifespanEntry, exc: BaseException, where: str) -> None:
        e.errors.append(exc)
        logger.error("Lifespan '%s' failed in %s: %s: %s", e.name, where, type(exc).__name__, exc)
        e.state.log.append(f"failed in {where}: {type(exc).__name__}: {exc}")
        self._set_phase(e, Phase.FAILED, f"failed in {where}", exc)

    def _schedule(self, e: LifespanEntry) -> None:
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
    def _task_done(self, e: LifespanEntry, task: asyncio.Task[Any]) -> None:
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

    def _fail_task(self, e: LifespanEntry, exc: BaseException) -> None:
        e.errors.append(exc)
        e.state.error = exc
        e.state.log.append(f"task failed: {type(exc).__name__}: {exc}")
        logger.error("Task for '%s' failed: %s: %s", e.name, type(exc).__name__, exc)
        if self.on_task_failure == "isolate":
            self._spawn(self._stop_isolated(e), f"isolate-{e.name}")
        else:
            self._errors.append(exc)
            self._spawn(self._stop_requested(None), "stop-all")

    async def _stop_isolated(self, e: LifespanEntry) -> None:
        # Errors are recorded on each lifespan's state and logged; isolation raises nothing.
        await self._stop_job([e.name], auto=False)

    def _maybe_stop_by_itself(self) -> None:
        # tasks ending in one loop step each get here: one pending stop (it re-checks) is enough
        if self._auto_stop is not None and not self._auto_stop.done():
            return
        if self._all_tasks_ended():
            logger.debug("Every task has ended; stopping")
            self._auto_stop = self._spawn(self._stop_by_itself(), "stop-by-itself")

    async def _stop_by_itself(self) -> None:
        await self._stop_job(None, auto=True)

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
