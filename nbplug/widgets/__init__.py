"""nbplug's views: the lifespan board, the call view (``call_view(pm.hook.NAME, **kwargs)``, stepped
through with ``.replay()``), the manager inspector, the design diagram, the comparisons of two
calls, two designs or two timelines, and the recording view (``RecordingView(recording)``).

Each view has ``.text()``, an escaped ``.html()`` and a live ``.widget`` (ipywidgets, imported
only when a widget is built). The names load on first use, the way the package root loads its
own (a table of where each name lives, read by the module's ``__getattr__``): importing every
view would load asyncio, logging and a hundred modules for a program that wants one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .board.widget import LifespanBoard
    from .callview.capture import call_view
    from .callview.replay import CallReplay
    from .callview.widget import HookCallView
    from .compare.timelines import traced_concurrently
    from .compare.widget import CallComparison, DesignComparison, TimelineComparison
    from .designmap.widget import ManagerInspector
    from .diagram.widget import DesignDiagram
    from .recording.widget import RecordingView

__all__ = ["CallComparison", "CallReplay", "DesignComparison", "DesignDiagram", "HookCallView",
           "LifespanBoard", "ManagerInspector", "RecordingView", "TimelineComparison", "call_view",
           "traced_concurrently"]

_LAZY = {"LifespanBoard": ".board.widget", "HookCallView": ".callview.widget",
         "ManagerInspector": ".designmap.widget", "call_view": ".callview.capture",
         "RecordingView": ".recording.widget", "CallReplay": ".callview.replay",
         "CallComparison": ".compare.widget", "DesignComparison": ".compare.widget",
         "TimelineComparison": ".compare.widget", "traced_concurrently": ".compare.timelines",
         "DesignDiagram": ".diagram.widget"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
