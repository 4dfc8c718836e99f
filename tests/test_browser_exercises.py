"""JupyterLab in Debian's Chromium runs the exercises notebook with a right and a wrong answer to
each exercise (put in place of the exercise cells, as a student would type them): under Run All
every check cell shows its feedback over the view of the attempt -- "✓ done" for the right set,
"✗ not yet" with a hint for the wrong one -- and its words read at WCAG AA contrast in the light
and the dark theme. Screenshots of each feedback go to the screenshot folder (06-right-*, 06-wrong-*).

Skipped -- loudly, with what is missing -- when Chromium or Playwright is not there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests.browser import jlab
from tests.browser.contrast import AA, measure
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir
from tests.browser.themes import LIGHT, THEMES, switch_theme
from tests.exercise_answers import RIGHT, WRONG
from tests.test_notebooks import NOTEBOOK_DIR, load_runner

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWERS = {"right": RIGHT, "wrong": WRONG}
FEEDBACK = ".nbplug-feedback-box"  # the live widget: the words over the attempt's view


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("exercise-answers")
    runner = load_runner()
    stored = nbformat.read(NOTEBOOK_DIR / "06_exercises.ipynb", as_version=4)
    files = []
    for kind, answers in ANSWERS.items():
        path = folder / f"06_exercises_{kind}.ipynb"
        nbformat.write(runner.prepared(stored, sources=answers), path)
        files.append(path)
    with lab_for_test(tmp_path_factory.mktemp("lab"), files) as server:
        yield server


@pytest.mark.parametrize("kind", ANSWERS)
def test_each_check_cell_shows_its_feedback_in_both_themes(lab: Lab, kind: str) -> None:
    shots = screenshot_dir()
    name = f"06_exercises_{kind}.ipynb"
    try:
        with jlab.chromium_page() as (page, errors):
            jlab.open_notebook(page, lab, name)
            switch_theme(page, LIGHT)
            jlab.run_all_and_wait(page, timeout=240, shots=shots, name=f"06-{kind}")
            assert jlab.error_outputs(page) == [], f"{name} showed errors under Run All"
            jlab.scroll_through(page)
            boxes = page.locator(f"{jlab.PANEL} {FEEDBACK}")
            jlab.wait_for(lambda: boxes.count() == 4, "four feedback boxes", 30, page, shots)
            heads = []
            for i in range(4):  # the notebook draws cells as they come into view: bring each
                boxes.nth(i).scroll_into_view_if_needed()
                heads.append(boxes.nth(i).locator(".nbplug-feedback > div").first.inner_text().strip())
            verdict = "✓ done" if kind == "right" else "✗ not yet"
            assert heads == [f"Exercise {n} · {verdict}" for n in range(1, 5)], heads
            for i in range(4):
                boxes.nth(i).scroll_into_view_if_needed()
                words = boxes.nth(i).locator(".nbplug-feedback").text_content() or ""
                assert ("hint" in words) is (kind == "wrong"), words
                view = boxes.nth(i).locator(".nbplug-callview, .nbplug-board")
                assert view.count() >= 1, f"exercise {i + 1} shows no view of the attempt"
            low = []
            for theme in THEMES:
                switch_theme(page, theme)
                low += [f"{theme}: {m}" for m in measure(page, ".nbplug-feedback") if m.ratio < AA]
                for i in range(4):
                    box = boxes.nth(i)
                    box.scroll_into_view_if_needed()
                    box.screenshot(path=str(shots / f"06-{kind}-{theme.split()[-1].lower()}-{i + 1}.png"))
            assert low == [], "\n".join(low)
            assert not errors, errors
    finally:
        lab.shutdown_kernels()


def test_the_answer_notebooks_differ_from_the_stored_one_only_in_the_exercise_cells() -> None:
    stored = nbformat.read(NOTEBOOK_DIR / "06_exercises.ipynb", as_version=4)
    answered = load_runner().prepared(stored, sources=RIGHT)
    changed = [c.get("id") for c, d in zip(stored.cells, answered.cells, strict=True) if c.source != d.source]
    assert changed == sorted(RIGHT) and Path(NOTEBOOK_DIR / "06_exercises.ipynb").exists()
