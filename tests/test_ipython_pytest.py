"""``%pytest`` in an in-process IPython: runs, records, shows; help, completion and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from IPython.core.completer import provisionalcompleter
from IPython.core.error import UsageError

from nbplug.recording.pytest_run import PytestRun
from nbplug.widgets.recording.pytest import PytestRunView
from tests.ipython_fixtures import Shell, shell  # noqa: F401  (the fixture)

TESTS = "def test_one():\n    assert True\n\ndef test_two():\n    assert 2 > 1\n"


@pytest.fixture
def tests(tmp_path: Path) -> Path:
    path = tmp_path / "test_small.py"
    path.write_text(TESTS)
    return path


def test_the_magic_runs_pytest_and_its_value_is_the_view(shell: Shell, tests: Path) -> None:  # noqa: F811
    view = shell.run(f"%pytest {tests} -- -q")
    assert isinstance(view, PytestRunView)
    assert view.run.exit_code == 0 and "2 passed" in view.run.summary()
    assert view.run.recording.hooks["pytest_runtest_makereport"].calls == 6
    assert "pytest_runtest_protocol" in view.text() and "pytest_runtest_protocol" in view.html()
    assert "-q" in view.run.args


def test_filters_and_the_design_map_reach_the_view(shell: Shell, tests: Path) -> None:  # noqa: F811
    view = shell.run(f"%pytest {tests} --hook pytest_runtest_makereport --map")
    assert [c.hook for c in view.recording.calls()] == ["pytest_runtest_makereport"] * 6
    assert "design map" in view.html() and "project pytest" in view.text()


def test_quiet_gives_the_run_itself(shell: Shell, tests: Path) -> None:  # noqa: F811
    run = shell.run(f"%pytest -q {tests}")
    assert isinstance(run, PytestRun) and run.passed


def test_bad_input_is_a_usage_error_saying_what_was_wrong(shell: Shell, tests: Path) -> None:  # noqa: F811
    error = shell.fails("%pytest no/such/test_file.py")
    assert isinstance(error, UsageError) and "no such test file or folder" in str(error)
    error = shell.fails(f"%pytest {tests} --hook pytest_runtest_makerport")
    assert isinstance(error, UsageError) and "did you mean 'pytest_runtest_makereport'" in str(error)
    error = shell.fails(f"%pytest {tests} --max-calls -3")
    assert isinstance(error, UsageError) and "--max-calls" in str(error)
    error = shell.fails("%pytest")
    assert isinstance(error, UsageError)


def test_help_lists_the_options(shell: Shell) -> None:  # noqa: F811
    doc = shell.ip.find_line_magic("pytest").__doc__
    assert "%pytest PATHS [options] [-- PYTEST_ARGS...]" in doc
    for option in ("--hook", "--plugin", "--map", "--max-calls", "--quiet"):
        assert option in doc


def test_tab_completes_options_then_the_hooks_of_the_last_run(shell: Shell, tests: Path) -> None:  # noqa: F811
    def complete(text: str) -> list[str]:
        with provisionalcompleter():
            completions = list(shell.ip.Completer.completions(text, len(text)))
        return sorted({(text[: c.start] + c.text).rsplit(" ", 1)[-1] for c in completions})

    assert complete(f"%pytest {tests} --ho") == ["--hook"]
    assert complete(f"%pytest {tests} --hook pytest_runtest_m") == []  # nothing recorded yet
    shell.run(f"%pytest -q {tests}")
    assert complete(f"%pytest {tests} --hook pytest_runtest_m") == ["pytest_runtest_makereport"]
    assert complete(f"%pytest {tests} --plugin runn") == ["runner"]


def test_unload_removes_the_magic(shell: Shell) -> None:  # noqa: F811
    shell.ip.run_line_magic("unload_ext", "nbplug")
    try:
        assert shell.ip.find_line_magic("pytest") is None
    finally:
        shell.ip.run_line_magic("load_ext", "nbplug")


def test_text_prints_the_text_form_for_a_terminal(shell: Shell, tests: Path,  # noqa: F811
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert shell.run(f"%pytest {tests} --text --hook pytest_runtest_protocol") is None
    out = capsys.readouterr().out
    assert "2 passed" in out and "filter: hook pytest_runtest_protocol" in out
    assert "[main] #" in out and "pytest_runtest_protocol(item=<Function test_one>" in out
    assert "<details" not in out and "\x1b" not in out


def test_the_map_takes_the_same_filters_and_all(shell: Shell, tests: Path) -> None:  # noqa: F811
    view = shell.run(f"%pytest {tests} --map --hook pytest_runtest_makereport")
    shown = re.findall(r'<details class="nbplug-map-hook" data-hook="([^"]+)"', view.html())
    assert shown == ["pytest_runtest_makereport"]
    plain = shell.run(f"%pytest {tests} --map").text()
    assert "without any left out (%pytest --map --all shows them)" in plain
    everything = shell.run(f"%pytest {tests} --map --all")
    assert "left out" not in everything.text()
    assert "pytest_assertion_pass(" in everything.text() and "pytest_assertion_pass(" not in plain
    error = shell.fails(f"%pytest {tests} --map --plugin runnr")
    assert isinstance(error, UsageError)


def test_the_map_of_a_hook_asked_for_shows_its_whole_call_order(shell: Shell, tests: Path) -> None:  # noqa: F811
    view = shell.run(f"%pytest {tests} --map --hook pytest_addoption")
    order = view.text().split("  pytest_addoption(")[1].split("    why:")[0]
    assert "      16. " in order and "more in the call order" not in order  # more than 15, all
