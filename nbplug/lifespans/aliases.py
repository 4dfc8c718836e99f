"""Type aliases for annotating lifespans, their factories and update callbacks.

    async def countdown(ctx: LifespanContext, start: int) -> Lifespan:
        yield count(start)          # a LifespanTask, or None

click-async-plugins' ``PluginTask``, ``PluginLifespan`` and ``PluginFactory`` under nbplug's words.
Plain ``TypeAlias`` assignments rather than 3.12's ``type`` statement: nbplug supports 3.11.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine
from typing import Any, TypeAlias, TypeVar

T = TypeVar("T")

#: What a lifespan yields to be run as its task: a coroutine (its result is not used).
LifespanTask: TypeAlias = Coroutine[Any, Any, Any]

#: What calling a lifespan function returns: an async generator yielding a task once, or None.
Lifespan: TypeAlias = AsyncGenerator[LifespanTask | None, None]

#: A lifespan function (what ``@lifespan`` marks): called with its options, it returns a Lifespan.
LifespanFactory: TypeAlias = Callable[..., Lifespan]

#: Called with each value of an update (``bus.react``, ``react_to_updates``): sync or async.
UpdateCallback: TypeAlias = Callable[[T], Awaitable[object] | object]
