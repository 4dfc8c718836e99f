"""What one hook call did, read off its trace in the words the call view shows.

The three forms of the call view (static HTML, live widget, text) render one model built here, so
they cannot drift apart: a node per wrapper or extension, nested as the wrappers nest; each
wrapper's *before* and *after* as moments around what it wraps (what it received at ``yield`` and
what it returned); each extension's outcome, the value a pipeline step received, and — for one
never called — the reason in words ("firstresult answered by sale", "broken raised"); the lines it
printed or logged.

Everything is derived from the trace's public attributes, so the view works on any trace record of
the same shape (a recorder's, a plain ``CallTrace``): fields newer than the contract
(``output``, ``pipeline_arg``) are read with defaults. Rejected: computing reasons while tracing —
the interpreter would carry the view's vocabulary, and old records would show no reasons.

A view is bounded whatever the call: at most ``limit`` steps (in call order, from ``start``; the
wrappers around a shown step always show, as its frame) and :data:`MAX_OUTPUT` printed lines a
step (:data:`MAX_LINES` in all), each cut, so a call of thousands of extensions publishes a few
hundred kilobytes, and the model says what it left out and how to see it (``left_out``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from nbplug._base.safetext import error_text, shorten
from nbplug._kit.tracing import CallTrace, TraceStep

from ..base.shapes import walk_steps
from ..designmap.snapshot import HookEntry
from ..designmap.snapshot import mode_words as designmap_mode_words
from ..format.text import MAX_LINE, name_text, thread_label
from .values import ValueTexts

__all__ = [
    "CallModel",
    "Moment",
    "Node",
    "OutputLine",
    "build_call_model",
    "mode_words",
    "step_label",
]

#: Steps a call view shows at most (the rest: ``HookCallView(trace, start=...)``).
MAX_STEPS = 200
#: Printed or logged lines shown at one step (or outside any step), and in the whole view; each
#: is cut to MAX_LINE.
MAX_OUTPUT = 20
MAX_LINES = 200

def mode_words(mode: str, pipeline_arg: str | None = None) -> str:
    """A hook's mode said in words, as the design map says it (the mode's name first)."""
    argnames = (pipeline_arg,) if pipeline_arg else ()
    return designmap_mode_words(HookEntry(name="", mode=mode, signature="", argnames=argnames))


class OutputLine(NamedTuple):
    """A line an extension printed or logged while it ran (``stream``: stdout, stderr or log)."""

    stream: str
    text: str


@dataclass(frozen=True)
class Moment:
    """A wrapper's code before or after its ``yield``: when, how long, and what passed through."""

    kind: Literal["before", "after"]
    at: float
    took: float
    words: str  # "received ['a'], returned ['a']" / "raised ValueError: x" / ""
    failed: bool
    output: tuple[OutputLine, ...] = ()


@dataclass(frozen=True)
class Node:
    """One wrapper or extension of the call, with what it did (and, for a wrapper, what it wraps)."""

    kind: Literal["wrapper", "extension"]
    label: str
    status: Literal["returned", "none", "raised", "not called"]
    outcome: str
    took: float | None
    at: float | None
    received: str | None = None  # a pipeline step: the value it was given
    before: Moment | None = None
    after: Moment | None = None
    children: tuple[Node, ...] = ()
    output: tuple[OutputLine, ...] = ()
    note: str | None = None  # e.g. "nothing inside ran: the wrapper raised before yield"


@dataclass(frozen=True)
class CallModel:
    """The whole call: its head line, mode in words, result, time, and the nested nodes."""

    call: str
    mode: str
    mode_words: str
    outcome: str
    failed: bool
    duration: float
    nodes: tuple[Node, ...]
    extensions: int
    wrappers: int
    output: tuple[OutputLine, ...] = ()  # lines no single extension can be given
    why: str | None = None  # why this order (known when the view was made from the hook itself)
    left_out: str | None = None  # the steps past the view's bound, and how to see them
    thread: str | None = None  # "thread pool_0": a recorded call made on another thread

    def walk(self) -> list[tuple[int, Node]]:
        """Every node with its depth, in call order (a wrapper before what it wraps)."""
        found: list[tuple[int, Node]] = []

        def visit(nodes: Sequence[Node], depth: int) -> None:
            for node in nodes:
                found.append((depth, node))
                visit(node.children, depth + 1)

        visit(self.nodes, 0)
        return found


