"""Random plugin sets for the kit's property tests, and the tiny reference model they are checked against.

A plugin set is a sequence of operations (register / unregister / replace) of plugins that each
implement one hook. Plain implementations log their name and return a value (or None, or raise);
wrappers log set-up and teardown and wrap the inner result in a tuple naming themselves, so the
result shows the nesting. The same plugin descriptions build plugins for nbplug and for pluggy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pluggy
from hypothesis import strategies as st

from nbplug import Extension, ExtensionPoint

PROJECT = "kit"
extension_point = ExtensionPoint(PROJECT)
extension = Extension(PROJECT)
pluggy_spec = pluggy.HookspecMarker(PROJECT)
pluggy_impl = pluggy.HookimplMarker(PROJECT)

#: hook name per mode; the pipeline hook threads its first argument ``x``
HOOKS = {"collecting": "collect", "firstresult": "first", "pipeline": "pipe"}


class Specs:
    """The extension points the random plugins implement (one per mode)."""

    @staticmethod
    @extension_point
    def collect(x: int, log: list[str]) -> list[object]:
        """Collect every non-None value."""

    @staticmethod
    @extension_point(firstresult=True)
    def first(x: int, log: list[str]) -> object:
        """The first non-None value."""

    @staticmethod
    @extension_point(pipeline=True)
    def pipe(x: int, log: list[str]) -> int:
        """Thread x through the implementations."""


class PluggySpecs:
    """The same extension points marked with pluggy's marker (pluggy has no pipeline mode)."""

    @staticmethod
    @pluggy_spec
    def collect(x: int, log: list[str]) -> list[object]: ...

    @staticmethod
    @pluggy_spec(firstresult=True)
    def first(x: int, log: list[str]) -> object: ...


@dataclass(frozen=True)
class Entry:
    """One plugin: a single implementation (or wrapper) of the hook, with its ordering flags."""

    name: str
    tryfirst: bool = False
    trylast: bool = False
    wrapper: bool = False
    returns: int | None = None
    raises: bool = False
    #: wrappers only: "pass" the result on (wrapped in a tuple), "swallow" an inner exception by
    #: returning, or "raise" in teardown when the inner call succeeded; legacy wrappers also
    #: "force_error" (``outcome.force_exception``) when it succeeded
    action: str = "pass"
    #: a legacy wrapper (``hookwrapper=True``, ``outcome = yield``) instead of a new-style one
    legacy: bool = False
    #: the function also takes the argument ``y`` (which a call may leave out)
    needs_y: bool = False
    #: ``y`` has a default (7): the call's value is passed when it has one, as pluggy 1.7 does
    y_default: bool = False

    def flags(self) -> dict[str, bool]:
        if self.legacy:
            return {"tryfirst": self.tryfirst, "trylast": self.trylast, "hookwrapper": True}
        return {"tryfirst": self.tryfirst, "trylast": self.trylast, "wrapper": self.wrapper}


def _legacy_function(entry: Entry) -> Callable[..., Any]:
    """A legacy wrapper doing what ``entry.action`` says to the outcome it receives."""
    name = entry.name

    def legacy(x: int, log: list[str]) -> Any:
        log.append(f"{name}<")
        result = yield
        log.append(f"{name}>")
        failed = result.exception is not None
        if entry.action == "swallow" and failed:
            result.force_result((name, "swallowed"))
        elif entry.action == "raise" and not failed:
            raise RuntimeError(f"teardown of {name}")
        elif entry.action == "force_error" and not failed:
            result.force_exception(LookupError(f"forced by {name}"))
        elif entry.action == "pass" and not failed:
            result.force_result((name, result.get_result()))

    return legacy


def _taking_y(function: Callable[..., Any], entry: Entry) -> Callable[..., Any]:
    """``function`` with a third parameter ``y``, which a plain implementation adds to its value."""
    if entry.wrapper or entry.legacy:

        def wrap_y(x: int, log: list[str], y: int) -> Any:
            log.append(f"{entry.name}:y={y}")
            return (yield from function(x, log))

        def wrap_y_default(x: int, log: list[str], y: int = 7) -> Any:
            log.append(f"{entry.name}:y={y}")
            return (yield from function(x, log))

        return wrap_y_default if entry.y_default else wrap_y

    def impl_y(x: int, log: list[str], y: int) -> Any:
        value = function(x, log)
        return None if value is None else value + 100 * y

    def impl_y_default(x: int, log: list[str], y: int = 7) -> Any:
        value = function(x, log)
        return None if value is None else value + 100 * y

    return impl_y_default if entry.y_default else impl_y


def make_function(entry: Entry) -> Callable[..., Any]:
    """The implementation function an entry describes (unmarked)."""
    if entry.needs_y:
        return _taking_y(make_function(replace(entry, needs_y=False)), entry)
    if entry.legacy:
        return _legacy_function(entry)
    name = entry.name
    if entry.wrapper:

        def wrap(x: int, log: list[str]) -> Any:
            log.append(f"{name}<")
            try:
                inner = yield
            except Exception:
                if entry.action == "swallow":
                    return (name, "swallowed")
                raise
            finally:
                log.append(f"{name}>")
            if entry.action == "raise":
                raise RuntimeError(f"teardown of {name}")
            return (name, inner)

        return wrap

    def impl(x: int, log: list[str]) -> Any:
        log.append(name)
        if entry.raises:
            raise ValueError(f"boom from {name}")
        return None if entry.returns is None else x * 10 + entry.returns

    return impl


