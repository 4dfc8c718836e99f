"""Recording other real pluggy-based systems: a hatchling wheel build and an sqlfluff lint, each
recorded (``nbplug.Recorder`` over the system's own plugin manager) against the same operation
not recorded.

Both contenders run in this process, interleaved, best of several runs, on the process's CPU time.
hatchling builds a small project whose version source, metadata hook and build hook are plugins
(its plugin manager is made afresh for each build, as ``hatchling build`` does); sqlfluff lints
ten small SQL files with a fresh plugin manager each time (its rules and templaters asked for
again). Target: recording costs at most 1.3x the plain operation.

Run: ``python benchmarks/bench_systems.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nbplug import Recorder

TARGET = 1.3
CLOCK = time.process_time
PROJECT = {
    "pyproject.toml": """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "tinyproj"
        dynamic = ["version", "description"]

        [tool.hatch.version]
        path = "src/tinyproj/__init__.py"

        [tool.hatch.build.hooks.custom]

        [tool.hatch.metadata.hooks.custom]
    """,
    "src/tinyproj/__init__.py": '__version__ = "0.2.0"\n',
    "hatch_build.py": """
        from hatchling.builders.hooks.plugin.interface import BuildHookInterface
        from hatchling.metadata.plugin.interface import MetadataHookInterface


        class CustomBuildHook(BuildHookInterface):
            def initialize(self, version, build_data):
                build_data["force_include"]["hatch_build.py"] = "tinyproj/_build_note.py"


        class CustomMetadataHook(MetadataHookInterface):
            def update(self, metadata):
                metadata["description"] = "built through hatchling's plugins"
    """,
}


def _recorded(manager: Any, operation: Callable[[], Any], record: bool) -> Any:
    if not record:
        return operation()
    with Recorder(manager):
        return operation()


def write_hatch_project(project: Path) -> Path:
    """A small project whose version source, metadata hook and build hook are hatchling plugins
    (tests/test_recorder_systems.py builds it too)."""
    for name, text in PROJECT.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(textwrap.dedent(text))
    return project


def hatchling_build(folder: Path) -> Callable[[bool], Any]:
    from hatchling.builders.wheel import WheelBuilder
    from hatchling.plugin.manager import PluginManager

    project = write_hatch_project(folder / "project")

    def build(record: bool) -> Any:
        plugins = PluginManager()
        builder = WheelBuilder(str(project), plugin_manager=plugins)
        return _recorded(plugins.manager, lambda: list(builder.build(directory=str(folder / "out"))),
                         record)

    return build


def sqlfluff_lint(folder: Path) -> Callable[[bool], Any]:
    from sqlfluff.core import FluffConfig, Linter
    from sqlfluff.core.plugin.host import get_plugin_manager, purge_plugin_manager

    sql = folder / "sql"
    sql.mkdir()
    for i in range(10):
        (sql / f"q{i}.sql").write_text(f"SELECT a , b{i} FROM t{i}\nwhere  x={i}\n")

    def lint(record: bool) -> Any:
        purge_plugin_manager()
        manager = get_plugin_manager()
        try:
            return _recorded(manager, lambda: Linter(
                config=FluffConfig(overrides={"dialect": "ansi"})).lint_paths((str(sql),)), record)
        finally:
            purge_plugin_manager()

    return lint


SYSTEMS = {"hatchling: build a wheel": hatchling_build, "sqlfluff: lint 10 files": sqlfluff_lint}


def measure(quick: bool = False) -> dict[str, tuple[float, float]]:
    """Best CPU seconds of (plain, recorded) per system, interleaved."""
    repeats = 2 if quick else 7
    found: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, make) in enumerate(SYSTEMS.items()):
            folder = Path(tmp) / str(index)
            folder.mkdir()
            operation = make(folder)
            operation(False)  # warm up: imports, entry points
            operation(True)
            best = [float("inf"), float("inf")]
            for _ in range(repeats):
                for which in (0, 1):
                    start = CLOCK()
                    operation(bool(which))
                    best[which] = min(best[which], CLOCK() - start)
            found[name] = (best[0], best[1])
    return found


def render(found: dict[str, tuple[float, float]], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    rows = ["| operation | recorded ms | plain ms | recorded/plain | target |",
            "|---|---:|---:|---:|---|"]
    for name, (plain, recorded) in found.items():
        ratio = recorded / plain
        rows.append(f"| {name} | {recorded * 1e3:.1f} | {plain * 1e3:.1f} | {ratio:.2f}× | "
                    f"≤ {TARGET}× {'met' if ratio <= TARGET else 'MISSED'} |")
    mode = " **Quick mode: figures are rough.**" if quick else ""
    return "\n".join([
        "## Recording other pluggy systems: hatchling and sqlfluff (bench_systems)",
        "",
        f"Best of {2 if quick else 7} runs, contenders interleaved, CPU time of this process.{mode} "
        "*Plain* is the operation as the system runs it; *recorded* the same with a `Recorder` "
        "open over the system's plugin manager (every hook call and extension recorded).",
        "",
        *rows,
        "",
        "Command: `python benchmarks/bench_systems.py` (or `python benchmarks/run_all.py`).",
    ])


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section (the ``run_all.py`` entry point)."""
    return render(measure(quick), quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
