"""The manager as a pluggy user knows it: pluggy-marked code, dict-readable options, entry-point
distributions, unregistering, check_pending, specs without self, tracing, the parse_*_opts override
points and warn_on_impl_args — each compared with pluggy 1.7 in the same test (issue 11, 5 and 6)."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
import types
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from compat_fixtures import KITS, PROJECT, both, hookimpl, hookspec, outcome, recorded_warnings

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager
from nbplug._base.ctrlc import mark_ctrl_c


class Specs:
    @hookspec
    def compat_collect(self, x: int) -> list[Any]:
        """Collecting."""

    @hookspec(firstresult=True)
    def compat_first(self, x: int) -> Any:
        """firstresult."""

    @hookspec(historic=True)
    def compat_history(self, x: int) -> None:
        """historic."""


class Plugin:
    @hookimpl(tryfirst=True)
    def compat_collect(self, x: int) -> int:
        return x + 1

    @hookimpl(specname="compat_first")
    def answer(self, x: int) -> int:
        return x * 2

    @staticmethod
    @hookimpl
    def compat_history(x: int) -> int:
        return x

    @hookimpl(optionalhook=True)
    def compat_not_specified(self) -> None:
        """Optional: no spec needed."""


# -- pluggy-marked code registers unchanged -----------------------------------------------------


def test_pluggy_marked_specs_and_plugins_work_in_nbplug() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Plugin(), name="plugin")
        pm.check_pending()
        results: list[Any] = []
        pm.hook.compat_history.call_historic(results.append, {"x": 3})
        return pm.hook.compat_collect(x=1), pm.hook.compat_first(x=5), results

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == ([2], 10, [3])


def test_pluggy_marked_module_registers_in_both_managers() -> None:
    module = types.ModuleType("compat_plugin_module")

    @hookimpl(trylast=True)
    def compat_collect(x: int) -> int:
        return -x

    module.compat_collect = compat_collect  # type: ignore[attr-defined]

    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(module)
        pm.register(Plugin(), name="plugin")
        return pm.hook.compat_collect(x=4), pm.get_name(module)

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == ([5, -4], "compat_plugin_module")


async def test_pluggy_marked_code_on_the_async_manager() -> None:
    apm = AsyncPluginManager(PROJECT)
    apm.add_extension_points(Specs)
    apm.register(Plugin(), name="plugin")
    assert await apm.hook.compat_collect(x=1) == [2]
    assert await apm.hook.compat_first(x=1) == 2


def test_nbplug_reads_pluggys_dict_markers_without_importing_pluggy() -> None:
    """Options written as pluggy writes them (plain dicts) need no pluggy at all."""
    program = textwrap.dedent("""\
        import sys
        import nbplug

        def spec(x): ...
        spec.proj_spec = {"firstresult": True, "historic": False, "warn_on_impl": None,
                          "warn_on_impl_args": None}

        class Plugin:
            def spec(self, x):
                return x + 1
            spec.proj_impl = {"wrapper": False, "hookwrapper": False, "optionalhook": False,
                              "tryfirst": False, "trylast": False, "specname": None}

        ns = type("Specs", (), {"spec": staticmethod(spec)})
        pm = nbplug.PluginManager("proj")
        pm.add_extension_points(ns)
        pm.register(Plugin(), name="p")
        assert pm.hook.spec(x=1) == 2, pm.hook.spec(x=1)
        assert "pluggy" not in sys.modules, "nbplug imported pluggy"
        print("ok")
        """)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


# -- dict-readable options ----------------------------------------------------------------------


def test_options_read_as_pluggys_dicts() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Plugin(), name="plugin")
        spec_opts = pm.hook.compat_first.spec.opts
        (impl,) = pm.hook.compat_collect.get_hookimpls()
        return (spec_opts["firstresult"], spec_opts.get("historic"), spec_opts.get("warn_on_impl"),
                impl.opts["tryfirst"], impl.opts.get("hookwrapper"), impl.opts.get("specname"),
                {k: impl.opts[k] for k in ("wrapper", "hookwrapper", "optionalhook", "tryfirst",
                                           "trylast", "specname")})

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value[:6] == (True, False, None, True, False, None)


def test_nbplugs_own_markers_record_dict_readable_options() -> None:
    extension_point, extension = ExtensionPoint("shop"), Extension("shop")

    @extension_point(firstresult=True)
    def greet(name: str) -> str: ...

    @extension(tryfirst=True, hookwrapper=True)
    def timing(name: str) -> Generator[None, Any, None]:
        yield

    spec, impl = greet.shop_spec, timing.shop_impl  # type: ignore[attr-defined]
    assert spec["firstresult"] is True and spec.get("historic") is False
    assert spec.get("warn_on_impl_args") is None and spec.get("no such option", 7) == 7
    assert impl.get("tryfirst") is True and impl["hookwrapper"] is True and impl["wrapper"] is False
    assert "specname" in impl and "nonsense" not in impl
    pluggy_keys = {"wrapper", "hookwrapper", "optionalhook", "tryfirst", "trylast", "specname"}
    assert set(impl) == set(dict(impl)) == pluggy_keys
    assert {"firstresult", "historic", "warn_on_impl", "warn_on_impl_args"} <= set(spec)
    with pytest.raises(KeyError):
        impl["nonsense"]
    with pytest.raises(AttributeError, match="read-only"):
        impl.tryfirst = False


# -- entry points: list_plugin_distinfo's dist.project_name ---------------------------------------

ENTRY_MODULE = textwrap.dedent("""\
    import pluggy
    hookimpl = pluggy.HookimplMarker("compat")

    @hookimpl
    def compat_collect(x):
        return "alpha"
    """)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake installed distribution 'compatdist' with one entry point in group ``compat_plugins``."""
    (tmp_path / "compatdist_plugin.py").write_text(ENTRY_MODULE)
    info = tmp_path / "compatdist-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: compatdist\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[compat_plugins]\nalpha = compatdist_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "compatdist_plugin", raising=False)
    return tmp_path


