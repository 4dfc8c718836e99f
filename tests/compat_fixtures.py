"""Running one scenario on pluggy 1.7 and on nbplug, to compare what a pluggy user meets.

The plugins of these tests are marked with pluggy's own markers (``HookspecMarker("compat")`` /
``HookimplMarker("compat")``): nbplug registers pluggy-marked code unchanged, so one plugin object
serves both managers and a difference in outcome is a difference of the kits, not of the plugins.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pluggy

import nbplug

PROJECT = "compat"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: the two kits, by name; each value makes a fresh manager of the project
KITS: dict[str, Callable[[], Any]] = {
    "pluggy": lambda: pluggy.PluginManager(PROJECT),
    "nbplug": lambda: nbplug.PluginManager(PROJECT),
}


@dataclass(frozen=True)
class Outcome:
    """What a call did: its value, or its exception's type name and message."""

    value: Any = None
    error: str | None = None  # the exception's type name
    message: str = ""
    exception: BaseException | None = None

    def same_as_pluggy(self, theirs: Outcome) -> bool:
        """Same value, or the same kind of error whose message contains pluggy's."""
        if theirs.error is None:
            return self.error is None and self.value == theirs.value
        return self.error == theirs.error and theirs.message in self.message


def outcome(call: Callable[[], Any]) -> Outcome:
    """Run ``call`` and capture its value or exception."""
    try:
        return Outcome(value=call())
    except BaseException as exc:  # StopIteration and friends too: they are part of the contract
        return Outcome(error=type(exc).__name__, message=str(exc), exception=exc)


def both(scenario: Callable[[Any], Any]) -> dict[str, Outcome]:
    """Run ``scenario(pm)`` on a fresh manager of each kit; their outcomes by kit name."""
    return {kit: outcome(lambda make=make: scenario(make())) for kit, make in KITS.items()}


@contextmanager
def recorded_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Every warning issued inside the block, none filtered away."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield seen


def warning_texts(seen: list[warnings.WarningMessage]) -> list[tuple[str, str]]:
    """(category name, message) of each recorded warning."""
    return [(w.category.__name__, str(w.message)) for w in seen]
