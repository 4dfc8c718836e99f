"""Real pluggy-marked code in nbplug's managers: pytest's own hook specifications and builtin plugins,
and pytest-timeout (from PyPI), whose plugins are legacy ``hookwrapper=True`` wrappers — each run on
nbplug and on pluggy 1.7 side by side (issue 11: "pluggy-marked code registers unchanged")."""

from __future__ import annotations

import importlib
import inspect
import types
import warnings
from typing import Any

import pluggy
import pytest
import pytest_timeout
from _pytest import hookspec
from _pytest.config import builtin_plugins
from _pytest.config.argparsing import Parser

import nbplug


def pytest_like(base: type) -> Any:
    """A manager like pytest's: unmarked ``pytest_*`` functions are hooks too (its legacy rule),
    through the ``parse_hookimpl_opts`` / ``parse_hookspec_opts`` override points."""

    class PytestLike(base):  # type: ignore[misc,valid-type]
        def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
            opts = super().parse_hookimpl_opts(plugin, name)
            if opts is None and name.startswith("pytest_") and inspect.isroutine(
                    getattr(plugin, name, None)):
                return {}
            return opts

        def parse_hookspec_opts(self, module_or_class: object, name: str) -> Any:
            opts = super().parse_hookspec_opts(module_or_class, name)
            if opts is None and name.startswith("pytest_") and inspect.isroutine(
                    getattr(module_or_class, name, None)):
                return {}
            return opts

    return PytestLike("pytest")


BUILTINS = sorted(builtin_plugins)


def load_pytest(pm: Any) -> Any:
    """pytest's hookspecs, then every builtin plugin module, as pytest itself loads them."""
    pm.add_hookspecs(hookspec)
    for name in BUILTINS:
        pm.register(importlib.import_module(f"_pytest.{name}"), name=name)
    pm.check_pending()
    return pm


def shape(pm: Any) -> dict[str, tuple[Any, ...]]:
    """Per hook: its mode flags and its implementations in pluggy's order with their kinds."""
    found: dict[str, tuple[Any, ...]] = {}
    for name, caller in vars(pm.hook).items():
        if name.startswith("_") or not hasattr(caller, "get_hookimpls"):
            continue
        opts = caller.spec.opts if caller.spec is not None else {}
        found[name] = (bool(opts.get("firstresult")), bool(opts.get("historic")),
                       tuple((i.plugin_name, i.wrapper, i.hookwrapper, i.tryfirst, i.trylast)
                             for i in caller.get_hookimpls()))
    return found


def test_pytest_hookspecs_and_builtin_plugins_load_into_nbplug() -> None:
    ours = load_pytest(pytest_like(nbplug.PluginManager))
    theirs = load_pytest(pytest_like(pluggy.PluginManager))
    assert shape(ours) == shape(theirs)
    assert len(shape(ours)) > 40
    assert ours.hook.pytest_cmdline_main.spec.opts["firstresult"] is True
    assert ours.hook.pytest_addoption.is_historic()
    impls = [impl for _, _, impls in shape(ours).values() for impl in impls]
    assert any(wrapper for _, wrapper, *_ in impls)  # pytest's own wrappers are new-style ones


def test_pytest_builtins_with_nbplugs_plain_manager() -> None:
    """Without the override points, only marked functions count: what is marked still registers."""
    pm = nbplug.PluginManager("pytest")
    pm.add_extension_points(hookspec)
    for name in BUILTINS:
        pm.register(importlib.import_module(f"_pytest.{name}"), name=name)
    theirs = pluggy.PluginManager("pytest")
    theirs.add_hookspecs(hookspec)
    for name in BUILTINS:
        theirs.register(importlib.import_module(f"_pytest.{name}"), name=name)
    assert shape(pm) == shape(theirs)


def added_options(pm: Any) -> tuple[list[str], list[str]]:
    """Every builtin plugin's command-line options and ini names, added through the historic
    ``pytest_addoption`` hook to a real pytest Parser."""
    parser = Parser(_ispytest=True)
    pm.hook.pytest_addoption.call_historic(kwargs={"parser": parser, "pluginmanager": pm})
    options = [name for group in parser._groups for option in group.options
               for name in option.names()]
    return options, sorted(parser._inidict)


def test_pytest_addoption_through_nbplug_adds_what_pluggy_adds() -> None:
    ours = added_options(load_pytest(pytest_like(nbplug.PluginManager)))
    theirs = added_options(load_pytest(pytest_like(pluggy.PluginManager)))
    assert ours == theirs
    assert {"--verbose", "--maxfail", "--capture"} <= set(ours[0]) and "cache_dir" in ours[1]


# -- pytest-timeout: legacy wrappers from PyPI ---------------------------------------------------------


class Recorder:
    """A plain pytest_runtest_call implementation: was a timeout armed while the test ran?"""

    def __init__(self) -> None:
        self.armed: list[bool] = []

    def pytest_runtest_call(self, item: Any) -> None:
        self.armed.append(callable(getattr(item, "cancel_timeout", None)))


def timeout_item(pm: Any) -> Any:
    """The little of a pytest Item that pytest-timeout's call wrapper reads, with a real mark:
    5 seconds, a thread timer, around the test function only."""
    mark = pytest.mark.timeout(5, method="thread", func_only=True).mark
    config = types.SimpleNamespace(pluginmanager=pm, _env_timeout=None, _env_timeout_method=None,
                                   _env_timeout_func_only=None,
                                   _env_timeout_disable_debugger_detection=None)
    return types.SimpleNamespace(
        config=config, nodeid="test_example.py::test_slow",
        get_closest_marker=lambda name=None: mark if name == "timeout" else None)


def run_timeout_plugin(pm: Any) -> tuple[Any, ...]:
    """pytest-timeout registered after pytest's builtins; its legacy wrapper arms and cancels a
    real timer around pytest_runtest_call."""
    load_pytest(pm)
    pm.hook.pytest_addhooks.call_historic(kwargs={"pluginmanager": pm})
    with warnings.catch_warnings():
        # pytest-timeout's TimeoutHooks methods have no self: pluggy knows, and asks them to add it
        warnings.simplefilter("ignore", DeprecationWarning)
        pm.register(pytest_timeout, name="timeout")
    pm.check_pending()
    recorder = Recorder()
    for name in BUILTINS:  # keep the builtin runtest_call away: it would run a real test item
        if pm.get_plugin(name) is not None and any(
                impl.plugin_name == name for impl in pm.hook.pytest_runtest_call.get_hookimpls()):
            pm.unregister(name=name)
    pm.register(recorder, name="recorder")
    item = timeout_item(pm)
    result = pm.hook.pytest_runtest_call(item=item)
    wrappers = [(i.plugin_name, i.hookwrapper) for i in pm.hook.pytest_runtest_call.get_hookimpls()
                if i.hookwrapper or i.wrapper]
    return result, recorder.armed, wrappers, pm.hook.pytest_timeout_set_timer.spec.argnames


def test_pytest_timeout_legacy_wrappers_run_in_nbplug() -> None:
    ours = run_timeout_plugin(pytest_like(nbplug.PluginManager))
    theirs = run_timeout_plugin(pytest_like(pluggy.PluginManager))
    assert ours == theirs
    result, armed, wrappers, argnames = ours
    assert result == [] and armed == [True]  # the timer was armed while the implementation ran
    assert ("timeout", True) in wrappers
    assert tuple(argnames) == ("item", "settings")
