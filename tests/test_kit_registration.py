"""Registration: atomic, duplicates, replace, blocking, unregister, look-ups, pending, subsets,
monitoring and entry points."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from nbplug import (
    Extension,
    ExtensionPoint,
    HookCaller,
    HookImpl,
    PluginManager,
    PluginValidationError,
    Result,
)

extension_point = ExtensionPoint("feed")
extension = Extension("feed")


class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:
        """Fetch a headline."""

    @staticmethod
    @extension_point
    def store(item: str) -> None:
        """Store an item."""


class Named:
    """A plugin that answers fetch with its own label."""

    def __init__(self, label: str) -> None:
        self.label = label

    @extension
    def fetch(self, topic: str) -> str:
        return f"{self.label}:{topic}"

    def __repr__(self) -> str:
        return f"Named({self.label!r})"


def snapshot(pm: PluginManager) -> Any:
    """Everything observable about a manager's registry."""
    return (
        pm.list_name_plugin(),
        [(c.name, c.spec, [(i.plugin_name, i.function) for i in c.implementations()])
         for c in pm.callers()],
        sorted(vars(pm.hook)),
        pm.pending_implementations(),
    )


@pytest.fixture
def pm() -> PluginManager:
    manager = PluginManager("feed")
    manager.add_extension_points(Specs)
    return manager


def test_register_returns_name_and_calls(pm: PluginManager) -> None:
    assert pm.register(Named("a"), name="a") == "a"
    assert pm.hook.fetch(topic="t") == ["a:t"]


def test_canonical_name_is_dunder_name_or_id(pm: PluginManager) -> None:
    module = type(sys)("my_plugin_module")
    module.fetch = extension(lambda topic: "m")  # type: ignore[attr-defined]
    assert pm.register(module) == "my_plugin_module"
    plugin = Named("x")
    assert pm.register(plugin) == str(id(plugin))


class Broken:
    """One good implementation and one whose argument the spec lacks."""

    @extension
    def fetch(self, topic: str) -> str:
        return "ok"

    @extension
    def store(self, item: str, colour: str) -> None: ...

    @extension
    def pending_hook(self) -> None: ...


def test_register_is_atomic(pm: PluginManager) -> None:
    pm.register(Named("a"), name="a")
    before = snapshot(pm)
    plugin = Broken()
    with pytest.raises(PluginValidationError) as info:
        pm.register(plugin, name="broken")
    assert info.value.plugin is plugin
    assert snapshot(pm) == before
    assert not pm.has_plugin("broken")
    assert not pm.is_registered(plugin)
    assert not hasattr(pm.hook, "pending_hook")
    assert pm.hook.fetch(topic="t") == ["a:t"]


def test_register_is_atomic_with_replace(pm: PluginManager) -> None:
    good = Named("a")
    pm.register(good, name="a")
    before = snapshot(pm)
    with pytest.raises(PluginValidationError):
        pm.register(Broken(), name="a", replace=True)
    assert snapshot(pm) == before
    assert pm.get_plugin("a") is good


def test_duplicate_name_rejected(pm: PluginManager) -> None:
    pm.register(Named("a"), name="a")
    with pytest.raises(ValueError, match=r"already registered as 'a'.*replace=True"):
        pm.register(Named("b"), name="a")
    assert pm.hook.fetch(topic="t") == ["a:t"]


def test_duplicate_object_rejected(pm: PluginManager) -> None:
    plugin = Named("a")
    pm.register(plugin, name="a")
    with pytest.raises(ValueError, match="already registered"):
        pm.register(plugin, name="a")
    with pytest.raises(ValueError, match=r"already registered as 'a'; unregister it first"):
        pm.register(plugin, name="other")
    assert pm.list_name_plugin() == [("a", plugin)]