@pytest.mark.usefixtures("installed")
def test_list_plugin_distinfo_has_project_name() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        loaded = pm.load_setuptools_entrypoints("compat_plugins")
        (plugin, dist), = pm.list_plugin_distinfo()
        (_, raw), = pm.list_plugin_distributions()
        return (loaded, dist.project_name, dist.metadata["Name"], dist.version,
                raw.metadata["Name"], plugin.__name__, pm.hook.compat_collect(x=1))

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == (1, "compatdist", "compatdist", "1.0", "compatdist",
                                        "compatdist_plugin", ["alpha"])


@pytest.mark.usefixtures("installed")
def test_list_plugin_distributions_gives_the_distributions_themselves() -> None:
    """pluggy 1.7's shape: (plugin, importlib.metadata.Distribution), no facade; the facade stays
    on list_plugin_distinfo, and both list the same objects."""
    import importlib.metadata

    def scenario(pm: Any) -> Any:
        pm.load_setuptools_entrypoints("compat_plugins")
        pm.load_setuptools_entrypoints("compat_plugins")  # loaded once: listed once
        (plugin, raw), = pm.list_plugin_distributions()
        (same_plugin, facade), = pm.list_plugin_distinfo()
        assert pm.list_plugin_distributions() is not pm.list_plugin_distributions()  # a copy
        assert (facade.metadata["Name"], facade.version) == (raw.metadata["Name"], raw.version)
        return (type(raw).__name__, isinstance(raw, importlib.metadata.Distribution),
                hasattr(raw, "project_name"), plugin is same_plugin, raw.metadata["Name"],
                type(facade).__name__, {"_dist", "project_name"} <= set(dir(facade)))

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == ("PathDistribution", True, False, True, "compatdist",
                                        "DistFacade", True)


# -- unregistering ------------------------------------------------------------------------------


def test_unregister_unknown_plugin_raises_pluggys_type() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Plugin(), name="plugin")
        return pm.unregister(Plugin())

    outcomes = both(scenario)
    assert outcomes["pluggy"].error == "AssertionError"
    error = outcomes["nbplug"].exception
    assert isinstance(error, AssertionError) and isinstance(error, ValueError)
    assert "is not registered" in str(error)


def test_unregister_blocked_name_returns_none() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Plugin(), name="plugin")
        pm.set_blocked("plugin")
        gone = pm.unregister(name="plugin")
        return gone, pm.is_blocked("plugin"), pm.has_plugin("plugin"), pm.hook.compat_collect(x=1)

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == (None, True, False, [])


# -- check_pending skips hooks whose names start with "_" ---------------------------------------------


def test_check_pending_skips_underscore_names() -> None:
    class Private:
        @hookimpl
        def _compat_private(self) -> None:
            """No spec, but private: pluggy's check_pending leaves it alone."""

    class Unknown:
        @hookimpl
        def compat_unknown(self) -> None:
            """No spec."""

    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Private(), name="private")
        pm.check_pending()
        pm.register(Unknown(), name="unknown")
        return pm.check_pending()

    outcomes = both(scenario)
    assert outcomes["pluggy"].error == outcomes["nbplug"].error == "PluginValidationError"
    assert "unknown hook 'compat_unknown'" in outcomes["pluggy"].message
    assert "unknown hook 'compat_unknown'" in outcomes["nbplug"].message
    assert "_compat_private" not in outcomes["nbplug"].message


# -- a spec method without self ---------------------------------------------------------------------


