"""The comparisons, the replay and the design diagram as a student sees them in JupyterLab, in a
1000 px wide browser, in the light and the dark theme (Debian's Chromium, notebooks 02 and 04
under Run All).

What is checked: no comparison is wider than its output area (no horizontal overflow, no element
past its right edge), names in the side-by-side call views stay on one line (they broke letter by
letter in an HBox of two call views), each column is labelled, the design diagram's SVG fits and
its every text -- and every comparison's -- reaches WCAG AA (4.5:1) in both themes; the replay's
next button moves the step. Screenshots: compare-{02,04}-{light,dark}-{compare,diagram,replay}-N.png
in the run's screenshot folder (build/screenshots/ or $NBPLUG_SCREENSHOTS).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import jlab
from tests.browser.contrast import AA, measure
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir, shoot_views
from tests.browser.themes import LIGHT, THEMES, switch_theme

PANEL = jlab.PANEL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = ("02_async_dispatch.ipynb", "04_exploring_a_design.ipynb")
ROOT = Path(__file__).resolve().parents[1]
VIEWS = ".nbplug-compare, .nbplug-diagram, .nbplug-replay-widget, .nbplug-replay"
WIDTH = {"width": 1000, "height": 900}

OVERFLOW = """el => {
    const area = el.closest('.jp-OutputArea-output') || el.parentElement;
    const edge = area.getBoundingClientRect().right + 1;
    const past = [...el.querySelectorAll('*')].filter(e => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.right > edge;
    }).map(e => e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + (e.textContent || '').slice(0, 30));
    return {past, scroll: area.scrollWidth - area.clientWidth, width: el.getBoundingClientRect().width};
}"""

#: each name in a call view drawn on one line (its height no more than one line and a half)
ONE_LINE = """el => [...el.querySelectorAll('.nbplug-name')].filter(n => {
    const style = getComputedStyle(n);
    return n.getBoundingClientRect().height > 1.5 * parseFloat(style.lineHeight || style.fontSize);
}).map(n => n.textContent)"""


#: the comparison's and each column's top and width
COLUMNS = """el => [el, ...el.querySelectorAll('.nbplug-compare-column')].map(c => {
    const box = c.getBoundingClientRect();
    return [Math.round(box.top), Math.round(box.width)];
})"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with lab_for_test(tmp_path_factory.mktemp("compare-lab"),
                      [ROOT / "notebooks" / name for name in NOTEBOOKS]) as server:
        yield server


def views(page: Any, selector: str = VIEWS) -> list[Any]:
    found = page.locator(PANEL).locator(selector)
    return [found.nth(i) for i in range(found.count())]


def check_fits(page: Any) -> list[str]:
    """Every comparison and diagram within its output area; names on one line."""
    problems = []
    for view in views(page):
        view.scroll_into_view_if_needed()
        geometry = view.evaluate(OVERFLOW)
        if geometry["past"] or geometry["scroll"] > 1:
            problems.append(f"overflow: {geometry}")
        broken = view.evaluate(ONE_LINE)
        if broken:
            problems.append(f"names broken over lines: {broken}")
    return problems


def check_themes(page: Any, shots: Path, stem: str) -> list[str]:
    low = []
    for theme in THEMES:
        switch_theme(page, theme)
        tag = theme.split()[-1].lower()
        low.extend(f"{tag}: {m}" for m in measure(page, f"{PANEL} :is({VIEWS})") if m.ratio < AA)
        written = shoot_views(page, screenshot_dir(), f"compare-{stem}-{tag}",
                              selector=f"{PANEL} :is({VIEWS})", most=8)
        assert written, f"no comparison or diagram to screenshot in {stem}"
        low.extend(f"{tag}: {p}" for p in check_fits(page))
    switch_theme(page, LIGHT)
    return low


def run(page: Any, lab: Lab, name: str) -> None:
    jlab.open_notebook(page, lab, name)
    switch_theme(page, LIGHT)
    jlab.run_all_and_wait(page, timeout=240, shots=screenshot_dir(), name=name)
    jlab.scroll_through(page)
    assert not jlab.error_outputs(page), jlab.error_outputs(page)


def test_notebook_02_draws_sequential_and_concurrent_calls_on_one_axis(lab: Lab) -> None:
    with jlab.chromium_page(viewport=WIDTH) as (page, errors):
        try:
            run(page, lab, NOTEBOOKS[0])
            (timelines,) = views(page, ".nbplug-compare-timelines")
            labels = timelines.locator(".nbplug-compare-label").all_text_contents()
            assert labels == ["await slow.hook.fetch", "call_concurrently"]
            lefts = timelines.evaluate("""el => [...el.querySelectorAll('.nbplug-lane')].map(lane =>
                [...lane.querySelectorAll('.nbplug-lane-extension')]
                    .map(b => Math.round(b.getBoundingClientRect().left)))""")
            one, together = lefts
            assert one[0] < one[1] < one[2], one  # one after the other
            assert max(together) - min(together) <= 2 and abs(together[0] - one[0]) <= 2, lefts  # at once
            problems = check_themes(page, screenshot_dir(), "02")
            assert not problems, "\n".join(problems)
            assert not errors, errors
        finally:
            lab.shutdown_kernels()


def test_notebook_04_compares_two_designs_and_two_calls_at_1000px(lab: Lab) -> None:
    with jlab.chromium_page(viewport=WIDTH) as (page, errors):
        try:
            run(page, lab, NOTEBOOKS[1])
            calls = views(page, ".nbplug-compare-calls")
            assert len(calls) == 2
            first = calls[0]
            labels = first.locator(".nbplug-compare-column .nbplug-compare-label").all_text_contents()
            assert labels == ["design A", "design B"]
            (_, narrow), left, right = first.evaluate(COLUMNS)
            assert left[0] < right[0], "beside the file browser, one column under the other"
            assert not check_fits(page), check_fits(page)
            page.keyboard.press("Control+b")  # the left sidebar closed: the notebook's full width
            page.wait_for_timeout(800)
            (_, width), left, right = first.evaluate(COLUMNS)
            assert width > narrow and left[0] == right[0], f"not side by side in {width} px"
            marked = first.locator(".nbplug-compare-differs").all_text_contents()
            assert any("price_list" in row for row in marked), marked
            assert len(views(page, ".nbplug-compare-designs")) == 1
            (diagram,) = views(page, ".nbplug-diagram")
            assert diagram.locator("svg.nbplug-diagram-svg").count() == 2
            assert diagram.locator(".nbplug-diagram-edge").count() == 4
            replay = page.locator(PANEL).locator(".nbplug-replay-widget")
            replay.locator(".nbplug-replay-next").click()
            page.wait_for_timeout(500)
            assert "step 2 of 2" in replay.locator(".nbplug-replay").inner_text()
            problems = check_themes(page, screenshot_dir(), "04")
            assert not problems, "\n".join(problems)
            assert not errors, errors
        finally:
            lab.shutdown_kernels()
