"""``DesignDiagram``: the design drawn -- host, extension points, plugins -- beside the design map.

``DesignDiagram(pm)`` (or ``ManagerInspector(pm).diagram()``) takes what the design map takes: a
manager, a list or mapping of them, a live pluggy manager, or snapshots. Like the inspector it
re-reads its source for every form (a design changes as plugins are added); the widget is the
diagram with a Refresh button.
"""

from __future__ import annotations

from typing import Any

from ..base.view import View, ipywidgets_module
from ..designmap.readers import LiveDesign
from ..designmap.snapshot import DesignMap
from .draw import diagram_html, diagram_text

__all__ = ["DesignDiagram"]


class DesignDiagram(View):
    """The host, its extension points and the plugins implementing them, drawn as SVG."""

    def __init__(self, managers: Any) -> None:
        self._map = LiveDesign(managers)  # read as the design map reads it

    @property
    def design(self) -> DesignMap:
        """The design as last read."""
        return self._map.design

    def text(self) -> str:
        return diagram_text(self._map.snapshot())

    def html(self) -> str:
        return diagram_html(self._map.snapshot())

    def refresh(self) -> None:
        """Re-read the source and redraw the widget."""
        if self._widget is not None:
            self._body.value = self.html()

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        button = w.Button(description="Refresh", icon="refresh", tooltip="re-read the managers")
        button.add_class("nbplug-diagram-refresh")
        button.on_click(lambda _b: self.refresh())
        self._body = w.HTML(value=self.html())
        box = w.VBox([button, self._body], layout=w.Layout(max_width="100%"))
        box.add_class("nbplug-diagram-widget")
        return box