def step_label(plugin_name: str, function: str) -> str:
    """How a step is named: ``Flatten.check`` when the function already says the plugin's name,
    else ``sale (Sale.price)`` — never ``Flatten Flatten.check``. A function defined inside
    another is named from its own class on (``Timing.fetch``, not ``test.<locals>.Timing.fetch``)."""
    plugin_name, function = name_text(plugin_name), name_text(function.rpartition("<locals>.")[2])
    if function == plugin_name or function.startswith(plugin_name + "."):
        return function
    return f"{plugin_name} ({function})" if function else plugin_name


def _status(step: TraceStep) -> tuple[Literal["returned", "none", "raised"], str]:
    """How a step ended, without the words (for a step the view walks but does not show)."""
    if step.exception is not None:
        return "raised", ""
    return ("none", "") if step.result is None else ("returned", "")


def _outcome(step: TraceStep, texts: ValueTexts) -> tuple[Literal["returned", "none", "raised"], str]:
    if step.exception is not None:
        return "raised", "raised " + error_text(step.exception)
    if step.result is None:
        return "none", "→ None"
    return "returned", "→ " + texts.text(step.result)


def _step_lines(step: TraceStep, start: float, end: float | None) -> list[OutputLine]:
    lines = getattr(step, "output", None) or ()
    return [OutputLine(stream, text) for at, stream, text in lines
            if at >= start and (end is None or at <= end)]


class _Builder:
    def __init__(self, trace: CallTrace, start: int, limit: int) -> None:
        self.first, self.last = start, start + limit - 1  # the steps shown, numbered in call order
        self.number = 0
        self.texts = ValueTexts()  # each value formatted once, for every mention of it
        self.lines_left = MAX_LINES  # printed and logged lines the whole view may still show
        self.mode = "collecting" if trace.mode == "historic" else trace.mode
        kwargs: Mapping[str, object] = trace.kwargs
        name = getattr(trace, "pipeline_arg", None)
        if self.mode == "pipeline" and name is None and kwargs:
            name = next(iter(kwargs))  # a record without pipeline_arg: the value is the first argument
        self.pipeline_arg: str | None = name if self.mode == "pipeline" else None
        self.initial = kwargs.get(name) if name is not None else None

    def output(self, lines: Sequence[OutputLine]) -> tuple[OutputLine, ...]:
        """At most MAX_OUTPUT of ``lines`` (fewer once the view has shown MAX_LINES), each cut to
        MAX_LINE, and a line saying how many more there were."""
        room = max(min(MAX_OUTPUT, self.lines_left), 0)
        shown = tuple(OutputLine(o.stream, shorten(o.text, MAX_LINE)) for o in lines[:room])
        self.lines_left -= len(shown)
        if len(lines) > len(shown):
            shown += (OutputLine(lines[len(shown)].stream, f"… {len(lines) - len(shown):,} more lines"),)
        return shown

    def section(self, steps: Sequence[TraceStep]) -> tuple[Node, ...]:
        """The nodes of one level: a wrapper (whose children are the next level) or extensions;
        a step past the view's bound is walked (the reasons after it depend on it), not kept."""
        nodes: list[Node] = []
        value = self.initial
        stopped_by: str | None = None  # why the extensions after this point were not called
        for step in steps:
            self.number += 1
            shown = self.first <= self.number <= self.last
            if step.kind == "wrapper":
                node = self.wrapper(step)
                if shown or node.children:  # a wrapper frames the shown steps inside it
                    nodes.append(node)
                continue
            label = step_label(step.plugin_name, step.function) if shown else ""
            received = self.texts.text(value) if self.pipeline_arg is not None and shown else None
            if step.not_called:
                reason = f"not called — {stopped_by}" if stopped_by else "not called"
                if shown:
                    nodes.append(Node("extension", label, "not called", reason, None, None))
                continue
            status, words = _outcome(step, self.texts) if shown else _status(step)
            if self.pipeline_arg is not None and status == "none" and shown:
                words = f"→ None (the value stays {self.texts.text(value)})"
            if shown:
                nodes.append(
                    Node(
                        "extension", label, status, words, step.end - step.start, step.start,
                        received=received, output=self.output(_step_lines(step, step.start, None)),
                    )
                )
            if status == "raised":
                stopped_by = f"{step.plugin_name} raised"
            elif status == "returned":
                if self.mode == "firstresult":
                    stopped_by = f"firstresult answered by {step.plugin_name}"
                elif self.mode == "pipeline":
                    value = step.result
        return tuple(nodes)

    def inner_outcome(self, children: Sequence[TraceStep]) -> tuple[str, bool] | None:
        """What a wrapper received at its yield: the next wrapper's outcome, or the extensions'."""
        if not children:
            return None
        if children[0].kind == "wrapper":
            inner = children[0]
            if inner.exception is not None:
                return f"the error {error_text(inner.exception)}", True
            return self.texts.text(inner.result), False
        called = [s for s in children if not s.not_called]
        for step in called:
            if step.exception is not None:
                return f"the error {error_text(step.exception)}", True
        answers = [s.result for s in called if s.result is not None]
        if self.mode == "firstresult":
            return self.texts.text(answers[0] if answers else None), False
        if self.mode == "pipeline":
            return self.texts.text(answers[-1] if answers else self.initial), False
        return self.texts.text(answers), False

    def wrapper(self, step: TraceStep) -> Node:
        label = step_label(step.plugin_name, step.function)
        setup_end = step.setup_end
        if setup_end is None:  # raised (or was stopped) before its yield
            error = step.exception
            before = Moment(
                "before", step.start, step.end - step.start,
                "raised " + error_text(error) if error is not None else "",
                error is not None, self.output(_step_lines(step, step.start, None)),
            )
            return Node(
                "wrapper", label, "raised" if error is not None else "none",
                "raised before yield: " + error_text(error) if error is not None else "",
                step.end - step.start, step.start, before=before,
                children=self.section(step.children),
                note="nothing inside ran: the wrapper raised before its yield",
            )
        before = Moment(
            "before", step.start, setup_end - step.start, "", False,
            self.output(_step_lines(step, step.start, setup_end)),
        )
        after: Moment | None = None
        if step.teardown_start is not None:
            inner = self.inner_outcome(step.children)
            received = f"received {inner[0]}" if inner else ""
            if step.exception is not None:
                gave = "raised " + error_text(step.exception)
            elif inner is not None and not inner[1] and inner[0] == self.texts.text(step.result):
                gave = "returned it unchanged"
            else:
                gave = "returned " + self.texts.text(step.result)
            after = Moment(
                "after", step.teardown_start, step.end - step.teardown_start,
                f"{received}, {gave}" if received else gave, step.exception is not None,
                self.output(_step_lines(step, step.teardown_start, None)),
            )
        status, words = _outcome(step, self.texts)
        if after is not None:
            words = ""  # its after-yield moment says what it returned
        return Node(
            "wrapper", label, status, words, step.end - step.start, step.start,
            before=before, after=after, children=self.section(step.children),
        )