def test_replace_keeps_call_order_place(pm: PluginManager) -> None:
    for label in "abc":
        pm.register(Named(label), name=label)
    assert pm.hook.fetch(topic="t") == ["c:t", "b:t", "a:t"]
    new = Named("B")
    assert pm.register(new, name="b", replace=True) == "b"
    assert pm.hook.fetch(topic="t") == ["c:t", "B:t", "a:t"]
    assert [i.plugin_name for i in pm.hook.fetch.implementations()] == ["c", "b", "a"]
    assert pm.get_plugin("b") is new
    assert pm.list_name_plugin() == [("a", pm.get_plugin("a")), ("b", new), ("c", pm.get_plugin("c"))]


def test_replace_same_object_leaves_no_duplicates(pm: PluginManager) -> None:
    plugin = Named("a")
    pm.register(plugin, name="a")
    for _ in range(3):
        pm.register(plugin, name="a", replace=True)
    assert len(pm.hook.fetch.implementations()) == 1
    assert pm.hook.fetch(topic="t") == ["a:t"]
    assert pm.list_name_plugin() == [("a", plugin)]


def test_replace_drops_hooks_the_new_plugin_lacks(pm: PluginManager) -> None:
    class Both:
        @extension
        def fetch(self, topic: str) -> str:
            return "old"

        @extension
        def store(self, item: str) -> None: ...

    pm.register(Both(), name="p")
    pm.register(Named("new"), name="p", replace=True)
    assert pm.hook.store.implementations() == []
    assert pm.hook.fetch(topic="t") == ["new:t"]


def test_replace_of_unregistered_name_just_registers(pm: PluginManager) -> None:
    assert pm.register(Named("a"), name="a", replace=True) == "a"
    assert pm.hook.fetch(topic="t") == ["a:t"]


def test_blocking(pm: PluginManager) -> None:
    plugin = Named("a")
    pm.register(plugin, name="a")
    assert not pm.is_blocked("a")
    pm.set_blocked("a")
    assert pm.is_blocked("a")
    assert not pm.is_registered(plugin)
    assert pm.hook.fetch(topic="t") == []
    assert pm.register(Named("again"), name="a") is None
    assert not pm.has_plugin("a")
    assert pm.unblock("a") is True
    assert pm.unblock("a") is False
    assert pm.register(Named("again"), name="a") == "a"
    assert pm.hook.fetch(topic="t") == ["again:t"]


def test_unregister_by_object_and_by_name(pm: PluginManager) -> None:
    a, b = Named("a"), Named("b")
    pm.register(a, name="a")
    pm.register(b, name="b")
    assert pm.unregister(a) is a
    assert pm.hook.fetch(topic="t") == ["b:t"]
    assert pm.unregister(name="b") is b
    assert pm.hook.fetch(topic="t") == []
    assert pm.list_name_plugin() == []
    assert pm.get_name(a) is None


def test_unregister_errors(pm: PluginManager) -> None:
    pm.register(Named("a"), name="alpha")
    with pytest.raises(ValueError, match="is not registered"):
        pm.unregister(Named("x"))
    with pytest.raises(ValueError, match="did you mean 'alpha'"):
        pm.unregister(name="alpah")
    with pytest.raises(ValueError, match="needs the plugin or its name"):
        pm.unregister()


def test_unregister_removes_pending_hook(pm: PluginManager) -> None:
    class Pending:
        @extension
        def other(self) -> int:
            return 1

    plugin = Pending()
    pm.register(plugin, name="p")
    assert pm.hook.other() == [1]
    pm.unregister(plugin)
    assert not hasattr(pm.hook, "other")
    assert [c.name for c in pm.callers()] == ["fetch", "store"]


def test_lookups(pm: PluginManager) -> None:
    a, b = Named("a"), Named("b")
    pm.register(a, name="a")
    pm.register(b, name="b")
    assert pm.is_registered(a) and not pm.is_registered(Named("a"))
    assert pm.get_plugin("a") is a and pm.get_plugin("zzz") is None
    assert pm.get_name(b) == "b" and pm.get_name(Named("b")) is None
    assert pm.has_plugin("b") and not pm.has_plugin("c")
    assert pm.list_name_plugin() == [("a", a), ("b", b)]
    assert pm.get_plugins() == {a, b}
    callers = pm.get_hookcallers(a)
    assert callers is not None
    assert [c.name for c in callers] == ["fetch"]
    assert callers[0] is pm.hook.fetch
    assert pm.get_hookcallers(Named("x")) is None
    impls = pm.hook.fetch.implementations()
    assert all(isinstance(i, HookImpl) for i in impls)
    assert [(i.plugin, i.plugin_name) for i in impls] == [(b, "b"), (a, "a")]
    assert [i.plugin for i in pm.hook.fetch.get_hookimpls()] == [a, b]


