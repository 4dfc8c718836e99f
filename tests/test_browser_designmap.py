"""pytest's design map in JupyterLab at 1,400 px (Debian's Chromium), in the light and the dark
theme: it fits the notebook's width (nothing scrolls or sticks out sideways, a hook opened too),
no plugin is labelled by a number, each call-order chip is one line (pytest-asyncio's specname
extension too, ``designmap-*-specname.png``), and its text reaches AA contrast. Screenshots of the map in
each theme go to the run's screenshot folder (``designmap-*.png``).

Skipped -- loudly, with what is missing -- when Chromium or Playwright is not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.browser.contrast import AA, measure
from tests.browser.jlab import PANEL, chromium_page, open_and_run_all
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir
from tests.browser.themes import LIGHT, THEMES, switch_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TESTS = "def test_one():\n    assert True\n\ndef test_two():\n    assert 2 > 1\n"
CELLS = [
    "from nbplug.recording.pytest_run import run_pytest\n"
    "from nbplug.widgets import ManagerInspector\n"
    "from nbplug.widgets.designmap.pluggy_reader import read_pluggy_manager\n\n"
    'run = run_pytest(["test_small.py"], read_design=read_pluggy_manager)\n'
    "ManagerInspector(run.design)",
    "%load_ext nbplug",
    "%pytest test_small.py --map --hook pytest_runtest_makereport",
]

#: The design maps on the page: the inspector's, and the one in %pytest's view.
MAPS = ".nbplug-inspector, .nbplug-pytest-design"

#: Every element of a design map that reaches past its output area's right edge or scrolls
#: sideways, and the notebook itself scrolling sideways.
OVERFLOW_JS = """
([panel, maps]) => {
  const found = [];
  const root = document.querySelector(panel);
  const scroller = root.querySelector('.jp-WindowedPanel-outer') || root.querySelector('.jp-Notebook');
  if (scroller.scrollWidth > scroller.clientWidth + 1)
    found.push(`the notebook scrolls sideways: ${scroller.scrollWidth} > ${scroller.clientWidth}`);
  for (const map of root.querySelectorAll(maps)) {
    const area = map.closest('.jp-OutputArea-output');
    const edge = area.getBoundingClientRect().right;
    for (const el of [map, ...map.querySelectorAll('*')]) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;  // not drawn (inside a closed <details>)
      const style = getComputedStyle(el);
      if (el.scrollWidth > el.clientWidth + 1 && /(auto|scroll)/.test(style.overflowX))
        found.push(`${el.tagName}.${el.className} scrolls sideways`);
      if (box.right > edge + 1)
        found.push(`${el.tagName}.${el.className} ends at ${Math.round(box.right)} > ${Math.round(edge)}`);
    }
  }
  return found.slice(0, 10);
}
"""


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    source = tmp_path / "source"
    source.mkdir()
    (source / "test_small.py").write_text(TESTS)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in CELLS]
    nbformat.write(nb, str(source / "designmap.ipynb"))
    with lab_for_test(tmp_path, [source / "designmap.ipynb", source / "test_small.py"]) as server:
        yield server


#: The call-order chips drawn on more than one line (each must be one line, a long specname
#: function's name too).
BROKEN_CHIPS_JS = """map => [...map.querySelectorAll('.nbplug-order-step')].filter(step => {
    const line = parseFloat(getComputedStyle(step).lineHeight);
    return step.getBoundingClientRect().height > 1.6 * line;
}).map(step => step.textContent)"""


def shoot_whole(page: Any, view: Any, path: Path) -> None:
    """Screenshot all of a view taller than the window: the window made taller for the shot (an
    element screenshot shows only what the notebook's panel shows, the page below it after)."""
    size = page.viewport_size
    height = view.evaluate("el => el.getBoundingClientRect().height")
    page.set_viewport_size({"width": size["width"], "height": min(12_000, int(height) + 400)})
    page.wait_for_timeout(300)
    view.scroll_into_view_if_needed()
    view.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def overflow(page: Any) -> list[str]:
    found: list[str] = page.evaluate(OVERFLOW_JS, [PANEL, MAPS])
    return found


def test_pytests_design_map_fits_1400_px_in_both_themes(lab: Lab) -> None:
    shots = screenshot_dir()
    try:
        with chromium_page() as (page, errors):
            open_and_run_all(page, lab, "designmap.ipynb", shots=shots, timeout=180)
            page.keyboard.press("Control+Home")
            inspector = page.locator(f"{PANEL} .nbplug-inspector").first
            inspector.wait_for(timeout=30_000)
            seen = inspector.inner_text()
            assert "pytest_runtest_makereport" in seen and "hooks without any left out" in seen
            assert not re.search(r"\b\d{9,}\b", seen), "a plugin is labelled by its id"
            listed = inspector.locator("li.nbplug-plugin b").all_text_contents()  # behind a click
            assert "PytestPluginManager" in listed and not [n for n in listed if n.isdigit()]
            assert inspector.locator("details.nbplug-map-hook").count() > 40
            for theme in THEMES:
                switch_theme(page, theme)
                name = theme.split()[-1].lower()
                assert overflow(page) == [], f"{theme}: {overflow(page)}"
                low = [m for m in measure(page, f"{PANEL} .nbplug-inspector") if m.ratio < AA]
                assert not low, f"{theme}: text below {AA}:1: {low[:5]}"
                assert inspector.evaluate(BROKEN_CHIPS_JS) == [], f"{theme}: chips over two lines"
                # pytest-asyncio's specname extension: one chip, its function's whole name on hover
                specname = inspector.locator(
                    "details.nbplug-map-hook[data-hook='pytest_pycollect_makeitem'] > summary")
                chip = specname.locator(".nbplug-order-step", has_text="specname")
                assert chip.count() == 1, specname.inner_text()
                assert chip.locator("code").get_attribute("title") == \
                    "pytest_pycollect_makeitem_convert_async_functions_to_subclass"
                specname.scroll_into_view_if_needed()
                specname.screenshot(path=str(shots / f"designmap-{name}-specname.png"))
                inspector.scroll_into_view_if_needed()
                page.screenshot(path=str(shots / f"designmap-{name}-top.png"))
                shoot_whole(page, inspector, shots / f"designmap-{name}-whole.png")
            # a hook opened: its signature, docs, mode and why still fit
            hook = inspector.locator("details.nbplug-map-hook[data-hook='pytest_runtest_makereport']")
            hook.locator("summary").click()
            body = hook.inner_text()
            assert "Called to create a TestReport" in body and ":class:" not in body
            assert "why this order" in body
            assert overflow(page) == [], overflow(page)
            hook.screenshot(path=str(shots / "designmap-dark-hook-open.png"))
            # %pytest --map --hook: one hook, small enough for its matrix
            run_view = page.locator(f"{PANEL} .nbplug-pytest-run").first
            run_view.scroll_into_view_if_needed()
            matrix = run_view.locator(".nbplug-pytest-design table.nbplug-matrix")
            assert matrix.count() == 1 and matrix.is_visible()
            assert overflow(page) == [], overflow(page)
            run_view.locator(".nbplug-pytest-design").screenshot(
                path=str(shots / "designmap-dark-pytest-hook.png"))
            switch_theme(page, LIGHT)
            run_view.locator(".nbplug-pytest-design").screenshot(
                path=str(shots / "designmap-light-pytest-hook.png"))
            assert not errors, errors
    finally:
        lab.shutdown_kernels()
