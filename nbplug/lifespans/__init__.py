"""Lifespan plugins: async generator functions that set up, run a task and tear down in reverse.

    @lifespan
    @click.option("--from", "start", type=int, default=3)
    async def countdown(start: int, ctx: LifespanContext) -> Lifespan:
        ...                              # set up (ctx: name, manager, bus, log)
        yield count(start)               # a coroutine run as a task, or None: stay up until stopped
        ...                              # tear down: runs exactly once, however the group ends

    async with LifespanGroup() as group:           # or: await group.start() ... await group.stop()
        group.add(countdown, {"start": 5})
        await group.start()
        await group.wait()

Lifespans talk through the group's update bus: ``ctx.bus.set(key, value)``, ``async for value in
ctx.bus.updates(key)``, or ``yield ctx.bus.react(key, callback)`` for a callback per update. A
name given twice in a chain (``ticker --every 1 ticker --every 5``) runs two instances, ``ticker``
and ``ticker#2``. Programs of one's own are in :mod:`nbplug.terminal.program`, terminal keys in
:mod:`nbplug.terminal.keyboard`.

``import nbplug.lifespans`` does not import click; the click-dependent parsing and help functions
import it when called.
"""

from __future__ import annotations

from .aliases import Lifespan, LifespanFactory, LifespanTask, UpdateCallback
from .bookkeeping import TaskFailurePolicy
from .bus import UpdateBus, react_to_updates
from .context import LifespanContext
from .errors import (
    LifespanDependencyError,
    LifespanError,
    LifespanHelpRequested,
    LifespanInterrupted,
    LifespanUsageError,
)
from .events import LifespanEvent, LifespanState, Phase
from .group import LifespanGroup
from .params import (
    find_spec,
    instance_name,
    lifespan_help,
    lifespan_of,
    lifespans_overview,
    name_instances,
    parse_invocations,
    resolve_params,
)
from .spec import LifespanSpec, find_lifespans, is_lifespan, lifespan

__all__ = [
    "Lifespan",
    "LifespanContext",
    "LifespanDependencyError",
    "LifespanError",
    "LifespanEvent",
    "LifespanFactory",
    "LifespanGroup",
    "LifespanHelpRequested",
    "LifespanInterrupted",
    "LifespanSpec",
    "LifespanState",
    "LifespanTask",
    "LifespanUsageError",
    "Phase",
    "TaskFailurePolicy",
    "UpdateBus",
    "UpdateCallback",
    "find_lifespans",
    "find_spec",
    "instance_name",
    "is_lifespan",
    "lifespan",
    "lifespan_help",
    "lifespan_of",
    "lifespans_overview",
    "name_instances",
    "parse_invocations",
    "react_to_updates",
    "resolve_params",
]