class Unknown:
    @extension
    def fech(self, topic: str) -> str:
        return "typo"

    @extension(optionalhook=True)
    def maybe(self) -> None: ...


def test_check_pending_and_optionalhook(pm: PluginManager) -> None:
    pm.check_pending()
    plugin = Unknown()
    pm.register(plugin, name="u")
    pending = pm.pending_implementations()
    assert [(i.plugin_name, i.hook_name) for i in pending] == [("u", "fech")]
    with pytest.raises(PluginValidationError) as info:
        pm.check_pending()
    message = str(info.value)
    assert "'u'" in message and "'fech'" in message and "did you mean 'fetch'" in message
    assert "optionalhook=True" in message
    assert info.value.plugin is plugin
    # a pending hook can still be called with the arguments its implementations ask for
    assert pm.hook.fech(topic="t") == ["typo"]


def test_spec_added_after_impls_is_validated_then() -> None:
    pm = PluginManager("feed")

    class Early:
        @extension
        def fetch(self, topic: str, colour: str) -> str:
            return "early"

    pm.register(Early(), name="early")
    assert [i.hook_name for i in pm.pending_implementations()] == ["fetch"]
    with pytest.raises(PluginValidationError) as info:
        pm.add_extension_points(Specs)
    message = str(info.value)
    assert "'early'" in message and "'colour'" in message and "fetch(topic: str) -> str" in message
    # nothing was added: neither extension point
    assert pm.hook.fetch.spec is None
    assert not hasattr(pm.hook, "store")


def test_spec_added_after_impls_takes_over() -> None:
    pm = PluginManager("feed")
    pm.register(Named("a"), name="a")
    assert pm.hook.fetch.spec is None
    caller = pm.hook.fetch
    assert pm.add_extension_points(Specs) == 2
    assert pm.hook.fetch is caller
    assert caller.spec is not None and caller.spec.name == "fetch"
    assert pm.pending_implementations() == []
    assert caller(topic="t") == ["a:t"]
    assert pm.add_extension_points(Specs) == 0  # the same functions again: harmless


def test_redefined_spec_needs_replace(pm: PluginManager) -> None:
    class Again:
        @staticmethod
        @extension_point(firstresult=True)
        def fetch(topic: str) -> str: ...

    with pytest.raises(ValueError, match=r"already added.*replace=True"):
        pm.add_extension_points(Again)
    assert pm.add_extension_points(Again, replace=True) == 1
    assert pm.hook.fetch.mode == "firstresult"


def test_subset_hook_caller_follows_registrations(pm: PluginManager) -> None:
    a, b = Named("a"), Named("b")
    pm.register(a, name="a")
    pm.register(b, name="b")
    subset = pm.subset_hook_caller("fetch", remove_plugins=[a])
    assert isinstance(subset, HookCaller)
    assert subset(topic="t") == ["b:t"]
    assert pm.hook.fetch(topic="t") == ["b:t", "a:t"]
    pm.register(Named("c"), name="c")
    assert subset(topic="t") == ["c:t", "b:t"]
    pm.unregister(b)
    assert subset(topic="t") == ["c:t"]
    pm.register(Named("C"), name="c", replace=True)
    assert subset(topic="t") == ["C:t"]
    # removing nothing registered gives the hook's own caller
    assert pm.subset_hook_caller("fetch", remove_plugins=[Named("z")]) is pm.hook.fetch


