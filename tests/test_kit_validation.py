"""Validation errors at registration and argument errors at call time: each message says what is wrong."""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

import pytest

from nbplug import (
    AsyncPluginManager,
    Extension,
    ExtensionPoint,
    HookCallError,
    PluginManager,
    PluginValidationError,
)

extension_point = ExtensionPoint("feed")
extension = Extension("feed")


class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str, limit: int = 3) -> str:
        """Fetch a headline."""

    @staticmethod
    @extension_point(historic=True)
    def configure(config: dict[str, Any]) -> None:
        """Configure once; replayed to later plugins."""


SIGNATURE = "fetch(topic: str, limit: int = 3) -> str"


@pytest.fixture
def pm() -> PluginManager:
    manager = PluginManager("feed")
    manager.add_extension_points(Specs)
    return manager


def rejected(pm: Any, plugin: object, name: str = "bad") -> str:
    """Register ``plugin``, expect a PluginValidationError about it, return the message."""
    with pytest.raises(PluginValidationError) as info:
        pm.register(plugin, name=name)
    assert info.value.plugin is plugin
    assert not pm.has_plugin(name)
    return str(info.value)


def test_extra_argument_with_did_you_mean(pm: PluginManager) -> None:
    class Plugin:
        @extension
        def fetch(self, topik: str) -> str:
            return ""

    message = rejected(pm, Plugin())
    for part in ("'bad'", "'fetch'", "'topik'", "did you mean 'topic'", SIGNATURE,
                 "declares 'topic', 'limit'"):
        assert part in message, part


def test_nbplug_marked_code_is_told_in_nbplugs_words_pluggy_marked_in_pluggys_too() -> None:
    import pluggy

    class Ours:
        @extension
        def fetch(self, topik: str) -> str:
            return ""

    class OursOnHistoric:
        @extension(wrapper=True)
        def configure(self, config: dict[str, Any]) -> Any:
            return (yield)

    class Theirs:
        @pluggy.HookimplMarker("feed")
        def fetch(self, topik: str) -> str:
            return ""

    pm = PluginManager("feed")
    pm.add_extension_points(Specs)
    ours = rejected(pm, Ours())
    assert "which the extension point does not declare" in ours
    on_historic = rejected(pm, OursOnHistoric())
    assert "historic hooks take plain extensions only" in on_historic
    for pluggy_words in ("hookimpl", "hookspec", "hookwrapper"):
        assert pluggy_words not in ours + on_historic, pluggy_words
    theirs = rejected(pm, Theirs())
    assert "which the extension point does not declare" in theirs
    assert ("Argument(s) {'topik'} are declared in the hookimpl but can not be found in the "
            "hookspec") in theirs


def test_extra_argument_with_default_is_not_an_error(pm: PluginManager) -> None:
    class Plugin:
        @extension
        def fetch(self, topic: str, extra: int = 5) -> str:
            return f"{topic}{extra}"

    pm.register(Plugin())
    assert pm.hook.fetch(topic="t") == ["t5"]


def test_wrapper_not_a_generator(pm: PluginManager) -> None:
    class Plugin:
        @extension(wrapper=True)
        def fetch(self, topic: str) -> str:
            return ""

    message = rejected(pm, Plugin())
    for part in ("'bad'", "'fetch'", "wrapper=True", "not a generator", "Plugin.fetch(topic: str)",
                 f"extension point: {SIGNATURE}"):
        assert part in message, part


def test_generator_without_wrapper_flag_returns_its_generator(pm: PluginManager) -> None:
    """As in pluggy (issue 11): a plain extension that is a generator function is accepted, and
    its result is the generator (it used to be refused as a wrapper missing wrapper=True)."""

    class Plugin:
        @extension
        def fetch(self, topic: str) -> Any:
            yield topic

    pm.register(Plugin(), name="gen")
    (gen,) = pm.hook.fetch(topic="t")
    assert list(gen) == ["t"]


def test_coroutine_on_sync_manager(pm: PluginManager) -> None:
    class Plugin:
        @extension
        async def fetch(self, topic: str) -> str:
            return ""

    message = rejected(pm, Plugin())
    for part in ("'bad'", "'fetch'", "coroutine function", "AsyncPluginManager", SIGNATURE):
        assert part in message, part


