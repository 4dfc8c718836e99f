"""JupyterLab in Debian's Chromium: notebooks 01 and 02 under Run All, and the call view as seen.

Checks what a person sees in the rendered page: wrappers as boxes that hold what they wrap (the
wrapped rows start further right), every time on one line and all of a view's times on one right
edge, the "not called" reasons in words, the timeline's legend and axis, and a ``%%hook`` cell that
shows its view without repeating the result as ``Out[n]``. Screenshots of the views in the light
and the dark theme go to the folder printed at the start ($NBPLUG_SCREENSHOTS/callview, else
build/screenshots-callview/).

Skipped — loudly, with what is missing — when /usr/bin/chromium or Playwright is not there.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.lab import CHROMIUM_ARGS, Lab, browser_missing, jupyter_lab, which_chromium
from tests.test_browser_lab import accept_kernel_dialog, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("01_the_kit.ipynb", "02_async_dispatch.ipynb")
THEMES = ("JupyterLab Light", "JupyterLab Dark")
#: The notebook in front (the lab may restore other tabs from an earlier test of this run).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def shots_dir() -> Path:
    base = os.environ.get("NBPLUG_SCREENSHOTS")
    folder = Path(base) / "callview" if base else ROOT / "build" / "screenshots-callview"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    print(f"\ncall view screenshots: {folder}", file=sys.stderr)
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    missing = browser_missing()
    if missing:
        print(f"\nWARNING: browser test SKIPPED: {missing}", file=sys.stderr)
        pytest.skip(f"browser test needs Chromium + Playwright: {missing}")
    with jupyter_lab(tmp_path_factory.mktemp("callview-lab")) as server:
        for name in NOTEBOOKS:
            shutil.copy(ROOT / "notebooks" / name, server.root / name)
        yield server


@pytest.fixture(scope="module")
def shots() -> Path:
    return shots_dir()


def switch_theme(page: Any, name: str) -> None:
    """Settings > Theme > NAME, as a person picks it; wait until the page shows it."""
    if page.evaluate("() => document.body.getAttribute('data-jp-theme-name')") == name:
        return
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Settings$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).first.hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(name)}$")).first.click()
    page.wait_for_function(
        "name => document.body.getAttribute('data-jp-theme-name') === name", arg=name, timeout=20_000
    )
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)


def all_run(page: Any) -> bool:
    """Whether no code cell waits or runs (``[*]``) and the kernel is idle; the windowed notebook
    leaves the prompts of cells out of view empty, so some numbered prompt is enough."""
    prompts = [p.strip() for p in
               page.locator(f"{PANEL} .jp-Cell.jp-CodeCell .jp-InputPrompt").all_text_contents()]
    if not any(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
        return False
    if any(re.fullmatch(r"\[[* ]?\]:", p) for p in prompts):
        return False
    status = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator").first
    return not status.count() or status.get_attribute("data-status") == "idle"


def render_every_cell(page: Any) -> None:
    """Scroll the notebook top to bottom: JupyterLab renders cells out of view only when reached."""
    page.evaluate(
        """async () => {
            const front = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const panel = front.querySelector('.jp-WindowedPanel-outer')
                || front.querySelector('.jp-Notebook');
            for (let y = 0; y <= panel.scrollHeight; y += 400) {
                panel.scrollTop = y;
                await new Promise(r => setTimeout(r, 80));
            }
        }"""
    )


def run_notebook(page: Any, lab: Lab, name: str, shots: Path) -> None:
    page.goto(lab.lab_url(name), wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator", timeout=30_000)
    accept_kernel_dialog(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    deadline = time.monotonic() + 120
    idle_since: float | None = None
    while True:  # Run All has short idle gaps between cells: idle for 2 s means done
        now = time.monotonic()
        if all_run(page):
            idle_since = idle_since if idle_since is not None else now
            if now - idle_since > 2:
                break
        else:
            idle_since = None
        if now > deadline:
            page.screenshot(path=str(shots / f"{name}-timeout.png"), full_page=True)
            pytest.fail(f"{name}: Run All did not finish in 120 s (see {shots})")
        page.wait_for_timeout(200)
    render_every_cell(page)
    stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    errors = page.locator(PANEL).locator(stderr)
    texts = [t for t in errors.all_text_contents() if "Error" in t or "Traceback" in t]
    assert not texts, f"{name} showed errors under Run All: {texts}"


def views(page: Any) -> list[Any]:
    """The static call views on the page (the live widget's body is one too)."""
    found = page.locator(f"{PANEL} div.nbplug-callview")
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
        for index, view in enumerate(views(page)[:most], 1):
            view.scroll_into_view_if_needed()
            view.screenshot(path=str(shots / f"{prefix}-{tag}-callview-{index}.png"))
    switch_theme(page, THEMES[0])


def test_notebook_01_shows_order_reasons_and_wrappers_in_the_call_view(lab: Lab, shots: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=which_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
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
            page.screenshot(path=str(shots / "01-page.png"), full_page=False)
            assert not errors, errors
        finally:
            browser.close()


def test_notebook_02_shows_the_timing_wrapper_on_a_timeline_and_hook_output_once(
    lab: Lab, shots: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=which_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
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
            browser.close()
