"""A lifespan's state keeps its run's whole life: each phase with its time, the set-up's log lines
and the latest ones (bounded, with a count of what was dropped), and the info lines of a group made
with no log level, whatever the logging configuration."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from nbplug.lifespans import LifespanContext, LifespanEvent, LifespanGroup, Phase, lifespan
from nbplug.lifespans.events import LOG_HEAD, LOG_TAIL, LogLines


@lifespan
async def chatty(ctx: LifespanContext) -> AsyncIterator[None]:
    ctx.log.info("connected to the database")
    yield
    ctx.log.info("closed the database")


class Caught(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def root_at_warning() -> Iterator[Caught]:
    """The root logger as a kernel has it (WARNING), with a handler that catches what reaches it."""
    root = logging.getLogger()
    saved = root.level
    caught = Caught()
    root.addHandler(caught)
    root.setLevel(logging.WARNING)
    try:
        yield caught
    finally:
        root.removeHandler(caught)
        root.setLevel(saved)


async def test_a_group_with_no_level_hears_info_lines_and_prints_none(root_at_warning: Caught) -> None:
    group = LifespanGroup()  # as made from Python: no log_level
    heard: list[str] = []
    group.subscribe(lambda event: heard.append(event.message) if event.kind == "log" else None)
    group.add(chatty)
    await group.start()
    await group.stop()
    assert list(group.state("chatty").log) == ["connected to the database", "closed the database"]
    assert heard == ["connected to the database", "closed the database"]
    assert root_at_warning.messages == []  # the logging configuration still decides what is printed


async def test_a_configured_level_still_reaches_the_handlers(root_at_warning: Caught) -> None:
    logging.getLogger().setLevel(logging.INFO)
    group = LifespanGroup()
    group.add(chatty)
    await group.start()
    await group.stop()
    assert "connected to the database" in root_at_warning.messages


async def test_each_phase_is_kept_with_the_time_it_was_entered() -> None:
    group = LifespanGroup()
    group.add(chatty)
    await group.start()
    await group.stop()
    phases = group.state("chatty").phases
    assert [phase for phase, _ in phases] == [
        Phase.PENDING, Phase.SETTING_UP, Phase.RUNNING, Phase.STOPPING, Phase.STOPPED
    ]
    times = [at for _, at in phases]
    assert times == sorted(times)
    assert group.state("chatty").started_at == times[2]


def test_the_log_keeps_the_set_up_lines_and_the_latest_and_counts_the_rest() -> None:
    log = LogLines()
    for i in range(LOG_HEAD + LOG_TAIL + 500):
        log.append(f"line {i}")
    assert log.head == [f"line {i}" for i in range(LOG_HEAD)]
    assert list(log)[LOG_HEAD] == "line 520" and list(log)[-1] == f"line {LOG_HEAD + LOG_TAIL + 499}"
    assert len(log) == LOG_HEAD + LOG_TAIL and log.dropped == 500 and log.total == LOG_HEAD + LOG_TAIL + 500
    assert list(reversed(log)) == list(log)[::-1] and log[0] == "line 0" and log[-2:] == list(log)[-2:]


def test_a_long_line_is_cut_so_the_log_stays_bounded() -> None:
    log = LogLines()
    log.append("x" * 1_000_000)
    assert len(log[0]) <= 1000


async def test_a_run_that_logs_a_lot_keeps_its_set_up_line() -> None:
    @lifespan
    async def busy(ctx: LifespanContext) -> AsyncIterator[None]:
        ctx.log.info("set up")
        for i in range(1000):
            ctx.log.info("working %d", i)
        yield

    group = LifespanGroup()
    events: list[LifespanEvent] = []
    group.subscribe(events.append)
    group.add(busy)
    await group.start()
    await group.stop()
    log = group.state("busy").log
    assert log[0] == "set up" and log[-1] == "working 999" and log.dropped == 1001 - len(log)


async def test_a_set_up_finishes_before_the_next_begins_and_runs_after_all_of_them() -> None:
    @lifespan
    async def first(ctx: LifespanContext) -> AsyncIterator[None]:
        yield

    @lifespan(depends_on=("first",))
    async def second(ctx: LifespanContext) -> AsyncIterator[None]:
        yield

    group = LifespanGroup()
    group.add(first)
    group.add(second)
    await group.start()
    one, two = group.state("first"), group.state("second")
    began = dict(two.phases)[Phase.SETTING_UP]
    assert one.set_up_at is not None and one.set_up_at <= began
    assert one.started_at is not None and one.started_at >= (two.set_up_at or 0.0)
    await group.stop()
    assert one.teardown_at is not None and two.teardown_at is not None
    assert two.teardown_at <= one.teardown_at  # reverse order
