"""The manager inspector (``%plugin list``): extension points, their mode and implementations in
call order (wrapper / tryfirst / trylast marked), the plugins, and implementations still pending
a spec.

Managers change as plugins are added, so the live widget has a Refresh button; text() and html()
always render the managers as they are now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._shapes import ManagerLike
from ._view import View, ipywidgets_module
from .text import inspector_html, inspector_text, manager_html

__all__ = ["ManagerInspector"]


def _as_list(
    managers: Iterable[ManagerLike] | Mapping[str, ManagerLike] | ManagerLike,
) -> list[Any]:
    if isinstance(managers, Mapping):
        return list(managers.values())
    if hasattr(managers, "callers") and hasattr(managers, "project_name"):
        return [managers]
    if isinstance(managers, Iterable):
        found = list(managers)
        bad = [m for m in found if not (hasattr(m, "callers") and hasattr(m, "project_name"))]
        if bad:
            raise TypeError(
                "ManagerInspector needs plugin managers (PluginManager / AsyncPluginManager); "
                f"got {type(bad[0]).__name__}"
            )
        return found
    raise TypeError(
        "ManagerInspector needs a manager, a list of managers or a {project: manager} mapping; "
        f"got {type(managers).__name__}"
    )


class ManagerInspector(View):
    """Inspect one or more plugin managers: text, escaped HTML, or a live widget with Refresh."""

    def __init__(self, managers: Iterable[ManagerLike] | Mapping[str, ManagerLike] | ManagerLike) -> None:
        self._source = managers
        self.managers: list[ManagerLike] = _as_list(managers)

    def text(self) -> str:
        return inspector_text(self.managers)

    def html(self) -> str:
        return inspector_html(self.managers)

    def refresh(self) -> None:
        """Re-read the managers (a mapping source picks up new projects) and redraw the widget."""
        self.managers = _as_list(self._source)
        if self._widget is not None:
            self._fill()

    def _fill(self) -> None:
        w = self._w
        pages = []
        for manager in self.managers:
            page = w.HTML(value=manager_html(manager))
            page.add_class("nbplug-inspector-manager")
            pages.append(page)
        if not pages:
            empty = w.HTML(value=inspector_html([]))
            pages.append(empty)
        old = list(self._pages.children)
        self._pages.children = pages
        for page in old:
            page.close()
        self._summary.value = (
            f"{len(self.managers)} project{'s' if len(self.managers) != 1 else ''}: "
            + ", ".join(m.project_name for m in self.managers)
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
