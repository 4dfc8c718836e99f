"""The board keeps one run's whole life: the set-up's log lines with the latest in view, what was
left out said, a run timeline of set-up, running and teardown on one axis, the same lines from a
board built in Python as from the magics' one, and a text form with what the widget shows."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator

import pytest

from nbplug.lifespans import LifespanContext, LifespanGroup, lifespan
from nbplug.widgets import LifespanBoard
from tests.widgets_fixtures import Phase, ScriptedGroup, part, shown_rows


@lifespan
async def database(ctx: LifespanContext) -> AsyncIterator[None]:
    ctx.log.info("database connected")
    await asyncio.sleep(0.05)
    yield
    await asyncio.sleep(0.05)
    ctx.log.info("database closed")


@lifespan(depends_on=("database",))
async def web(ctx: LifespanContext) -> AsyncIterator[object]:
    ctx.log.info("web set up")

    async def serve() -> None:
        for i in range(400):
            ctx.log.info("request %d", i)
        await asyncio.Event().wait()

    yield serve()
    await asyncio.sleep(0.05)
    ctx.log.info("web shut down")


async def run_once(group: LifespanGroup) -> None:
    group.add(database)
    group.add(web)
    await group.start()
    await asyncio.sleep(0.05)
    await group.stop()


async def test_the_set_up_line_stays_and_the_board_says_what_was_dropped() -> None:
    group = LifespanGroup()
    await run_once(group)
    board = LifespanBoard(group)
    web_row = next(row for row in board.rows() if row.name == "web")
    assert web_row.log[0] == "web set up" and web_row.log[-1] == "web shut down"
    assert "lines dropped (a run keeps its first 20 and latest 200 lines)" in web_row.note
    text = board.text()
    assert "| web set up" in text and "| web shut down" in text and "lines dropped" in text
    html = board.html()
    assert "flex-direction:column-reverse" in html  # the latest lines in view
    assert html.index("web set up") < html.index("lines dropped") < html.index("web shut down")


async def test_a_board_built_in_python_shows_the_lines_the_magics_board_shows() -> None:
    plain, session_like = LifespanGroup(), LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
    await run_once(plain)
    await run_once(session_like)
    ours, theirs = LifespanBoard(plain).rows(), LifespanBoard(session_like).rows()
    assert [row.log for row in ours] == [row.log for row in theirs]
    assert ours[0].log[0] == "database connected"


async def test_a_quick_run_shows_its_uptime_in_tenths_not_0_s() -> None:
    group = LifespanGroup()
    await run_once(group)
    text = LifespanBoard(group).text()
    assert re.search(r"database\s+stopped\s+0\.\d s", text), text


async def test_the_run_timeline_draws_set_up_running_and_teardowns_that_never_overlap() -> None:
    group = LifespanGroup()
    await run_once(group)
    board = LifespanBoard(group)
    html = board.html()
    assert 'class="nbplug-run-timeline"' in html and "nbplug-tl-tick" in html  # the call view's axis
    spans: dict[str, dict[str, tuple[float, float]]] = {}
    for name in ("database", "web"):
        row = html[html.index(f'nbplug-rt-row" data-name="{name}"'):]
        row = row[: row.index("</span></div>")]
        spans[name] = {
            kind: (float(left), float(left) + float(width))
            for kind, left, width in re.findall(
                r'data-kind="([\w-]+)".*?left:([\d.]+)%;width:max\(([\d.]+)%', row)
        }
    assert set(spans["database"]) >= {"set-up", "running", "teardown"}
    assert set(spans["web"]) >= {"set-up", "running", "teardown"}
    assert spans["web"]["teardown"][1] <= spans["database"]["teardown"][0] + 0.5  # web first, then database
    assert spans["database"]["set-up"][1] <= spans["web"]["set-up"][0] + 0.5  # set-up in order
    lines = board.timeline_text()
    assert lines[0].startswith("run timeline (since the first set-up")
    database_bar = next(line for line in lines if line.strip().startswith("database"))
    web_bar = next(line for line in lines if line.strip().startswith("web"))
    assert "s" in database_bar and "=" in database_bar and "t" in database_bar.split("|")[1]
    assert database_bar.split("|")[1].rindex("t") > web_bar.split("|")[1].rindex("t")
    assert "0 s" in lines[-1] or "0 ms" in lines[-1]


def scripted() -> tuple[list[float], ScriptedGroup, LifespanBoard]:
    """A manual clock, a scripted group with 'countdown' started and its live board."""
    now = [100.0]
    group = ScriptedGroup(lambda: now[0])
    board = LifespanBoard(group, clock=lambda: now[0])
    _ = board.widget
    group.start("countdown")
    return now, group, board


def test_the_text_form_has_what_the_widget_shows() -> None:
    now, group, board = scripted()
    group.log("countdown", "tick 1")
    now[0] += 2
    group.set_phase("countdown", Phase.FAILED, RuntimeError("boom"))
    board.stop()  # no event loop runs: the board says so in its notice
    board.refresh()
    text = board.text()
    widget_texts = [part(board.widget, f"nbplug-board-{css}").value
                    for css in ("title", "legend", "notice", "timeline", "teardown")]
    assert all(widget_texts[2:])  # notice, timeline and teardown are shown
    rows = shown_rows(board)
    for words in ("countdown", "failed", "tick 1", "its set-up, task or teardown raised",
                  "cannot stop all: no running event loop", "run timeline", "countdown failed"):
        assert words in text, words
        assert any(words in value for value in widget_texts) or any(
            words in row["log"] + row["phase"] for row in rows.values()), words


def test_a_board_over_many_busy_lifespans_stays_a_bounded_output() -> None:
    group = ScriptedGroup(lambda: 0.0)
    names = [f"busy{i}" for i in range(300)]
    group.start(*names)
    for name in names:
        for i in range(220):
            group.log(name, f"{name} line {i} " + "x" * 200)
    board = LifespanBoard(group)
    html, text = board.html(), board.text()
    assert len(html.encode()) + len(text.encode()) < 2_000_000
    assert "lines not shown here" in text and "busy0 line 0 " in text and "busy0 line 219" in text


def test_a_paused_board_keeps_what_it_showed_and_a_retired_one_says_why() -> None:
    _, group, board = scripted()
    board.pause()
    group.set_phase("countdown", Phase.STOPPED)
    board.refresh()
    assert ">running<" in shown_rows(board)["countdown"]["phase"] and board.teardown_steps == []
    board.retire("no longer live: a later cell follows the lifespans")
    assert "a later cell follows" in part(board.widget, "nbplug-board-notice").value
    stop_all = part(board.widget, "nbplug-stop-all")
    assert stop_all.disabled and stop_all.button_style == ""
    assert shown_rows(board)["countdown"]["stop_disabled"]
    assert group.subscriber_count == 0


async def test_a_failed_set_up_is_drawn_where_it_failed_and_stays_on_the_track() -> None:
    @lifespan
    async def broken(ctx: LifespanContext) -> AsyncIterator[None]:
        raise RuntimeError("no database")
        yield

    group = LifespanGroup()
    group.add(database)
    await group.start()
    await asyncio.sleep(0.05)
    group.add(broken)
    with pytest.raises(RuntimeError, match="no database"):
        await group.start()
    await group.stop()
    board = LifespanBoard(group)
    html = board.html()
    row = html[html.index('nbplug-rt-row" data-name="broken"'):]
    row = row[: row.index("</span></div>")]
    assert "nbplug-rt-failed" in row and 'data-kind="set-up"' in row
    assert all(float(left) <= 99.5 for left in re.findall(r"left:([\d.]+)%", row))
    bar = next(line for line in board.timeline_text() if line.strip().startswith("broken"))
    assert "x" in bar.split("|")[1] and bar.endswith("failed")
    assert "x where it failed" in board.timeline_text()[0]


async def test_log_lines_alone_do_not_redraw_the_timeline() -> None:
    now, group, board = scripted()
    board.refresh()
    timeline = part(board.widget, "nbplug-board-timeline")
    drawn = timeline.value
    now[0] += 5
    for i in range(50):
        group.log("countdown", f"tick {i}")
    await asyncio.sleep(0)  # the throttled redraw runs: the rows change, the bars stay
    assert "tick 49" in shown_rows(board)["countdown"]["log"] and timeline.value == drawn
    group.set_phase("countdown", Phase.STOPPED)  # a phase change moves them
    await asyncio.sleep(0.2)  # past the throttle's interval
    assert timeline.value != drawn
