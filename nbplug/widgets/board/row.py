"""The widgets of one board row: the name with its Stop button beside it, the phase, the uptime,
its run's log (and the error, if any).

Decision: a row changes only the widgets whose value changed, and says how many it changed (each
change is one widget message to the front end): the board spends its message budget by that count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..format import theme
from ..format.text import escape_html
from .text import BoardRow, phase_badge_html, row_log_html, uptime_text

__all__ = ["RowWidgets"]


class RowWidgets:
    """The ipywidgets of one lifespan's row; ``box`` is the row itself."""

    def __init__(self, w: Any, name: str, on_stop: Callable[[str], object]) -> None:
        self.name_html = w.HTML(layout=w.Layout(width="auto", max_width="12em"))
        self.name_html.add_class("nbplug-row-name")
        self.phase = w.HTML(layout=w.Layout(width="6em"))
        self.phase.add_class("nbplug-row-phase")
        self.uptime = w.HTML(layout=w.Layout(width="7em"))
        self.uptime.add_class("nbplug-row-uptime")
        self.log = w.HTML(layout=w.Layout(flex="1 1 auto", min_width="12em"))
        self.log.add_class("nbplug-row-log")
        self.stop = w.Button(
            description="Stop",
            icon="stop",
            tooltip=f"tear down lifespan {name!r}",
            layout=w.Layout(width="5.5em", height="24px", margin="0 0 0 8px"),
        )
        self.stop.add_class("nbplug-row-stop")
        self.stop.on_click(lambda _button: on_stop(name))
        # the Stop button sits right after the name it stops, in a column of its own width
        self.head = w.HBox([self.name_html, self.stop],
                           layout=w.Layout(width="17em", align_items="center"))
        self.head.add_class("nbplug-row-head")
        self.box = w.HBox(
            [self.head, self.phase, self.uptime, self.log],
            layout=w.Layout(align_items="flex-start", border_bottom=f"1px solid {theme.BORDER}"),
        )
        self.box.add_class("nbplug-board-row")

    def show(self, row: BoardRow, *, stoppable: bool) -> int:
        """Show ``row``; return how many widgets changed (each change is one widget message)."""
        changed = 0
        for widget, name, value in (
            (self.name_html, "value", f"<b>{escape_html(row.name)}</b>"),
            (self.phase, "value", phase_badge_html(row.phase)),
            (self.uptime, "value", "" if row.uptime is None else escape_html(uptime_text(row.uptime))),
            (self.log, "value", row_log_html(row)),
            (self.stop, "disabled", not stoppable),
        ):
            if getattr(widget, name) != value:
                setattr(widget, name, value)
                changed += 1
        return changed

