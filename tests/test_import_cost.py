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
    assert nbplug_mods - pluggy_mods <= {"weakref", "_weakrefset"}


def test_trace_records_load_on_first_use() -> None:
    loaded = _new_modules("import nbplug; nbplug.CallTrace")
    assert "nbplug.tracing" in loaded
    assert "nbplug.tracing" not in _new_modules("import nbplug")
