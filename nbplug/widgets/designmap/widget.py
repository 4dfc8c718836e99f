"""The manager inspector (``%plugin list``), drawn as a design map.

A design map per project: each hook's call order (and, for a design it fits, the hook × plugin
matrix: each cell's place in the call order and its marks: wrapper, tryfirst, trylast, specname),
each hook's mode in words and why that order, the plugins, and the extensions still pending
an extension point. By default the hooks that have extensions (saying how many were left out).

The inspector reads its source into a plain snapshot (:func:`.readers.read_managers`) and renders
only that (:mod:`.text`, :mod:`.html`), so snapshots from other readers (a live pluggy manager) show the same
way. Managers change as plugins are added, so ``text()`` and ``html()`` re-read the source every
time (a display reads it once for both forms), and the live widget has a Refresh button.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..base.view import View, ipywidgets_module
from ..format.text import name_text
from .html import design_map_html, project_html
from .page import Page, check
from .readers import Source, read_managers
from .snapshot import DesignMap
from .text import design_map_text

__all__ = ["ManagerInspector"]


class ManagerInspector(View):
    """Inspect one or more plugin managers: text, escaped HTML, or a live widget with Refresh.

    By default the map shows the hooks that have extensions and says how many it left out;
    ``all=True`` shows every hook. A large design shows a page of it: ``page`` (of 60 hooks), and
    only the hooks and plugins whose names contain ``hook`` / ``plugin`` (a plugin registered
    without a name matches by the class or module it is shown as); each part says what it leaves
    out and how to see it. A filter that matches nothing is a ValueError with a did-you-mean.
    ``design`` is always the whole snapshot.
    """

    def __init__(self, managers: Source | DesignMap, *, hook: str | None = None,
                 plugin: str | None = None, page: int = 1, all: bool = False) -> None:
        self._source = managers
        self.page = Page(hook=hook, plugin=plugin, number=page, all=all)
        self.design: DesignMap = read_managers(managers)
        check(self.design, self.page)

    def snapshot(self) -> DesignMap:
        """The design map as the source is now (re-read)."""
        self.design = read_managers(self._source)
        return self.design

    def text(self) -> str:
        return design_map_text(self.snapshot(), self.page)

    def html(self) -> str:
        return design_map_html(self.snapshot(), self.page)

    def forms(self) -> tuple[str, str]:
        design = self.snapshot()  # one reading for both forms: a big design takes its time to read
        return design_map_text(design, self.page), design_map_html(design, self.page)

    def diagram(self) -> Any:
        """The same managers drawn as a design diagram (host, extension points, plugins)."""
        from ..diagram.widget import DesignDiagram  # the diagram reads the map; not the reverse

        return DesignDiagram(self._source)

    def refresh(self) -> None:
        """Re-read the managers (a mapping source picks up new projects) and redraw the widget."""
        self.snapshot()
        if self._widget is not None:
            self._fill()

    def _fill(self) -> None:
        w = self._w
        pages = []
        for project in self.design.projects:
            page = w.HTML(value=project_html(project, self.page))
            page.add_class("nbplug-inspector-manager")
            pages.append(page)
        if not pages:
            pages.append(w.HTML(value=design_map_html(self.design, self.page)))
        old = list(self._pages.children)
        self._pages.children = pages
        for page in old:
            page.close()
        projects = self.design.projects
        self._summary.value = (
            f"{len(projects)} project{'s' if len(projects) != 1 else ''}: "
            + ", ".join(name_text(p.project) for p in projects)
        )
        last = max((-(-len(self.page.matching_hooks(p)) // self.page.hooks) for p in projects), default=1)
        if last > 1:
            self._summary.value += f"; page {self.page.number} of {last}"
        self._previous.disabled = self.page.number <= 1
        self._next.disabled = self.page.number >= last

    def turn(self, pages: int) -> None:
        """Show the page ``pages`` further on (back when negative) and redraw the widget."""
        self.page = replace(self.page, number=max(1, self.page.number + pages))
        self.refresh()

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        self._w = w
        self._refresh = w.Button(description="Refresh", icon="refresh", tooltip="re-read the managers")
        self._refresh.add_class("nbplug-inspector-refresh")
        self._refresh.on_click(lambda _button: self.refresh())
        self._previous = w.Button(description="previous", icon="arrow-left",
                                  tooltip="the previous page of hooks")
        self._previous.on_click(lambda _button: self.turn(-1))
        self._next = w.Button(description="next", icon="arrow-right", tooltip="the next page of hooks")
        self._next.on_click(lambda _button: self.turn(1))
        self._summary = w.Label()
        self._pages = w.VBox()
        head = w.HBox([self._refresh, self._previous, self._next, self._summary])
        self._widget = box = w.VBox([head, self._pages])
        box.add_class("nbplug-inspector")
        self._fill()
        return box
