"""Each ``%plugin start``, ``stop`` and ``status`` shows the lifespans' state in its own cell: the
start's and the status's live board, the stop's snapshot with its teardown, a failed set-up's
teardown in the cell that started it; the session keeps one live board."""

from __future__ import annotations

import pytest
from ipython_fixtures import Shell, shell

from nbplug.ipython import get_session
from nbplug.ipython.render import HANDED_OVER
from tests.widgets_fixtures import BROKEN_LIFESPAN

__all__ = ["shell"]

LIFESPANS = '''
import asyncio
from nbplug.lifespans import lifespan

@lifespan
async def countdown(ctx):
    ctx.log.info("countdown set up")
    yield asyncio.Event().wait()
    ctx.log.info("countdown torn down")

@lifespan(depends_on=("countdown",))
async def echo(ctx):
    ctx.log.info("echo set up")
    yield asyncio.Event().wait()
    ctx.log.info("echo torn down")
''' + BROKEN_LIFESPAN


@pytest.fixture
def lifespans(shell: Shell) -> Shell:
    shell.run(LIFESPANS)
    shell.run("%plugin add countdown echo broken")
    return shell


def cell_output(shell: Shell, capsys: pytest.CaptureFixture[str], code: str) -> str:
    """What one cell shows (its printed lines and the text form of what it displays)."""
    capsys.readouterr()
    shell.run(code)
    return capsys.readouterr().out


def test_start_shows_its_own_board_with_the_set_up_lines_and_the_run_timeline(
    lifespans: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cell_output(lifespans, capsys, "%plugin start countdown echo")
    assert "started countdown, echo" in out
    assert "lifespans: 2 (2 running)" in out
    assert "| countdown set up" in out and "| echo set up" in out
    assert "run timeline (since the first set-up" in out


def test_stop_shows_what_it_did_in_its_own_cell(lifespans: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    lifespans.run("%plugin start countdown echo")
    out = cell_output(lifespans, capsys, "%plugin stop")
    assert "stopped echo, countdown" in out
    assert "lifespans: 2 (2 stopped)" in out
    steps = out[out.index("teardown:"):]
    assert steps.index("echo stopped") < steps.index("countdown stopped")
    assert "| echo torn down" in out and "| countdown set up" in out  # the whole run, set-up included
    assert "t teardown" in out  # the run timeline shows the teardowns


def test_status_shows_the_state_now_in_its_own_cell(
    lifespans: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    lifespans.run("%plugin start countdown echo")
    lifespans.run("%plugin stop echo")
    out = cell_output(lifespans, capsys, "%plugin status")
    assert "countdown  running" in out and "echo       stopped" in out


def test_a_failed_set_up_shows_its_teardown_in_the_cell_that_started_it(
    lifespans: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    lifespans.run("%plugin start countdown")
    first = get_session(lifespans.ip).board
    capsys.readouterr()
    lifespans.fails("%plugin start broken")
    out = capsys.readouterr().out
    assert "broken     failed" in out
    assert "| broken half set up" in out and "set-up failed: RuntimeError: no database" in out
    assert "1. broken failed" in out  # the teardown log of this start, in this cell
    board = get_session(lifespans.ip).board
    assert board is not first and first.notice == HANDED_OVER  # one live board: the latest
    assert "broken failed" not in first.text().split("teardown")[-1]


def test_a_refused_start_shows_no_board_and_the_live_one_goes_on(
    lifespans: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    lifespans.fails("%plugin start cuontdown")
    assert "lifespans:" not in capsys.readouterr().out
    assert get_session(lifespans.ip).board is None
    lifespans.run("%plugin start countdown")
    live = get_session(lifespans.ip).board
    capsys.readouterr()
    lifespans.fails("%plugin start countdown")  # already running: refused, nothing changed
    assert "lifespans:" not in capsys.readouterr().out
    assert get_session(lifespans.ip).board is live and live.notice == ""
    lifespans.run("%plugin stop")
    assert [s.phase for s in live.teardown_steps] == ["stopping", "stopped"]  # still following


def test_each_start_or_status_hands_the_live_board_on(lifespans: Shell) -> None:
    lifespans.run("%plugin start countdown")
    started = get_session(lifespans.ip).board
    lifespans.run("%plugin status")
    status = get_session(lifespans.ip).board
    assert status is not started and started.notice == HANDED_OVER and status.notice == ""
    lifespans.run("%plugin stop")  # a snapshot: the live board stays the status cell's
    assert get_session(lifespans.ip).board is status
    assert [s.phase for s in status.teardown_steps] == ["stopping", "stopped"]
    assert started.teardown_steps == []  # it stopped following when it was handed on
