"""Catch what a hook call's code prints and logs, and hand each line to the step that made it.

While a traced call runs, ``sys.stdout`` / ``sys.stderr`` are swapped for writers that stamp each
write with ``time.perf_counter()`` and a handler on the root logger does the same for log records.
Afterwards :meth:`CallCapture.attach` gives each line to the wrapper or extension whose time span
(the trace's own clock, see ``CallTrace.clock_origin``) contains it — an extension's run, a
wrapper's before or after its ``yield`` — so the view shows it at that step.

Only the calling task's output is taken: a lifespan's background task printing while an async
extension awaits goes on to the real stream (it is not the call's), and so does another thread's.
Rejected: asking the interpreter which step runs (a context variable set around each step) — it
would put work on the kit's traced path for a view's sake; the trace's times already say it.
Log records are caught at the levels the logging configuration lets through, as they would print.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from nbplug._base.loops import current_task
from nbplug._kit.tracing import CallTrace, TraceStep

from .model import OutputLine

__all__ = ["CallCapture", "call_view"]


class _Writer(io.TextIOBase):
    """A stream that keeps the capturing task's writes and passes everyone else's through."""

    def __init__(self, capture: CallCapture, stream: str, original: TextIO) -> None:
        super().__init__()
        self._capture = capture
        self._stream = stream
        self.original = original

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._capture.is_ours():
            self._capture.records.append((time.perf_counter(), self._stream, text))
        else:
            self.original.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(Exception):
            self.original.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", "utf-8") or "utf-8"

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        """Anything else (``buffer``, ``fileno``, a kernel stream's own attributes) is the real
        stream's, so code that reaches past ``write`` keeps working while the call is caught."""
        return getattr(self.original, name)


class _Handler(logging.Handler):
    def __init__(self, capture: CallCapture) -> None:
        super().__init__(logging.NOTSET)
        self._capture = capture
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if self._capture.is_ours():
            self._capture.records.append((time.perf_counter(), "log", self.format(record) + "\n"))


class CallCapture:
    """A context manager catching one call's printed output and log lines (re-enterable)."""

    def __init__(self) -> None:
        self.records: list[tuple[float, str, str]] = []
        self._task: object = None
        self._thread = 0
        self._saved: list[tuple[str, TextIO]] = []
        self._handler: _Handler | None = None

    def is_ours(self) -> bool:
        """Whether the code writing now is the call's: the capturing thread and asyncio task."""
        return threading.get_ident() == self._thread and current_task() is self._task

    def __enter__(self) -> CallCapture:
        self._thread, self._task = threading.get_ident(), current_task()
        for name in ("stdout", "stderr"):
            original = getattr(sys, name)
            self._saved.append((name, original))
            setattr(sys, name, _Writer(self, name, original))
        self._handler = _Handler(self)
        logging.getLogger().addHandler(self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handler is not None:
            logging.getLogger().removeHandler(self._handler)
            self._handler = None
        for name, original in reversed(self._saved):
            setattr(sys, name, original)
        self._saved.clear()

    def attach(self, trace: CallTrace) -> list[OutputLine]:
        """Give each caught line to the step that made it (its ``output``); return the lines no
        step ran at (they belong to the call as a whole)."""
        origin = float(getattr(trace, "clock_origin", 0.0) or 0.0)
        leftovers: list[OutputLine] = []
        pieces: list[tuple[object, list[tuple[float, str, str]] | None, float, str, str]] = []
        for at, stream, text in self.records:
            rel = at - origin
            owner = _owner(trace.steps, rel) if origin else None
            sink = getattr(owner, "output", None) if owner is not None else None
            # one piece per step and moment: a wrapper's before and after stay apart
            setup_end = getattr(owner, "setup_end", None)
            slot = (id(owner), setup_end is not None and rel > setup_end)
            last = pieces[-1] if pieces else None
            if last is not None and last[0] == slot and last[3] == stream and stream != "log":
                pieces[-1] = (slot, sink, last[2], stream, last[4] + text)
            else:
                pieces.append((slot, sink, rel, stream, text))
        for _, sink, rel, stream, text in pieces:
            for line in text.rstrip("\n").split("\n") if text.strip("\n") else []:
                if sink is None:
                    leftovers.append(OutputLine(stream, line))
                else:
                    sink.append((rel, stream, line))
        self.records.clear()
        return leftovers


def _owner(steps: Any, rel: float) -> TraceStep | None:
    """The innermost step running at ``rel`` seconds into the call."""
    for step in steps:
        if step.not_called or not (step.start <= rel <= step.end):
            continue
        if step.kind == "wrapper":
            inner = _owner(step.children, rel)
            if inner is not None:
                return inner
        return step  # type: ignore[no-any-return]
    return None


def call_view(caller: Callable[..., Any], /, *, timeline: bool = False, **kwargs: Any) -> Any:
    """Call a hook traced, catching what its code prints and logs, and return its call view.

    ``call_view(pm.hook.price, item="tea")`` for a ``PluginManager``'s hook; for an
    ``AsyncPluginManager``'s the result is awaited, as the call itself is:
    ``await call_view(pm.hook.fetch, topic="harbor")``.
    """
    from .widget import HookCallView, order_reason

    traced = getattr(caller, "traced", None)
    if traced is None:
        raise TypeError(
            f"call_view needs a hook (pm.hook.NAME or pm.caller(NAME)); got {type(caller).__name__}"
        )
    why = order_reason(caller)  # the order the call is about to run in
    capture = CallCapture()
    with capture:
        made = traced(**kwargs)
    if not inspect.isawaitable(made):
        return HookCallView(made, timeline=timeline, output=capture.attach(made), why=why)

    async def finish() -> HookCallView:
        with capture:
            trace = await made
        return HookCallView(trace, timeline=timeline, output=capture.attach(trace), why=why)

    return finish()
