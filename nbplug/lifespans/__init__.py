"""Lifespan plugins: async generator functions that set up, run a task and tear down in reverse.

``import nbplug.lifespans`` does not import click; the click-dependent parsing and help functions
import it when called.
"""

from __future__ import annotations

from .bus import UpdateBus
from .context import LifespanContext
from .errors import (
    LifespanDependencyError,
    LifespanError,
    LifespanHelpRequested,
    LifespanUsageError,
)
from .events import LifespanEvent, LifespanState, Phase
from .group import LifespanGroup, TaskFailurePolicy
from .params import lifespan_help, lifespans_overview, parse_invocations, resolve_params
from .spec import LifespanSpec, find_lifespans, is_lifespan, lifespan

__all__ = [
    "LifespanContext",
    "LifespanDependencyError",
    "LifespanError",
    "LifespanEvent",
    "LifespanGroup",
    "LifespanHelpRequested",
    "LifespanSpec",
    "LifespanState",
    "LifespanUsageError",
    "Phase",
    "TaskFailurePolicy",
    "UpdateBus",
    "find_lifespans",
    "is_lifespan",
    "lifespan",
    "lifespan_help",
    "lifespans_overview",
    "parse_invocations",
    "resolve_params",
]
