"""Markers record options on functions and return them unchanged; specs as functions, methods, statics."""

from __future__ import annotations

import types

import pytest

from nbplug import Extension, ExtensionPoint, ImplOptions, PluginManager, SpecOptions
from nbplug._kit.markers import impl_options, projects_of, spec_options

extension_point = ExtensionPoint("feed")
extension = Extension("feed")


def test_marker_returns_the_function_unchanged() -> None:
    def fetch(topic: str) -> str:
        return topic

    assert extension_point(fetch) is fetch
    assert extension_point(firstresult=True)(fetch) is fetch
    assert extension(fetch) is fetch
    assert extension(tryfirst=True)(fetch) is fetch
    assert fetch("x") == "x"


@pytest.mark.parametrize(
    ("kwargs", "mode"),
    [({}, "collecting"), ({"firstresult": True}, "firstresult"), ({"historic": True}, "historic"),
     ({"pipeline": True}, "pipeline")],
)
def test_spec_options_recorded(kwargs: dict[str, bool], mode: str) -> None:
    @extension_point(**kwargs)
    def fetch(topic: str) -> None: ...

    opts = spec_options(fetch, "feed")
    assert isinstance(opts, SpecOptions)
    assert opts.mode == mode
    for name in ("firstresult", "historic", "pipeline"):
        assert getattr(opts, name) is kwargs.get(name, False)
    assert fetch.feed_spec is opts  # type: ignore[attr-defined]


def test_spec_warn_on_impl_recorded() -> None:
    warning = DeprecationWarning("fetch is deprecated")

    @extension_point(warn_on_impl=warning)
    def fetch(topic: str) -> None: ...

    opts = spec_options(fetch, "feed")
    assert opts is not None and opts.warn_on_impl is warning


@pytest.mark.parametrize("option", ["tryfirst", "trylast", "wrapper", "optionalhook"])
def test_impl_flags_recorded(option: str) -> None:
    @extension(**{option: True})
    def fetch(topic: str) -> None: ...

    opts = impl_options(fetch, "feed")
    assert isinstance(opts, ImplOptions)
    for name in ("tryfirst", "trylast", "wrapper", "optionalhook"):
        assert getattr(opts, name) is (name == option)
    assert opts.specname is None


def test_impl_specname_recorded_and_used() -> None:
    class Specs:
        @staticmethod
        @extension_point
        def fetch(topic: str) -> str: ...

    class Plugin:
        @extension(specname="fetch")
        def fetch_headline(self, topic: str) -> str:
            return f"headline {topic}"

    assert impl_options(Plugin.fetch_headline, "feed") == ImplOptions(specname="fetch")
    pm = PluginManager("feed")
    pm.add_extension_points(Specs)
    pm.register(Plugin())
    assert pm.hook.fetch(topic="x") == ["headline x"]


def test_bare_marker_gives_default_options() -> None:
    @extension_point
    def a() -> None: ...

    @extension
    def b() -> None: ...

    assert spec_options(a, "feed") == SpecOptions()
    assert impl_options(b, "feed") == ImplOptions()


def test_unmarked_function_has_no_options() -> None:
    def plain() -> None: ...

    assert spec_options(plain, "feed") is None
    assert impl_options(plain, "feed") is None


@pytest.mark.parametrize(
    "modes", [("firstresult", "historic"), ("firstresult", "pipeline"), ("historic", "pipeline"),
              ("firstresult", "historic", "pipeline")],
)
def test_spec_modes_are_mutually_exclusive(modes: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="one mode") as info:
        extension_point(**dict.fromkeys(modes, True))
    for mode in modes:
        assert mode in str(info.value)


def test_tryfirst_and_trylast_rejected_together() -> None:
    with pytest.raises(ValueError, match="tryfirst or trylast"):
        extension(tryfirst=True, trylast=True)


@pytest.mark.parametrize("project", [None, 3, b"feed"])
def test_project_name_must_be_a_string(project: object) -> None:
    """Any string names a project, as in pluggy ("", "two words", "1st": tests/test_project_names.py)."""
    with pytest.raises(ValueError, match="a project name is a string"):
        ExtensionPoint(project)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a project name is a string"):
        Extension(project)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a project name is a string"):
        PluginManager(project)  # type: ignore[arg-type]


