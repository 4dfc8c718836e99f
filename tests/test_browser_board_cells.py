"""JupyterLab in Debian's Chromium, Run All, light and dark theme: each ``%plugin start``,
``status`` and ``stop`` cell shows the lifespans' state in its own output -- the stop's snapshot
with its own teardown steps, a failed set-up's teardown in the cell that started it -- and each
board draws the run timeline (set-up, running and teardown bars on one axis). Every text of the
boards reads at AA contrast in both themes; each cell's output is photographed in each theme.

Skipped -- loudly, with what is missing -- when /usr/bin/chromium or Playwright is not there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.browser.contrast import AA, measure
from tests.browser.jlab import PANEL, chromium_page, open_notebook, run_all_and_wait, wait_for
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir
from tests.browser.themes import LIGHT, THEMES, switch_theme
from tests.widgets_fixtures import BROKEN_LIFESPAN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIFESPANS = '''\
import asyncio

from nbplug.lifespans import lifespan


@lifespan
async def ticker(ctx):
    ctx.log.info("ticker set up")
    await asyncio.sleep(0.3)

    async def tick():
        n = 0
        while True:
            n += 1
            ctx.log.info("tick %d", n)
            await asyncio.sleep(0.2)

    yield tick()
    await asyncio.sleep(0.3)
    ctx.log.info("ticker torn down")


@lifespan(depends_on=("ticker",))
async def echo(ctx):
    ctx.log.info("echo set up")
    await asyncio.sleep(0.2)
    yield
    await asyncio.sleep(0.3)
    ctx.log.info("echo torn down")
''' + BROKEN_LIFESPAN

#: The cells, and what each one's output must show (the cell's own state).
CELLS = [
    "%load_ext nbplug",
    LIFESPANS,
    "%plugin add ticker echo broken\n%plugin start ticker echo",
    "await asyncio.sleep(1.5)",
    "%plugin status",
    "%plugin stop echo",
    "%plugin stop",
    "%plugin start broken",  # last: Run All stops at its error
]
START, STATUS, STOP_ECHO, STOP, BROKEN = 2, 4, 5, 6, 7


#: A board of 5,000 lifespans, every hundredth of them failing in its task.
BIG = ["""\
import asyncio, logging
from nbplug.lifespans import LifespanGroup, lifespan
from nbplug.widgets import LifespanBoard

@lifespan
async def worker(ctx):
    ctx.log.info("worker set up")
    yield asyncio.Event().wait()

@lifespan
async def crashing(ctx):
    ctx.log.info("crashing set up")

    async def crash():
        raise RuntimeError("lost its connection")
    yield crash()

group = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
for i in range(5000):
    group.add(crashing if i % 100 == 0 else worker, name=f"worker_{i:04d}")
