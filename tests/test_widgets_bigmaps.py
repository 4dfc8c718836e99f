"""The design map of a big real design (pytest's own plugin manager): what is shown by default,
the filters, readable names for unnamed plugins, docstrings as text, and the "why this order"
words for one plugin's several extensions of a hook."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pluggy
import pytest

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug.widgets import ManagerInspector
from nbplug.widgets.designmap.doctext import doc_text
from nbplug.widgets.designmap.readers import read_manager
from nbplug.widgets.designmap.snapshot import why_this_order


def visible_text(page: str) -> str:
    """What a reader sees of an HTML form: the text between tags (attributes are not seen)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def shown_hooks(page: str) -> list[str]:
    return re.findall(r'<details class="nbplug-map-hook" data-hook="([^"]+)"', page)


def test_pytests_map_shows_the_hooks_with_extensions_and_says_what_it_left_out(
        pytestconfig: pytest.Config) -> None:
    pm = pytestconfig.pluginmanager
    view = ManagerInspector(pm)
    with_impls = sorted(name for name, caller in vars(pm.hook).items()
                        if hasattr(caller, "get_hookimpls") and caller.get_hookimpls())
    without = [hook.name for hook in view.design.projects[0].hooks if not hook.cells]
    assert without, "pytest declares hooks nothing implements (pytest_assertion_pass...)"
    page = view.html()
    assert shown_hooks(page) == with_impls
    note = f"{len(with_impls)} hooks with extensions shown; {len(without)} hooks without any left out"
    assert f"{note} (all=True shows them)" in visible_text(page) and note in view.text()
    everything = ManagerInspector(pm, all=True)
    assert shown_hooks(everything.html()) == sorted([*with_impls, *without])
    assert "left out" not in everything.text()
    assert len(view.design.projects[0].hooks) == len(with_impls) + len(without)  # the snapshot is whole


def test_pytests_map_is_call_order_lines_not_a_4600_px_matrix(pytestconfig: pytest.Config) -> None:
    page = ManagerInspector(pytestconfig.pluginmanager).html()
    # the matrix is folded away (opened on request, in a box of its own that scrolls sideways)
    folded = re.search(r'<details class="nbplug-matrix-wide"[^>]*>.*?</details>', page, re.DOTALL)
    assert folded is not None and " open" not in folded.group(0).split(">")[0]
    outside = page.replace(folded.group(0), "")
    assert 'class="nbplug-matrix"' not in outside and "overflow-x" not in outside
    assert len(page) < 400_000
    line = re.search(r'data-hook="pytest_runtest_makereport".*?</summary>', page, re.DOTALL)
    assert line is not None
    steps = re.findall(r'<li class="nbplug-order-step[^"]*" data-plugin="([^"]+)"', line.group(0))
    hookimpls = pytestconfig.pluginmanager.hook.pytest_runtest_makereport.get_hookimpls()
    assert steps == [impl.plugin_name for impl in reversed(hookimpls)]
    small = ManagerInspector(pytestconfig.pluginmanager, hook="pytest_runtest_makereport").html()
    assert 'class="nbplug-matrix"' in small  # one hook's five plugins fit a matrix
    assert shown_hooks(small) == ["pytest_runtest_makereport"] and " open " in small


def test_no_plugin_is_shown_by_its_id(pytestconfig: pytest.Config) -> None:
    pm = pytestconfig.pluginmanager
    unnamed = [(name, plugin) for name, plugin in pm.list_name_plugin() if name == str(id(plugin))]
    assert unnamed, "pytest registers its plugin manager without a name"
    view = ManagerInspector(pm)
    seen = visible_text(view.html())
    assert not re.search(r"\b\d{9,}\b", seen)
    for name, plugin in unnamed:
        assert f"{type(plugin).__qualname__} instance, registered without a name ({name})" in view.text()
    order = ManagerInspector(pm, plugin="PytestPluginManager").text().split("  pytest_configure(")[1]
    order = order.split("    why:")[0]
    assert re.search(r"\n      \d+\. PytestPluginManager\n", order) and unnamed[0][0] not in order


def test_docstrings_are_shown_as_text(pytestconfig: pytest.Config) -> None:
    view = ManagerInspector(pytestconfig.pluginmanager)
    text, page = view.text(), view.html()
    for markup in (":class:", ":func:", ":ref:", "``"):
        assert markup not in text and markup not in page
    assert ("Create a Collector for the given path, or None if not relevant." in text)
    assert ("Called to create a TestReport for each of the setup, call and teardown runtest "
            "phases of a test item.") in text  # the whole first paragraph, not its first line


