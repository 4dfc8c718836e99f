"""The manager inspector (``%plugin list``), drawn as a design map.

A design map per project: the hook × plugin matrix (each cell's place in the call order and its
marks: wrapper, tryfirst, trylast, specname), each hook's mode in words, call order and why that
order, the plugins, and the implementations still pending an extension point.

The inspector reads its source into a plain snapshot (:func:`.readers.read_managers`) and renders
only that (:mod:`.text`), so snapshots from other readers (a live pluggy manager) show the same
way. Managers change as plugins are added, so ``text()`` and ``html()`` re-read the source every
time, and the live widget has a Refresh button.
"""

from __future__ import annotations

from typing import Any

from ..base.view import View, ipywidgets_module
from .readers import Source, read_managers
from .snapshot import DesignMap
from .text import design_map_html, design_map_text, project_html

__all__ = ["ManagerInspector"]


class ManagerInspector(View):
    """Inspect one or more plugin managers: text, escaped HTML, or a live widget with Refresh."""

    def __init__(self, managers: Source | DesignMap) -> None:
        self._source = managers
        self.design: DesignMap = read_managers(managers)

    def snapshot(self) -> DesignMap:
        """The design map as the source is now (re-read)."""
        self.design = read_managers(self._source)
        return self.design

    def text(self) -> str:
        return design_map_text(self.snapshot())

    def html(self) -> str:
        return design_map_html(self.snapshot())

    def refresh(self) -> None:
        """Re-read the managers (a mapping source picks up new projects) and redraw the widget."""
        self.snapshot()
        if self._widget is not None:
            self._fill()

    def _fill(self) -> None:
        w = self._w
        pages = []
        for project in self.design.projects:
            page = w.HTML(value=project_html(project))
            page.add_class("nbplug-inspector-manager")
            pages.append(page)
        if not pages:
            pages.append(w.HTML(value=design_map_html(self.design)))
        old = list(self._pages.children)
        self._pages.children = pages
        for page in old:
            page.close()
        projects = self.design.projects
        self._summary.value = (
            f"{len(projects)} project{'s' if len(projects) != 1 else ''}: "
            + ", ".join(p.project for p in projects)
        )

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        self._w = w
        self._refresh = w.Button(description="Refresh", icon="refresh", tooltip="re-read the managers")
        self._refresh.add_class("nbplug-inspector-refresh")
        self._refresh.on_click(lambda _button: self.refresh())
        self._summary = w.Label()
        self._pages = w.VBox()
        self._widget = box = w.VBox([w.HBox([self._refresh, self._summary]), self._pages])
        box.add_class("nbplug-inspector")
        self._fill()
        return box