def test_projects_are_kept_apart() -> None:
    other_point = ExtensionPoint("other")
    other = Extension("other")

    class Specs:
        @staticmethod
        @extension_point
        def fetch(topic: str) -> str: ...

        @staticmethod
        @other_point
        def store(item: str) -> None: ...

    class Plugin:
        @extension
        def fetch(self, topic: str) -> str:
            return "feed"

        @other
        def store(self, item: str) -> None: ...

    assert spec_options(Specs.store, "feed") is None
    assert spec_options(Specs.fetch, "other") is None
    assert projects_of(Specs) == {"feed", "other"}
    assert projects_of(Plugin()) == {"feed", "other"}
    pm = PluginManager("feed")
    assert pm.add_extension_points(Specs) == 1
    pm.register(Plugin(), name="p")
    assert [c.name for c in pm.callers()] == ["fetch"]
    assert pm.hook.fetch(topic="t") == ["feed"]
    with pytest.raises(AttributeError, match="no hook named 'store'"):
        pm.hook.store  # noqa: B018


def test_spec_class_of_another_project_gets_a_hint() -> None:
    other_point = ExtensionPoint("other")

    class Specs:
        @other_point
        def store(self, item: str) -> None: ...

    with pytest.raises(ValueError, match=r"no extension points of project 'feed'.*'other'"):
        PluginManager("feed").add_extension_points(Specs)


def test_both_markers_on_one_function_for_two_projects() -> None:
    def fetch(topic: str) -> str: ...

    ExtensionPoint("a")(fetch)
    Extension("b")(tryfirst=True)(fetch)
    assert spec_options(fetch, "a") == SpecOptions()
    assert spec_options(fetch, "b") is None
    assert impl_options(fetch, "b") == ImplOptions(tryfirst=True)
    assert projects_of(fetch) == {"a", "b"}


class MethodSpecs:
    @extension_point
    def fetch(self, topic: str, limit: int = 3) -> str:
        """Fetch a headline."""


class StaticSpecs:
    @staticmethod
    @extension_point
    def fetch(topic: str, limit: int = 3) -> str:
        """Fetch a headline."""


def fetch(topic: str, limit: int = 3) -> str:
    """Fetch a headline."""


module_specs = types.ModuleType("module_specs")
module_specs.fetch = extension_point(fetch)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "namespace", [MethodSpecs, MethodSpecs(), StaticSpecs, StaticSpecs(), module_specs],
    ids=["method-class", "method-instance", "static-class", "static-instance", "module"],
)
def test_spec_forms_give_the_same_spec(namespace: object) -> None:
    pm = PluginManager("feed")
    assert pm.add_extension_points(namespace) == 1
    spec = pm.caller("fetch").spec
    assert spec is not None
    assert spec.argnames == ("topic", "limit")
    assert spec.signature == "fetch(topic: str, limit: int = 3) -> str"
    assert spec.doc == "Fetch a headline."

    class Plugin:
        @extension
        def fetch(self, topic: str, limit: int) -> str:
            return f"{topic}:{limit}"

    pm.register(Plugin())
    assert pm.hook.fetch(topic="t") == ["t:3"]


def test_staticmethod_marked_outside_in_is_seen() -> None:
    """``@extension_point`` above ``@staticmethod`` marks the function inside."""

    class Specs:
        @extension_point
        @staticmethod
        def fetch(topic: str) -> str: ...

    pm = PluginManager("feed")
    assert pm.add_extension_points(Specs) == 1
    assert pm.caller(Specs.fetch).spec is not None


def test_caller_by_function_or_name_is_pm_hook_attribute() -> None:
    pm = PluginManager("feed")
    pm.add_extension_points(StaticSpecs)
    assert pm.caller(StaticSpecs.fetch) is pm.caller("fetch") is pm.hook.fetch


def test_caller_rejects_unmarked_and_unknown() -> None:
    pm = PluginManager("feed")
    pm.add_extension_points(StaticSpecs)

    def fetch() -> None: ...

    with pytest.raises(ValueError, match="not an extension point of project 'feed'"):
        pm.caller(fetch)
    with pytest.raises(LookupError, match="did you mean 'fetch'"):
        pm.caller("fetc")
    with pytest.raises(AttributeError, match="did you mean 'fetch'"):
        pm.hook.fetc  # noqa: B018