def test_spec_method_without_self_warns_as_in_pluggy() -> None:
    class NoSelf:
        @hookspec
        def compat_noself(arg: int) -> None:  # type: ignore[misc]
            """Written without self."""

        @staticmethod
        @hookspec
        def compat_static(arg: int) -> None:
            """A staticmethod needs no self: no warning."""

    def scenario(pm: Any) -> Any:
        with recorded_warnings() as seen:
            pm.add_hookspecs(NoSelf)
        return ([(w.category.__name__, str(w.message).split(" Add ")[0]) for w in seen],
                pm.hook.compat_noself.spec.argnames, pm.hook.compat_static.spec.argnames)

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    warned, noself_args, static_args = outcomes["nbplug"].value
    assert warned == [("DeprecationWarning", "test_spec_method_without_self_warns_as_in_pluggy."
                       "<locals>.NoSelf.compat_noself is a method but its first parameter 'arg' "
                       "is not 'self'.")]
    assert tuple(noself_args) == tuple(static_args) == ("arg",)


# -- enable_tracing and pm.trace --------------------------------------------------------------------


def test_enable_tracing_writes_what_pluggy_writes() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Plugin(), name="plugin")
        written: list[str] = []
        pm.trace.root.setwriter(written.append)
        pm.trace("registered", "plugin")
        undo = pm.enable_tracing()
        pm.hook.compat_collect(x=1)
        pm.hook.compat_first(x=2)
        undo()
        pm.hook.compat_collect(x=3)  # no longer traced
        sub = pm.trace.root.get("config")
        sub("configured", {"key": "value"})
        return written, pm.trace.root.indent

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    written, indent = outcomes["nbplug"].value
    assert written[0] == "registered plugin [pluginmanage]\n"
    assert written[1] == "  compat_collect [hook]\n      x: 1\n"
    assert written[2] == "  finish compat_collect --> [2] [hook]\n"
    assert indent == 0


class ExitsInStr:
    def __str__(self) -> str:
        raise SystemExit("str of a broken object")


class TracedEcho:
    @hookimpl
    def compat_collect(self, x: object) -> object:
        return x


def traced_echo(write: Any) -> PluginManager:
    """nbplug's manager with one extension returning its argument, tracing into ``write``."""
    pm = PluginManager(PROJECT)
    pm.add_hookspecs(Specs)
    pm.register(TracedEcho(), name="echo")
    pm.trace.root.setwriter(write)
    pm.enable_tracing()
    return pm


def test_a_traced_argument_whose_str_raises_any_base_exception_does_not_break_the_call() -> None:
    written: list[str] = []
    pm = traced_echo(written.append)
    value = ExitsInStr()
    assert pm.hook.compat_collect(x=value) == [value]  # the call goes on, traced
    assert "SystemExit('str of a broken object') raised in str()] ExitsInStr object" in written[0]


class CtrlCInRepr(Exception):
    def __repr__(self) -> str:
        raise mark_ctrl_c(KeyboardInterrupt())  # as nbplug's handler raises a Ctrl-C


class StrRaisesThat:
    def __str__(self) -> str:
        raise CtrlCInRepr()


def test_a_ctrl_c_while_a_traced_value_is_shown_ends_the_call() -> None:
    pm = traced_echo(lambda line: None)
    with pytest.raises(KeyboardInterrupt):  # a Ctrl-C always wins, even inside the tracer's guard
        pm.hook.compat_collect(x=StrRaisesThat())


def test_trace_processor_receives_tags_and_arguments() -> None:
    def scenario(pm: Any) -> Any:
        seen: list[Any] = []
        pm.trace.root.setprocessor("pluginmanage:sub", lambda tags, args: seen.append((tags, args)))
        pm.trace.get("sub")("hello", 1)
        pm.trace("not this one")
        return seen

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == [(("pluginmanage", "sub"), ("hello", 1))]


async def test_enable_tracing_on_the_async_manager() -> None:
    apm = AsyncPluginManager(PROJECT)
    apm.add_extension_points(Specs)
    apm.register(Plugin(), name="plugin")
    written: list[str] = []
    apm.trace.root.setwriter(written.append)
    undo = apm.enable_tracing()
    assert await apm.hook.compat_collect(x=1) == [2]
    undo()
    assert written == ["  compat_collect [hook]\n      x: 1\n",
                       "  finish compat_collect --> [2] [hook]\n"]


# -- the parse_hookimpl_opts / parse_hookspec_opts override points ---------------------------------


def prefixed(base: type) -> type:
    """A manager subclass that, like pytest's, takes unmarked ``compat_*`` functions as hooks."""

    class Prefixed(base):  # type: ignore[misc,valid-type]
        def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
            opts = super().parse_hookimpl_opts(plugin, name)
            if opts is None and name.startswith("compat_") and inspect.isroutine(
                    getattr(plugin, name, None)):
                return {}
            return opts

        def parse_hookspec_opts(self, module_or_class: object, name: str) -> Any:
            opts = super().parse_hookspec_opts(module_or_class, name)
            if opts is None and name.startswith("compat_"):
                return {"firstresult": name.endswith("_first")}
            return opts

    return Prefixed


