"""pytest run in-process and recorded: its hooks in order, one report per phase, nothing left behind."""

from __future__ import annotations

import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from nbplug.recording.pytest_run import run_pytest
from nbplug.widgets.designmap.pluggy_reader import read_pluggy_manager

TESTS = """
def test_one():
    assert 1 + 1 == 2

def test_two():
    assert "pytest".startswith("py")
"""

#: A conftest.py plugin that turns a failing test's call report into a pass.
FORGIVING = """
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        report.outcome = "passed"
    return report
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_makereport_is_recorded_once_per_phase_in_pytests_order(tmp_path: Path) -> None:
    path = write(tmp_path, "test_small.py", TESTS)
    run = run_pytest([str(path)], ["-q"])
    assert run.exit_code == 0 and "2 passed" in run.summary()
    reports = run.recording.find(hook="pytest_runtest_makereport")
    whens = [dict(call.args)["call"].split("when=")[1].split()[0] for call in reports]
    assert whens == ["'setup'", "'call'", "'teardown'"] * 2
    items = [dict(call.args)["item"] for call in reports]
    assert items == ["<Function test_one>"] * 3 + ["<Function test_two>"] * 3
    # each report is made inside its test's pytest_runtest_protocol
    for protocol, name in zip(run.recording.find(hook="pytest_runtest_protocol"),
                              ["test_one", "test_two"], strict=True):
        inner = [c for c in _descendants(protocol) if c.hook == "pytest_runtest_makereport"]
        assert len(inner) == 3 and all(name in dict(c.args)["item"] for c in inner)


def _descendants(call):  # type: ignore[no-untyped-def]
    for child in call.children():
        yield child
        yield from _descendants(child)


def test_the_session_runs_collection_before_the_test_loop(tmp_path: Path) -> None:
    path = write(tmp_path, "test_small.py", TESTS)
    recording = run_pytest([str(path)]).recording
    order = list(recording.hooks)
    for earlier, later in [("pytest_configure", "pytest_sessionstart"),
                           ("pytest_collect_file", "pytest_collection_finish"),
                           ("pytest_collection", "pytest_runtestloop"),
                           ("pytest_runtest_protocol", "pytest_sessionfinish")]:
        assert order.index(earlier) < order.index(later), (earlier, later)
    [main] = recording.find(hook="pytest_cmdline_main")
    assert [c.hook for c in main.children()][:1] == ["pytest_configure"] or any(
        c.hook == "pytest_collection" for c in _descendants(main))
    assert recording.hooks["pytest_runtest_protocol"].calls == 2
    assert recording.hooks["pytest_collect_file"].calls >= 1


def test_a_conftest_plugin_that_changes_a_report_is_seen_in_the_recording(tmp_path: Path) -> None:
    write(tmp_path, "test_fails.py", "def test_wrong():\n    assert 1 == 2\n")
    write(tmp_path, "conftest.py", FORGIVING)
    run = run_pytest([str(tmp_path)], ["-q"])
    assert run.exit_code == 0, run.output
    call_phase = [c for c in run.recording.find(hook="pytest_runtest_makereport", plugin="runner")
                  if "when='call'" in dict(c.args)["call"]]
    [call] = call_phase
    steps = {step.plugin: step for step in call.steps}
    conftest = next(name for name in steps if name.endswith("conftest.py"))
    assert "outcome='failed'" in str(steps["runner"].result)  # as pytest's runner made it
    assert "outcome='passed'" in str(steps[conftest].result)  # as the conftest left it
    assert "outcome='passed'" in str(call.result)


def test_nothing_is_left_behind_and_a_rerun_sees_an_edited_test(tmp_path: Path) -> None:
    path = write(tmp_path, "test_edit.py", "def test_it():\n    assert True\n")
    write(tmp_path, "conftest.py", "")
    before_path, before_modules = list(sys.path), set(sys.modules)
    assert run_pytest([str(path)]).exit_code == 0
    assert not (tmp_path / ".pytest_cache").exists()
    assert sys.path == before_path
    assert "test_edit" not in sys.modules and "conftest" not in sys.modules
    new = {m for m in set(sys.modules) - before_modules
           if getattr(sys.modules[m], "__file__", None) and str(tmp_path) in sys.modules[m].__file__}
    assert new == set()
    path.write_text("def test_it():\n    assert False\n")
    assert run_pytest([str(path)]).exit_code == 1


def test_a_missing_path_is_an_error_that_names_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no such test file or folder: .*nowhere\.py"):
        run_pytest([str(tmp_path / "nowhere.py")])
    with pytest.raises(ValueError, match="at least one path"):
        run_pytest([])


def test_a_bad_pytest_option_is_pytests_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, "test_small.py", TESTS)
    run = run_pytest([str(path)], ["--no-such-option"])
    assert run.exit_code == 4 and "unrecognized arguments" in run.output


#: The recording of 2,000 tiny tests holds at most this much memory (default budget: 2,000 calls
#: kept in detail plus 5 of each hook; everything else only counted).
MEMORY_BOUND = 4 * 2**20


@pytest.mark.slow
def test_a_run_of_2000_tests_records_within_the_memory_bound(tmp_path: Path) -> None:
    body = "".join(f"def test_{i}():\n    pass\n" for i in range(2000))
    path = write(tmp_path, "test_many.py", body)
    tracemalloc.start()
    try:
        run = run_pytest([str(path)], ["-q"])
        held = tracemalloc.get_traced_memory()[0]
        recording = run.recording
        del run
        import gc

        gc.collect()
        without = tracemalloc.get_traced_memory()[0]
        stats = recording.hooks
        del recording
        gc.collect()
        freed = without - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert stats["pytest_runtest_makereport"].calls == 6000  # every call counted
    assert stats["pytest_runtest_protocol"].calls == 2000
    assert sum(s.kept for s in stats.values()) <= 2000 + 5 * len(stats)
    assert 0 < freed <= MEMORY_BOUND, f"the recording held {freed / 2**20:.1f} MiB"
    assert held > 0


def test_the_run_keeps_the_design_map_of_pytests_manager_as_it_ran(tmp_path: Path) -> None:
    write(tmp_path, "test_small.py", TESTS)
    write(tmp_path, "conftest.py", FORGIVING)
    design = run_pytest([str(tmp_path)], read_design=read_pluggy_manager).design
    assert design is not None and design.project == "pytest" and design.kind == "pluggy"
    plugins = [p.name for p in design.plugins]
    assert "nbplug-recorder" in plugins and any(name.endswith("conftest.py") for name in plugins)
    cells = design.hook("pytest_runtest_makereport").cells
    conftest = next(c for c in cells if c.plugin.endswith("conftest.py"))
    runner = next(c for c in cells if c.plugin == "runner")
    assert conftest.wrapper and conftest.position < runner.position