def test_monitoring_before_after_and_undo(pm: PluginManager) -> None:
    a = Named("a")
    pm.register(a, name="a")
    seen: list[Any] = []

    def before(hook_name: str, impls: Any, kwargs: dict[str, Any]) -> None:
        seen.append(("before", hook_name, [i.plugin for i in impls], dict(kwargs)))

    def after(outcome: Result, hook_name: str, impls: Any, kwargs: dict[str, Any]) -> None:
        seen.append(("after", hook_name, outcome.get_result(), outcome.exception, dict(kwargs)))

    pm.hook.fetch(topic="warm")  # compiled before monitoring starts
    undo = pm.add_hookcall_monitoring(before, after)
    assert pm.hook.fetch(topic="t") == ["a:t"]
    assert seen == [("before", "fetch", [a], {"topic": "t"}),
                    ("after", "fetch", ["a:t"], None, {"topic": "t"})]
    undo()
    seen.clear()
    assert pm.hook.fetch(topic="t") == ["a:t"]
    assert seen == []
    undo()  # twice is harmless


def test_monitoring_sees_exceptions(pm: PluginManager) -> None:
    class Failing:
        @extension
        def fetch(self, topic: str) -> str:
            raise KeyError(topic)

    pm.register(Failing(), name="f")
    outcomes: list[Result] = []
    pm.add_hookcall_monitoring(lambda *a: None, lambda outcome, *a: outcomes.append(outcome))
    with pytest.raises(KeyError, match="t"):
        pm.hook.fetch(topic="t")
    assert isinstance(outcomes[0].exception, KeyError)
    with pytest.raises(KeyError):
        outcomes[0].get_result()


def test_monitoring_applies_to_later_hooks_and_subsets(pm: PluginManager) -> None:
    a = Named("a")
    pm.register(a, name="a")
    subset = pm.subset_hook_caller("fetch", [a])
    names: list[str] = []
    pm.add_hookcall_monitoring(lambda name, impls, kw: names.append(name), lambda *a: None)

    class Later:
        @extension
        def brand_new(self) -> int:
            return 1

    pm.register(Later(), name="later")
    assert pm.hook.brand_new() == [1]
    assert subset(topic="t") == []
    assert names == ["brand_new", "fetch"]


def test_result_force_result_and_exception() -> None:
    outcome = Result.from_call(lambda: 1)
    assert outcome.get_result() == 1
    outcome.force_exception(ValueError("x"))
    with pytest.raises(ValueError, match="x"):
        outcome.get_result()
    outcome.force_result(2)
    assert outcome.exception is None and outcome.get_result() == 2


# --- entry points ------------------------------------------------------------------------------

