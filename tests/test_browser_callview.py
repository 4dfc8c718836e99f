"""JupyterLab in Debian's Chromium: notebooks 01 and 02 under Run All, and the call view as seen.

Checks what a person sees in the rendered page: wrappers as boxes that hold what they wrap (the
wrapped rows start further right), every time on one line and all of a view's times on one right
edge, the "not called" reasons in words, the timeline's legend and axis, and a ``%%hook`` cell that
shows its view without repeating the result as ``Out[n]``. Screenshots of every call view in the
light and the dark theme go to the run's screenshot folder, printed at the start
(``callview-01-light-callview-1.png`` ...; build/screenshots/ or $NBPLUG_SCREENSHOTS).

Skipped — loudly, with what is missing — when /usr/bin/chromium or Playwright is not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.jlab import (
    PANEL,
    chromium_page,
    error_outputs,
    open_notebook,
    run_all_and_wait,
    scroll_through,
    wait_for,
)
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir, shoot_views
from tests.browser.themes import LIGHT, THEMES, switch_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("01_the_kit.ipynb", "02_async_dispatch.ipynb")
#: A call view, static or live (the widget's box holds its static body: count the box alone).
CALLVIEW = ".nbplug-callview:not(.nbplug-callview .nbplug-callview)"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    notebooks = [ROOT / "notebooks" / name for name in NOTEBOOKS]
    with lab_for_test(tmp_path_factory.mktemp("callview-lab"), notebooks) as server:
        yield server


@pytest.fixture(scope="module")
def shots() -> Path:
    return screenshot_dir()


def run_notebook(page: Any, lab: Lab, name: str, shots: Path) -> None:
    open_notebook(page, lab, name)
    run_all_and_wait(page, timeout=240, shots=shots, name=name)
    scroll_through(page)
    assert not error_outputs(page), f"{name} showed errors under Run All: {error_outputs(page)}"


def views(page: Any) -> list[Any]:
    """The call views of the notebook in front, static or live."""
    found = page.locator(f"{PANEL} {CALLVIEW}")
    return [found.nth(i) for i in range(found.count())]


def check_layout(view: Any) -> None:
    """What a person sees: nesting to the right, times on one line and one right edge."""
    geometry = view.evaluate(
        """el => {
            const box = e => e.getBoundingClientRect();
            const times = [...el.querySelectorAll('.nbplug-steps .nbplug-time')];
            const nested = [...el.querySelectorAll('.nbplug-step-wrapper')].map(w => {
                const own = w.querySelector(':scope > .nbplug-row .nbplug-name');
                const inner = w.querySelector(':scope > .nbplug-wrapped .nbplug-name');
                return inner ? box(inner).left - box(own).left : null;
            }).filter(x => x !== null);
            const gaps = [...el.querySelectorAll('.nbplug-row')].map(row => {
                const kids = [...row.children].filter(k => box(k).width > 0);
                let least = 1e9;
                for (let i = 1; i < kids.length; i++)
                    least = Math.min(least, box(kids[i]).left - box(kids[i - 1]).right);
                return least;
            });
            return {
                rights: times.map(t => Math.round(box(t).right)),
                lines: times.map(t => t.getClientRects().length),
                nested, gaps,
            };
        }"""
    )
    assert geometry["rights"], "a call view without times"
    assert max(geometry["rights"]) - min(geometry["rights"]) <= 1, geometry["rights"]
    assert set(geometry["lines"]) == {1}, "a time wrapped onto two lines"
    assert all(shift >= 10 for shift in geometry["nested"]), geometry["nested"]
    assert min(geometry["gaps"]) >= 8, f"columns touch: {geometry['gaps']}"  # 1.25em gap, no less


def shoot(page: Any, shots: Path, prefix: str, most: int = 6) -> None:
    for theme in THEMES:
        switch_theme(page, theme)
        tag = theme.split()[-1].lower()
        shoot_views(page, shots, f"callview-{prefix}-{tag}", selector=f"{PANEL} {CALLVIEW}", most=most)
    switch_theme(page, LIGHT)


def test_notebook_01_shows_order_reasons_and_wrappers_in_the_call_view(lab: Lab, shots: Path) -> None:
    with chromium_page(viewport={"width": 1300, "height": 1000}) as (page, errors):
        try:
            run_notebook(page, lab, NOTEBOOKS[0], shots)
            wait_for(lambda: len(views(page)) == 7, "the notebook's seven call views", 30, page, shots)
            reasons = page.locator(PANEL).locator(".nbplug-reason").all_text_contents()
            assert "not called — firstresult answered by sale" in reasons, reasons
            assert reasons.count("not called — broken raised") == 2, reasons  # sale and catalogue
            # wrappers are boxes: the extensions sit two boxes deep in the wrapper cells
            nested = ".nbplug-step-wrapper .nbplug-step-wrapper .nbplug-step-extension"
            deep = page.locator(PANEL).locator(nested)
            assert deep.count() >= 2
            after = page.locator(PANEL).locator(".nbplug-moment-after").all_text_contents()
            assert any("received 2.0, returned 200" in " ".join(a.split()) for a in after), after
            printed = page.locator(PANEL).locator(".nbplug-output-line").all_text_contents()
            assert "print: loud: looking up tea" in printed and "print: loud: found 2.0" in printed
            outcomes = [" ".join(t.split())
                        for t in page.locator(PANEL).locator(".nbplug-outcome").all_text_contents()]
            assert "received 50.0 → 45.0" in outcomes and "received 45.0 → 54.0" in outcomes, outcomes
            for view in views(page):
                view.scroll_into_view_if_needed()
                check_layout(view)
            shoot(page, shots, "01", most=12)
            assert not errors, errors
        finally:
            lab.shutdown_kernels()


def test_notebook_02_shows_the_timing_wrapper_on_a_timeline_and_hook_output_once(
    lab: Lab, shots: Path
) -> None:
    with chromium_page(viewport={"width": 1300, "height": 1000}) as (page, errors):
        try:
            run_notebook(page, lab, NOTEBOOKS[1], shots)
            timeline = page.locator(PANEL).locator(".nbplug-timeline").first
            timeline.wait_for(state="attached", timeout=30_000)
            timeline.scroll_into_view_if_needed()
            legend = timeline.locator(".nbplug-tl-legend").text_content() or ""
            for words in ("before yield", "an extension ran", "after yield", "waiting at its yield"):
                assert words in legend, legend
            ticks = timeline.locator(".nbplug-tl-tick").all_text_contents()
            assert ticks[0] == "0 ms" and all(t.endswith(" ms") for t in ticks), ticks
            # each source's bar is as long as it ran: the bars' widths in the ratio of their times
            bars = timeline.locator(".nbplug-timeline-row .nbplug-tl-ran")
            assert bars.count() == 3
            widths = [bars.nth(i).bounding_box()["width"] for i in range(3)]
            took = [float(re.search(r"ran for ([\d.]+) ms", bars.nth(i).get_attribute("title") or "")
                          .group(1)) for i in (1, 2)]  # type: ignore[union-attr]
            assert widths[1] / widths[2] == pytest.approx(took[0] / took[1], rel=0.15), (widths, took)
            marks = timeline.locator(".nbplug-timeline-row .nbplug-tl-mark")
            assert marks.count() == 2  # the timing wrapper's before and after: moments, not bars
            # the live widget's toggle adds the timeline to a view shown without it
            first = views(page)[0]
            first.scroll_into_view_if_needed()
            assert first.locator(".nbplug-timeline").count() == 0
            first.locator("button", has_text="timeline").click()
            first.locator(".nbplug-timeline").wait_for(timeout=10_000)
            assert first.locator(".nbplug-timeline-row").count() == 3
            # the %%hook cell: its call view, and no Out[n] repeating the result
            cell = page.locator(PANEL).locator(".jp-CodeCell", has_text="%%hook fetch").first
            cell.scroll_into_view_if_needed()
            assert cell.locator("div.nbplug-callview").count() == 1
            assert cell.locator(".jp-OutputArea-executeResult").count() == 0
            shown = cell.text_content() or ""
            assert "TimingWrapper.fetch" in shown and "timing (TimingWrapper" not in shown  # its name
            for view in views(page):
                view.scroll_into_view_if_needed()
                check_layout(view)
            shoot(page, shots, "02")
            assert not errors, errors
        finally:
            lab.shutdown_kernels()
