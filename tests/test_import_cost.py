"""`import nbplug` stays as light as `import pluggy`: no notebook, widget, CLI or asyncio modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("pluggy")


def _new_modules(statement: str) -> set[str]:
    code = ("import sys; before = set(sys.modules); " + statement +
            "; print('\\n'.join(sorted(set(sys.modules) - before)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_import_nbplug_loads_no_notebook_widget_cli_or_asyncio_module() -> None:
    loaded = _new_modules("import nbplug")
    assert "nbplug" in loaded
    heavy = {m for m in loaded if m.split(".")[0] in {"IPython", "ipywidgets", "click", "asyncio",
                                                       "ipykernel", "traitlets", "difflib"}}
    assert heavy == set()


def test_import_nbplug_loads_no_stdlib_module_that_pluggy_does_not() -> None:
    nbplug_mods = {m for m in _new_modules("import nbplug") if not m.startswith("nbplug")}
    pluggy_mods = {m for m in _new_modules("import pluggy") if not m.startswith("pluggy")}
    assert nbplug_mods - pluggy_mods == set()  # weakref too loads on the first registration


def test_trace_records_load_on_first_use() -> None:
    loaded = _new_modules("import nbplug; nbplug.CallTrace")
    assert "nbplug._kit.tracing" in loaded
    assert "nbplug._kit.tracing" not in _new_modules("import nbplug")


#: kit modules that neither ``import nbplug`` nor a plain registration and call need
LAZY_KIT = {"nbplug._kit.aio", "nbplug._kit.wrapping", "nbplug._kit.suggest", "nbplug._kit.callsite",
            "nbplug._kit.distributions"}

PLAIN_USE = """
import nbplug
pm = nbplug.PluginManager("demo")
class Spec:
    @nbplug.ExtensionPoint("demo")
    def fetch(self, key): ...
class Plugin:
    @nbplug.Extension("demo")
    def fetch(self, key):
        return key
pm.add_extension_points(Spec)
pm.register(Plugin())
assert pm.hook.fetch(key=1) == [1]
"""


def test_import_nbplug_loads_the_kit_without_its_lazy_modules() -> None:
    loaded = {m for m in _new_modules("import nbplug") if m.startswith("nbplug")}
    # 15 as before the house move: the kit's package is one more, members + signatures one fewer
    assert loaded == {"nbplug", "nbplug._kit", "nbplug._kit.calls", "nbplug._kit.dispatch",
                      "nbplug._kit.errors", "nbplug._kit.hooks", "nbplug._kit.introspection",
                      "nbplug._kit.lookups", "nbplug._kit.manager", "nbplug._kit.markers",
                      "nbplug._kit.plan", "nbplug._kit.records", "nbplug._kit.registry",
                      "nbplug._kit.result", "nbplug._kit.validation"}


def test_a_plain_registration_and_call_load_none_of_the_lazy_modules() -> None:
    loaded = _new_modules(f"exec({PLAIN_USE!r})")
    assert "nbplug._kit.registry" in loaded
    assert loaded & LAZY_KIT == set()


@pytest.mark.parametrize(("statement", "module"), [
    ("from nbplug import AsyncPluginManager", "nbplug._kit.aio"),
    ("import nbplug; nbplug.AsyncHookCaller", "nbplug._kit.aio"),
    ("import nbplug; getattr(nbplug.PluginManager('demo').hook, 'nothere', None)", "nbplug._kit.suggest"),
    ("import nbplug; nbplug.PluginManager('demo').list_plugin_distinfo()", "nbplug._kit.distributions"),
])
def test_a_lazy_module_loads_when_first_used(statement: str, module: str) -> None:
    assert module in _new_modules(statement)


def test_a_wrapper_loads_the_wrapper_rules_when_its_hook_is_first_called() -> None:
    use = PLAIN_USE + """
class Wrapper:
    @nbplug.Extension("demo")(wrapper=True)
    def fetch(self, key):
        return [*(yield), "wrapped"]
pm.register(Wrapper())
assert pm.hook.fetch(key=1) == [1, "wrapped"]
"""
    assert "nbplug._kit.wrapping" in _new_modules(f"exec({use!r})")