PLUGIN_MODULE = '''
from nbplug import Extension

extension = Extension("feed")


class Alpha:
    @extension
    def fetch(self, topic):
        return "alpha:" + topic


alpha = Alpha()


@extension
def fetch(topic):
    return "beta:" + topic
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake installed distribution with two entry points in group ``feed_plugins``."""
    (tmp_path / "fakefeed_plugins.py").write_text(PLUGIN_MODULE)
    info = tmp_path / "fakefeed-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakefeed\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent("""\
        [feed_plugins]
        alpha = fakefeed_plugins:alpha
        beta = fakefeed_plugins

        [other_group]
        gamma = fakefeed_plugins:alpha
        """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fakefeed_plugins", raising=False)
    return tmp_path


@pytest.mark.usefixtures("installed")
def test_load_setuptools_entrypoints(pm: PluginManager) -> None:
    assert pm.load_setuptools_entrypoints("feed_plugins") == 2
    assert sorted(name for name, _ in pm.list_name_plugin()) == ["alpha", "beta"]
    assert sorted(pm.hook.fetch(topic="t")) == ["alpha:t", "beta:t"]
    assert [d.metadata["Name"] for _, d in pm.list_plugin_distinfo()] == ["fakefeed"] * 2
    # loaded ones are not loaded twice
    assert pm.load_setuptools_entrypoints("feed_plugins") == 0


@pytest.mark.usefixtures("installed")
def test_load_setuptools_entrypoints_skips_blocked_and_filters_name(pm: PluginManager) -> None:
    pm.set_blocked("alpha")
    assert pm.load_setuptools_entrypoints("feed_plugins") == 1
    assert not pm.has_plugin("alpha") and pm.has_plugin("beta")
    other = PluginManager("feed")
    other.add_extension_points(Specs)
    assert other.load_setuptools_entrypoints("feed_plugins", name="alpha") == 1
    assert [name for name, _ in other.list_name_plugin()] == ["alpha"]
    assert other.load_setuptools_entrypoints("no_such_group") == 0


def test_replace_keeps_the_caller_of_a_hook_without_spec(pm: PluginManager) -> None:
    """A caller held across a replace (the notebook re-running a cell) keeps working."""

    class Pending:
        def __init__(self, value: int) -> None:
            self.value = value

        @extension
        def other(self) -> int:
            return self.value

    pm.register(Pending(1), name="p")
    caller = pm.hook.other
    assert caller() == [1]
    pm.register(Pending(2), name="p", replace=True)
    assert pm.hook.other is caller
    assert caller() == [2]
    other = Pending(10)
    pm.register(other, name="q")
    subset = pm.subset_hook_caller("other", [other])
    pm.unregister(other)
    pm.register(Pending(3), name="p", replace=True)
    assert caller() == subset() == [3]
    pm.unregister(name="p")
    assert not hasattr(pm.hook, "other")  # with nothing left, the hook goes


def test_subset_holds_its_removed_plugins(pm: PluginManager) -> None:
    """The subset remembers removed plugins by identity, so it must keep them alive: a freed
    object's id can be reused by a plugin registered later, which the subset would then leave out."""
    import gc
    import weakref

    pm.register(Named("keep"), name="keep")
    removed = Named("removed")
    pm.register(removed, name="removed")
    subset = pm.subset_hook_caller("fetch", [removed])
    pm.unregister(removed)
    ref = weakref.ref(removed)
    del removed
    gc.collect()
    assert ref() is not None
    new = [Named(f"new{i}") for i in range(200)]
    for index, plugin in enumerate(new):
        pm.register(plugin, name=f"new{index}")
    assert subset(topic="t") == pm.hook.fetch(topic="t")


def test_hookspec_and_hookimpl_attributes() -> None:
    from nbplug import AsyncPluginManager, HookSpec, ImplOptions

    class Mixed:
        @extension(tryfirst=True)
        async def fetch(self, topic: str) -> str:
            return topic

        @extension(wrapper=True, trylast=True)
        async def store(self, item: str) -> Any:
            yield

        @extension(optionalhook=True, specname="maybe")
        def maybe_impl(self) -> None: ...

    apm = AsyncPluginManager("feed")
    apm.add_extension_points(Specs)
    plugin = Mixed()
    apm.register(plugin, name="mixed")
    spec = apm.hook.fetch.spec
    assert isinstance(spec, HookSpec)
    assert (spec.name, spec.argnames, spec.doc, spec.function) == (
        "fetch", ("topic",), "Fetch a headline.", Specs.fetch)
    assert spec.opts.mode == "collecting" and apm.hook.fetch.has_spec()
    [fetch] = apm.hook.fetch.implementations()
    assert (fetch.plugin, fetch.plugin_name, fetch.argnames) == (plugin, "mixed", ("topic",))
    assert fetch.function == plugin.fetch and fetch.opts == ImplOptions(tryfirst=True)
    assert (fetch.tryfirst, fetch.trylast, fetch.wrapper, fetch.optionalhook, fetch.is_async) == (
        True, False, False, False, True)
    [store] = apm.hook.store.implementations()
    assert (store.wrapper, store.trylast, store.is_async) == (True, True, True)
    [maybe] = apm.hook.maybe.implementations()
    assert (maybe.hook_name, maybe.optionalhook, maybe.is_async) == ("maybe", True, False)
    assert apm.hook.maybe.spec is None and apm.hook.maybe.mode == "collecting"
    assert not apm.hook.maybe.has_spec()
    assert [c.name for c in apm.callers()] == ["fetch", "maybe", "store"]
    assert apm.pending_implementations() == []
