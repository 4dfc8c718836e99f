"""The manager inspector over real managers: extension points, call order, marks, plugins, pending."""

from __future__ import annotations

import re
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
    text = ManagerInspector([pm], all=True).text()  # pick has no extensions: shown when asked
    assert text.splitlines()[0] == "project feed: 2 extension points, 4 plugins, 1 pending extension"
    fetch_spec, pick_spec = pm.caller("fetch").spec, pm.caller("pick").spec
    assert fetch_spec is not None and pick_spec is not None
    assert f"  {fetch_spec.signature}\n" in text
    assert "Fetch the news on a topic." in text
    assert f"  {pick_spec.signature}\n" in text
    assert "mode:  firstresult: the first extension to return something other than None" in text
    expected = [impl.plugin_name for impl in pm.caller("fetch").implementations()]
    assert expected == ["timing", "alpha", "beta", "omega"]
    lines = text.splitlines()
    for i, name in enumerate(expected, 1):
        assert any(line.strip().startswith(f"{i}. {name}") for line in lines), name
    # each name once: the plugin column says whose function it is ("Timing Timing.fetch" was noise)
    assert "1. timing  [wrapper]" in lines[lines.index("    call order:") + 1]
    assert "2. alpha  [tryfirst, async]" in text
    assert "4. omega  [trylast]" in text
    assert "Timing.fetch" not in text
    assert ("why:   timing wraps the call (wrapper); alpha moved up by tryfirst; beta unmarked; "
            "omega moved down by trylast") in text
    pending = text.split("pending extensions")[1]
    assert "beta  fetchh" in pending


def test_text_matrix_marks_each_cell_with_its_place_and_marks() -> None:
    text = ManagerInspector(manager()).text()
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("    ") and
            line.split()[0] in ("hook", "fetch", "fetchh")}
    header = rows["hook"].split()
    assert header[3:] == ["omega", "timing", "alpha", "beta"]  # registration order
    fetch = rows["fetch"]
    for plugin, cell in (("omega", "4 trylast"), ("timing", "1 wrapper"), ("alpha", "2 tryfirst, async")):
        column = rows["hook"].index(plugin)
        assert fetch[column:].startswith(cell), (plugin, fetch)
    assert rows["fetchh"][rows["hook"].index("omega"):].startswith("·")


def test_counts_are_singular_for_one() -> None:
    pm = PluginManager("one")

    class OneSpec:
        @ExtensionPoint("one")
        def ping(self) -> None: ...

    class Pinger:
        @Extension("one")
        def ping(self) -> None: ...

    pm.add_extension_points(OneSpec)
    pm.register(Pinger(), name="pinger")
    text = ManagerInspector(pm).text()
    assert text.splitlines()[0] == "project one: 1 extension point, 1 plugin, 0 pending extensions"
    assert "why:   pinger is the only extension" in text


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
    assert re.search(r"\n    alpha +Alpha instance\n", text)  # the plugins list is aligned
    assert re.search(r"\n    mod +module shop_plugins\n", text)
    assert re.search(r"\n    described +Described\(price list v2\)\n", text)  # its own repr is kept
    assert " object at 0x" not in text and " object at 0x" not in ManagerInspector(pm).html()
