"""The design map over a live pluggy manager: pytest's own config.pluginmanager, read as it runs."""

from __future__ import annotations

from typing import Any

import pluggy
import pytest

from nbplug.widgets import ManagerInspector
from nbplug.widgets.designmap.pluggy_reader import is_pluggy_manager, read_pluggy_manager


def test_pytests_own_manager_lists_its_hooks_and_plugins_in_call_order(
        pytestconfig: pytest.Config) -> None:
    pm = pytestconfig.pluginmanager
    project = read_pluggy_manager(pm)
    assert project.project == "pytest" and project.kind == "pluggy"
    names = [hook.name for hook in project.hooks]
    assert names == sorted(names) and {"pytest_runtest_makereport", "pytest_collect_file"} <= set(names)
    for hook in project.hooks:  # call order: the reverse of get_hookimpls()
        expected = [impl.plugin_name for impl in reversed(getattr(pm.hook, hook.name).get_hookimpls())]
        assert [cell.plugin for cell in hook.cells] == expected, hook.name
        assert [cell.position for cell in hook.cells] == list(range(1, len(expected) + 1))
    assert [p.name for p in project.plugins] == [name for name, _ in pm.list_name_plugin()]
    makereport = project.hook("pytest_runtest_makereport")
    assert makereport.mode == "firstresult" and makereport.declared
    assert makereport.signature.startswith("pytest_runtest_makereport(item")  # type: ignore[union-attr]
    runner = makereport.cell_of("runner")
    assert runner is not None and not runner.wraps
    wrappers = [cell for cell in makereport.cells if cell.wraps]
    assert wrappers and all(c.position < runner.position for c in wrappers)
    assert project.hook("pytest_addhooks").mode == "historic"


def test_the_inspector_takes_pytests_manager_as_a_new_user_would(pytestconfig: pytest.Config) -> None:
    view = ManagerInspector(pytestconfig.pluginmanager)
    text = view.text()
    assert "pytest_runtest_makereport" in text and "runner" in text
    assert "pytest_runtest_makereport" in view.html()


hookspec, hookimpl = pluggy.HookspecMarker("shop"), pluggy.HookimplMarker("shop")


class Spec:
    @hookspec(firstresult=True)
    def price(self, item: str) -> int:
        """The price of an item."""


class Cheap:
    @hookimpl(trylast=True)
    def price(self, item: str) -> int:
        return 1


class Audit:
    @hookimpl(hookwrapper=True)
    def price(self, item: str) -> Any:
        yield

    @hookimpl(optionalhook=True)
    def unknown_optional(self) -> None: ...

    @hookimpl
    def unknown(self) -> None: ...


def test_marks_modes_blocked_and_pending_come_through() -> None:
    pm = pluggy.PluginManager("shop")
    pm.add_hookspecs(Spec)
    pm.register(Cheap(), name="cheap")
    pm.register(Audit(), name="audit")
    pm.set_blocked("evil")
    project = read_pluggy_manager(pm)
    price = project.hook("price")
    assert price.doc == "The price of an item." and price.mode == "firstresult"
    assert [(c.plugin, c.legacy_wrapper, c.trylast) for c in price.cells] == [
        ("audit", True, False), ("cheap", False, True)]
    assert [(p.hook, p.plugin) for p in project.pending] == [("unknown", "audit")]
    assert [(p.name, p.label) for p in project.plugins][-1] == ("evil", "blocked")


def test_what_is_not_a_pluggy_manager_is_refused() -> None:
    from nbplug import PluginManager

    assert not is_pluggy_manager(PluginManager("shop")) and not is_pluggy_manager(object())
    with pytest.raises(TypeError, match=r"needs a pluggy\.PluginManager"):
        read_pluggy_manager(object())
