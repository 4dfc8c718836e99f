"""The base of the three views: text/HTML forms always, a live ipywidget only where one can show.

``display(view)`` calls ``_repr_mimebundle_``, which offers text/plain and escaped text/html to
every front end and, inside a Jupyter kernel with ipywidgets installed, the widget view as well
(JupyterLab picks the widget; nbconvert and front ends without the widget manager fall back to
the HTML).
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def in_widget_kernel() -> bool:
    """Whether we run inside a Jupyter kernel (ipykernel) where ipywidgets can reach a front end."""
    if "ipykernel" not in sys.modules or "IPython" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def ipywidgets_module() -> Any:
    """Import ipywidgets on first use, with an error that says how to get it."""
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - ipywidgets is a dependency
        raise ImportError(
            "nbplug's live views need ipywidgets 8: pip install 'ipywidgets>=8.1' "
            "(the .text() and .html() forms work without it)"
        ) from exc
    return ipywidgets


def close_tree(widget: Any) -> None:
    """Close a widget and every widget inside it (their comms too)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


class View(ABC):
    """A view with a text form, an escaped HTML form and a lazily built live widget."""

    _widget: Any = None

    @abstractmethod
    def text(self) -> str:
        """The plain-text form (terminal IPython, nbconvert, logs)."""

    @abstractmethod
    def html(self) -> str:
        """A static HTML form with everything user-provided escaped."""

    def forms(self) -> tuple[str, str]:
        """The text and HTML forms together, as a display bundle publishes them; a view that reads
        a live source draws both from one reading."""
        return self.text(), self.html()

    @abstractmethod
    def _build_widget(self) -> Any:
        """Create the ipywidgets object (called once, on first access of ``.widget``)."""

    @property
    def widget(self) -> Any:
        """The live ipywidgets object, built on first access."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    @property
    def has_widget(self) -> bool:
        """Whether the live widget has been built."""
        return self._widget is not None

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        text, html = self.forms()
        data: dict[str, Any] = {"text/plain": text, "text/html": html}
        if in_widget_kernel():
            model_id = getattr(self.widget, "model_id", None)
            if model_id:
                data[WIDGET_MIME] = {"version_major": 2, "version_minor": 0, "model_id": model_id}
        if include is not None:
            wanted = set(include)
            data = {k: v for k, v in data.items() if k in wanted}
        if exclude is not None:
            unwanted = set(exclude)
            data = {k: v for k, v in data.items() if k not in unwanted}
        return data

    def __repr__(self) -> str:
        return self.text()
