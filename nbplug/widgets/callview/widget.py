"""The call view: what one hook call did, extension by extension, in three forms of one design.

``HookCallView(trace)`` renders a trace (``caller.traced(...)``, the session's ``last_trace``, or
any record of the same shape) as text, as escaped static HTML (``%%hook``'s default output) and as
a live widget with a timeline toggle; all three are built from one model
(:mod:`.model`), so they say the same thing. ``trace_text`` / ``trace_html`` are the
functional forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from nbplug._kit.tracing import CallTrace

from ..base.shapes import walk_steps
from ..base.view import View, ipywidgets_module
from ..designmap.snapshot import Cell
from ..format.text import name_text
from .html import call_html
from .model import MAX_STEPS, CallModel, OutputLine, build_call_model
from .replay import CallReplay
from .text import call_text

__all__ = ["HookCallView", "order_reason", "trace_html", "trace_text"]


def order_reason(caller: object, trace: CallTrace | None = None) -> str | None:
    """Why ``caller``'s extensions run in the order they do, in the design map's words (None when
    it cannot be read: a view must never fail for the sake of its explanation).

    With the ``trace`` of a call already made, the reason speaks of that call: its steps, in the
    order they ran, with the marks the hook's extensions carry -- so a plugin registered during the
    call (which did not run in it) is not named. Decision: read the order off the trace rather
    than the hook, which may have changed since; the marks (tryfirst, wrapper...) come from the
    hook, because a trace does not record them.
    """
    from ..designmap.readers import read_hook
    from ..designmap.snapshot import why_this_order

    try:
        hook = read_hook(caller)  # type: ignore[arg-type]
        if trace is not None:
            hook = replace(hook, cells=_cells_as_called(hook.cells, trace))
        return why_this_order(hook)
    except Exception:
        return None


def _cells_as_called(cells: Sequence[Cell], trace: CallTrace) -> tuple[Cell, ...]:
    """The cells of the extensions the call ran (or planned and skipped), in its order."""
    unused = list(cells)
    found: list[Cell] = []
    for position, (_, step) in enumerate(walk_steps(trace.steps), 1):
        name = name_text(step.plugin_name)  # as the design map's reader writes it
        cell = next((c for c in unused if c.plugin == name), None)
        if cell is None:  # unregistered since: known only by what the trace says
            cell = Cell(step.plugin_name, step.function, position, wrapper=step.kind == "wrapper")
        else:
            unused.remove(cell)
        found.append(replace(cell, position=position))
    return tuple(found)


def trace_text(trace: CallTrace, *, timeline: bool = False) -> str:
    """The call view of ``trace`` as text."""
    return call_text(build_call_model(trace), timeline=timeline)


def trace_html(trace: CallTrace, *, timeline: bool = False) -> str:
    """The call view of ``trace`` as static, escaped HTML."""
    return call_html(build_call_model(trace), timeline=timeline)


class HookCallView(View):
    """Shows a CallTrace (from ``caller.traced(...)``): text, escaped HTML, or a live widget.

    A call of more than ``limit`` steps shows ``limit`` of them from step ``start`` (call order,
    from 1) and says how to see the others, so that what is published stays small. ``thread``:
    the thread a recorded call was made on, when not the recording's own (said under the call's
    head, labelled as the recording's tree labels it).
    """

    def __init__(
        self,
        trace: CallTrace,
        *,
        timeline: bool = False,
        output: Sequence[OutputLine] = (),
        why: str | None = None,
        start: int = 1,
        limit: int = MAX_STEPS,
        thread: str | None = None,
    ) -> None:
        missing = [a for a in ("hook", "mode", "steps", "duration") if not hasattr(trace, a)]
        if missing:
            raise TypeError(
                f"HookCallView needs a CallTrace (from caller.traced(...)); {type(trace).__name__} "
                f"has no {', '.join(missing)}"
            )
        self.trace = trace
        self._timeline = timeline
        self.model: CallModel = build_call_model(trace, output, why, start=start, limit=limit,
                                                 thread=thread)

    @property
    def timeline(self) -> bool:
        """Whether the timeline of wrapper set-up / teardown is shown."""
        return self._timeline

    @timeline.setter
    def timeline(self, value: bool) -> None:
        self._timeline = bool(value)
        if self._widget is not None:
            self._toggle.value = self._timeline
            self._body.value = self.html()

    @property
    def step_count(self) -> int:
        """How many wrappers and extensions the call went through (nested ones included)."""
        return sum(1 for _ in walk_steps(self.trace.steps))

    def replay(self) -> CallReplay:
        """The call replayed one moment at a time (numbered steps; ◀ / ▶ and a slider live)."""
        return CallReplay(self.model)

    def text(self) -> str:
        return call_text(self.model, timeline=self._timeline)

    def html(self) -> str:
        return call_html(self.model, timeline=self._timeline)

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        self._toggle = w.ToggleButton(
            value=self._timeline,
            description="timeline",
            icon="clock-o",
            tooltip="show the call's moments on a time axis: before / after yield, each extension's run",
        )
        self._toggle.add_class("nbplug-callview-timeline")
        self._body = w.HTML(value=self.html())
        self._body.add_class("nbplug-callview-body")

        def on_toggle(change: dict[str, Any]) -> None:
            self.timeline = bool(change["new"])

        self._toggle.observe(on_toggle, names="value")
        stepping = w.ToggleButton(description="step through", icon="step-forward",
                                  tooltip="replay the call one moment at a time")
        stepping.add_class("nbplug-callview-step")
        steps = w.VBox()

        def on_step(change: dict[str, Any]) -> None:
            steps.children = (self.replay().widget,) if change["new"] else ()

        stepping.observe(on_step, names="value")
        box = w.VBox([self._toggle, self._body, stepping, steps])
        box.add_class("nbplug-callview")  # the views' shared class (screenshots, contrast)
        return box
