"""Two calls on one time axis: a bar per extension, so "one after the other" and "all at once"
are seen as shapes, not read off two printed lists.

Both timelines share one scale (the longer call's length), so the concurrent call is visibly
shorter and its bars visibly overlap. A wrapper is a thin line over what it wraps. The text form
draws the same bars in characters (``█`` where an extension ran) on a :data:`TEXT_WIDTH`-column
axis, with each bar's start and end in numbers.

Decision: take two traces (``caller.traced(...)`` and :func:`traced_concurrently`), not logs a
notebook keeps by hand: the times are the kit's own clock, the labels the call view's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from nbplug._kit.errors import HookCallError
from nbplug._kit.hooks import HookCaller
from nbplug._kit.interpret import traced_async
from nbplug._kit.tracing import CallTrace

from ..callview.model import build_call_model
from ..callview.timeline import nice_ticks, unit_for

__all__ = ["TEXT_WIDTH", "Bar", "Lane", "lanes", "traced_concurrently"]

#: Columns of the text form's time axis.
TEXT_WIDTH = 48


@dataclass(frozen=True)
class Bar:
    """One wrapper or extension on the axis (seconds since its call started)."""

    label: str
    kind: str
    depth: int
    start: float
    end: float
    raised: bool


@dataclass(frozen=True)
class Lane:
    """One call: its label, its bars in call order, its length."""

    label: str
    call: str
    bars: tuple[Bar, ...]
    duration: float

    @property
    def overlapping(self) -> bool:
        """Whether two extensions ran at once (one started before another ended)."""
        runs = sorted((b.start, b.end) for b in self.bars if b.kind == "extension")
        return any(later[0] < earlier[1] for earlier, later in pairwise(runs))


def lanes(left: CallTrace, right: CallTrace, labels: tuple[str, str]) -> tuple[Lane, Lane]:
    """The two calls as lanes of bars."""
    return _lane(left, labels[0]), _lane(right, labels[1])


def _lane(trace: CallTrace, label: str) -> Lane:
    model = build_call_model(trace)
    bars = tuple(
        Bar(node.label, node.kind, depth, node.at, node.at + node.took, node.status == "raised")
        for depth, node in model.walk()
        if node.at is not None and node.took is not None
    )
    return Lane(label, model.call, bars, model.duration)


def scale(pair: tuple[Lane, Lane]) -> tuple[float, list[float], float, str]:
    """The shared axis: its length, its ticks, and the unit they are counted in."""
    total = max(max((b.end for lane in pair for b in lane.bars), default=0.0),
                max(lane.duration for lane in pair), 1e-9)
    factor, unit = unit_for(total)
    return total, nice_ticks(total), factor, unit


async def traced_concurrently(caller: Any, /, **kwargs: Any) -> CallTrace:
    """``await traced_concurrently(pm.hook.fetch, topic="x")``: what ``call_concurrently`` does,
    returned as its trace (the kit's ``call_concurrently`` keeps only the results)."""
    if not isinstance(caller, HookCaller) or not getattr(caller, "call_concurrently", None):
        raise TypeError("traced_concurrently needs an AsyncPluginManager's hook (pm.hook.NAME); "
                        f"got {type(caller).__name__}")
    if caller.mode != "collecting":
        raise HookCallError(f"hook {caller.name!r} is a {caller.mode} hook; only collecting hooks "
                            "run their extensions concurrently")
    normalized: Mapping[str, Any] = caller.normalize(kwargs)
    return await traced_async(caller.plan(), dict(normalized), concurrent=True)
