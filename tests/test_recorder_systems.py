"""Real pluggy-based systems from PyPI, recorded: the same outcome as the plain run, and per-hook
counts equal to what pluggy's own ``add_hookcall_monitoring`` sees.

The systems (the ``test`` extra installs them): pytest (a test run with a failing test, a
conftest.py wrapper and printed output), hatchling (a wheel built through its version-source,
metadata-hook and build-hook plugins, which it registers while it builds) and sqlfluff (a lint of
SQL files through its rule and templater plugins).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nbplug import Recorder
from nbplug.recording.pytest_run import imports_restored


class Counted:
    """Counts every hook call of a pluggy manager through ``add_hookcall_monitoring``."""

    def __init__(self, pm: Any) -> None:
        self.calls: dict[str, int] = {}
        self.undo = pm.add_hookcall_monitoring(self._before, lambda *args: None)

    def _before(self, hook: str, impls: Any, kwargs: Any) -> None:
        self.calls[hook] = self.calls.get(hook, 0) + 1


def recorded_counts(recorder: Recorder) -> dict[str, int]:
    return {hook: stats.calls for hook, stats in recorder.recording.hooks.items()}


def left_as_it_was(pm: Any) -> list[Any]:
    """What a recorder could leave on a pluggy manager: its attributes and every extension's function."""
    return [sorted(vars(pm)), pm._inner_hookexec,  # the monitors' undo puts this back
            [(impl, impl.function) for caller in pm.hook.__dict__.values()
             if hasattr(caller, "get_hookimpls") for impl in caller.get_hookimpls()]]


# -- pytest ----------------------------------------------------------------------------------------


PYTEST_FILES = {
    "conftest.py": """
        import pytest

        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_makereport(item, call):
            report = yield
            if report.when == "call" and "note" in item.name:
                report.sections.append(("note", "made by conftest"))
            return report

        @pytest.fixture
        def answer():
            return 42

        def pytest_report_header(config, start_path=None):  # pluggy passes it by keyword
            return f"header from conftest: {start_path is not None}"
    """,
    "test_sample.py": """
        def helper(value):
            assert value == 41, "not the answer"

        def test_passes(answer):
            assert answer == 42

        def test_fails(answer):
            helper(answer)

        def test_prints_note():
            print("printed by the test")
            assert False
    """,
}


class PytestStarter:
    """Given to pytest.main: counts from the moment pytest's manager exists, and records if asked."""

    def __init__(self, record: bool) -> None:
        self.record = record
        self.counted: Counted | None = None
        self.recorder: Recorder | None = None
        self.__name__ = "starter"

    def pytest_addhooks(self, pluginmanager: Any) -> None:
        self.manager = pluginmanager
        self.call_loop = pluginmanager._inner_hookexec
        self.counted = Counted(pluginmanager)  # first: the recorder's monitors go inside its
        if self.record:
            self.recorder = Recorder(pluginmanager, max_calls=50)  # past the budget too
            self.recorder.start()


def run_pytest_in(folder: Path, record: bool) -> tuple[int, str, PytestStarter]:
    starter = PytestStarter(record)
    out = io.StringIO()
    with imports_restored([str(folder)]), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out):
        code = int(pytest.main([str(folder), "-p", "no:cacheprovider", "--color=no", "-rA"],
                               plugins=[starter]))
    assert starter.counted is not None
    if starter.recorder is not None:
        starter.recorder.stop()
    starter.counted.undo()
    return code, re.sub(r"in \d+\.\d+s", "in Ns", out.getvalue()), starter


def test_pytest_run_recorded_gives_the_same_outcome_and_counts(tmp_path: Path) -> None:
    for name, text in PYTEST_FILES.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    plain_code, plain_out, _ = run_pytest_in(tmp_path, record=False)
    code, out, starter = run_pytest_in(tmp_path, record=True)
    assert (code, out) == (plain_code, plain_out)
    assert code == 1 and "2 failed, 1 passed" in out and "not the answer" in out
    assert "printed by the test" in out and "made by conftest" in out
    assert "header from conftest: True" in out
    assert "nbplug" not in out  # no frame of the recorder in pytest's tracebacks
    assert starter.recorder is not None and starter.counted is not None
    assert recorded_counts(starter.recorder) == starter.counted.calls
    assert starter.recorder.recording.dropped > 0  # the budget was passed: counted all the same
    # pytest's manager changes as it runs (conftest plugins come and go): what the recorder put on
    # it is gone -- pluggy's call loop is its own again and no extension holds a stand-in
    assert starter.manager._inner_hookexec is starter.call_loop
    functions = [function for _, function in left_as_it_was(starter.manager)[2]]
    assert functions and not [f for f in functions if f.__module__.startswith("nbplug")]


