"""The manager inspector over real managers: extension points, call order, marks, plugins, pending."""

from __future__ import annotations

from typing import Any

import pytest

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager
from nbplug.widgets import ManagerInspector
from tests.widgets_fixtures import EVIL

spec = ExtensionPoint("feed")
impl = Extension("feed")


class Specs:
    @spec
    def fetch(self, topic: str) -> str:  # type: ignore[empty-body]
        """Fetch the news on a topic."""

    @spec(firstresult=True)
    def pick(self, topic: str) -> str:  # type: ignore[empty-body]
        """Pick one source."""


class Timing:
    @impl(wrapper=True)
    def fetch(self, topic: str) -> Any:
        return (yield)


class Alpha:
    @impl(tryfirst=True)
    async def fetch(self, topic: str) -> str:
        return "alpha"


class Beta:
    @impl
    def fetch(self, topic: str) -> str:
        return "beta"

    @impl
    def fetchh(self, topic: str) -> str:  # a typo: no such extension point
        return "typo"


class Omega:
    @impl(trylast=True)
    def fetch(self, topic: str) -> str:
        return "omega"


def manager() -> AsyncPluginManager:
    pm = AsyncPluginManager("feed")
    pm.add_extension_points(Specs)
    for plugin, name in ((Omega(), "omega"), (Timing(), "timing"), (Alpha(), "alpha"), (Beta(), "beta")):
        pm.register(plugin, name=name)
    return pm


def test_text_lists_hooks_with_mode_impls_in_call_order_marks_plugins_and_pending() -> None:
    pm = manager()
    text = ManagerInspector([pm]).text()
    assert text.splitlines()[0] == "project feed: 3 extension points, 4 plugins, 1 pending"
    fetch_spec, pick_spec = pm.caller("fetch").spec, pm.caller("pick").spec
    assert fetch_spec is not None and pick_spec is not None
    assert f"{fetch_spec.signature}  [collecting]" in text
    assert "Fetch the news on a topic." in text
    assert f"{pick_spec.signature}  [firstresult]" in text
    expected = [impl.plugin_name for impl in pm.caller("fetch").implementations()]
    assert expected == ["timing", "alpha", "beta", "omega"]
    lines = text.splitlines()
    for i, name in enumerate(expected, 1):
        assert any(line.strip().startswith(f"{i}. {name}  ") for line in lines), name
    assert "1. timing  Timing.fetch  [wrapper]" in text
    assert "2. alpha  Alpha.fetch  [tryfirst, async]" in text
    assert "4. omega  Omega.fetch  [trylast]" in text
    pending = text.split("pending implementations")[1]
    assert "beta  Beta.fetchh" in pending


def test_html_escapes_plugin_names_and_reprs() -> None:
    pm = manager()

    class Evil:
        def __repr__(self) -> str:
            return EVIL

        @impl
        def fetch(self, topic: str) -> str:
            return EVIL

    pm.register(Evil(), name=EVIL)
    page = ManagerInspector(pm).html()
    assert "<img" not in page and page.count("&lt;img src=x") >= 3


def test_accepts_a_mapping_and_refresh_picks_up_new_projects_and_plugins() -> None:
    managers: dict[str, Any] = {"feed": manager()}
    view = ManagerInspector(managers)
    pages = view.widget.children[1]
    assert len(pages.children) == 1 and "gamma" not in pages.children[0].value
    managers["feed"].register(Omega(), name="gamma")
    managers["other"] = PluginManager("other")
    view.widget.children[0].children[0].click()  # the Refresh button
    assert len(pages.children) == 2
    assert "gamma" in pages.children[0].value and 'data-project="other"' in pages.children[1].value
    assert view._summary.value == "2 projects: feed, other"


def test_no_managers_yet_says_how_to_add_a_plugin() -> None:
    assert "%plugin add" in ManagerInspector([]).text()
    assert "%plugin add" in ManagerInspector({}).html()


def test_wrong_input_is_refused_with_what_would_be_right() -> None:
    with pytest.raises(TypeError, match="needs plugin managers"):
        ManagerInspector([object()])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="a manager, a list of managers or a"):
        ManagerInspector(42)  # type: ignore[arg-type]


def test_plugins_are_labelled_by_what_they_are_not_by_their_address() -> None:
    import types

    pm = manager()
    module = types.ModuleType("shop_plugins")
    pm.register(module, name="mod")

    class Described:
        def __repr__(self) -> str:
            return "Described(price list v2)"

        @impl
        def fetch(self, topic: str) -> str:
            return "described"

    pm.register(Described(), name="described")
    text = ManagerInspector(pm).text()
    assert "alpha  Alpha instance" in text
    assert "mod  module shop_plugins" in text
    assert "described  Described(price list v2)" in text  # a repr of its own is kept
    assert " object at 0x" not in text and " object at 0x" not in ManagerInspector(pm).html()
