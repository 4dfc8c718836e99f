"""The lifespan board's live widget state after lifespan events, Stop buttons and throttling."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from nbplug.widgets import LifespanBoard
from nbplug.widgets.base.view import WIDGET_MIME
from tests.widgets_fixtures import EVIL, Phase, ScriptedGroup, Wire, install_wire, part, parts, shown_rows


class Clock:
    """A manual monotonic clock so uptimes are exact."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def group(clock: Clock) -> ScriptedGroup:
    return ScriptedGroup(clock)


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    return install_wire(monkeypatch)


def row_texts(board: LifespanBoard) -> dict[str, dict[str, Any]]:
    """What each row widget shows, by lifespan name."""
    return shown_rows(board)


def title(board: LifespanBoard) -> str:
    return str(part(board.widget, "nbplug-board-title").value)


def stop_all(board: LifespanBoard) -> Any:
    return part(board.widget, "nbplug-stop-all")


def shown(board: LifespanBoard, css_class: str) -> str:
    """The value of the board's widget that carries ``css_class`` (its HTML)."""
    return str(part(board.widget, css_class).value)


async def settle() -> None:
    """Let the loop run what a click scheduled (a scripted stop takes one step, a real one a few)."""
    for _ in range(20):
        await asyncio.sleep(0)


def test_rows_follow_phase_and_log_events(group: ScriptedGroup, clock: Clock) -> None:
    board = LifespanBoard(group, log_lines=2, clock=clock)
    _ = board.widget  # build; subscribes
    group.start("countdown", "echo")
    for i in range(5):
        group.log("countdown", f"tick {i}")
    clock.now += 3
    board.refresh()
    rows = row_texts(board)
    assert list(rows) == ["countdown", "echo"]
    assert ">running<" in rows["countdown"]["phase"]
    assert rows["countdown"]["uptime"] == "3 s"
    assert "tick 3\ntick 4" in rows["countdown"]["log"] and "tick 2" not in rows["countdown"]["log"]
    assert rows["echo"]["stop_disabled"] is False
    assert title(board) == "<b>lifespans</b>: 2 (2 running)"
    assert stop_all(board).disabled is False and stop_all(board).button_style == "danger"


