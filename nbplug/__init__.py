"""nbplug: a fast, pluggy-style plugin kit with an async manager and lifespan plugins, live in Jupyter.

Importing nbplug loads only the kit; the IPython extension, the widgets and the command line load
when used (``%load_ext nbplug``, ``nbplug.widgets``, ``nbplug run``).

The kit's modules, in the one direction their imports run (each imports only modules above it;
``tests/test_import_structure.py`` holds them to it):

- leaves: ``errors``, ``result``, ``tracing`` (trace records), ``suggest`` (did-you-mean),
  ``members`` (the member walk and the staticmethod/classmethod unwrap), ``signatures``;
- ``markers``: ``ExtensionPoint`` / ``Extension`` and reading their options back;
- ``records``: ``HookSpec``, ``HookImpl`` and the call order;
- ``plan``: the frozen ``CallPlan`` of a hook and the rules for a call's arguments;
- ``wrapping``: the wrapper-driving rules both engines share;
- ``calls`` (the code generator) and ``interpret`` (the traced interpreter), each taking a plan;
- ``dispatch``: what a caller is given by its manager (awaiting or not, the monitors);
- ``hooks``: ``HookCaller`` and ``HookRelay``;
- ``validation`` and ``registry``: what makes an extension invalid, and ``PluginManagerBase``;
- ``manager`` and ``aio``: ``PluginManager`` and ``AsyncPluginManager``.

Then ``lifespans``; over them the terminal side: ``runner`` (one run: signals, logging, exit
status), ``program`` (``LifespanProgram``, programs of one's own), ``keys`` (the terminal key
lifespan) and ``cli`` (``nbplug run``); then the notebook face (``ipython``) and the ``widgets``
beside it. These import the kit's modules, never this package's ``__init__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    HookCallError,
    MissingArgumentWarning,
    NbplugWarning,
    PluginValidationError,
    TeardownRaisedWarning,
)
from .hooks import HookCaller, HookRelay
from .manager import PluginManager
from .markers import Extension, ExtensionPoint, ImplOptions, SpecOptions
from .records import HookImpl, HookSpec
from .result import Result

if TYPE_CHECKING:
    from .aio import AsyncHookCaller, AsyncPluginManager
    from .recorder import Recorder, record
    from .recording import Recording
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

_LAZY = {"CallTrace": "tracing", "TraceStep": "tracing", "Recorder": "recorder", "record": "recorder",
         "Recording": "recording", "AsyncPluginManager": "aio", "AsyncHookCaller": "aio"}


def __getattr__(name: str) -> Any:
    """Load the trace records, the recorder and the async manager on first use: most programs
    never trace a call, and a program using only ``PluginManager`` never loads ``nbplug.aio``."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'nbplug' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nbplug``: register the magics, completer and await path (see nbplug.ipython)."""
    from .ipython import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext nbplug``: tear down running lifespans and remove what the extension added."""
    from .ipython import unload_ipython_extension as unload

    unload(ipython)
