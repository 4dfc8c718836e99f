"""Structural types of what the views render: hook-call traces and lifespan groups.

Decision: a trace and a lifespan group are typed as Protocols, because more than one kind of
object has their shape and each renders -- a ``CallTrace`` or any record with the contract's
attributes (a recorder's); a ``LifespanGroup`` or a group an observer scripts. What has one class
is typed as that class: a group's states and events are ``LifespanState`` / ``LifespanEvent``, and
the design map reads nbplug's managers as the kit's own ``HookCaller`` / ``HookImpl`` (a pluggy
manager has a reader of its own). Rejected: Protocols restating those classes, which only drift.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from nbplug.lifespans.events import LifespanEvent, LifespanState


class StepLike(Protocol):
    """One wrapper or extension inside a traced hook call (nbplug.TraceStep)."""

    @property
    def plugin_name(self) -> str: ...
    @property
    def function(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def result(self) -> object: ...
    @property
    def exception(self) -> BaseException | None: ...
    @property
    def setup_end(self) -> float | None: ...
    @property
    def teardown_start(self) -> float | None: ...
    @property
    def children(self) -> Sequence[StepLike]: ...
    @property
    def not_called(self) -> bool: ...


class TraceLike(Protocol):
    """What one hook call did (nbplug.CallTrace)."""

    @property
    def hook(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def kwargs(self) -> Mapping[str, object]: ...
    @property
    def steps(self) -> Sequence[StepLike]: ...
    @property
    def result(self) -> object: ...
    @property
    def exception(self) -> BaseException | None: ...
    @property
    def duration(self) -> float: ...


class LifespanGroupLike(Protocol):
    """The parts of a LifespanGroup the board uses: its states, its events, and stopping."""

    @property
    def states(self) -> Sequence[LifespanState]: ...

    def subscribe(self, callback: Callable[[LifespanEvent], None], /) -> Callable[[], None]: ...

    def stop(self, names: Sequence[str] | None = None) -> Awaitable[object]: ...


def walk_steps(steps: Sequence[StepLike], depth: int = 0) -> Iterator[tuple[int, StepLike]]:
    """Yield (depth, step) for every step in call order, wrappers before what they wrap."""
    for step in steps:
        yield depth, step
        yield from walk_steps(step.children, depth + 1)
