"""Signature facts, the member walk and lazy call plans: what registration reads, and when.

The facts a hook reads from a function come from its code object where that is exact; they must
agree with ``inspect.signature`` (the reference written out here) for every kind of function a user
writes. The member walk must not run properties. A registration compiles nothing; a change to one
plugin leaves the plans of hooks it does not implement alone.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Generator
from typing import Any

import pytest

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug._kit.introspection import facts, members, unwrap

extension_point = ExtensionPoint("sig")
extension = Extension("sig")


def reference(function: Callable[..., Any]) -> tuple[tuple[str, ...], dict[str, Any], tuple[str, ...],
                                                     tuple[str, ...]]:
    """(named parameters, defaults, variadic names, keyword-only names) by ``inspect.signature``,
    self of a method in a class body left out (pluggy's rule)."""
    params = list(inspect.signature(function).parameters.values())
    qualname = getattr(function, "__qualname__", "")
    if (params and not inspect.ismethod(function) and params[0].name in ("self", "cls")
            and "." in qualname and "<locals>" not in qualname.split(".")[-2:-1]):
        params = params[1:]
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    named = [p for p in params if p.kind not in variadic]
    return (tuple(p.name for p in named),
            {p.name: p.default for p in named if p.default is not inspect.Parameter.empty},
            tuple(p.name for p in params if p.kind in variadic),
            tuple(p.name for p in named if p.kind is inspect.Parameter.KEYWORD_ONLY))


def plain(a, b=2, *rest, c, d=4, **more): ...
def positional_only(a, /, b, c=3): ...
def keyword_only(*, a, b=1): ...
def nothing(): ...
def generator(a):
    yield a
async def coroutine(a, b=1): ...
async def async_generator(a):
    yield a


def decorated(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def inner(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return inner


class Methods:
    def method(self, a, b=2): ...
    @classmethod
    def klass(cls, a): ...
    @staticmethod
    def static(self, a): ...  # pluggy's rule leaves a first "self" out here too
    def only_args(*args): ...
    def __call__(self, a): ...


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "plain": plain,
    "positional only": positional_only,
    "keyword only": keyword_only,
    "no parameters": nothing,
    "generator": generator,
    "coroutine": coroutine,
    "async generator": async_generator,
    "functools.wraps": decorated(positional_only),
    "functools.partial": functools.partial(plain, 1, c=3),
    "unbound method": Methods.method,
    "bound method": Methods().method,
    "classmethod": Methods.klass,
    "staticmethod": Methods.static,
    "bound *args only": Methods().only_args,
    "callable object": Methods(),
    "lambda": lambda x, y=1: x,
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_facts_agree_with_inspect_signature(name: str) -> None:
    function = FUNCTIONS[name]
    found = facts(function)
    assert (found.names, found.defaults, found.variadic, found.keyword_only) == reference(function)
    assert found.required == tuple(n for n in found.names if n not in found.defaults)
    assert found.is_generator == inspect.isgeneratorfunction(function)
    assert found.is_coroutine == inspect.iscoroutinefunction(function)
    assert found.is_asyncgen == inspect.isasyncgenfunction(function)


@pytest.mark.skipif(not hasattr(inspect, "markcoroutinefunction"), reason="Python 3.12+")
def test_a_function_marked_as_a_coroutine_function_is_one() -> None:
    def fetch(topic):
        ...

    marked = inspect.markcoroutinefunction(fetch)  # type: ignore[attr-defined]
    assert facts(marked).is_coroutine and inspect.iscoroutinefunction(marked)


def test_facts_are_read_once_per_function() -> None:
    def twice(a, b):
        ...

    assert facts(twice) is facts(twice)
    bound_once, bound_again = Methods().method, Methods().method
    assert facts(bound_once) is facts(bound_again)  # one function, bound to two objects
    assert facts(bound_once) is not facts(Methods.method)  # unbound, self is counted differently


def test_a_function_redefined_is_read_again() -> None:
    def fetch(topic):
        ...

    first = facts(fetch)

    def fetch(topic, limit):
        ...

    assert first.names == ("topic",) and facts(fetch).names == ("topic", "limit")


def test_a_function_updated_in_place_is_read_again() -> None:
    """IPython's autoreload assigns a new ``__code__`` (and defaults) to the old function object."""
    import types

    def fetch(topic):
        ...

    def newer(topic, limit=10):
        ...

    namespace = types.SimpleNamespace(fetch=extension(fetch))
    pm = PluginManager("sig")
    pm.register(namespace, name="module")
    assert [i.argnames for i in pm.hook.fetch.get_hookimpls()] == [("topic",)]
    pm.unregister(name="module")
    fetch.__code__, fetch.__defaults__ = newer.__code__, (3,)
    assert facts(fetch).defaults == {"limit": 3}
    pm.register(namespace, name="module")
    assert pm.hook.fetch(topic="x") == [] and pm.hook.fetch.argnames() == ("topic",)
    fetch.__defaults__ = None  # now limit is required: what the extension asks for changes
    pm.unregister(name="module")
    pm.register(namespace, name="module")
    assert [i.argnames for i in pm.hook.fetch.get_hookimpls()] == [("topic", "limit")]


def test_the_member_walk_runs_no_property_and_unwraps_once() -> None:
    ran: list[str] = []

    class Plugin:
        @property
        def expensive(self) -> int:
            ran.append("expensive")
            raise RuntimeError("a property must not run while a plugin is looked at")

        @extension
        def fetch(self, topic: str) -> str:
            return topic

        @staticmethod
        @extension
        def static(topic: str) -> str:
            return topic

    plugin = Plugin()
    found = members(plugin)
    assert {"expensive", "fetch", "static"} <= set(found) and ran == []
    assert unwrap(found["static"]) is Plugin.__dict__["static"].__func__
    pm = PluginManager("sig")
    pm.register(plugin, name="p")
    assert ran == []
    assert sorted(i.hook_name for c in pm.get_hookcallers(plugin) or [] for i in c.get_hookimpls()) == [
        "fetch", "static"]


def test_a_subclass_member_overrides_its_base_in_the_walk() -> None:
    class Base:
        @extension
        def fetch(self, topic: str) -> str:
            return "base"

    class Child(Base):
        def fetch(self, topic: str) -> str:  # no longer an extension
            return "child"

    pm = PluginManager("sig")
    pm.register(Child(), name="c")
    assert pm.get_hookcallers(pm.get_plugin("c")) == []


class Specs:
    @extension_point
    def fetch(self, topic: str) -> str: ...

    @extension_point
    def store(self, topic: str) -> None: ...


def fetcher(label: str) -> object:
    class Fetcher:
        @extension
        def fetch(self, topic: str) -> str:
            return f"{label}:{topic}"

    return Fetcher()


class Storer:
    @extension
    def store(self, topic: str) -> None: ...


def test_a_plan_is_made_on_first_use_and_kept_until_a_change() -> None:
    pm = PluginManager("sig")
    pm.add_extension_points(Specs)
    pm.register(fetcher("a"), name="a")
    plan = pm.hook.fetch.plan()
    assert pm.hook.fetch.plan() is plan  # kept
    assert pm.hook.fetch(topic="x") == ["a:x"]
    assert pm.hook.fetch.plan() is plan  # a call does not make a new one
    pm.register(fetcher("b"), name="b")
    assert pm.hook.fetch.plan() is not plan
    assert pm.hook.fetch(topic="x") == ["b:x", "a:x"]
    assert [i.plugin_name for i in pm.hook.fetch.plan().plain] == ["b", "a"]
    with pytest.raises(AttributeError, match="frozen"):
        plan.name = "other"  # type: ignore[misc]


def test_replace_and_unregister_leave_other_hooks_plans_alone() -> None:
    pm = PluginManager("sig")
    pm.add_extension_points(Specs)
    pm.register(fetcher("a"), name="a")
    pm.register(Storer(), name="s")
    store_plan = pm.hook.store.plan()
    pm.register(fetcher("again"), name="a", replace=True)
    assert pm.hook.store.plan() is store_plan
    assert pm.hook.fetch(topic="x") == ["again:x"]
    pm.unregister(name="a")
    assert pm.hook.store.plan() is store_plan
    assert pm.hook.fetch(topic="x") == []


def test_a_redefined_plugin_of_the_same_form_calls_its_new_functions() -> None:
    """Compiled code is shared by plans of one shape; the functions it calls are each plan's own."""
    pm = PluginManager("sig")
    pm.add_extension_points(Specs)
    for label in ("one", "two", "three"):
        pm.register(fetcher(label), name="cell", replace=True)
        assert pm.hook.fetch(topic="t") == [f"{label}:t"]


def wrapper_plugin(tag: str) -> object:
    class Wrap:
        @extension(wrapper=True)
        def fetch(self, topic: str) -> Generator[None, Any, Any]:
            result = yield
            return [*result, tag]

    return Wrap()


def test_monitoring_added_after_a_call_sees_the_next_call() -> None:
    pm = PluginManager("sig")
    pm.add_extension_points(Specs)
    pm.register(fetcher("a"), name="a")
    pm.register(wrapper_plugin("w"), name="w")
    assert pm.hook.fetch(topic="x") == ["a:x", "w"]
    seen: list[str] = []
    undo = pm.add_hookcall_monitoring(lambda name, impls, kw: seen.append(f"before {name}"),
                                      lambda outcome, name, impls, kw: seen.append(
                                          f"after {outcome.get_result()}"))
    assert pm.hook.fetch(topic="y") == ["a:y", "w"]
    undo()
    assert pm.hook.fetch(topic="z") == ["a:z", "w"]
    assert seen == ["before fetch", "after ['a:y', 'w']"]


# -- every signature shape, generated ------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = st.sampled_from(["self", "cls", "a", "b", "c", "topic", "value", "x"])


@st.composite
def signatures(draw: st.DrawFn) -> str:
    """Python parameter-list source: positional-only, ordinary, *args, keyword-only, **kwargs."""
    names = draw(st.lists(NAMES, unique=True, max_size=6))
    cut = draw(st.integers(0, len(names)))
    positional, keyword = names[:cut], names[cut:]
    slash = draw(st.integers(0, len(positional))) if positional else 0
    first_default = draw(st.integers(0, len(positional)))
    parts: list[str] = []
    for index, name in enumerate(positional):
        parts.append(f"{name}={index}" if index >= first_default else name)
        if slash and index == slash - 1:
            parts.append("/")
    star = draw(st.booleans())
    if star or keyword:
        parts.append("*rest" if star else "*")
    parts += [f"{name}={draw(st.integers(0, 9))}" if draw(st.booleans()) else name for name in keyword]
    if draw(st.booleans()):
        parts.append("**more")
    return ", ".join(parts)


@settings(max_examples=300, deadline=None)
@given(signatures(), st.sampled_from(["function", "method in a class", "bound method"]))
def test_facts_agree_with_inspect_for_every_signature_shape(params: str, where: str) -> None:
    if where == "function":
        scope: dict[str, Any] = {}
        exec(f"def f({params}): pass", scope)
        function = scope["f"]
    else:
        scope = {}
        exec(f"class K:\n    def f({params}): pass", scope)
        function = scope["K"].f
        if where == "bound method":
            if not params or params.startswith("*"):
                return  # no positional parameter to bind: not a method anyone can call
            function = function.__get__(object())
    try:
        expected = reference(function)
    except ValueError:  # inspect refuses it (a bound method whose first parameter is keyword-only)
        return
    found = facts(function)
    assert (found.names, found.defaults, found.variadic, found.keyword_only) == expected
    assert found.required == tuple(n for n in found.names if n not in found.defaults)
