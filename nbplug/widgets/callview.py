"""The hook-call view: what one ``%%hook`` call did, implementation by implementation.

Rows follow call order with wrappers as nesting: plugin, function, result or error, and time. A
toggle switches to (or the ``timeline=True`` form starts with) a timeline that shows each wrapper's
set-up and teardown as separate bars on the call's time axis.
"""

from __future__ import annotations

from typing import Any

from ._shapes import TraceLike, walk_steps
from ._view import View, ipywidgets_module
from .text import trace_html, trace_text

__all__ = ["HookCallView"]


class HookCallView(View):
    """Shows a CallTrace (from ``caller.traced(...)``): text, escaped HTML, or a live widget."""

    def __init__(self, trace: TraceLike, *, timeline: bool = False) -> None:
        missing = [a for a in ("hook", "mode", "steps", "duration") if not hasattr(trace, a)]
        if missing:
            raise TypeError(
                f"HookCallView needs a CallTrace (from caller.traced(...)); {type(trace).__name__} "
                f"has no {', '.join(missing)}"
            )
        self.trace = trace
        self._timeline = timeline

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
        """How many wrappers and implementations the call went through (nested ones included)."""
        return sum(1 for _ in walk_steps(self.trace.steps))

    def text(self) -> str:
        return trace_text(self.trace, timeline=self._timeline)

    def html(self) -> str:
        return trace_html(self.trace, timeline=self._timeline)

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        self._toggle = w.ToggleButton(
            value=self._timeline,
            description="timeline",
            icon="clock-o",
            tooltip="show each wrapper's set-up and teardown on a time axis",
        )
        self._toggle.add_class("nbplug-callview-timeline")
        self._body = w.HTML(value=self.html())
        self._body.add_class("nbplug-callview-body")

        def on_toggle(change: dict[str, Any]) -> None:
            self.timeline = bool(change["new"])

        self._toggle.observe(on_toggle, names="value")
        box = w.VBox([self._toggle, self._body])
        box.add_class("nbplug-callview")
        return box