board = LifespanBoard(group)
board""", "await group.start()\nawait asyncio.sleep(0.5)"]


def notebook_lab(tmp_path: Path, cells: list[str]) -> Iterator[Lab]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = tmp_path / "cells.ipynb"
    nbformat.write(nb, str(path))
    (tmp_path / "lab").mkdir()
    with lab_for_test(tmp_path / "lab", [path]) as server:
        yield server


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from notebook_lab(tmp_path, CELLS)


@pytest.fixture
def big_lab(tmp_path: Path) -> Iterator[Lab]:
    yield from notebook_lab(tmp_path, BIG)


def output(page: Any, index: int) -> Any:
    """The output area of the code cell at ``index``."""
    return page.locator(f"{PANEL} .jp-Cell.jp-CodeCell").nth(index).locator(".jp-Cell-outputArea")


def phases(area: Any) -> dict[str, str]:
    """What each board row in ``area`` shows: name -> phase."""
    found = {}
    for row in area.locator(".nbplug-board-row").all():
        name = row.get_attribute("data-name") or row.locator(".nbplug-row-name").inner_text()
        phase = (row.locator(".nbplug-row-phase").all_inner_texts()
                 or row.locator(".nbplug-phase").all_inner_texts())[0]
        found[name.strip()] = phase.strip()
    return found


def steps(area: Any) -> list[str]:
    return [s.strip() for s in area.locator(".nbplug-teardown-step").all_inner_texts()]


def spans(area: Any, name: str) -> list[str]:
    row = area.locator(f'.nbplug-rt-row[data-name="{name}"]')
    return [s.get_attribute("data-kind") for s in row.locator(".nbplug-rt-span").all()]


LATEST_IN_VIEW = """(box) => {
    const range = document.createRange();
    range.selectNodeContents(box.querySelector("pre"));
    const lines = range.getClientRects(), last = lines[lines.length - 1];
    const shown = box.getBoundingClientRect();
    return box.scrollHeight > box.clientHeight && last.bottom <= shown.bottom + 1
        && last.top >= shown.top - 1;
}"""


def latest_line_in_view(area: Any, name: str) -> bool:
    """Whether the row's log box overflows and shows its last line (scrolled to the latest)."""
    row = area.locator(".nbplug-board-row", has_text=name).first
    return bool(row.locator(".nbplug-log-box").first.evaluate(LATEST_IN_VIEW))


def test_each_cell_shows_its_own_state_and_the_run_timeline(lab: Lab, tmp_path: Path) -> None:
    folder = screenshot_dir()
    with chromium_page(viewport={"width": 1200, "height": 3000}) as (page, errors):
        open_notebook(page, lab, "cells.ipynb")
        run_all_and_wait(page, timeout=120, shots=tmp_path, name="board-cells")
        wait_for(lambda: output(page, BROKEN).locator(".nbplug-board").count(),
                 "the failed start's board", 30, page, tmp_path)

        start = output(page, START)
        assert phases(start) == {"ticker": "running", "echo": "running"}  # as it was when handed on
        assert "no longer live" in start.inner_text()
        assert "ticker set up" in start.inner_text()
        assert spans(start, "ticker")[:3] == ["set-up", "waiting", "running"]  # echo set up meanwhile

        status = output(page, STATUS)
        assert "ticker" in phases(status) and "tick " in status.inner_text()
        assert latest_line_in_view(status, "ticker"), "the live log box does not show its last line"

        stop_echo = output(page, STOP_ECHO)
        assert "stopped echo" in stop_echo.inner_text()
        assert phases(stop_echo) == {"ticker": "running", "echo": "stopped"}
        assert steps(stop_echo) == ["echo stopping", "echo stopped"]  # this stop's steps only
        assert "teardown" in spans(stop_echo, "echo")

        stop = output(page, STOP)
        assert phases(stop) == {"ticker": "stopped", "echo": "stopped"}
        assert steps(stop) == ["ticker stopping", "ticker stopped"]
        text = stop.inner_text()
        assert "ticker set up" in text and "ticker torn down" in text  # the whole run, in view
        assert spans(stop, "ticker") == ["set-up", "waiting", "running", "stopping", "teardown"]
        assert latest_line_in_view(stop, "ticker"), "the stop's log box does not show its last line"

        # the run timeline's legend: one line in a notebook beside its file browser at 1000 px
        page.set_viewport_size({"width": 1000, "height": 3000})
        legend = stop.locator(".nbplug-rt-legend").first
        legend.scroll_into_view_if_needed()
        tops = legend.evaluate("l => [...l.children].map(k => Math.round(k.getBoundingClientRect().top))")
        assert len(tops) == 5 and len(set(tops)) == 1, f"the legend wraps: {legend.inner_text()!r} {tops}"
        timeline = stop.locator(".nbplug-run-timeline").first
        print(f"\nrun timeline at 1000 px: {timeline.bounding_box()['width']:.0f} px wide")
        timeline.screenshot(path=str(folder / "board-run-timeline-1000px.png"))
        page.set_viewport_size({"width": 1200, "height": 3000})

        broken = output(page, BROKEN)
        assert phases(broken)["broken"] == "failed"
        assert "broken failed" in steps(broken)[-1]
        assert "RuntimeError" in broken.inner_text()
        assert "broken" not in phases(stop)  # the failure is not written up the page

        for theme in THEMES:
            switch_theme(page, theme)
            low = [str(m) for m in measure(page, ".nbplug-board") if m.ratio < AA]
            assert not low, f"{theme}: text below {AA}:1\n" + "\n".join(low)
            suffix = theme.split()[-1].lower()
            for index, name in ((START, "start"), (STATUS, "status"), (STOP_ECHO, "stop-echo"),
                                (STOP, "stop"), (BROKEN, "start-broken")):
                output(page, index).screenshot(path=str(folder / f"board-cell-{name}-{suffix}.png"))
        switch_theme(page, LIGHT)
        assert not errors, errors


