"""Call order against pluggy 1.7 for every registration shape: plugins holding several
implementations of one hook (under their own names and by ``specname``), tryfirst / trylast,
new-style and legacy wrappers, later registrations and unregistrations, extension points added
before or after the plugins — the same log, result, error and ``get_hookimpls()`` order on nbplug's
managers (plugins marked with nbplug's markers or with pluggy's) as on pluggy's.

pluggy adds a plugin's implementations in the order of ``dir(plugin)`` (sorted names), each one
inserted by ``HookCaller._add_hookimpl``'s rule, so within one plugin the implementation whose
attribute name sorts last runs first (tryfirst and plain ones; trylast ones the other way round).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kit_fixtures import PROJECT, PluggySpecs, nb_mark, pluggy_impl
from kit_fixtures import Specs as NbSpecs

from nbplug import AsyncPluginManager, ExtensionPoint, PluginManager

SETTINGS = settings(max_examples=120, deadline=None)
#: attribute names a plugin's implementations may have: the hook's own name and others that sort
#: before and after it (``specname`` names the hook for those)
ATTRIBUTES = ("a_early", "collect", "first", "m_middle", "Upper", "z_late", "_private")
HOOKS = ("collect", "first")

@dataclass(frozen=True)
class Member:
    """One implementation a plugin holds: its attribute, the hook it implements, its kind."""

    attribute: str
    hook: str
    kind: str = "plain"  # plain, wrapper (new-style) or legacy (hookwrapper=True)
    order: str = "plain"  # plain, tryfirst or trylast
    returns: int | None = None
    where: str = "class"  # class (a method), static (a staticmethod) or instance (its __dict__)

    def flags(self) -> dict[str, Any]:
        flags: dict[str, Any] = {"tryfirst": self.order == "tryfirst",
                                 "trylast": self.order == "trylast"}
        if self.kind == "wrapper":
            flags["wrapper"] = True
        elif self.kind == "legacy":
            flags["hookwrapper"] = True
        if self.attribute != self.hook:
            flags["specname"] = self.hook
        return flags


@dataclass(frozen=True)
class PluginShape:
    name: str
    members: tuple[Member, ...]
    #: the plugin object: an instance of a class of its own, the class itself (its members are
    #: then staticmethods) or a module
    kind: str = "instance"


def _function(plugin: str, member: Member, method: bool) -> Callable[..., Any]:
    label = f"{plugin}.{member.attribute}"
    if member.kind == "wrapper":

        def wrapper(x: int, log: list[str]) -> Any:
            log.append(f"{label}<")
            inner = yield
            log.append(f"{label}>")
            return (label, inner)

        function = wrapper
    elif member.kind == "legacy":

        def legacy(x: int, log: list[str]) -> Any:
            log.append(f"{label}<")
            outcome = yield
            log.append(f"{label}>")
            outcome.force_result((label, outcome.get_result()))

        function = legacy
    else:

        def plain(x: int, log: list[str]) -> Any:
            log.append(label)
            return None if member.returns is None else x * 10 + member.returns

        function = plain
    function.__name__ = label
    if not method:
        return function

    def method_of(self: object, x: int, log: list[str]) -> Any:
        return function(x, log)

    def generator_method_of(self: object, x: int, log: list[str]) -> Any:
        return (yield from function(x, log))

    as_method = method_of if member.kind == "plain" else generator_method_of
    as_method.__name__ = label
    return as_method


def build(shape: PluginShape, mark: Callable[..., Any]) -> object:
    """A fresh plugin object of ``shape``, its members marked with ``mark(**flags)``."""
    if shape.kind == "module":
        module = types.ModuleType(f"plugin_{shape.name}")
        for member in shape.members:
            setattr(module, member.attribute, mark(**member.flags())(_function(shape.name, member, False)))
        return module
    namespace: dict[str, Any] = {}
    own: dict[str, Any] = {}
    for member in shape.members:
        if member.where == "static" or shape.kind == "class":
            namespace[member.attribute] = staticmethod(
                mark(**member.flags())(_function(shape.name, member, False)))
        elif member.where == "instance":
            own[member.attribute] = mark(**member.flags())(_function(shape.name, member, False))
        else:
            namespace[member.attribute] = mark(**member.flags())(_function(shape.name, member, True))
    klass = type(f"Plugin_{shape.name}", (), namespace)
    if shape.kind == "class":
        for attribute, function in own.items():
            setattr(klass, attribute, staticmethod(function))
        return klass
    plugin = klass()
    plugin.__dict__.update(own)
    return plugin


@st.composite
def members(draw: st.DrawFn) -> tuple[Member, ...]:
    attributes = draw(st.lists(st.sampled_from(ATTRIBUTES), min_size=1, max_size=4, unique=True))
    found = []
    for attribute in attributes:
        hook = attribute if attribute in HOOKS else draw(st.sampled_from(HOOKS))
        kind = draw(st.sampled_from(["plain", "plain", "plain", "wrapper", "legacy"]))
        found.append(Member(
            attribute, hook, kind, draw(st.sampled_from(["plain", "plain", "tryfirst", "trylast"])),
            draw(st.one_of(st.none(), st.integers(0, 9))) if kind == "plain" else None,
            draw(st.sampled_from(["class", "static", "instance"]))))
    return tuple(found)


@st.composite
def sequences(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """register / unregister operations of plugins holding several implementations each, with
    the extension points added at a random step."""
    ops: list[tuple[str, Any]] = []
    live: list[str] = []
    for number in range(draw(st.integers(1, 6))):
        if live and draw(st.integers(0, 4)) == 0:
            name = draw(st.sampled_from(live))
            live.remove(name)
            ops.append(("unregister", name))
        kind = draw(st.sampled_from(["instance", "instance", "instance", "class", "module"]))
        shape = PluginShape(f"p{number}", draw(members()), kind)
        live.append(shape.name)
        ops.append(("register", shape))
    ops.insert(draw(st.integers(0, len(ops))), ("specs", None))
    return ops


def apply(pm: Any, ops: list[tuple[str, Any]], mark: Callable[..., Any], specs: object) -> None:
    add_specs = getattr(pm, "add_extension_points", None) or pm.add_hookspecs
    for kind, arg in ops:
        if kind == "specs":
            add_specs(specs)
        elif kind == "register":
            pm.register(build(arg, mark), name=arg.name)
        else:
            pm.unregister(name=arg)


def pluggy_manager(ops: list[tuple[str, Any]]) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT)
    apply(pm, ops, pluggy_impl, PluggySpecs)
    return pm


MARKS = {"nbplug": nb_mark, "pluggy": pluggy_impl}


def observe(caller: Any) -> tuple[list[str], Any, str | None]:
    log: list[str] = []
    try:
        return log, caller(x=1, log=log), None
    except Exception as exc:
        return log, None, f"{type(exc).__name__}: {exc}"


def extra(caller: Any) -> tuple[list[str], Any]:
    """(log, result) of a call with two extra methods."""
    log: list[str] = []

    def extra_one(x: int, log: list[str]) -> int:
        log.append("extra_one")
        return 101

    def extra_two(x: int, log: list[str]) -> None:
        log.append("extra_two")

    return log, caller.call_extra([extra_one, extra_two], {"x": 1, "log": log})


def hookimpls(pm: Any, hook: str) -> list[tuple[str, str, bool, bool]]:
    caller = getattr(pm.hook, hook, None)
    if caller is None:
        return []
    return [(i.plugin_name, i.function.__name__, bool(i.hookwrapper), bool(i.wrapper))
            for i in caller.get_hookimpls()]


@SETTINGS
@given(ops=sequences(), marks=st.sampled_from(sorted(MARKS)))
def test_call_order_and_results_match_pluggy(ops: list[tuple[str, Any]], marks: str) -> None:
    theirs = pluggy_manager(ops)
    ours = PluginManager(PROJECT)
    apply(ours, ops, MARKS[marks], NbSpecs if marks == "nbplug" else PluggySpecs)
    # the hooks of each plugin in pluggy's order: the order the hooks were made, unless a hook
    # was dropped on the way (nbplug drops a hook left with no spec and no extensions; pluggy
    # keeps it, and so its place)
    dropped = "unregister" in [kind for kind, _ in ops[:ops.index(("specs", None))]]
    for name, plugin in theirs.list_name_plugin():
        callers = [c.name for c in ours.get_hookcallers(ours.get_plugin(name))]
        expected = [c.name for c in theirs.get_hookcallers(plugin)]
        assert (sorted(callers) == sorted(expected)) if dropped else (callers == expected)
    for hook in HOOKS:
        assert hookimpls(ours, hook) == hookimpls(theirs, hook)
        assert observe(getattr(ours.hook, hook)) == observe(getattr(theirs.hook, hook))
        # the traced interpreter calls them in the same order
        log: list[str] = []
        trace = getattr(ours.hook, hook).traced(x=1, log=log)
        assert (log, trace.result) == observe(getattr(theirs.hook, hook))[:2]
        # methods given to call_extra run among them as pluggy places them
        assert extra(getattr(ours.hook, hook)) == extra(getattr(theirs.hook, hook))


@SETTINGS
@given(ops=sequences(), marks=st.sampled_from(sorted(MARKS)))
async def test_async_manager_call_order_matches_pluggy(ops: list[tuple[str, Any]], marks: str) -> None:
    theirs = pluggy_manager(ops)
    ours = AsyncPluginManager(PROJECT)
    apply(ours, ops, MARKS[marks], NbSpecs if marks == "nbplug" else PluggySpecs)
    for hook in HOOKS:
        assert hookimpls(ours, hook) == hookimpls(theirs, hook)
        log: list[str] = []
        result = await getattr(ours.hook, hook)(x=1, log=log)
        assert (log, result, None) == observe(getattr(theirs.hook, hook))


# -- the shapes, one by one (what the property finds, written out) ------------------------------
def _both(shapes: list[PluginShape]) -> tuple[list[str], list[str]]:
    ops: list[tuple[str, Any]] = [("specs", None), *(("register", s) for s in shapes)]
    ours = PluginManager(PROJECT)
    apply(ours, ops, nb_mark, NbSpecs)
    return observe(ours.hook.collect)[0], observe(pluggy_manager(ops).hook.collect)[0]


@pytest.mark.parametrize("order", ["plain", "tryfirst", "trylast"])
def test_one_plugins_implementations_run_in_pluggys_order(order: str) -> None:
    shape = PluginShape("p", (Member("a_early", "collect", order=order),
                              Member("collect", "collect", order=order),
                              Member("z_late", "collect", order=order)))
    ours, theirs = _both([shape])
    expected = {"plain": ["p.z_late", "p.collect", "p.a_early"],
                "tryfirst": ["p.z_late", "p.collect", "p.a_early"],
                "trylast": ["p.a_early", "p.collect", "p.z_late"]}[order]
    assert theirs == expected
    assert ours == expected


@pytest.mark.parametrize("kind", ["wrapper", "legacy"])
def test_one_plugins_wrappers_nest_in_pluggys_order(kind: str) -> None:
    shape = PluginShape("p", (Member("a_early", "collect", kind=kind),
                              Member("collect", "collect", returns=1),
                              Member("z_late", "collect", kind=kind)))
    ours, theirs = _both([shape])
    assert theirs == ["p.z_late<", "p.a_early<", "p.collect", "p.a_early>", "p.z_late>"]
    assert ours == theirs


def test_later_plugins_interleave_with_an_earlier_plugins_implementations() -> None:
    first = PluginShape("p", (Member("a_early", "collect", order="trylast"),
                              Member("collect", "collect"), Member("z_late", "collect")))
    second = PluginShape("q", (Member("a_early", "collect"), Member("m_middle", "collect",
                                                                   order="trylast")))
    ours, theirs = _both([first, second])
    assert theirs == ["q.a_early", "p.z_late", "p.collect", "p.a_early", "q.m_middle"]
    assert ours == theirs


def test_historic_calls_replay_to_one_plugins_implementations_in_pluggys_order() -> None:
    def scenario(spec: Any, mark: Any, pm: Any) -> list[str]:
        class Specs:
            @staticmethod
            @spec(historic=True)
            def configure(log: list[str]) -> None: ...

        class Late:
            @mark(specname="configure", trylast=True)
            def a_early(self, log: list[str]) -> None:
                log.append("a_early")

            @mark()
            def configure(self, log: list[str]) -> None:
                log.append("configure")

            @mark(specname="configure")
            def z_late(self, log: list[str]) -> None:
                log.append("z_late")

        log: list[str] = []
        pm.add_hookspecs(Specs)
        pm.hook.configure.call_historic(kwargs={"log": log})
        pm.register(Late())  # replayed to each implementation as it is added
        pm.hook.configure.call_historic(kwargs={"log": log})  # called in call order
        return log

    theirs = scenario(pluggy.HookspecMarker(PROJECT), pluggy_impl, pluggy.PluginManager(PROJECT))
    assert theirs == ["a_early", "configure", "z_late", "z_late", "configure", "a_early"]
    assert scenario(pluggy.HookspecMarker(PROJECT), pluggy_impl, PluginManager(PROJECT)) == theirs
    assert scenario(ExtensionPoint(PROJECT), nb_mark, PluginManager(PROJECT)) == theirs
