"""The comparison views: two calls, two designs, or two calls' timelines, side by side.

``CallComparison(trace_a, trace_b, labels=("design A", "design B"))`` takes two traces (or two
call views); ``DesignComparison(pm_a, pm_b)`` two managers (or design-map snapshots);
``TimelineComparison(sequential, concurrent, labels=...)`` two traces drawn on one time axis.
Each has the text form, the escaped HTML form and a live widget, as every view does; the widget
holds the HTML form (a comparison is read, not driven).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from nbplug._kit.tracing import CallTrace

from ..base.view import View, ipywidgets_module
from ..format.text import name_text
from .calls import CallDiff, compare_calls
from .designs import DesignDiff, compare_designs
from .forms import call_diff_html, call_diff_text, design_diff_html, design_diff_text
from .lanes import lanes_html, lanes_text
from .timelines import Lane, lanes

__all__ = ["CallComparison", "DesignComparison", "TimelineComparison"]

Compared = TypeVar("Compared")


def _trace(value: Any) -> CallTrace:
    """A trace, or the trace a call view shows."""
    trace = getattr(value, "trace", value)
    if not all(hasattr(trace, a) for a in ("hook", "mode", "steps", "duration")):
        raise TypeError("a comparison of calls needs two traces (caller.traced(...)) or call views; "
                        f"got {type(value).__name__}")
    return trace  # type: ignore[no-any-return]


class _Comparison(View, Generic[Compared]):
    """A comparison: what it compared and the two functions writing its text and HTML forms from
    that. Its widget is the HTML form in a box carrying the comparisons' class (a comparison is
    read, not driven)."""

    def __init__(self, compared: Compared, text: Callable[[Compared], str],
                 html: Callable[[Compared], str]) -> None:
        self._compared, self._write_text, self._write_html = compared, text, html

    def text(self) -> str:
        return self._write_text(self._compared)

    def html(self) -> str:
        return self._write_html(self._compared)

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        body = w.HTML(value=self.html(), layout=w.Layout(width="100%"))  # the table's 100% is this
        box = w.VBox([body], layout=w.Layout(width="100%", max_width="100%"))
        box.add_class("nbplug-compare-widget")
        return box


class CallComparison(_Comparison[CallDiff]):
    """Two hook calls side by side: what differs (order, mode, who answered, values, times)."""

    def __init__(self, left: Any, right: Any, *, labels: tuple[str, str] = ("A", "B")) -> None:
        self.diff: CallDiff = compare_calls(_trace(left), _trace(right), labels)
        super().__init__(self.diff, call_diff_text, call_diff_html)


class DesignComparison(_Comparison[DesignDiff]):
    """Two designs hook by hook: modes, call orders and marks, what differs marked."""

    def __init__(self, left: Any, right: Any, *, labels: tuple[str, str] | None = None) -> None:
        self.diff: DesignDiff = compare_designs(left, right, labels)
        super().__init__(self.diff, design_diff_text, design_diff_html)


class TimelineComparison(_Comparison[tuple[Lane, Lane]]):
    """Two calls on one time axis: a bar per extension (one after the other, or at once)."""

    def __init__(self, left: Any, right: Any, *, labels: tuple[str, str] = ("A", "B")) -> None:
        shown = (name_text(labels[0]), name_text(labels[1]))
        self.lanes: tuple[Lane, Lane] = lanes(_trace(left), _trace(right), shown)
        super().__init__(self.lanes, lanes_text, lanes_html)