@pytest.mark.parametrize(("doc", "expected"), [
    ("Create a :class:`~pytest.Collector` for\n    the given path.\n\n    :param path: the path",
     "Create a Collector for the given path."),
    (":ref:`initial conftest files <pytest.hookspec>` and :py:func:`os.path.join`",
     "initial conftest files and os.path.join"),
    ("Return ``True``, *maybe*, **now**; see `the docs <https://x.org>`_ (*args, **kwargs).",
     "Return True, maybe, now; see the docs (*args, **kwargs)."),
    (".. deprecated:: 2.0\n   gone\n\nExample::\n\n    code", "Example:"),
    (None, ""),
])
def test_doc_text_keeps_the_first_paragraphs_words(doc: str | None, expected: str) -> None:
    assert doc_text(doc) == expected


def test_filters_by_hook_and_by_plugin_named_as_shown(pytestconfig: pytest.Config) -> None:
    pm = pytestconfig.pluginmanager
    runner = ManagerInspector(pm, plugin="runner")
    expected = sorted(name for name, caller in vars(pm.hook).items()
                      if hasattr(caller, "get_hookimpls")
                      and any(impl.plugin_name == "runner" for impl in caller.get_hookimpls()))
    page = runner.html()
    assert shown_hooks(page) == expected
    steps = re.findall(r'<li class="nbplug-order-step" data-plugin="([^"]+)"', page)
    assert set(steps) == {"runner"} and len(steps) == len(expected)  # where it runs in each
    assert f"filter: plugin names containing 'runner': {len(expected)} of " in runner.text()
    by_class = ManagerInspector(pm, plugin="PytestPluginManager")  # unnamed: named as it is shown
    assert shown_hooks(by_class.html()) == ["pytest_configure"]
    both = ManagerInspector(pm, hook="pytest_runtest_call", plugin="runner")
    assert shown_hooks(both.html()) == ["pytest_runtest_call"]
    with pytest.raises(ValueError, match=r"no hook name contains 'pytest_runtest_makerport'.*did you "
                                         r"mean 'pytest_runtest_makereport'"):
        ManagerInspector(pm, hook="pytest_runtest_makerport")
    with pytest.raises(ValueError, match=r"no plugin name contains 'runnr'.*did you mean 'runner'"):
        ManagerInspector(pm, plugin="runnr")


class Probe:
    def __init__(self, tag: str) -> None:
        self.tag = tag


spec, impl = ExtensionPoint("labels"), Extension("labels")


class LabelSpecs:
    @spec
    def ping(self) -> None: ...


class Pinger(Probe):
    @impl
    def ping(self) -> None: ...


def test_unnamed_plugins_are_named_by_their_class_numbered_when_shared() -> None:
    pm = PluginManager("labels")
    pm.add_extension_points(LabelSpecs)
    first, second, alone = Pinger("a"), Pinger("b"), Probe("c")
    for plugin in (first, second, alone):
        pm.register(plugin)
    pm.register(Pinger("d"), name="Probe")  # a real name equal to another's class
    project = read_manager(pm)
    assert project.names() == {str(id(first)): "Pinger #1", str(id(second)): "Pinger #2",
                               str(id(alone)): "Probe #1", "Probe": "Probe"}
    assert why_this_order(project.hook("ping"), project.names()) == (
        "Probe, Pinger #2, Pinger #1: registered last runs first")
    assert "Pinger #2" in ManagerInspector(pm).text() and str(id(first)) not in visible_text(
        ManagerInspector(pm).html())


# -- one plugin's several extensions of a hook: pluggy's order and the words for it -----------------

hookspec, hookimpl = pluggy.HookspecMarker("shop"), pluggy.HookimplMarker("shop")
nb_spec, nb_impl = ExtensionPoint("shop"), Extension("shop")


class Specs:
    @hookspec
    def price(self, item: str) -> int:  # type: ignore[empty-body]
        """The price."""


def several(marker: Any, **marks: Any) -> type:
    """A plugin class with two extensions of ``price`` (by specname), ``a_price`` and ``b_price``."""

    def a_price(self: object, item: str) -> int:
        return 1

    def b_price(self: object, item: str) -> int:
        return 2

    return type("Several", (), {"a_price": marker(specname="price", **marks)(a_price),
                                "b_price": marker(specname="price", **marks)(b_price)})


