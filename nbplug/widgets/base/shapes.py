"""The one structural type of what the views render (a lifespan group) and the walk of a trace.

Decision: what the views read is typed as the class nbplug makes it with -- a call's
``CallTrace`` and ``TraceStep`` (a recording's calls become them too), a group's
``LifespanState`` / ``LifespanEvent``, the kit's ``HookCaller`` / ``HookImpl`` for the design
map (a pluggy manager has a reader of its own) -- and read through the contract's attributes
only, so any record of the same shape still renders (newer fields are read with defaults). The
group is a Protocol because the board is driven by any object with its three members (a test
scripts one). Rejected: Protocols restating the kit's classes, which only drift from them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from nbplug._kit.tracing import TraceStep
    from nbplug.lifespans.events import LifespanEvent, LifespanState


class LifespanGroupLike(Protocol):
    """The parts of a LifespanGroup the board uses: its states, its events, and stopping."""

    @property
    def states(self) -> Sequence[LifespanState]: ...

    def subscribe(self, callback: Callable[[LifespanEvent], None], /) -> Callable[[], None]: ...

    def stop(self, names: Sequence[str] | None = None) -> Awaitable[object]: ...


def walk_steps(steps: Sequence[TraceStep], depth: int = 0) -> Iterator[tuple[int, TraceStep]]:
    """Yield (depth, step) for every step in call order, wrappers before what they wrap."""
    for step in steps:
        yield depth, step
        yield from walk_steps(step.children, depth + 1)
