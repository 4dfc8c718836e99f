"""nbplug: a fast, pluggy-style plugin kit with an async manager and lifespan plugins, live in Jupyter.

This module is the public face: it re-exports the kit's API. The rooms below it are the layers, in
the one direction their imports run (``tests/test_import_structure.py`` holds them to it):

- ``_base``: what every layer shares and that imports nothing of nbplug (text about user objects
  that those objects cannot break; where nbplug's own code lives);
- ``_kit``: the plugin kit, private -- markers, records, call plans, the code generator and the
  traced interpreter, callers, the registry, ``PluginManager`` and ``AsyncPluginManager``; its own
  docstring gives the order inside;
- ``lifespans``: ``@lifespan``, the group that sets up, runs and tears down, the update bus;
- ``recording``: the recorder (nbplug and pluggy managers), the recording model, the pytest runner;
- ``terminal``: ``nbplug run``, the runner of one run, programs of one's own, terminal keys;
- ``session``: the notebook session, free of IPython;
- ``widgets``: a folder per view (call view, design map, board, recording view), the formatting
  they share, the base they are built on;
- ``ipython``: the glue -- magics, completion, the await path -- over the session and the views.

Importing nbplug loads only the kit; the IPython extension, the widgets and the command line load
when used (``%load_ext nbplug``, ``nbplug.widgets``, ``nbplug run``). Decision: the public names
live here and in each room's ``__init__``; modules are private to their room, so a newcomer reads
``ls nbplug`` as the architecture and nothing internal looks like an API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._kit.errors import (
    HookCallError,
    MissingArgumentWarning,
    NbplugWarning,
    PluginValidationError,
    TeardownRaisedWarning,
)
from ._kit.hooks import HookCaller, HookRelay
from ._kit.manager import PluginManager
from ._kit.markers import Extension, ExtensionPoint, ImplOptions, SpecOptions
from ._kit.records import HookImpl, HookSpec
from ._kit.result import Result

if TYPE_CHECKING:
    from ._kit.aio import AsyncHookCaller, AsyncPluginManager
    from ._kit.tracing import CallTrace, TraceStep
    from .recording.model import Recording
    from .recording.recorder import Recorder, record

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
    "MissingArgumentWarning",
    "NbplugWarning",
    "PluginManager",
    "PluginValidationError",
    "Recorder",
    "Recording",
    "Result",
    "SpecOptions",
    "TeardownRaisedWarning",
    "TraceStep",
    "__version__",
    "load_ipython_extension",
    "record",
    "unload_ipython_extension",
]

_LAZY = {"CallTrace": "._kit.tracing", "TraceStep": "._kit.tracing", "Recorder": ".recording.recorder",
         "record": ".recording.recorder", "Recording": ".recording.model", "AsyncPluginManager": "._kit.aio",
         "AsyncHookCaller": "._kit.aio"}


def __getattr__(name: str) -> Any:
    """Load the trace records, the recorder and the async manager on first use: most programs
    never trace a call, and a program using only ``PluginManager`` never loads ``nbplug._kit.aio``."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'nbplug' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nbplug``: register the magics, completer and await path (see nbplug.ipython)."""
    from .ipython import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext nbplug``: tear down running lifespans and remove what the extension added."""
    from .ipython import unload_ipython_extension as unload

    unload(ipython)