def test_a_failure_shows_its_error_escaped_and_disables_stop(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("countdown")
    group.set_phase("countdown", Phase.FAILED, RuntimeError(EVIL))
    board.refresh()
    row = row_texts(board)["countdown"]
    assert ">failed<" in row["phase"]
    assert "RuntimeError: &lt;img src=x" in row["log"] and "<img" not in row["log"]
    assert row["stop_disabled"] is True
    assert stop_all(board).disabled is True
    assert "countdown failed: RuntimeError: " + EVIL in board.text()


def test_uptime_freezes_when_a_lifespan_stops(group: ScriptedGroup, clock: Clock) -> None:
    board = LifespanBoard(group, clock=clock)
    _ = board.widget
    group.start("countdown")
    clock.now += 65
    group.set_phase("countdown", Phase.STOPPED)
    clock.now += 1000
    board.refresh()
    assert row_texts(board)["countdown"]["uptime"] == "1 min 05 s"


def test_new_lifespans_get_rows_as_they_start(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    assert row_texts(board) == {} and "none yet" in title(board)
    group.start("a")
    board.refresh()
    first_box = parts(board.widget, "nbplug-board-row")[0]
    group.start("b")
    board.refresh()
    assert list(row_texts(board)) == ["a", "b"]
    assert parts(board.widget, "nbplug-board-row")[0] is first_box  # rows are kept, not rebuilt


async def test_stop_all_click_schedules_reverse_teardown_and_shows_each_step(
    group: ScriptedGroup,
) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("countdown", "echo", "web")
    stop_all(board).click()  # the handler returns at once; the stop runs as a task
    assert group.stop_calls == [] and board.teardown_steps == []
    await settle()
    assert group.stop_calls == [None]
    board.refresh()
    steps = [(s.name, s.phase) for s in board.teardown_steps]
    assert steps == [
        ("web", "stopping"),
        ("web", "stopped"),
        ("echo", "stopping"),
        ("echo", "stopped"),
        ("countdown", "stopping"),
        ("countdown", "stopped"),
    ]
    teardown = shown(board, "nbplug-board-teardown")
    order = [teardown.index(f"{n} stopped") for n in ("web", "echo", "countdown")]
    assert order == sorted(order)
    assert stop_all(board).disabled is True


async def test_row_stop_button_stops_only_that_lifespan(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("countdown", "echo")
    board.refresh()
    row_texts(board)["countdown"]["stop"].click()
    await settle()
    board.refresh()
    assert group.stop_calls == [["countdown"]]
    rows = row_texts(board)
    assert ">stopped<" in rows["countdown"]["phase"] and ">running<" in rows["echo"]["phase"]


async def test_a_failing_stop_is_reported_on_the_board(group: ScriptedGroup) -> None:
    async def broken_stop(names: Any = None) -> None:
        raise RuntimeError("teardown of echo raised")

    group.stop = broken_stop  # type: ignore[method-assign]
    board = LifespanBoard(group)
    _ = board.widget
    group.start("echo")
    task = board.stop()
    assert task is not None
    with pytest.raises(RuntimeError):
        await task
    await asyncio.sleep(0)
    board.refresh()
    assert board.notice == "stop all failed: RuntimeError: teardown of echo raised"
    assert "teardown of echo raised" in shown(board, "nbplug-board-notice")


def test_stop_without_an_event_loop_says_what_to_do(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("echo")
    assert board.stop() is None
    assert "no running event loop" in board.notice and "await group.stop()" in board.notice


async def test_a_burst_of_log_lines_costs_one_redraw(
    group: ScriptedGroup, clock: Clock, wire: Wire
) -> None:
    board = LifespanBoard(group, log_lines=3, clock=clock)
    _ = board.widget
    group.start("busy")
    await asyncio.sleep(0)
    clock.now += 1  # past the throttle interval: the next redraw is due at once
    mark = len(wire)
    for i in range(2000):
        group.log("busy", f"line {i}")
    assert wire.since(mark) == []  # nothing sent inside the burst...
    await asyncio.sleep(0)  # ...one redraw on the loop: the row's log (and uptime) widget, once each
    changed = [part(board.widget, css).comm.comm_id for css in ("nbplug-row-uptime", "nbplug-row-log")]
    assert sorted(m.comm_id for m in wire.updates(mark)) == sorted(changed)
    assert "line 1997\nline 1998\nline 1999" in row_texts(board)["busy"]["log"]
    assert board.events_seen >= 2000
    board.close()


async def test_ticks_refresh_uptime_only_while_something_runs(
    group: ScriptedGroup, clock: Clock, wire: Wire
) -> None:
    board = LifespanBoard(group, tick=0.01, clock=clock)
    group.start("countdown")
    _ = board.widget
    uptime = part(board.widget, "nbplug-row-uptime")
    clock.now += 5
    while uptime.value != "5 s":  # the next tick redraws the uptime
        await asyncio.sleep(0.01)
    group.set_phase("countdown", Phase.STOPPED)
    while "stopped" not in row_texts(board)["countdown"]["phase"]:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)  # the tick after the stop: the last one
    mark = len(wire)
    clock.now += 5
    await asyncio.sleep(0.1)  # ten ticks' time: none comes
    assert wire.since(mark) == [] and uptime.value == "5 s"
    board.close()


def test_close_unsubscribes_and_ignores_later_events(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    assert group.subscriber_count == 1
    board.close()
    assert group.subscriber_count == 0
    group.start("late")
    assert board.events_seen == 0


def test_text_and_html_need_no_widget_and_do_not_subscribe(group: ScriptedGroup) -> None:
    group.start("countdown")
    group.log("countdown", EVIL)
    board = LifespanBoard(group)
    assert "countdown" in board.text() and EVIL in board.text()
    assert "<img" not in board.html() and "&lt;img" in board.html()
    assert group.subscriber_count == 0 and not board.has_widget


def test_mimebundle_outside_a_kernel_has_text_and_html_only(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    bundle = board._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert WIDGET_MIME not in bundle and not board.has_widget
    assert set(board._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(board._repr_mimebundle_(exclude=["text/plain"])) == {"text/html"}


def test_bad_arguments_get_clear_errors(group: ScriptedGroup) -> None:
    with pytest.raises(TypeError, match="LifespanBoard needs a LifespanGroup"):
        LifespanBoard(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="log_lines must be >= 0"):
        LifespanBoard(group, log_lines=-1)
    with pytest.raises(ValueError, match="max_redraws must be a positive rate"):
        LifespanBoard(group, max_redraws=0)


# ---- with the real LifespanGroup ------------------------------------------------------------------

import logging  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402

from nbplug.lifespans import LifespanContext, LifespanGroup, lifespan  # noqa: E402


@lifespan
async def database(ctx: LifespanContext) -> AsyncIterator[None]:
    ctx.log.info("database connected")
    yield
    ctx.log.info("database closed")


@lifespan
async def web(ctx: LifespanContext) -> AsyncIterator[None]:
    ctx.log.info("web serving")
    yield
    ctx.log.info("web shut down")


@lifespan
async def flaky(ctx: LifespanContext) -> AsyncIterator[None]:
    ctx.log.info("flaky up")
    yield
    raise RuntimeError(EVIL)


async def drain(board: LifespanBoard) -> None:
    while any(s.phase in (Phase.RUNNING, Phase.STOPPING) for s in board.group.states):
        await asyncio.sleep(0)
    await settle()


async def started(*lifespans: Any) -> tuple[LifespanGroup, LifespanBoard]:
    """A real group with ``lifespans`` started, and its board's widget built (so it follows)."""
    group = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
    board = LifespanBoard(group)
    _ = board.widget
    for spec in lifespans:
        group.add(spec)
    await group.start()
    return group, board


async def test_real_group_stop_all_tears_down_in_reverse_and_the_board_shows_each_step() -> None:
    _, board = await started(database, web)
    board.refresh()
    rows = row_texts(board)
    assert list(rows) == ["database", "web"]
    assert all(">running<" in r["phase"] for r in rows.values())
    assert "database connected" in rows["database"]["log"]
    stop_all(board).click()
    await drain(board)
    board.refresh()
    steps = [(s.name, s.phase) for s in board.teardown_steps]
    assert [name for name, phase in steps if phase == "stopped"] == ["web", "database"]
    for name in ("web", "database"):
        assert steps.index((name, "stopping")) < steps.index((name, "stopped"))
    rows = row_texts(board)
    assert "web shut down" in rows["web"]["log"] and ">stopped<" in rows["web"]["phase"]
    assert board.notice == ""
    board.close()


async def test_real_group_teardown_error_shows_on_the_row_and_as_a_notice() -> None:
    group = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
    board = LifespanBoard(group)
    _ = board.widget
    group.add(flaky)
    group.add(web)
    await group.start()
    stop_all(board).click()
    await drain(board)
    board.refresh()
    phases = {s.name: s.phase for s in board.teardown_steps if s.phase != "stopping"}
    assert phases["web"] == "stopped" and phases["flaky"] == "failed"
    row = row_texts(board)["flaky"]
    assert ">failed<" in row["phase"]
    assert "RuntimeError" in row["log"] and "<img" not in row["log"]
    assert board.notice.startswith("stop all failed:")
    assert "<img" not in shown(board, "nbplug-board-notice")
    assert "<img" not in shown(board, "nbplug-board-teardown")
    board.close()


# ---- one run's teardown log, the legend, the layout ------------------------------------------------


async def test_starting_again_after_a_teardown_begins_a_new_teardown_log(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("countdown", "echo")
    await group.stop()
    first = [(s.name, s.phase) for s in board.teardown_steps]
    assert first == [("echo", "stopping"), ("echo", "stopped"),
                     ("countdown", "stopping"), ("countdown", "stopped")]
    assert board.run == 1 and "\nteardown: " in board.text() and "(run" not in board.text()
    group.start("countdown", "echo")  # a second run: the first one's log is not mixed in
    assert board.teardown_steps == [] and board.run == 2
    assert "teardown" not in board.text()
    await group.stop(["echo"])
    board.refresh()
    assert [(s.name, s.phase) for s in board.teardown_steps] == [("echo", "stopping"), ("echo", "stopped")]
    assert 'data-run="2"' in shown(board, "nbplug-board-teardown") and "teardown (run 2)" in board.html()
    assert board.text().count("echo stopped") == 1


def test_a_set_up_while_another_lifespan_is_stopping_keeps_the_teardown_together(
    group: ScriptedGroup,
) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("a", "b")
    group.set_phase("b", Phase.STOPPING)
    group.set_phase("c", Phase.SETTING_UP)  # starts while b's teardown is under way
    group.set_phase("b", Phase.STOPPED)
    assert [(s.name, s.phase) for s in board.teardown_steps] == [("b", "stopping"), ("b", "stopped")]
    assert board.run == 1


async def test_real_group_started_again_shows_only_the_new_runs_teardown() -> None:
    group, board = await started(database, web)
    await group.stop()
    assert len(board.teardown_steps) == 4
    group.add(database)  # as %plugin start does: stopped lifespans are queued again, then started
    group.add(web)
    await group.start()
    assert board.teardown_steps == [] and board.run == 2
    await group.stop()
    assert [s.name for s in board.teardown_steps if s.phase == "stopped"] == ["web", "database"]
    board.close()


def test_the_legend_says_what_each_phase_means_and_how_a_stop_proceeds(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    group.start("countdown")
    legend = shown(board, "nbplug-board-legend")
    for words in ("its task is being cancelled", "the code after its yield ran", "set-up", "running"):
        assert words in legend and words in board.html()
    group.set_phase("countdown", Phase.STOPPING)
    text = board.text()
    assert ("stopping cancels every task first; then the teardowns run one at a time, in reverse "
            "set-up order") in text


def test_each_stop_button_sits_beside_the_name_it_stops(group: ScriptedGroup) -> None:
    board = LifespanBoard(group)
    _ = board.widget
    group.start("countdown", "echo")
    board.refresh()
    for row, name in zip(parts(board.widget, "nbplug-board-row"), ("countdown", "echo"), strict=True):
        head = row.children[0]
        assert list(head.children) == [part(row, "nbplug-row-name"), part(row, "nbplug-row-stop")]
        assert name in head.children[0].value and name in head.children[1].tooltip


def test_log_text_is_at_least_13px_and_colours_come_from_the_theme(group: ScriptedGroup) -> None:
    import re

    board = LifespanBoard(group)
    _ = board.widget
    group.start("countdown")
    group.log("countdown", "tick 1")
    group.set_phase("countdown", Phase.FAILED, RuntimeError("boom"))
    board.refresh()
    row = row_texts(board)["countdown"]
    sizes = [int(px) for px in re.findall(r"font-size:(\d+)px", row["log"] + board.html())]
    assert sizes and min(sizes) >= 13, sizes
    page = board.html() + row["log"] + row["phase"] + shown(board, "nbplug-board-teardown")
    assert not re.search(r"color:#[0-9a-f]{3,6}\b", page), page  # no fixed colours
    assert "var(--jp-error-color1" in row["log"] and "var(--jp-" in row["phase"]


async def test_many_busy_rows_are_held_to_the_message_budget(
    group: ScriptedGroup, clock: Clock, wire: Wire
) -> None:
    board = LifespanBoard(group, max_redraws=10, max_messages=100, tick=0, clock=clock)
    _ = board.widget
    names = [f"chatty{i}" for i in range(50)]
    group.start(*names)  # on a running loop: the events ask for one throttled redraw
    board.refresh()  # the first draw filled 50 new rows (hundreds of messages): the next waits
    mark = len(wire)
    for name in names:
        group.log(name, "a line")
    await asyncio.sleep(0)  # the redraw waits what the first draw earned (seconds), not one loop step
    assert wire.since(mark) == []
    board.refresh()
    assert len(wire.updates(mark)) == 50  # one log widget per row changed; nothing else was sent
    mark = len(wire)
    board.refresh()
    assert wire.since(mark) == []  # nothing changed: nothing sent
    with pytest.raises(ValueError, match="max_messages must be a positive rate"):
        LifespanBoard(group, max_messages=0)
