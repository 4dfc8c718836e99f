"""Smoke tests of the benchmarks: every ``benchmarks/bench_*.py`` runs in quick mode and reports sane
ratios, and ``run_all.py`` writes a results file. No timing thresholds: figures vary by machine."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
RATIO = re.compile(r"^(?P<value>[0-9]+(?:\.[0-9]+)?)\s*[x×]$")  # 1.23x or 1.2×


def _load_run_all() -> ModuleType:
    """Import ``benchmarks/run_all.py`` (the benchmarks folder is not a package)."""
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    spec = importlib.util.spec_from_file_location("run_all", BENCH_DIR / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_all = _load_run_all()
MODULES = run_all.discover(BENCH_DIR)


def _tables(section: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every Markdown table of a section as (header cells, row cells)."""
    tables: list[tuple[list[str], list[list[str]]]] = []
    block: list[list[str]] = []
    for line in [*section.splitlines(), ""]:
        if line.startswith("|"):
            block.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if len(block) >= 2:
            tables.append((block[0], [row for row in block[2:]]))
        block = []
    return tables


def _is_ratio_column(title: str) -> bool:
    """``nbplug/loop`` is a ratio column; ``µs per lifespan (add / start / stop)`` is not."""
    return "/" in title and not any(unit in title for unit in ("µs", "ms", " per ", "("))


def _ratio_cells(section: str) -> dict[str, list[str]]:
    """Cells of every ratio column (header like ``a/b``), keyed by ``column: row name``."""
    cells: dict[str, list[str]] = {}
    for header, rows in _tables(section):
        for index, title in enumerate(header):
            if _is_ratio_column(title):
                for row in rows:
                    cells.setdefault(f"{title}: {row[0]}", []).append(row[index])
    return cells


def _marks(name: str) -> list[pytest.MarkDecorator]:
    """Benchmarks that start a real kernel are marked so they can be selected or skipped."""
    starts_kernel = "kernel" in name or "start_new_kernel" in MODULES[name].read_text(encoding="utf-8")
    return [pytest.mark.kernel] if starts_kernel else []


@pytest.mark.parametrize("name", [pytest.param(name, marks=_marks(name)) for name in MODULES] or ["<none>"])
def test_bench_module_quick_run_reports_positive_ratios(name: str) -> None:
    assert MODULES, f"no benchmarks/bench_*.py found in {BENCH_DIR}"
    module = run_all.load(MODULES[name])
    section = module.run(quick=True)

    assert isinstance(section, str)
    assert section.lstrip().startswith("## "), section[:200]
    assert "Traceback" not in section, section
    for case in getattr(module, "CASES", ()):
        assert case in section, f"case {case!r} missing from the {name} section:\n{section}"
    ratios = _ratio_cells(section)
    assert ratios, f"the {name} section has no ratio columns:\n{section}"
    numeric = 0
    for where, values in ratios.items():
        for value in values:
            if value == "n/a":
                continue
            match = RATIO.match(value)
            assert match, f"{where}: {value!r} is not a ratio like '1.23x' or '1.2×'"
            assert float(match["value"]) > 0, f"{where}: ratio {value} is not positive"
            numeric += 1
    assert numeric, f"every ratio of the {name} section is n/a:\n{section}"


@pytest.mark.parametrize("name", [n for n in ("sync", "async") if n in MODULES])
def test_nbplug_is_measured_in_every_case(name: str) -> None:
    """nbplug's own column must never be n/a: a missing kit or a failing case shows up here."""
    module = run_all.load(MODULES[name])
    section = module.run(quick=True)
    nbplug_columns = {k: v for k, v in _ratio_cells(section).items() if k.startswith("nbplug/")}
    against_loop = [k for k in nbplug_columns if k.startswith("nbplug/loop: ")]
    assert len(against_loop) == len(module.CASES)
    missing = {k: v for k, v in nbplug_columns.items() if "n/a" in v}
    assert not missing, f"nbplug not measured: {missing}\n{section}"


def test_run_all_writes_header_and_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    status = run_all.main(["--quick", "--only", "sync", "--output", str(out)])
    text = out.read_text(encoding="utf-8")
    assert status == 0
    assert text.startswith("# nbplug benchmarks")
    for label in ("- date:", "- machine:", "- Python:", "- versions:", "- code: git ", "- command:"):
        assert label in text
    assert "cores" in text and "pluggy" in text and "apluggy" in text
    assert "--only sync" in text
    assert "## Synchronous calls (bench_sync)" in text
    assert "bench_async" not in text


def test_run_all_keeps_going_when_a_module_fails(tmp_path: Path) -> None:
    broken = tmp_path / "bench_broken.py"
    broken.write_text("def run(quick: bool = False) -> str:\n    raise ValueError('boom here')\n")
    no_run = tmp_path / "bench_norun.py"
    no_run.write_text("X = 1\n")
    fine = tmp_path / "bench_fine.py"
    fine.write_text("def run(quick: bool = False) -> str:\n    return f'## Fine\\n\\nquick={quick}'\n")

    assert set(run_all.discover(tmp_path)) == {"broken", "norun", "fine"}
    section, ok = run_all.run_one(broken, quick=True)
    assert not ok
    assert "bench_broken: FAILED" in section and "ValueError: boom here" in section
    section, ok = run_all.run_one(no_run, quick=True)
    assert not ok and "has no run(quick: bool = False) -> str function" in section
    section, ok = run_all.run_one(fine, quick=True)
    assert ok and section.startswith("## Fine") and "quick=True" in section


def test_run_all_rejects_unknown_module_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_all.main(["--only", "no_such_bench", "--output", "-"])
    assert exit_info.value.code == 2
    assert "unknown benchmark no_such_bench" in capsys.readouterr().err