def _call_line(trace: CallTrace, texts: ValueTexts) -> str:
    args = ", ".join(f"{k}={texts.text(v, 60)}" for k, v in trace.kwargs.items())
    return f"{trace.hook}({args})"


def build_call_model(
    trace: CallTrace, output: Sequence[OutputLine] = (), why: str | None = None, *,
    start: int = 1, limit: int = MAX_STEPS, thread: str | None = None,
) -> CallModel:
    """The call view's model of ``trace`` (``output``: lines no single step can be given;
    ``why``: why the extensions ran in this order), showing ``limit`` steps from step ``start``;
    ``thread``: the thread a recorded call was made on, when not the recording's own (a trace
    does not say: the recording does)."""
    if start < 1 or limit < 1:
        raise ValueError(f"start and limit count steps from 1; got start={start!r}, limit={limit!r}")
    builder = _Builder(trace, start, limit)
    nodes = builder.section(trace.steps)
    if trace.exception is not None:
        outcome, failed = "raised " + error_text(trace.exception), True
    else:
        outcome, failed = "→ " + builder.texts.text(trace.result), False
    kinds = [step.kind for _, step in walk_steps(trace.steps)]
    wrappers = kinds.count("wrapper")
    return CallModel(
        _call_line(trace, builder.texts), trace.mode, mode_words(trace.mode, builder.pipeline_arg),
        outcome, failed,
        trace.duration, nodes, len(kinds) - wrappers, wrappers, builder.output(output),
        why, _left_out(len(kinds), start, limit), thread_label(thread) or None,
    )


def _left_out(total: int, start: int, limit: int) -> str | None:
    """What a bounded view leaves out, and the calls that show it."""
    last = min(start + limit - 1, total)
    if start == 1 and last == total:
        return None
    ways = []
    if last < total:
        ways.append(f"HookCallView(trace, start={last + 1}) shows the next {min(limit, total - last):,}")
    if start > 1:
        ways.append(f"start={max(1, start - limit)} the ones before")
    return (f"showing steps {start:,}–{last:,} of {total:,} (each wrapper with what it wraps); "
            + ", ".join(ways) + "; trace.steps holds them all")
