"""Stopping a lifespan group: cancel the tasks, run each teardown once in reverse, and interrupts.

It keeps the teardown promise stated in :mod:`.group`.

The interrupt model. Teardown runs in a task of its own that the caller awaits through a shield, and
each lifespan's teardown in a task of its own inside that. Cancelling the caller while a teardown
runs (a further Ctrl-C) does not abandon the teardown: it *interrupts* it (:meth:`interrupt`):
``CancelledError`` is thrown into the one teardown running now, so its ``finally`` blocks run; that
lifespan is marked failed with a :class:`LifespanInterrupted` naming it, and the remaining teardowns
run as usual. The caller's cancellation is re-raised once every teardown was started; the errors of
those teardowns are kept for :meth:`take_errors` (the CLI prints them). Rejected: a shield that
ignores every further Ctrl-C (a hanging teardown could then only be killed, losing a notebook's
state) and abandoning the teardown on a further Ctrl-C (its resources would leak silently).

Split out of :mod:`.group`, which keeps set-up and running: teardown is a job of its own with its
own state (what a teardown waits for now, the interrupted lifespans). :class:`GroupTeardown` builds
on :class:`~.bookkeeping.GroupBookkeeping` and :class:`~.group.LifespanGroup` on it, so imports run
one way; the methods were moved unchanged.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Iterable, Sequence

from .bookkeeping import GroupBookkeeping, LifespanEntry, logger, raise_gathered
from .errors import LifespanError, LifespanInterrupted
from .events import ACTIVE_PHASES, Phase
from .interrupts import mark_interruptible, unmark_interruptible
from .order import dependents_of


class GroupTeardown(GroupBookkeeping):
    """Stopping, waiting and interrupting teardowns for a lifespan group (see the module doc)."""

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

    def _all_tasks_ended(self) -> bool:
        # daemon lifespans (the terminal keys) serve the others: their tasks never keep a group up
        live = [
            e for e in self._entries.values() if e.state.phase in ACTIVE_PHASES and not e.spec.daemon
        ]
        return bool(live) and all(
            e.state.phase is Phase.RUNNING and e.task_ended for e in live
        )

    # ----------------------------------------------------------------------------------- stopping
    def _stop_targets(self, names: Iterable[str] | None) -> list[LifespanEntry]:
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

    async def _teardown(self, targets: list[LifespanEntry]) -> list[BaseException]:
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

    async def _run_teardown(self, e: LifespanEntry) -> BaseException | None:
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

    def _teardown_failed(self, e: LifespanEntry, exc: BaseException) -> BaseException:
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