def test_async_generator_wrapper_on_sync_manager(pm: PluginManager) -> None:
    class Plugin:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> Any:
            yield

    assert "not a generator" in rejected(pm, Plugin())


def test_wrapper_on_historic_hook(pm: PluginManager) -> None:
    class Plugin:
        @extension(wrapper=True)
        def configure(self, config: dict[str, Any]) -> Any:
            return (yield)

    message = rejected(pm, Plugin())
    for part in ("'bad'", "'configure'", "historic", "configure(config: dict[str, Any]) -> None"):
        assert part in message, part


def test_wrapper_on_historic_hook_when_spec_arrives_later() -> None:
    pm = PluginManager("feed")

    class Plugin:
        @extension(wrapper=True)
        def configure(self, config: dict[str, Any]) -> Any:
            return (yield)

    pm.register(Plugin(), name="early")
    with pytest.raises(PluginValidationError, match=r"'early'.*'configure'.*historic"):
        pm.add_extension_points(Specs)


def test_star_args_in_spec_rejected() -> None:
    class Bad:
        @staticmethod
        @extension_point
        def fetch(topic: str, *rest: str) -> str: ...

    with pytest.raises(PluginValidationError) as info:
        PluginManager("feed").add_extension_points(Bad)
    message = str(info.value)
    for part in ("'fetch'", "*rest", "by name", "fetch(topic: str, *rest: str) -> str"):
        assert part in message, part
    assert info.value.plugin is Bad


def test_pipeline_spec_needs_an_argument() -> None:
    class Bad:
        @staticmethod
        @extension_point(pipeline=True)
        def build() -> str: ...

    with pytest.raises(PluginValidationError, match=r"pipeline extension point 'build' needs"):
        PluginManager("feed").add_extension_points(Bad)


class DeprecatedFetch:
    """An extension point that warns whoever implements it."""

    @staticmethod
    @extension_point(warn_on_impl=DeprecationWarning("fetch is going away"))
    def fetch(topic: str) -> str: ...


class FetchX:
    @extension
    def fetch(self, topic: str) -> str:
        return "x"


def test_warn_on_impl_warns_at_registration() -> None:
    pm = PluginManager("feed")
    pm.add_extension_points(DeprecatedFetch)
    with pytest.warns(DeprecationWarning, match="fetch is going away") as record:
        pm.register(FetchX())
    assert record[0].filename == __file__


def test_warn_on_impl_stays_silent_when_the_registration_is_refused() -> None:
    """Registration is atomic: a plugin refused for another extension leaves no warning behind."""
    class StoreSpec:
        @staticmethod
        @extension_point
        def store(item: str) -> None: ...

    pm = PluginManager("feed")
    pm.add_extension_points(DeprecatedFetch)
    pm.add_extension_points(StoreSpec)

    class Plugin(FetchX):
        @extension
        def store(self, itme: str) -> None: ...

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        with pytest.raises(PluginValidationError, match="'itme'"):
            pm.register(Plugin())
    assert record == []
    assert pm.get_plugins() == set()


def test_warn_on_impl_warns_when_the_spec_arrives_after_the_extension() -> None:
    pm = PluginManager("feed")
    pm.register(FetchX())
    with pytest.warns(DeprecationWarning, match="fetch is going away") as record:
        pm.add_extension_points(DeprecatedFetch)
    assert record[0].filename == __file__
    assert record[0].lineno == FetchX.fetch.__code__.co_firstlineno


def test_warn_on_impl_without_code_points_at_the_register_call() -> None:
    """An extension with no ``__code__`` (a partial) is warned about where it is registered."""
    def prefixed(prefix: str, topic: str) -> str:
        return prefix + topic

    class Plugin:
        fetch = extension(staticmethod(functools.partial(prefixed, "p:")))

    pm = PluginManager("feed")
    pm.add_extension_points(DeprecatedFetch)
    with pytest.warns(DeprecationWarning, match="fetch is going away") as record:
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        pm.register(Plugin())
    assert (record[0].filename, record[0].lineno) == (__file__, line)
    assert pm.hook.fetch(topic="x") == ["p:x"]


def test_async_manager_rejects_a_wrapper_that_is_neither() -> None:
    pm = AsyncPluginManager("feed")
    pm.add_extension_points(Specs)

    class Plugin:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> str:
            return ""

    message = rejected(pm, Plugin())
    assert "neither an async generator nor a generator" in message and "'fetch'" in message
    assert SIGNATURE in message


