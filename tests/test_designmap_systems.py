"""The design map of real pluggy-based systems besides pytest's (installed by the ``test`` extra):
hatchling (its version-source, version-scheme, builder, build-hook and metadata-hook plugins, and
any third-party ones) and sqlfluff (its rule, config and templater plugins, from entry points).
For each, with every hook asked for (``all=True``), the map names every hook and every plugin, gives
each hook's call order as pluggy calls it (``get_hookimpls()`` reversed) in the text and the HTML
form alike, and labels no plugin by a number. pytest's own manager is checked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from nbplug.widgets import ManagerInspector
from nbplug.widgets.designmap.labels import readable_names
from tests.test_widgets_bigmaps import order_steps, shown_hooks, visible_text

ID = re.compile(r"\b\d{9,}\b")  # how pluggy names a plugin registered without a name


def text_order(text: str, hook: str) -> list[str]:
    """The plugins of one hook's call order as the text form lists them (``      3. name``, then
    maybe ``  def function`` and ``  [marks]``)."""
    block = re.split(rf"\n  {re.escape(hook)}\(", text)[1].split("    why:")[0]
    return re.findall(r"^      \d+\. (.+?)(?:  def .*|  \[.*)?$", block, re.MULTILINE)


def check_the_map_is_pluggys(pm: Any) -> ManagerInspector:
    view = ManagerInspector(pm, all=True)
    text, page = view.text(), view.html()
    callers = {name: caller for name, caller in vars(pm.hook).items()
               if hasattr(caller, "get_hookimpls")}
    assert callers and sorted(shown_hooks(page)) == sorted(callers)
    shown = readable_names(pm.list_name_plugin())  # the map's names, from its own labelling
    for name, caller in callers.items():
        expected = [impl.plugin_name for impl in reversed(caller.get_hookimpls())]
        assert order_steps(page, name) == expected, name
        assert text_order(text, name) == [shown[plugin] for plugin in expected], name
    listed = text.split("  plugins, in registration order:")[1]
    for name, plugin in pm.list_name_plugin():
        if plugin is not None:
            assert f"\n    {shown[name]}  " in listed, name
    # an id only where the plugin list says a plugin was registered without a name
    assert not ID.search(re.sub(r"registered without a name \(\d+\)", "", text))
    assert not ID.search(visible_text(page))
    return view


@pytest.fixture
def hatchling_manager() -> Iterator[Any]:
    pytest.importorskip("hatchling")
    from hatchling.plugin.manager import PluginManager

    plugins = PluginManager()
    for kind in ("version_source", "version_scheme", "builder", "build_hook", "metadata_hook"):
        getattr(plugins, kind).collect()  # registers its hook module and the third-party plugins
    yield plugins.manager


def test_hatchlings_design_map_is_pluggys(hatchling_manager: Any) -> None:
    view = check_the_map_is_pluggys(hatchling_manager)
    assert "hatch_register_builder(" in view.text()
    assert "hatchling.builders.plugin.hooks" in view.text()


@pytest.fixture
def sqlfluff_manager() -> Iterator[Any]:
    pytest.importorskip("sqlfluff")
    from sqlfluff.core.plugin.host import get_plugin_manager, purge_plugin_manager

    purge_plugin_manager()
    try:
        yield get_plugin_manager()
    finally:
        purge_plugin_manager()


def test_sqlfluffs_design_map_is_pluggys(sqlfluff_manager: Any) -> None:
    view = check_the_map_is_pluggys(sqlfluff_manager)
    rules = sqlfluff_manager.hook.get_rules.get_hookimpls()
    assert len(rules) > 10  # one extension per rule package, each in pluggy's order
    assert "get_rules(" in view.text() and "sqlfluff_rules_layout" in view.text()


def test_pytests_design_map_is_pluggys(pytestconfig: pytest.Config) -> None:
    view = check_the_map_is_pluggys(pytestconfig.pluginmanager)
    assert "PytestPluginManager" in view.text()  # its unnamed plugin, by its class
