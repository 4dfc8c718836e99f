"""The design map's snapshot, its reader over nbplug managers, its explanations and its renderers."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug.widgets import ManagerInspector
from nbplug.widgets.designmap.html import design_map_html
from nbplug.widgets.designmap.readers import read_manager, read_managers
from nbplug.widgets.designmap.snapshot import (
    Cell,
    DesignMap,
    HookEntry,
    PluginEntry,
    ProjectMap,
    cell_marks,
    mode_words,
    why_this_order,
)
from nbplug.widgets.designmap.text import design_map_text
from tests.widgets_fixtures import EVIL

spec = ExtensionPoint("shop")
impl = Extension("shop")


class Specs:
    @spec
    def greet(self, name: str) -> str:  # type: ignore[empty-body]
        """Say hello."""

    @spec(pipeline=True)
    def total(self, amount: float) -> float:  # type: ignore[empty-body]
        """Adjust the total."""


def plugin(hook: str, **marks: object) -> object:
    """A plugin object with one extension of ``hook`` carrying ``marks``."""

    def plain(self: object, name: str) -> str:
        return "x"

    def wrapping(self: object, name: str) -> Iterator[None]:
        return (yield)

    function = wrapping if marks.get("wrapper") else plain
    function.__name__ = "greet_v2" if marks.get("specname") else hook
    cls = type("P", (), {function.__name__: impl(**marks)(function)})  # type: ignore[call-overload]
    return cls()


def shop(*plugins: tuple[str, dict[str, object]]) -> PluginManager:
    pm = PluginManager("shop")
    pm.add_extension_points(Specs)
    for name, marks in plugins:
        pm.register(plugin("greet", **marks), name=name)
    return pm


def test_reader_gives_cells_in_call_order_with_their_marks() -> None:
    pm = shop(("a", {}), ("b", {"tryfirst": True}), ("c", {}), ("w", {"wrapper": True}),
              ("z", {"trylast": True}), ("s", {"specname": "greet"}))
    snapshot = read_manager(pm)
    greet = snapshot.hook("greet")
    assert [c.plugin for c in greet.cells] == [i.plugin_name for i in pm.caller("greet").implementations()]
    assert [c.position for c in greet.cells] == list(range(1, 7))
    by_name = {c.plugin: c for c in greet.cells}
    assert by_name["w"].wrapper and by_name["w"].wraps and not by_name["a"].wraps
    assert by_name["b"].tryfirst and by_name["z"].trylast
    assert by_name["s"].specname == "greet" and by_name["s"].function == "greet_v2"
    assert cell_marks(by_name["s"]) == ["specname"]
    assert greet.signature == "greet(name: str) -> str" and greet.doc == "Say hello."
    assert [p.name for p in snapshot.plugins] == ["a", "b", "c", "w", "z", "s"]
    assert snapshot.hook("total").argnames == ("amount",)
    with pytest.raises(KeyError, match="no hook 'nope' in project 'shop'; hooks: greet, total"):
        snapshot.hook("nope")
    # the snapshot is plain, frozen data: it does not follow the manager
    with pytest.raises(dataclasses.FrozenInstanceError):
        greet.name = "other"  # type: ignore[misc]
    pm.unregister(name="a")
    assert len(snapshot.hook("greet").cells) == 6 and len(read_manager(pm).hook("greet").cells) == 5


def test_why_this_order_names_the_rule_that_placed_each_extension() -> None:
    pm = shop(("english", {}), ("french", {}))
    assert why_this_order(read_manager(pm).hook("greet")) == "french, english: registered last runs first"
    pm = shop(("early", {"tryfirst": True}), ("late", {"tryfirst": True}), ("plain", {}),
              ("z1", {"trylast": True}), ("z2", {"trylast": True}))
    assert why_this_order(read_manager(pm).hook("greet")) == (
        "late, early moved up by tryfirst (registered last runs first among them); plain unmarked; "
        "z1, z2 moved down by trylast (registered last runs last among them)")
    pm = shop(("inner", {"wrapper": True}), ("outer", {"wrapper": True}), ("only", {}))
    assert why_this_order(read_manager(pm).hook("greet")) == (
        "outer, inner wrap the call (wrapper), outermost first: outer, inner: registered last runs "
        "first; only is the only extension")


@pytest.mark.parametrize(("mode", "expected"), [
    ("collecting", "an empty list"), ("firstresult", "None"), ("pipeline", "the amount it was given"),
])
def test_a_hook_without_extensions_says_what_a_call_returns(mode: str, expected: str) -> None:
    hook = HookEntry("h", mode, signature="h(amount)", argnames=("amount",))
    assert why_this_order(hook) == f"no extensions: a call returns {expected}"


def test_mode_words_explain_each_mode() -> None:
    pm = shop()
    snapshot = read_manager(pm)
    assert mode_words(snapshot.hook("total")).startswith("pipeline: amount is threaded through")
    assert "not called" in mode_words(HookEntry("h", "firstresult", signature="h()"))
    assert "replays it to plugins registered later" in mode_words(HookEntry("h", "historic", signature="h()"))
    assert "no extension point declared" in mode_words(HookEntry("h", "collecting"))


def test_a_snapshot_from_another_reader_renders_the_same_way() -> None:
    """What a reader over a pluggy manager would hand over: the views need nothing else."""
    project = ProjectMap(
        project="pytest",
        hooks=(HookEntry("pytest_runtest_call", "collecting", "pytest_runtest_call(item)",
                         cells=(Cell("logging", "pytest_runtest_call", 1, legacy_wrapper=True),
                                Cell("runner", "pytest_runtest_call", 2))),),
        plugins=(PluginEntry("runner", "module _pytest.runner"), PluginEntry("logging", "LoggingPlugin")),
        kind="pluggy",
    )
    text = ManagerInspector(project).text()
    assert "project pytest: 1 extension point, 2 plugins, 0 pending extensions" in text
    assert "1. logging  [hookwrapper]" in text
    assert "why:   logging wraps the call (hookwrapper); runner is the only extension" in text
    assert design_map_text(read_managers([project])) == text
    assert 'data-marks="hookwrapper"' in ManagerInspector(DesignMap((project,))).html()


def test_html_matrix_cells_carry_place_and_marks_and_everything_is_escaped() -> None:
    pm = shop(("w", {"wrapper": True}), (EVIL, {"tryfirst": True}))
    page = design_map_html(read_managers(pm))
    assert "<img" not in page and "&lt;img src=x" in page
    cells = re.findall(r'<td class="nbplug-cell" data-plugin="([^"]*)" data-position="(\d+)" '
                       r'data-marks="([^"]*)"', page)
    assert [(pos, marks) for _, pos, marks in cells] == [("1", "wrapper"), ("2", "tryfirst")]
    for needed in ("why this order", "call order", "mode", 'class="nbplug-matrix"'):
        assert needed in page
    assert "#b00" not in page and "var(--jp-" in page  # theme colours, not fixed ones


def test_a_wide_design_map_leaves_the_text_matrix_out_and_keeps_the_orders() -> None:
    pm = shop(*((f"plugin_number_{i}", {}) for i in range(12)))
    text = ManagerInspector(pm).text()
    assert "too wide for text" in text and "12. plugin_number_0" in text
    assert "hook \\ plugin" not in text


def test_long_groups_are_summed_up_and_historic_hooks_explained() -> None:
    cells = tuple(Cell(f"p{i}", "h", i) for i in range(1, 23))
    assert why_this_order(HookEntry("h", "collecting", "h()", cells=cells)) == (
        "p1, p2, … p22 (22): registered last runs first")
    assert why_this_order(HookEntry("h", "historic", "h()")) == (
        "no extensions yet: each call_historic() is kept for the plugins registered later")