def managers(**marks: Any) -> Iterator[Any]:
    """The same design on pluggy and on nbplug: 'solo' then 'several' (two extensions)."""
    class Solo:
        @hookimpl(**marks)
        def price(self, item: str) -> int:
            return 0

    pluggy_pm = pluggy.PluginManager("shop")
    pluggy_pm.add_hookspecs(Specs)
    pluggy_pm.register(Solo(), name="solo")
    pluggy_pm.register(several(hookimpl, **marks)(), name="several")
    yield pluggy_pm
    nbplug_pm = PluginManager("shop")
    nbplug_pm.add_extension_points(Specs)
    nbplug_pm.register(Solo(), name="solo")
    nbplug_pm.register(several(nb_impl, **marks)(), name="several")
    yield nbplug_pm


@pytest.mark.parametrize(("marks", "order", "why"), [
    ({}, ["several.b_price", "several.a_price", "solo.price"],
     "several.b_price, several.a_price, solo: registered last runs first; within a plugin, the "
     "name sorting last runs first"),
    ({"tryfirst": True}, ["several.b_price", "several.a_price", "solo.price"],
     "several.b_price, several.a_price, solo moved up by tryfirst (registered last runs first; "
     "within a plugin, the name sorting last runs first among them)"),
    ({"trylast": True}, ["solo.price", "several.a_price", "several.b_price"],
     "solo, several.a_price, several.b_price moved down by trylast (registered last runs last; "
     "within a plugin, the name sorting last runs last among them)"),
])
def test_why_this_order_names_pluggys_rule_within_one_plugin(
        marks: dict[str, bool], order: list[str], why: str) -> None:
    for pm in managers(**marks):
        calls = [f"{impl.plugin_name}.{impl.function.__name__}"
                 for impl in reversed(pm.hook.price.get_hookimpls())]
        assert calls == order, type(pm)
        project = ManagerInspector(pm).design.projects[0]
        assert why_this_order(project.hook("price")) == why, type(pm)
    assert "registered last runs first" not in why_this_order(read_manager(_one_plugin()).hook("price"))


def _one_plugin() -> PluginManager:
    pm = PluginManager("shop")
    pm.add_extension_points(Specs)
    pm.register(several(nb_impl)(), name="several")
    return pm


def test_one_plugins_extensions_each_show_in_the_map() -> None:
    pm = _one_plugin()
    view = ManagerInspector(pm)
    assert why_this_order(view.design.projects[0].hook("price")) == (
        "several.b_price, several.a_price: within a plugin, the name sorting last runs first")
    text = view.text()
    assert "1. several  def b_price  [specname]" in text and "2. several  def a_price  [specname]" in text
    assert re.search(r"price +1, 2 specname", text)  # the matrix cell holds both places
    assert 'data-plugin="several" data-position="1 2"' in view.html()


def order_steps(page: str, hook: str) -> list[str]:
    """The plugins of one hook's call order, as its HTML line lists them."""
    line = re.search(rf'<details class="nbplug-map-hook" data-hook="{hook}".*?</summary>', page,
                     re.DOTALL)
    assert line is not None
    return re.findall(r'<li class="nbplug-order-step[^"]*" data-plugin="([^"]+)"', line.group(0))


def test_a_hook_asked_for_or_all_shows_its_whole_call_order(pytestconfig: pytest.Config) -> None:
    """pytest_addoption has more extensions (22 to 24, by the plugins installed) than a call
    order's default 15: asked for by name, or with all=True, every one is shown, in pluggy's
    call order; unasked, the first 15 and how many more."""
    pm = pytestconfig.pluginmanager
    expected = [impl.plugin_name for impl in reversed(pm.hook.pytest_addoption.get_hookimpls())]
    assert len(expected) > 15
    for view in (ManagerInspector(pm, hook="pytest_addoption"), ManagerInspector(pm, all=True)):
        assert order_steps(view.html(), "pytest_addoption") == expected
        text = view.text().split("  pytest_addoption(")[1].split("    why:")[0]
        assert f"      {len(expected)}. " in text and "more in the call order" not in text
    unasked = ManagerInspector(pm)
    assert order_steps(unasked.html(), "pytest_addoption") == expected[:15]
    assert f"… {len(expected) - 15} more in the call order" in unasked.text()
