"""The board's page controls: a filter by phase (a drop-down) and by name (a text box), the previous
and next page buttons, and the line saying which lifespans the page shows.

Shown only when the board has more than one page or a filter is on: a board of two lifespans (the
notebooks' lessons) stays the rows alone. The controls are ipywidgets' own, which take their
colours from JupyterLab's theme variables; the line is muted text in :mod:`..format.theme`'s
colours, like the board's legend. A change of filter starts again at page 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..format import theme
from ..format.text import escape_html
from .page import PHASES, BoardPage, Selection
from .text import FONT

__all__ = ["PageControls"]

_EVERY = "every phase"


class PageControls:
    """The widgets that choose the board's page; ``box`` holds them. ``on_choose`` is called with
    the page the reader chose."""

    def __init__(self, w: Any, page: BoardPage, on_choose: Callable[[BoardPage], None]) -> None:
        self._page = page
        self._on_choose = on_choose
        self._quiet = False  # set while the board itself sets the controls (no echo back)
        self.phase = w.Dropdown(options=[(_EVERY, "")] + [(p, p) for p in PHASES],
                                value=page.phase or "", description="phase",
                                layout=w.Layout(width="17em"))
        self.phase.add_class("nbplug-board-phase-filter")
        self.name = w.Text(value=page.name or "", placeholder="part of a name", description="name",
                           continuous_update=True, layout=w.Layout(width="16em"))
        self.name.add_class("nbplug-board-name-filter")
        self.previous = w.Button(description="previous", icon="arrow-left",
                                 tooltip="the previous page of lifespans", layout=w.Layout(width="auto"))
        self.previous.add_class("nbplug-board-previous")
        self.next = w.Button(description="next", icon="arrow-right",
                             tooltip="the next page of lifespans", layout=w.Layout(width="auto"))
        self.next.add_class("nbplug-board-next")
        self.scope = w.HTML()
        self.scope.add_class("nbplug-board-scope")
        self.box = w.HBox([self.phase, self.name, self.previous, self.next, self.scope],
                          layout=w.Layout(align_items="center", flex_flow="row wrap", display="none"))
        self.box.add_class("nbplug-board-controls")
        self.phase.observe(lambda _change: self._filtered(), "value")
        self.name.observe(lambda _change: self._filtered(), "value")
        self.previous.on_click(lambda _button: self._turn(-1))
        self.next.on_click(lambda _button: self._turn(1))

    def _filtered(self) -> None:
        if not self._quiet:
            self._on_choose(BoardPage(self.phase.value or None, self.name.value or None, 1, self._page.size))

    def _turn(self, pages: int) -> None:
        page = self._page
        self._on_choose(BoardPage(page.phase, page.name, max(1, page.number + pages), page.size))

    def show(self, page: BoardPage, selection: Selection) -> int:
        """Show ``page`` (the filter in the controls) and ``selection``'s line; return how many
        widgets changed (each change is one widget message)."""
        self._page = page
        wanted = (
            (self.box.layout, "display", "none" if selection.whole and selection.total <= page.size else ""),
            (self.phase, "value", page.phase or ""),
            (self.name, "value", page.name or ""),
            (self.previous, "disabled", selection.number <= 1),
            (self.next, "disabled", selection.number >= selection.pages),
            (self.scope, "value", f'<span style="{FONT};color:{theme.MUTED}">'
                                  f"{escape_html(selection.showing())}</span>"),
        )
        changed = 0
        self._quiet = True
        try:
            for widget, name, value in wanted:
                if getattr(widget, name) != value:
                    setattr(widget, name, value)
                    changed += 1
        finally:
            self._quiet = False
        return changed

    def disable(self) -> None:
        """Freeze the controls (a retired board no longer redraws)."""
        for widget in (self.phase, self.name, self.previous, self.next):
            widget.disabled = True