# -- hatchling -------------------------------------------------------------------------------------


def bench_systems() -> Any:
    """benchmarks/bench_systems.py, which holds the hatchling project both build."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_systems.py"
    spec = importlib.util.spec_from_file_location("bench_systems", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_wheel(project: Path, out: Path, record: bool) -> tuple[list[tuple[str, bytes]], Any, Any]:
    """Build ``project``'s wheel into ``out`` with a fresh hatchling plugin manager."""
    from hatchling.builders.wheel import WheelBuilder
    from hatchling.plugin.manager import PluginManager

    plugins = PluginManager()
    before = left_as_it_was(plugins.manager)
    counted = Counted(plugins.manager)
    recorder = Recorder(plugins.manager) if record else None
    if recorder is not None:
        recorder.start()
    try:
        (path,) = WheelBuilder(str(project), plugin_manager=plugins).build(directory=str(out))
    finally:
        if recorder is not None:
            recorder.stop()
        counted.undo()
    with zipfile.ZipFile(path) as wheel:
        files = [(name, wheel.read(name)) for name in wheel.namelist()]
    assert left_as_it_was(plugins.manager)[0] == before[0]
    return files, counted, recorder


def test_hatchling_build_recorded_gives_the_same_wheel_and_counts(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    project = bench_systems().write_hatch_project(tmp_path / "project")
    plain, _, _ = build_wheel(project, tmp_path / "plain", record=False)
    recorded, counted, recorder = build_wheel(project, tmp_path / "recorded", record=True)
    assert recorded == plain
    assert "tinyproj/_build_note.py" in dict(plain)
    assert recorded_counts(recorder) == counted.calls
    assert set(counted.calls) >= {"hatch_register_version_source", "hatch_register_build_hook",
                                  "hatch_register_metadata_hook"}
    # hatchling registers its hook modules while it builds: each got its stand-in at its first call
    steps = [step.plugin for call in recorder.recording.calls for step in call.steps]
    assert "hatchling.builders.hooks.plugin.hooks" in steps


# -- sqlfluff --------------------------------------------------------------------------------------


def test_sqlfluff_lint_recorded_gives_the_same_violations_and_counts(tmp_path: Path) -> None:
    pytest.importorskip("sqlfluff")
    from sqlfluff.core import FluffConfig, Linter
    from sqlfluff.core.plugin.host import get_plugin_manager, purge_plugin_manager

    (tmp_path / "a.sql").write_text("SELECT a , b FROM t\n")
    (tmp_path / "b.sql").write_text("select  x from y where z=1\n")

    def lint() -> list[tuple[str, str, int]]:
        linter = Linter(config=FluffConfig(overrides={"dialect": "ansi"}))
        result = linter.lint_paths((str(tmp_path),))
        return sorted((record["filepath"][-5:], violation["code"], violation["start_line_no"])
                      for record in result.as_records() for violation in record["violations"])

    def fresh(run: Callable[[Any], Any]) -> Any:
        purge_plugin_manager()  # a fresh manager: its rules and templaters are asked for again
        try:
            return run(get_plugin_manager())
        finally:
            purge_plugin_manager()

    def plain_run(pm: Any) -> Any:
        counted = Counted(pm)
        try:
            return lint(), counted.calls
        finally:
            counted.undo()

    def recorded_run(pm: Any) -> Any:
        before = left_as_it_was(pm)
        counted = Counted(pm)
        try:
            with Recorder(pm) as recording:
                found = lint()
        finally:
            counted.undo()
        assert left_as_it_was(pm) == before
        return found, counted.calls, recording

    fresh(plain_run)  # the first lint imports the rule modules, which ask for configs info
    plain, plain_counts = fresh(plain_run)
    recorded, counts, recording = fresh(recorded_run)
    assert recorded == plain and any(code == "LT01" for _, code, _ in plain)
    assert counts == plain_counts and "get_rules" in counts
    assert {hook: stats.calls for hook, stats in recording.hooks.items()} == counts