# --- call errors --------------------------------------------------------------------------------


class Echo:
    @extension
    def fetch(self, topic: str, limit: int) -> str:
        return f"{topic}/{limit}"


@pytest.fixture(params=["fresh", "compiled"])
def echo(request: pytest.FixtureRequest, pm: PluginManager) -> PluginManager:
    """With the plan compiled already ("compiled") or compiled by the erroneous call ("fresh")."""
    pm.register(Echo(), name="echo")
    if request.param == "compiled":
        pm.hook.fetch(topic="warm")
    return pm


def test_missing_argument(echo: PluginManager) -> None:
    with pytest.raises(HookCallError) as info:
        echo.hook.fetch(limit=1)
    message = str(info.value)
    for part in ("'fetch'", "missing the argument 'topic'", "fetch(topic=..., limit=...)", SIGNATURE):
        assert part in message, part


def test_undeclared_argument_with_did_you_mean(echo: PluginManager) -> None:
    with pytest.raises(HookCallError) as info:
        echo.hook.fetch(topic="t", limt=2)
    message = str(info.value)
    for part in ("'fetch'", "unexpected argument 'limt'", "did you mean 'limit'", SIGNATURE):
        assert part in message, part


def test_undeclared_argument_same_count(echo: PluginManager) -> None:
    with pytest.raises(HookCallError, match="unexpected argument 'topik'"):
        echo.hook.fetch(topik="t", limit=2)


def test_positional_arguments(echo: PluginManager) -> None:
    with pytest.raises(HookCallError) as info:
        echo.hook.fetch("t")
    message = str(info.value)
    assert "keyword arguments only" in message and "fetch(topic=..., limit=...)" in message
    with pytest.raises(HookCallError, match="keyword arguments only"):
        echo.hook.fetch.traced("t")


def test_spec_defaults_fill_missing_arguments(echo: PluginManager) -> None:
    assert echo.hook.fetch(topic="t") == ["t/3"]
    assert echo.hook.fetch(topic="t", limit=9) == ["t/9"]
    assert echo.hook.fetch.traced(topic="t").result == ["t/3"]


def test_direct_call_of_historic_hook(pm: PluginManager) -> None:
    with pytest.raises(HookCallError) as info:
        pm.hook.configure(config={})
    message = str(info.value)
    assert "'configure' is historic" in message and "call_historic(kwargs=" in message
    with pytest.raises(HookCallError, match="is historic"):
        pm.hook.configure.traced(config={})


def test_call_historic_on_non_historic_hook(pm: PluginManager) -> None:
    with pytest.raises(HookCallError, match=r"'fetch' is not historic; call it directly"):
        pm.hook.fetch.call_historic(kwargs={"topic": "t"})


def test_hook_without_spec_requires_what_impls_ask_for() -> None:
    pm = PluginManager("feed")
    pm.register(Echo(), name="echo")
    with pytest.raises(HookCallError, match=r"missing the argument 'limit'.*no extension point"):
        pm.hook.fetch(topic="t")
    # with no spec, extra arguments are allowed (as in pluggy)
    assert pm.hook.fetch(topic="t", limit=1, other=2) == ["t/1"]


def test_valid_plugin_registers_without_warnings(pm: PluginManager) -> None:
    """Registration of a valid plugin emits nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pm.register(Echo(), name="echo")


def test_kind_error_without_spec_has_no_spec_line() -> None:
    class Plugin:
        @extension(wrapper=True)
        def unknown(self) -> None: ...

    message = rejected(PluginManager("feed"), Plugin())
    assert "'unknown'" in message and "extension point:" not in message


def test_required_keyword_only_argument_rejected(pm: PluginManager) -> None:
    class Plugin:
        @extension
        def fetch(self, *, topic: str) -> str:
            return topic

    message = rejected(pm, Plugin())
    for part in ("'bad'", "'fetch'", "keyword-only argument 'topic'", "remove the '*'", SIGNATURE):
        assert part in message, part


def test_keyword_only_argument_with_default_is_allowed(pm: PluginManager) -> None:
    class Plugin:
        @extension
        def fetch(self, topic: str, *, style: str = "plain") -> str:
            return f"{style}:{topic}"

    pm.register(Plugin())
    assert pm.hook.fetch(topic="t") == ["plain:t"]
