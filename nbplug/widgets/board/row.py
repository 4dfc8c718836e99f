"""The widgets of one board row: the name with its Stop button beside it, the phase, the uptime,
its run's log (and the error, if any).

Decision: a row is a place on the board's page, not one lifespan: it shows whichever lifespan is
at its place now (a page turned, a filter changed), and changes only the widgets whose value
changed, saying how many it changed (each change is one widget message to the front end): the
board spends its message budget by that count, and an update costs what changed on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..format import theme
from ..format.text import escape_html
from .text import BoardRow, phase_badge_html, row_log_html, uptime_text

__all__ = ["RowLook", "RowWidgets"]


class RowLook:
    """The layouts and styles every row of one board shares: a widget's layout and style are
    widgets of their own, each opened in the front end with its whole state, so 50 rows with
    their own sent about 600 more widgets (0.5 MB) when the board was first drawn."""

    def __init__(self, w: Any) -> None:
        self.w = w
        self.name = w.Layout(width="auto", max_width="12em")
        self.phase = w.Layout(width="6em")
        self.uptime = w.Layout(width="7em")
        self.log = w.Layout(flex="1 1 auto", min_width="12em")
        self.stop = w.Layout(width="5.5em", height="24px", margin="0 0 0 8px")
        # the Stop button sits right after the name it stops, in a column of its own width
        self.head = w.Layout(width="17em", align_items="center")
        self.box = w.Layout(align_items="flex-start", border_bottom=f"1px solid {theme.BORDER}")
        self.html = w.widgets.widget_string.HTMLStyle()  # not re-exported by ipywidgets itself
        self.button = w.ButtonStyle()


class RowWidgets:
    """The ipywidgets of one place on the board's page; ``box`` is the row itself, ``name`` the
    lifespan it shows (its Stop button stops that one)."""

    def __init__(self, look: RowLook, on_stop: Callable[[str], object]) -> None:
        w = look.w
        self.name = ""
        self.name_html = w.HTML(layout=look.name, style=look.html)
        self.name_html.add_class("nbplug-row-name")
        self.phase = w.HTML(layout=look.phase, style=look.html)
        self.phase.add_class("nbplug-row-phase")
        self.uptime = w.HTML(layout=look.uptime, style=look.html)
        self.uptime.add_class("nbplug-row-uptime")
        self.log = w.HTML(layout=look.log, style=look.html)
        self.log.add_class("nbplug-row-log")
        self.stop = w.Button(description="Stop", icon="stop", layout=look.stop, style=look.button)
        self.stop.add_class("nbplug-row-stop")
        self.stop.on_click(lambda _button: on_stop(self.name))
        self.head = w.HBox([self.name_html, self.stop], layout=look.head)
        self.head.add_class("nbplug-row-head")
        self.box = w.HBox([self.head, self.phase, self.uptime, self.log], layout=look.box)
        self.box.add_class("nbplug-board-row")

    def show(self, row: BoardRow, *, stoppable: bool) -> int:
        """Show ``row``; return how many widgets changed (each change is one widget message)."""
        changed = 0
        self.name = row.name
        for widget, name, value in (
            (self.stop, "tooltip", f"tear down lifespan {row.name!r}"),
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

