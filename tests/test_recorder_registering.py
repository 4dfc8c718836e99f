"""Registering while recorded is registering: a plugin added to a recorded pluggy or nbplug manager
gets the same validation errors and warnings as without recording, its extensions (plain,
new-style and legacy wrappers) are called in pluggy's order from the next call on and recorded
there; an extension point added later validates the extensions already recorded exactly as it
validates their originals.

Each scenario runs on a fresh manager once plain and once recorded, and the two runs are compared,
on pluggy 1.7 itself and on nbplug's manager.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Generator
from typing import Any

import pluggy
import pytest

import nbplug
from nbplug import record

hookspec = pluggy.HookspecMarker("late")
hookimpl = pluggy.HookimplMarker("late")

KITS: dict[str, Callable[[], Any]] = {
    "pluggy": lambda: pluggy.PluginManager("late"),
    "nbplug": lambda: nbplug.PluginManager("late"),
}


class Specs:
    @hookspec
    def late_greet(self, name: str) -> list[str]:
        """Greet ``name``."""

    @hookspec(warn_on_impl=DeprecationWarning("late_old is going away"))
    def late_old(self, x: int) -> list[int]:
        """Deprecated: implementing it warns."""

    @hookspec(warn_on_impl_args={"x": DeprecationWarning("x is going away")})
    def late_args(self, x: int) -> list[int]:
        """Its argument ``x`` is deprecated."""

    @hookspec(historic=True)
    def late_history(self, x: int) -> None:
        """Replayed to later plugins."""


class First:
    @hookimpl
    def late_greet(self, name: str) -> str:
        return f"first {name}"


class Wraps:
    @hookimpl(wrapper=True)
    def late_greet(self, name: str) -> Generator[None, Any, Any]:
        result = yield
        return [*result, "wrapped"]


class Legacy:
    @hookimpl(hookwrapper=True)
    def late_greet(self, name: str) -> Generator[None, Any, None]:
        outcome = yield
        outcome.force_result([*outcome.get_result(), "legacy"])


class Early:
    @hookimpl(tryfirst=True)
    def late_greet(self, name: str) -> str:
        return f"early {name}"


class UnknownArgument:
    @hookimpl
    def late_greet(self, nope: str) -> str:
        return nope


class WrapperNotGenerator:
    @hookimpl(wrapper=True)
    def late_greet(self, name: str) -> str:
        return name


class BothWrappers:
    @hookimpl(wrapper=True, hookwrapper=True)
    def late_greet(self, name: str) -> Generator[None, Any, None]:
        yield


class Old:
    @hookimpl
    def late_old(self, x: int) -> int:
        return x


class HistoricWrapper:
    @hookimpl(wrapper=True)
    def late_history(self, x: int) -> Generator[None, Any, Any]:
        return (yield)


class Historic:
    def __init__(self) -> None:
        self.seen: list[int] = []

    @hookimpl
    def late_history(self, x: int) -> None:
        self.seen.append(x)


LATER: list[tuple[str, Callable[[], object]]] = [
    ("wraps", Wraps), ("legacy", Legacy), ("early", Early), ("unknown-argument", UnknownArgument),
    ("wrapper-not-generator", WrapperNotGenerator), ("both-wrappers", BothWrappers), ("old", Old),
    ("historic-wrapper", HistoricWrapper), ("historic", Historic),
]


def warned(caught: list[warnings.WarningMessage]) -> list[tuple[str, str, str, int]]:
    """Each warning as a person sees it: its kind, its message, the file and line it names."""
    return [(type(w.message).__name__, str(w.message), os.path.basename(w.filename), w.lineno)
            for w in caught]


def registering(kit: str, recorded: bool) -> tuple[list[Any], Any]:
    """Register each of LATER after the first call, calling late_greet after each; returns what
    happened (results, errors, warnings) and the recording (None when not recorded)."""
    pm = KITS[kit]()
    pm.add_hookspecs(Specs)
    pm.register(First(), name="first")
    pm.hook.late_history.call_historic(kwargs={"x": 7})
    happened: list[Any] = []
    recorder = record(pm) if recorded else None
    if recorder is not None:
        recorder.start()
    try:
        happened.append(pm.hook.late_greet(name="ada"))
        for name, make in LATER:
            plugin = make()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    happened.append(("registered", pm.register(plugin, name=name)))
                except Exception as exc:  # compared, whatever it is
                    happened.append((type(exc).__name__, str(exc)))
            happened.append(warned(caught))
            happened.append(getattr(plugin, "seen", None))
            happened.append(pm.hook.late_greet(name="bob"))
        order = [impl.plugin_name for impl in reversed(pm.hook.late_greet.get_hookimpls())]
    finally:
        if recorder is not None:
            recorder.stop()
    return [*happened, order], None if recorder is None else recorder.recording


@pytest.mark.parametrize("kit", sorted(KITS))
def test_registering_while_recorded_validates_warns_and_calls_as_without(kit: str) -> None:
    plain, _ = registering(kit, recorded=False)
    recorded, recording = registering(kit, recorded=True)
    assert recorded == plain
    errors = [entry[0] for entry in plain if isinstance(entry, tuple) and entry[0] != "registered"]
    assert errors == ["PluginValidationError"] * 4  # the four broken plugins are refused
    assert ("DeprecationWarning", "late_old is going away", "test_recorder_registering.py",
            Old.late_old.__code__.co_firstlineno) in [w for entry in plain if isinstance(entry, list)
                                                      for w in entry if isinstance(w, tuple)]
    assert plain[-2] == ["early bob", "first bob", "wrapped", "legacy"]
    # every call recorded each extension registered before it, in pluggy's call order
    greets = recording.find(hook="late_greet")
    assert [step.plugin for step in greets[-1].steps] == plain[-1] == [
        "legacy", "wraps", "early", "first"]
    assert [len(call.steps) for call in greets] == [1, 2, 3, 4, 4, 4, 4, 4, 4, 4]
    assert greets[-1].result == repr(plain[-2])
    replay = recording.find(hook="late_history")
    assert [step.plugin for call in replay for step in call.steps] == ["historic"]


class PendingSpecs:
    @hookspec(warn_on_impl=DeprecationWarning("late_pending is going away"))
    def late_pending(self, x: int) -> list[int]:
        """Added after its extensions were registered (and called)."""

    @hookspec(warn_on_impl_args={"x": DeprecationWarning("late_pending_args' x is going away")})
    def late_pending_args(self, x: int) -> list[int]:
        """Added after its extension was registered."""


class Pending:
    @hookimpl(wrapper=True)
    def late_pending(self, x: int) -> Generator[None, Any, Any]:
        return (yield)

    @hookimpl
    def late_pending_args(self, x: int) -> int:
        return x


class PendingLegacy:
    @hookimpl(hookwrapper=True)
    def late_pending(self, x: int) -> Generator[None, Any, None]:
        yield


def adding_specs_later(kit: str, recorded: bool) -> list[Any]:
    pm = KITS[kit]()
    pm.register(Pending(), name="pending")
    pm.register(PendingLegacy(), name="pending-legacy")
    happened: list[Any] = []
    recorder = record(pm) if recorded else None
    if recorder is not None:
        recorder.start()
    try:
        happened += [pm.hook.late_pending(x=1), pm.hook.late_pending_args(x=2)]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                pm.add_hookspecs(PendingSpecs)
                happened.append("added")
            except Exception as exc:  # compared, whatever it is
                happened.append((type(exc).__name__, str(exc)))
        happened += [warned(caught), pm.hook.late_pending(x=3), pm.hook.late_pending_args(x=4)]
    finally:
        if recorder is not None:
            recorder.stop()
    return happened


@pytest.mark.parametrize("kit", sorted(KITS))
def test_an_extension_point_added_while_recorded_checks_the_recorded_extensions_as_their_originals(
        kit: str) -> None:
    """The extensions were called, so they stand behind the recorder's stand-ins: still each is a
    generator function where the original is, and each warning names the extension's own line."""
    plain = adding_specs_later(kit, recorded=False)
    assert plain[2] == "added"
    assert {(name, line) for _, _, name, line in plain[3]} == {
        ("test_recorder_registering.py", Pending.late_pending.__code__.co_firstlineno),
        ("test_recorder_registering.py", PendingLegacy.late_pending.__code__.co_firstlineno),
        ("test_recorder_registering.py", Pending.late_pending_args.__code__.co_firstlineno)}
    assert adding_specs_later(kit, recorded=True) == plain


@pytest.mark.parametrize("kit", sorted(KITS))
def test_a_stand_in_reads_as_its_original(kit: str) -> None:
    """What inspection reads of a recorded extension's function is the original's."""
    import inspect

    pm = KITS[kit]()
    pm.add_hookspecs(Specs)
    pm.register(Wraps(), name="wraps")
    pm.register(First(), name="first")
    originals = {impl.plugin_name: impl.function for impl in pm.hook.late_greet.get_hookimpls()}
    with record(pm):
        pm.hook.late_greet(name="ada")
        for impl in pm.hook.late_greet.get_hookimpls():
            stand_in, original = impl.function, originals[impl.plugin_name]
            assert stand_in is not original  # recorded through it
            for read in (inspect.isgeneratorfunction, inspect.signature, inspect.getdoc, repr,
                         lambda f: (f.__name__, f.__qualname__, f.__module__, f.__code__)):
                assert read(stand_in) == read(original)
