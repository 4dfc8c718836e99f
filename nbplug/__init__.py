"""nbplug: a fast, pluggy-style plugin kit with an async manager and lifespan plugins, live in Jupyter.

Importing nbplug loads only the kit; the IPython extension, the widgets and the command line load
when used (``%load_ext nbplug``, ``nbplug.widgets``, ``nbplug run``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .aio import AsyncHookCaller, AsyncPluginManager
from .errors import HookCallError, PluginValidationError
from .hooks import HookCaller, HookRelay
from .manager import PluginManager
from .markers import Extension, ExtensionPoint, ImplOptions, SpecOptions
from .records import HookImpl, HookSpec
from .result import Result

if TYPE_CHECKING:
    from .tracing import CallTrace, TraceStep

__version__ = "0.1.0"

__all__ = [
    "AsyncHookCaller",
    "AsyncPluginManager",
    "CallTrace",
    "Extension",
    "ExtensionPoint",
    "HookCallError",
    "HookCaller",
    "HookImpl",
    "HookRelay",
    "HookSpec",
    "ImplOptions",
    "PluginManager",
    "PluginValidationError",
    "Result",
    "SpecOptions",
    "TraceStep",
    "__version__",
    "load_ipython_extension",
    "unload_ipython_extension",
]


def __getattr__(name: str) -> Any:
    """Load the trace records on first use: most programs never trace a call."""
    if name in ("CallTrace", "TraceStep"):
        from . import tracing

        return getattr(tracing, name)
    raise AttributeError(f"module 'nbplug' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nbplug``: register the magics, completer and await path (see nbplug.ipython)."""
    from .ipython import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext nbplug``: tear down running lifespans and remove what the extension added."""
    from .ipython import unload_ipython_extension as unload

    unload(ipython)