class UnmarkedSpecs:
    def compat_plain(self, x: int) -> list[Any]:
        """An unmarked spec."""

    def compat_plain_first(self, x: int) -> Any:
        """An unmarked firstresult spec."""

    def other(self, x: int) -> None:
        """Not a hook."""


class Unmarked:
    def compat_plain(self, x: int) -> int:
        return x

    def compat_plain_first(self, x: int) -> int:
        return x + 100

    def helper(self) -> None:
        """Not a hook."""


class Marked:
    @hookimpl(tryfirst=True)
    def compat_plain(self, x: int) -> int:
        return -x


def test_parse_opts_override_points_match_pluggy() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(UnmarkedSpecs)
        pm.register(Unmarked(), name="unmarked")
        pm.register(Marked(), name="marked")
        pm.check_pending()
        marked = pm.parse_hookimpl_opts(Marked(), "compat_plain")
        return (pm.hook.compat_plain(x=1), pm.hook.compat_plain_first(x=1),
                hasattr(pm.hook, "other"), pm.parse_hookimpl_opts(Unmarked(), "helper"),
                {k: marked[k] for k in ("tryfirst", "trylast", "wrapper", "hookwrapper")},
                pm.parse_hookspec_opts(UnmarkedSpecs, "other"))

    outcomes = {kit: outcome(lambda make=make: scenario(prefixed(type(make()))(PROJECT)))
                for kit, make in KITS.items()}
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == ([-1, 1], 101, False, None,
                                        {"tryfirst": True, "trylast": False, "wrapper": False,
                                         "hookwrapper": False}, None)


def test_parse_hookimpl_opts_default_reads_markers() -> None:
    for make in KITS.values():
        pm = make()
        opts = pm.parse_hookimpl_opts(Plugin(), "answer")
        assert opts["specname"] == "compat_first" and not opts["tryfirst"]
        assert pm.parse_hookimpl_opts(Plugin(), "compat_history") is not None  # a staticmethod
        assert pm.parse_hookimpl_opts(Plugin(), "not_there") is None
        assert pm.parse_hookspec_opts(Specs, "compat_first")["firstresult"] is True


# -- warn_on_impl_args ----------------------------------------------------------------------------


class ArgSpecs:
    @hookspec(warn_on_impl_args={"old": DeprecationWarning("'old' is deprecated, use 'new'")})
    def compat_args(self, new: int, old: int) -> list[Any]:
        """One argument is on its way out."""


class UsesOld:
    @hookimpl
    def compat_args(self, old: int) -> int:
        return old


class UsesNew:
    @hookimpl
    def compat_args(self, new: int) -> int:
        return new


def test_warn_on_impl_args_matches_pluggy() -> None:
    def scenario(pm: Any) -> Any:
        with recorded_warnings() as seen:
            pm.add_hookspecs(ArgSpecs)
            pm.register(UsesNew(), name="new")
            pm.register(UsesOld(), name="old")
        return ([(w.category, str(w.message), w.filename, w.lineno) for w in seen],
                pm.hook.compat_args(new=1, old=2))

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    (warning,), results = outcomes["nbplug"].value
    code = UsesOld.compat_args.__code__
    assert warning == (DeprecationWarning, "'old' is deprecated, use 'new'", code.co_filename,
                       code.co_firstlineno)
    assert results == [2, 1]


def test_warn_on_impl_args_with_nbplugs_marker() -> None:
    extension_point, extension = ExtensionPoint("shop"), Extension("shop")

    class ShopSpecs:
        @extension_point(warn_on_impl_args={"region": FutureWarning("region goes away")})
        def price(self, item: str, region: str) -> list[Any]:
            """Price an item."""

    class Shop:
        @extension
        def price(self, item: str, region: str) -> str:
            return f"{item}@{region}"

    pm = PluginManager("shop")
    pm.add_extension_points(ShopSpecs)
    with pytest.warns(FutureWarning, match="region goes away"):
        pm.register(Shop(), name="shop")
    assert pm.hook.price(item="tea", region="eu") == ["tea@eu"]


def test_unregister_with_plugin_and_name_that_disagree() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        first, second = Plugin(), Plugin()
        pm.register(first, name="first")
        pm.register(second, name="second")
        failed = outcome(lambda: pm.unregister(first, name="second"))
        agreed = pm.unregister(first, name="first") is first
        return failed.error, "do not agree" in failed.message, agreed, pm.has_plugin("second")

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == ("ValueError", True, True, True)
