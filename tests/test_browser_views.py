"""Every teaching notebook in JupyterLab (Debian's Chromium): Run All runs it without an error, the
board is seen running in notebook 03 while Run All goes on, and every text the views show reaches
WCAG AA contrast (4.5:1), measured from the rendered styles, in the light and in the dark theme.

Screenshots of each view in both themes go to the folder printed at the start (build/screenshots/
by default, $NBPLUG_SCREENSHOTS if set), with contrast.txt: the lowest ratio and each distinct
text/background pair per notebook and theme.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.contrast import AA, VIEW_SELECTOR, distinct_colours, measure
from tests.browser.jlab import (
    chromium_page,
    error_outputs,
    open_notebook,
    run_all_and_wait,
    scroll_through,
)
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir, shoot_views
from tests.browser.themes import LIGHT, THEMES, switch_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUN_ALL_TIMEOUT = 240  # seconds for a whole notebook under Run All on a loaded machine

#: The notebooks whose lesson is shown in these views (the others print, or are views14a's call view).
MUST_SHOW = {"03_lifespans": ".nbplug-board", "04_exploring_a_design": ".nbplug-inspector"}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with lab_for_test(tmp_path_factory.mktemp("lab"), NOTEBOOKS) as server:
        yield server


@pytest.fixture(scope="module")
def shots() -> Path:
    return screenshot_dir()


def board_phases(page: object) -> list[str]:
    """The phase every board row shows right now."""
    texts = page.locator(".nbplug-board-row .nbplug-row-phase").all_inner_texts()  # type: ignore[attr-defined]
    return [t.strip() for t in texts]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_then_every_view_reads_at_aa_contrast_in_both_themes(
    lab: Lab, shots: Path, path: Path
) -> None:
    report: list[str] = []
    try:
        check_notebook(lab, shots, path, report)
    finally:
        lab.shutdown_kernels()
        with open(shots / "contrast.txt", "a") as out:
            out.write("\n".join(report) + "\n")
        print("\n" + "\n".join(report), file=sys.stderr)


def check_notebook(lab: Lab, shots: Path, path: Path, report: list[str]) -> None:
    """Run All, then measure and screenshot in each theme (``report`` gets the figures)."""
    low_anywhere: list[str] = []
    with chromium_page() as (page, errors):
        open_notebook(page, lab, path.name)
        switch_theme(page, LIGHT)
        seen: set[str] = set()
        run_all_and_wait(page, timeout=RUN_ALL_TIMEOUT, shots=shots, name=path.stem,
                         while_running=lambda: seen.update(board_phases(page)))
        assert error_outputs(page) == [], f"{path.name} showed errors under Run All"
        if path.stem == "03_lifespans":
            assert "running" in seen, f"the board was never seen running under Run All: {seen}"
        scroll_through(page)
        if path.stem in MUST_SHOW:
            assert page.locator(MUST_SHOW[path.stem]).count() >= 1, f"{path.name} shows no view"

        for theme in THEMES:
            switch_theme(page, theme)
            measured = measure(page, VIEW_SELECTOR)
            written = shoot_views(page, shots, f"{path.stem}-{theme.split()[-1].lower()}")
            low = [m for m in measured if m.ratio < AA]
            lowest = min((m.ratio for m in measured), default=None)
            report.append(f"{path.stem} [{theme}]: {len(measured)} texts, lowest "
                          + (f"{lowest:.2f}:1" if lowest is not None else "(no view text)")
                          + f", {len(written)} screenshots")
            report.extend(f"    {sample}" for sample in distinct_colours(measured).values())
            low_anywhere.extend(f"{theme}: {item}" for item in low)
        assert not errors, errors
    assert not low_anywhere, f"{path.name}: text below {AA}:1\n" + "\n".join(low_anywhere)
