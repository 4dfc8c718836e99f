"""The teaching notebooks: stored clean, and each runs top to bottom in a real kernel.

The kernel tests execute every notebooks/*.ipynb with nbclient in a "python3" kernel of the Python
running pytest (the project's .venv under scripts/test) and fail on any error output. The notebooks
check their own teaching points with `assert` cells, so a notebook whose prose and behaviour drift
apart fails here.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell; the slowest cell waits for a 3-second countdown


def load_runner() -> ModuleType:
    """Import scripts/run_notebooks.py (the demo's runner) so tests and demo execute alike."""
    path = ROOT / "scripts" / "run_notebooks.py"
    spec = importlib.util.spec_from_file_location("run_notebooks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_notebooks", module)
    spec.loader.exec_module(module)
    return module


def read(path: Path) -> Any:
    """The stored notebook."""
    return nbformat.read(path, as_version=4)


def code_sources(nb: Any) -> list[str]:
    """The source of every code cell."""
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_there_are_notebooks_in_a_numbered_path() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names, "notebooks/ holds no .ipynb"
    assert all(re.match(r"\d\d_[a-z0-9_]+\.ipynb$", n) for n in names), names
    assert names[0].startswith("01_"), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = read(path)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} was saved with outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has a count"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_checks_what_its_prose_claims(path: Path) -> None:
    nb = read(path)
    asserts = sum(bool(re.search(r"^\s*assert ", src, re.M)) for src in code_sources(nb))
    assert asserts >= 2, f"{path.name} has {asserts} cells with assert statements; want >= 2"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"^## A quick start\n.*?```bash\n(.*?)^```", readme, re.M | re.S)
    assert block, "README has no fenced block under ## A quick start"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert [c for c in commands if c] == ["scripts/demo", "scripts/test"]
    for command in ("demo", "test"):
        assert os.access(ROOT / "scripts" / command, os.X_OK), f"scripts/{command} is not executable"


def test_readme_example_runs_and_links_every_notebook() -> None:
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"^## Example\n+```python\n(.*?)^```", readme, re.M | re.S)
    assert example, "README has no ## Example python block"
    code = example.group(1)
    assert len(code.strip().splitlines()) <= 20, "the README example should stay short"
    exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme, f"README does not link {path.name}"


def test_runner_finds_errors_in_an_executed_notebook() -> None:
    runner = load_runner()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")
    ]
    assert runner.errors(nb) == ["cell 0: ZeroDivisionError: division by zero"]
    assert ">>> 1 / 0" in runner.transcript(nb)


def test_runner_rejects_an_unknown_notebook_name() -> None:
    runner = load_runner()
    with pytest.raises(SystemExit, match="no notebook 'nope'; the notebooks are: 01_"):
        runner.notebook_paths(["nope"])


@pytest.mark.kernel
def test_runner_reports_tracebacks_and_usage_errors_from_a_real_kernel(tmp_path: Path) -> None:
    runner = load_runner()
    cells = ["print('fine')", "%no_such_magic", "1 / 0", "assert False, 'the prose lied'"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    found = runner.errors(runner.execute(path, timeout=CELL_TIMEOUT))
    assert [line.split(":")[:2] for line in found] == [
        ["cell 2", " ZeroDivisionError"],
        ["cell 3", " AssertionError"],
        ["cell 1", " UsageError"],
    ], found


@pytest.mark.kernel
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_a_real_kernel(path: Path) -> None:
    runner = load_runner()
    nb = runner.execute(path, timeout=CELL_TIMEOUT)
    assert runner.errors(nb) == [], runner.transcript(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {index} did not run"
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                assert "Traceback" not in output.text, f"cell {index} printed: {output.text}"