def make_plugin(entry: Entry, hook: str, mark: Callable[..., Any]) -> object:
    """A plugin object whose ``hook`` attribute is the entry's function marked with ``mark(**flags)``."""
    function = mark(**entry.flags())(make_function(entry))
    return type(f"Plugin_{entry.name}", (), {hook: staticmethod(function)})()


def nb_mark(**flags: bool) -> Callable[..., Any]:
    return extension(**flags)


@dataclass
class Model:
    """The reference model: which plugins are live, with their registration sequence numbers."""

    live: dict[str, tuple[int, Entry]] = field(default_factory=dict)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def apply(self, op: tuple[str, Any]) -> None:
        kind, arg = op
        if kind == "register":
            self.live[arg.name] = (next(self.counter), arg)
        elif kind == "replace":
            self.live[arg.name] = (self.live[arg.name][0], arg)
        else:
            del self.live[arg]

    def ordered(self, wrappers: bool) -> list[Entry]:
        """Call order: tryfirst, plain, trylast; later registrations first within tryfirst and
        plain, earlier registrations first within trylast (pluggy's insertion rule)."""
        items = sorted((v for v in self.live.values() if (v[1].wrapper or v[1].legacy) == wrappers),
                       reverse=True, key=lambda v: v[0])
        entries = [e for _, e in items]
        return ([e for e in entries if e.tryfirst]
                + [e for e in entries if not (e.tryfirst or e.trylast)]
                + [e for e in reversed(entries) if e.trylast])

    def expect(self, mode: str, x: int) -> tuple[list[str], object, tuple[type, str] | None]:
        """(log, result, (exception type, message) or None) of one call in ``mode``."""
        wrappers = self.ordered(True)
        log = [f"{w.name}<" for w in wrappers]
        error: tuple[type, str] | None = None
        results: list[int] = []
        value: Any = x
        first: Any = None
        for entry in self.ordered(False):
            log.append(entry.name)
            if entry.raises:
                error = (ValueError, f"boom from {entry.name}")
                break
            if entry.returns is None:
                continue
            out = (value if mode == "pipeline" else x) * 10 + entry.returns
            if mode == "firstresult":
                first = out
                break
            if mode == "pipeline":
                value = out
            results.append(out)
        result: Any = {"collecting": results, "firstresult": first, "pipeline": value}[mode]
        log.extend(f"{w.name}>" for w in reversed(wrappers))
        for w in reversed(wrappers):
            if error is not None:
                if w.action == "swallow":
                    result, error = (w.name, "swallowed"), None
            elif w.action == "raise":
                error = (RuntimeError, f"teardown of {w.name}")
            else:
                result = (w.name, result)
        return log, (None if error is not None else result), error


@st.composite
def operations(draw: st.DrawFn, allow_replace: bool = True, max_ops: int = 9,
               legacy: bool = False, needy: bool = False) -> list[tuple[str, Any]]:
    """A sequence of register / unregister / replace operations on distinct plugin names.

    ``legacy``: wrappers may be legacy ones; ``needy``: functions may take ``y`` too.
    """
    names = itertools.count()
    live: list[str] = []
    ops: list[tuple[str, Any]] = []

    def entry(name: str) -> Entry:
        order = draw(st.sampled_from(["plain", "plain", "tryfirst", "trylast"]))
        wrapper = draw(st.booleans()) and draw(st.booleans())
        returns = draw(st.one_of(st.none(), st.integers(0, 9)))
        raises = not wrapper and draw(st.integers(0, 9)) == 0
        old_style = wrapper and legacy and draw(st.booleans())
        actions = ["pass", "pass", "swallow", "raise", *(["force_error"] if old_style else [])]
        action = draw(st.sampled_from(actions)) if wrapper else "pass"
        needs_y = needy and draw(st.integers(0, 2)) == 0
        y_default = needs_y and draw(st.booleans())
        return Entry(name, tryfirst=order == "tryfirst", trylast=order == "trylast",
                     wrapper=wrapper and not old_style, returns=returns, raises=raises,
                     action=action, legacy=old_style, needs_y=needs_y,
                     y_default=y_default)

    for _ in range(draw(st.integers(1, max_ops))):
        kinds = ["register", "register"]
        if live:
            kinds.append("unregister")
            if allow_replace:
                kinds.append("replace")
        kind = draw(st.sampled_from(kinds))
        if kind == "register":
            name = f"p{next(names)}"
            live.append(name)
            ops.append(("register", entry(name)))
        elif kind == "unregister":
            name = draw(st.sampled_from(live))
            live.remove(name)
            ops.append(("unregister", name))
        else:
            ops.append(("replace", entry(draw(st.sampled_from(live)))))
    return ops


def apply_to_manager(pm: Any, ops: list[tuple[str, Any]], hook: str,
                     mark: Callable[..., Any] = nb_mark) -> None:
    """Run the operations on a manager (nbplug's, or pluggy's when no op is a replace)."""
    for kind, arg in ops:
        if kind == "register":
            pm.register(make_plugin(arg, hook, mark), name=arg.name)
        elif kind == "replace":
            pm.register(make_plugin(arg, hook, mark), name=arg.name, replace=True)
        else:
            pm.unregister(name=arg)


def outcome(call: Callable[[], Any]) -> tuple[object, tuple[type, str] | None]:
    """(result, None) or (None, (exception type, message)) of a call."""
    try:
        return call(), None
    except Exception as exc:
        return None, (type(exc), str(exc))