def row_names(area: Any) -> list[str]:
    return [n.strip() for n in area.locator(".nbplug-board-row .nbplug-row-name").all_inner_texts()]


def test_a_board_of_5000_lifespans_pages_and_filters(big_lab: Lab, tmp_path: Path) -> None:
    folder = screenshot_dir()
    with chromium_page(viewport={"width": 1400, "height": 2400}) as (page, errors):
        open_notebook(page, big_lab, "cells.ipynb")
        run_all_and_wait(page, timeout=180, shots=tmp_path, name="board-big")
        board = output(page, 0)
        wait_for(lambda: "50 failed" in board.locator(".nbplug-board-title").inner_text(),
                 "the board's counts after the start", 60, page, tmp_path)
        assert "5,000 (4,950 running, 50 failed)" in board.locator(".nbplug-board-title").inner_text()
        assert row_names(board) == [f"worker_{i:04d}" for i in range(50)]
        scope = board.locator(".nbplug-board-scope")
        assert "showing 1–50 of 5,000 (page 1 of 100)" in scope.inner_text()
        stop_all = board.locator(".nbplug-stop-all")
        assert stop_all.is_enabled() and "mod-danger" in (stop_all.get_attribute("class") or "")

        board.locator(".nbplug-board-next").click()
        wait_for(lambda: row_names(board)[:1] == ["worker_0050"], "page 2", 20, page, tmp_path)
        assert "showing 51–100 of 5,000 (page 2 of 100)" in scope.inner_text()

        board.locator(".nbplug-board-phase-filter select").select_option("failed")
        wait_for(lambda: row_names(board)[:2] == ["worker_0000", "worker_0100"], "the failed ones", 20,
                 page, tmp_path)
        assert len(row_names(board)) == 50 and "lost its connection" in board.inner_text()
        assert "50 of 5,000 kept by the filter (phase 'failed')" in scope.inner_text()
        board.locator(".nbplug-board-name-filter input").fill("_49")
        wait_for(lambda: row_names(board) == ["worker_4900"], "failed and named _49", 20, page, tmp_path)

        for theme in THEMES:
            switch_theme(page, theme)
            low = [str(m) for m in measure(page, ".nbplug-board") if m.ratio < AA]
            assert not low, f"{theme}: text below {AA}:1\n" + "\n".join(low)
            board.screenshot(path=str(folder / f"board-5000-filtered-{theme.split()[-1].lower()}.png"))
        board.locator(".nbplug-board-name-filter input").fill("")
        board.locator(".nbplug-board-phase-filter select").select_option(label="every phase")
        wait_for(lambda: row_names(board)[:1] == ["worker_0000"] and len(row_names(board)) == 50,
                 "every lifespan again", 20, page, tmp_path)
        for theme in THEMES:
            switch_theme(page, theme)
            board.screenshot(path=str(folder / f"board-5000-page-{theme.split()[-1].lower()}.png"))
        switch_theme(page, LIGHT)
        assert not errors, errors
