"""Stopping a lifespan group: cancel the tasks, run each teardown once in reverse, and interrupts.

It keeps the teardown promise stated in :mod:`.group`. :class:`Teardown` is an object the group
owns; it reads and changes the group's entries through the group's :class:`~.bookkeeping.Bookkeeping`.

The interrupt model. Teardown runs in a task of its own that the caller awaits through a shield, and
each lifespan's teardown runs in that task. Cancelling the caller while a teardown runs (a further
Ctrl-C) does not abandon the teardown: it *interrupts* it (:meth:`Teardown.interrupt`):
``CancelledError`` is thrown into the one teardown running now, so its ``finally`` blocks run; that
lifespan is marked failed with a :class:`LifespanInterrupted` naming it, and the remaining teardowns
run as usual. The caller's cancellation is re-raised once every teardown was started; the errors of
those teardowns are kept for ``take_errors`` (the CLI prints them). Rejected: a shield that ignores
every further Ctrl-C (a hanging teardown could then only be killed, losing a notebook's state),
abandoning the teardown on a further Ctrl-C (its resources would leak silently), and a task per
teardown (it made stopping trivial lifespans several times dearer).
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

from .._base.safetext import error_text
from .bookkeeping import Bookkeeping, LifespanEntry, TaskFailurePolicy, add_note, logger
from .errors import LifespanError, LifespanInterrupted
from .events import Phase
from .interrupts import is_interrupt, mark_interruptible, unmark_interruptible
from .order import dependents_of
from .tasks import task_error


class Teardown:
    """Stopping, waiting and interrupting teardowns for a lifespan group (see the module doc)."""

    def __init__(self, book: Bookkeeping, on_task_failure: TaskFailurePolicy) -> None:
        self.book = book
        self.on_task_failure: TaskFailurePolicy = on_task_failure
        #: What a teardown job waits for now: the cancelled tasks, or one lifespan's teardown.
        self.waiting_tasks: dict[asyncio.Task[Any], LifespanEntry] = {}
        self.step: tuple[LifespanEntry, asyncio.Task[Any]] | None = None
        #: The lifespans whose teardown an interrupt cut short, in order.
        self.interrupted: list[str] = []

    async def run_to_end(self, job: asyncio.Task[list[BaseException]]) -> list[BaseException]:
        """Await a teardown job to its end; each cancellation meanwhile interrupts the teardown
        running then (see :meth:`interrupt`). A cancellation is re-raised at the end, the job's
        errors kept in the bookkeeping's errors."""
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
            self.book.errors.extend(job.result())
            raise cancelled
        return job.result()

    def interrupt(self) -> list[str]:
        """Cut short what a teardown waits for now (see ``LifespanGroup.interrupt``)."""
        if self.step is not None:
            entry, job = self.step
            if not job.done():
                entry.cuts += 1
                job.cancel()
                return [entry.name]
        names = []
        for task, entry in self.waiting_tasks.items():
            if not task.done():
                task.cancel()
                names.append(entry.name)
        return names

    # ----------------------------------------------------------------------------------- stopping
    def targets(self, names: Iterable[str] | None) -> list[LifespanEntry]:
        live = {n: e for n, e in self.book.entries.items() if e.setup_done and not e.torn_down}
        if names is None:
            return list(live.values())
        wanted = dependents_of(set(names), {n: e.spec.depends_on for n, e in live.items()}, live)
        return [e for n, e in live.items() if n in wanted]

    async def stop_job(self, names: Sequence[str] | None, *, auto: bool) -> list[BaseException]:
        """Tear down ``names`` (None: all) under the group's lock; ``auto``: only if every task
        has ended by then. The errors are returned for a named stop, else gathered."""
        async with self.book.get_lock():
            if auto and not self.book.all_tasks_ended():
                return []
            errors = await self.tear_down(self.targets(names))
            if names is not None and not auto:
                return errors
            if not auto or self.on_task_failure == "stop_all":
                self.book.errors.extend(errors)
            return []

    def request_stop(self, names: Sequence[str] | None) -> None:
        """Spawn a stop job, from the loop's thread or any other."""
        book = self.book
        if book.loop is not None and threading.get_ident() != book.thread_id:
            book.loop.call_soon_threadsafe(self.request_stop, names)
            return
        book.spawn(self._stop_requested(names), "stop-requested")

    async def _stop_requested(self, names: Sequence[str] | None) -> None:
        self.book.errors.extend(await self.stop_job(names, auto=False))

    async def stop(self, names: Sequence[str] | None) -> None:
        """Stop ``names`` (None: all) and raise every error gathered (see ``LifespanGroup.stop``)."""
        job = asyncio.get_running_loop().create_task(
            self.stop_job(names, auto=False), name="nbplug-lifespans-stop"
        )
        errors = await self.run_to_end(job)
        if names is None:
            await self.book.drain_jobs()
        self.book.raise_errors(errors)
    async def tear_down(self, targets: list[LifespanEntry]) -> list[BaseException]:
        """Cancel the targets' tasks, then run each teardown once, in reverse set-up order."""
        targets = sorted(targets, key=lambda e: e.seq, reverse=True)
        errors: list[BaseException] = []
        for e in targets:
            e.stopping = True
            job, e.job = e.job, None
            if inspect.iscoroutine(job):  # set up but never scheduled (a later set-up failed)
                job.close()
            self.book.set_phase(e, Phase.STOPPING)
        tasks = {e.task for e in targets if e.task is not None and not e.task.done()}
        for task in tasks:
            task.cancel()
        if tasks:
            self.waiting_tasks = {e.task: e for e in targets if e.task in tasks}
            try:
                await asyncio.wait(tasks)
            finally:
                self.waiting_tasks = {}
        for e in targets:
            if e.task is not None and e.task in tasks:
                if e.task.cancelled():
                    logger.debug("Task for '%s' cancelled", e.name)
                elif (exc := task_error(e.task)) is not None:
                    add_note(exc, f"(raised by the task of lifespan {e.name!r} when cancelled)")
                    e.errors.append(exc)
                    errors.append(exc)
        logger.debug("Terminating…")
        cancelled: asyncio.CancelledError | None = None
        for e in targets:
            try:
                err = await self._run_one(e)
            except asyncio.CancelledError as exc:  # cancelled from outside: finish the others
                cancelled = exc
                err = None
            if err is not None:
                errors.append(err)
            if e.errors:
                first = e.errors[0] if len(e.errors) == 1 else BaseExceptionGroup(
                    f"lifespan {e.name!r} failed", list(e.errors)
                )
                self.book.set_phase(e, Phase.FAILED, "failed", first)
            else:
                self.book.set_phase(e, Phase.STOPPED)
            e.task = None
        if cancelled is not None:
            raise cancelled
        return errors

    async def _run_one(self, e: LifespanEntry) -> BaseException | None:
        """Run one lifespan's code after ``yield``, in this teardown job's task.

        :meth:`interrupt` cancels this task while the teardown awaits: the CancelledError is
        thrown into the teardown (its ``finally`` blocks run), recorded as a LifespanInterrupted,
        and the task uncancelled again so the job goes on.
        """
        agen, e.agen = e.agen, None
        if agen is None or e.torn_down:
            return None
        e.torn_down = True
        e.state.teardown_at = time.monotonic()
        logger.debug("Tearing down '%s'", e.name)
        task = asyncio.current_task()
        assert task is not None
        self.step = (e, task)
        mark_interruptible(task)  # a Ctrl-C in its synchronous code cuts it short too
        try:
            await agen.__anext__()
        except StopAsyncIteration:
            return None
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            # a Ctrl-C cuts; the teardown's own raise of KeyboardInterrupt is a failure like any
            if e.cuts or is_interrupt(exc, task):
                self.interrupted.append(e.name)
                return self._failed(e, LifespanInterrupted(e.name))
            if isinstance(exc, asyncio.CancelledError) and task.cancelling():
                raise  # cancelled from outside (loop shutdown): _teardown finishes the others
            return self._failed(e, exc)
        except BaseException as exc:
            if e.cuts:
                add_note(exc, f"(raised while an interrupt cut the teardown of {e.name!r} short)")
            return self._failed(e, exc)
        finally:
            self.step = None
            unmark_interruptible(task)
            for _ in range(min(e.cuts, task.cancelling())):
                task.uncancel()  # our own cuts only: an outside cancellation stays
            e.cuts = 0
        err = LifespanError(f"lifespan {e.name!r} yielded a second time; a lifespan yields once")
        try:
            await agen.aclose()
        except BaseException as exc:
            err.add_note(f"closing it then raised {error_text(exc)}")
        return self._failed(e, err)

    def _failed(self, e: LifespanEntry, exc: BaseException) -> BaseException:
        add_note(exc, f"(raised by the teardown of lifespan {e.name!r})")
        self.book.record_failure(e, exc, "teardown")
        return exc
