"""The teaching notebooks: stored clean, and each runs top to bottom in a real kernel.

The kernel tests execute every notebooks/*.ipynb with nbclient in a "python3" kernel of the Python
running pytest (the project's .venv under scripts/test) and fail on any error output. What each
notebook's prose claims is checked in its kernel between its cells (tests/notebook_claims.py), so a
notebook whose prose and behaviour drift apart fails here -- while the cells a student reads hold
the design being taught, not asserts: a visible code cell with an ``assert`` fails here too.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from notebook_claims import CLAIMS

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


def claims_of(path: Path) -> dict[str, str]:
    """The checks run between a notebook's cells (the exercises add their answers' checks)."""
    if path.stem == EXERCISES:
        from exercise_answers import CLAIMS as exercise_claims

        return exercise_claims
    return CLAIMS[path.stem]


EXERCISES = "06_exercises"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_checks_what_its_prose_claims(path: Path) -> None:
    nb = read(path)
    claims = claims_of(path)
    asserts = sum(bool(re.search(r"^\s*assert ", src, re.M)) for src in claims.values())
    assert asserts >= 2, f"{path.name} has {asserts} checks with assert statements; want >= 2"
    code_ids = {cell.get("id") for cell in nb.cells if cell.cell_type == "code"}
    anchors = {key.split()[-1] for key in claims if key != "start"}
    assert anchors <= code_ids, f"{path.name}: checks at cells it lacks: {sorted(anchors - code_ids)}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def visible_code(nb: Any) -> list[tuple[str, str]]:
    """(cell id, source) of every code cell JupyterLab shows (not ``source_hidden``)."""
    return [(cell.get("id"), cell.source) for cell in nb.cells if cell.cell_type == "code"
            and not cell.metadata.get("jupyter", {}).get("source_hidden", False)]


def as_python(source: str) -> str:
    """A cell's source with each magic line (``%x``, ``%%x``, ``!x``, ``x = %y``) as ``pass``."""
    magic = re.compile(r"^(\s*)(?:[%!]|\w+\s*=\s*%)")
    return "\n".join(m.group(1) + "pass" if (m := magic.match(line)) else line
                     for line in source.splitlines())


#: what only a test reads: the call view's model, the board's bookkeeping
INTERNALS = frozenset({"model", "redraws", "teardown_steps", "events_seen"})


def test_checks_in_a_visible_cell_are_found() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%load_ext nbplug\nx = 1\nassert x == 1", id="a"),
        nbformat.v4.new_code_cell("assert True", id="b", metadata={"jupyter": {"source_hidden": True}}),
        nbformat.v4.new_code_cell("view = %pytest here\n[d for d, _ in view.model.walk()]", id="c"),
    ])
    found = [(cell_id, reading_tests(source)) for cell_id, source in visible_code(nb)]
    assert found == [("a", ["assert (line 3)"]), ("c", [".model (line 2)"])]


def reading_tests(source: str) -> list[str]:
    """What in a cell's source is a test, not the design: asserts and view internals."""
    tree = ast.parse(as_python(source))
    found = [f"assert (line {node.lineno})" for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    found += [f".{node.attr} (line {node.lineno})" for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and node.attr in INTERNALS]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_visible_code_cell_is_a_test(path: Path) -> None:
    found = {cell_id: what for cell_id, source in visible_code(read(path))
             if (what := reading_tests(source))}
    assert found == {}, f"{path.name}: cells a student reads hold checks: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS[:-1], ids=lambda p: p.stem)
def test_every_notebook_leads_on_to_the_next(path: Path) -> None:
    after = NOTEBOOKS[NOTEBOOKS.index(path) + 1]
    markdown = "\n".join(cell.source for cell in read(path).cells if cell.cell_type == "markdown")
    assert f"]({after.name})" in markdown, f"{path.name} does not link to {after.name}"



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
    nb = runner.execute(path, timeout=CELL_TIMEOUT, checks=claims_of(path))
    assert runner.errors(nb) == [], runner.transcript(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {index} did not run"
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                assert "Traceback" not in output.text, f"cell {index} printed: {output.text}"


def test_runner_puts_checks_and_answers_where_they_are_named() -> None:
    runner = load_runner()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", id="a"), nbformat.v4.new_code_cell("x += 1", id="b")])
    done = runner.prepared(nb, checks={"start": "import math", "before b": "assert x == 1",
                                       "after b": "assert x == 3"}, sources={"a": "x = 2"})
    assert [cell.source.splitlines()[-1] for cell in done.cells] == [
        "import math", "x = 2", "__nbplug_check(); del __nbplug_check", "x += 1",
        "__nbplug_check(); del __nbplug_check"]
    hidden = [cell.metadata.get("jupyter", {}).get("source_hidden", False) for cell in done.cells]
    assert hidden == [True, False, True, False, True]
    assert [cell.source for cell in nb.cells] == ["x = 1", "x += 1"]  # the stored one is untouched
    with pytest.raises(KeyError, match="no cell with the id c, d"):
        runner.prepared(nb, checks={"after c": "pass"}, sources={"d": ""})
    with pytest.raises(KeyError, match="not at \\['at a'\\]"):
        runner.prepared(nb, checks={"at a": "pass"})


@pytest.mark.kernel
def test_a_failing_check_is_named_by_the_cell_it_follows(tmp_path: Path) -> None:
    runner = load_runner()
    cells = [nbformat.v4.new_code_cell("x = 1", id="a"),
             nbformat.v4.new_code_cell("print(sorted(n for n in ('x', 'y') if n in globals()))", id="b")]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "claims.ipynb"
    nbformat.write(nb, path)
    done = runner.execute(path, timeout=CELL_TIMEOUT,
                          checks={"after a": "y = x\nassert y == 2, 'the prose said 2'"})
    assert runner.errors(done) == ["check after a: AssertionError: the prose said 2"]
    assert done.cells[-1].outputs[0].text == "['x']\n"  # the check's names stayed its own
    assert "__nbplug_check" not in runner.transcript(done)


def test_the_last_notebook_is_the_exercises() -> None:
    assert NOTEBOOKS[-1].stem == EXERCISES
