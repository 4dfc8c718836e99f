"""A running ``%%hook`` call made visible: which extension runs now, and how far an interrupted
call got.

:func:`watched_call` awaits the traced call on a trace it holds (the kit fills it as the call
goes). After :data:`PROGRESS_AFTER` seconds one output line of the cell says which extension (or
which wrapper, before or after its ``yield``) runs now and for how long, refreshed every
:data:`REFRESH` seconds while the kernel awaits, and emptied when the call ends. An interrupted call
(cancelled, or a KeyboardInterrupt raised in a synchronous extension) is shown as far as it got,
the extension that was running marked interrupted, before the interrupt goes on to the user.
Decision: a display with an id, updated in place (IPython's ``display(..., display_id=True)``),
so the line stays one line in the cell and in a saved notebook. Rejected: printing a line per
refresh (a wall of lines), and a progress widget (no text form, and nothing in a terminal).
"""

from __future__ import annotations

import asyncio
import time
import types
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from nbplug._kit.errors import MissingArgumentWarning
from nbplug._kit.interpret import new_trace, traced_async
from nbplug._kit.tracing import CallTrace, TraceStep

#: Seconds a call runs before the cell says which extension runs now.
PROGRESS_AFTER = 1.0
#: Seconds between two refreshes of that line.
REFRESH = 0.25

Shown = Callable[[CallTrace, Sequence[Any]], None]


def running_now(trace: CallTrace) -> str:
    """Which step of ``trace`` runs now, in words: ``fetch: Slow.fetch (plugin 'Slow') runs, 2.1 s``."""
    current: TraceStep | None = None
    for _, step in trace.walk():
        if not step.not_called and step.end == 0.0:
            current = step  # the innermost unfinished step is the one running
    elapsed = time.perf_counter() - trace.clock_origin
    if current is None:
        return f"{trace.hook}: running, {elapsed:.1f} s"
    where = ""
    if current.kind == "wrapper":
        where = " before yield" if current.setup_end is None else (
            " after yield" if current.teardown_start is not None else " around the extensions")
    return (f"{trace.hook}: {current.function} (plugin {current.plugin_name!r}){where} runs now, "
            f"{elapsed:.1f} s")


class _ProgressLine:
    """The cell's "runs now" line of one call: shown by a task after PROGRESS_AFTER seconds,
    refreshed while the call awaits, emptied by :meth:`stop` without awaiting anything.

    Decision: stopping never awaits. A ``%%hook`` reached synchronously (``%autoawait off``) runs
    the call's first step by hand; an await after the call (to let the cancelled refresh task
    finish) would suspend that step and send the finished call, or its Ctrl-C, to the
    background."""

    def __init__(self, trace: CallTrace) -> None:
        self.trace = trace
        self.handle: Any = None
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        from IPython.core.getipython import get_ipython
        from IPython.display import display

        await asyncio.sleep(PROGRESS_AFTER)
        handle = display({"text/plain": running_now(self.trace)}, raw=True, display_id=True)  # type: ignore[no-untyped-call]
        if getattr(get_ipython(), "kernel", None) is None:
            return  # a terminal prints each update as a new line: one line says it
        self.handle = handle
        while True:
            await asyncio.sleep(REFRESH)
            handle.update({"text/plain": running_now(self.trace)}, raw=True)

    def stop(self) -> None:
        self.task.cancel()
        if self.handle is not None:
            self.handle.update({"text/plain": ""}, raw=True)


def mark_interrupted(trace: CallTrace, interrupt: BaseException) -> KeyboardInterrupt:
    """Mark the steps an interrupt stopped (and the call) as interrupted; the KeyboardInterrupt
    the view shows."""
    shown = interrupt if isinstance(interrupt, KeyboardInterrupt) else KeyboardInterrupt(
        "interrupted")
    now = time.perf_counter() - trace.clock_origin
    for _, step in trace.walk():
        if isinstance(step.exception, asyncio.CancelledError):
            step.exception = shown
        if not step.not_called and step.end == 0.0:
            step.exception, step.end = shown, now
    trace.exception = shown
    trace.duration = now
    return shown


async def watched_call(
    caller: Any, kwargs: dict[str, object], *, capture: bool, interrupted: Shown | None = None,
    warned: bool = False,
) -> tuple[CallTrace, list[Any]]:
    """Await the traced call with its progress line; with ``capture``, what its code prints and
    logs goes to the step that made it. On an interrupt, ``interrupted(trace, output)`` is given
    the call as far as it got, and the interrupt goes on. Returns the trace and the caught
    lines no step can be given. ``warned``: the user was told of the arguments the call leaves
    out, so the kit's MissingArgumentWarning is not issued again."""
    __tracebackhide__ = True
    plan = caller.plan()
    with warnings.catch_warnings():  # (no await inside: the filter is this call's alone)
        if warned:
            warnings.simplefilter("ignore", MissingArgumentWarning)
        kw = caller.normalize(kwargs)  # an undeclared argument: HookCallError, before anything runs
    trace = new_trace(plan, kw)
    progress = _ProgressLine(trace)
    catcher: Any = None
    if capture:
        from ..widgets.callview.capture import CallCapture

        catcher = CallCapture()
    try:
        if catcher is None:
            await traced_async(plan, kw, into=trace)
        else:
            with catcher:
                await traced_async(plan, kw, into=trace)
    except (asyncio.CancelledError, KeyboardInterrupt) as exc:
        mark_interrupted(trace, exc)
        if interrupted is not None:
            interrupted(trace, catcher.attach(trace) if catcher is not None else [])
        raise
    finally:
        progress.stop()
    return trace, catcher.attach(trace) if catcher is not None else []


def cut_after_user(tb: types.TracebackType | None, is_library: Callable[[Any], bool]
                   ) -> types.TracebackType | None:
    """``tb`` without the library frames below the user's last one (asyncio's ``sleep`` and
    its future, where an interrupt found an awaiting extension): the user's frame ends it."""
    entries: list[types.TracebackType] = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    while entries and is_library(entries[-1]):
        entries.pop()
    new: types.TracebackType | None = None
    for entry in reversed(entries):
        new = types.TracebackType(new, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return new
