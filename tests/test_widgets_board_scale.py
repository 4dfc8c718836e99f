"""A board of thousands of lifespans stays bounded: its display bundle and its widget's messages
over a whole run each stay under 2 MB, it shows a page of 50 with every lifespan counted per phase
and says how to see the rest, it filters by phase and by name, and an update re-sends what is on
the page only. Tested through what the board renders and the messages its widgets send."""

from __future__ import annotations

import json
from typing import Any

import pytest
from IPython.utils.capture import capture_output
from ipython_fixtures import Shell, shell

from nbplug.widgets import LifespanBoard
from tests.widgets_fixtures import (
    MANY_LIFESPANS,
    Phase,
    ScriptedGroup,
    Wire,
    install_wire,
    part,
    parts,
    shown_rows,
)

__all__ = ["shell"]

#: The bound every published output is held to (Jupyter's IOPub rate limit is 1 MB/s).
PUBLISHED = 2_000_000
MANY = 5000


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    return install_wire(monkeypatch)


def many(count: int = MANY, lines: int = 5) -> ScriptedGroup:
    """``count`` running lifespans named worker_0000..., each with ``lines`` long log lines."""
    group = ScriptedGroup(lambda: 100.0)
    names = [f"worker_{i:04d}" for i in range(count)]
    group.start(*names)
    for name in names:
        for i in range(lines):
            group.log(name, f"{name} line {i} " + "x" * 240)
    return group


def published(bundle: dict[str, Any]) -> int:
    return len(json.dumps(bundle).encode())


def names_shown(board: LifespanBoard) -> list[str]:
    return list(shown_rows(board))


async def test_a_board_of_5000_lifespans_publishes_under_2_mb_over_its_whole_run(wire: Wire) -> None:
    # async, as in a kernel: the group's events ask for redraws on the running loop (throttled)
    group = many()
    board = LifespanBoard(group)
    _ = board.widget
    bundle = board._repr_mimebundle_()
    assert published(bundle) < PUBLISHED / 4, published(bundle)
    for phase in (Phase.STOPPING, Phase.STOPPED):  # every lifespan changes phase twice
        for state in group.states:
            group.set_phase(state.name, phase)
        board.refresh()
    assert len(wire) < 5000 and wire.size < PUBLISHED / 2, (len(wire), wire.size)
    text = board.text()
    assert text.startswith("lifespans: 5,000 (5,000 stopped)\n  showing 1–50 of 5,000 (page 1 of 100); "
                           "page=2 shows the next 50; phase='failed' or name='TEXT' shows fewer")
    assert "worker_0049" in text and "worker_0050" not in text
    assert "… 9,950 earlier steps of this run not shown" in text  # the teardown log's bound, said
    assert "\n  9951. worker_4950 stopped\n" in text and "\n  9950. " not in text
    assert names_shown(board) == [f"worker_{i:04d}" for i in range(50)]


def test_pages_in_every_form_and_in_the_widgets_buttons() -> None:
    group = many(lines=1)
    board = LifespanBoard(group, page=2)
    text, html = board.forms()
    assert "showing 51–100 of 5,000 (page 2 of 100); page=3 shows the next 50; page=1 the ones before" in text
    assert "worker_0050" in html and "worker_0099" in html and "worker_0100" not in html
    assert "worker_0049" not in text
    assert [row.name for row in LifespanBoard(group, page=1000).rows()][-1] == "worker_4999"  # past the last
    controls = part(board.widget, "nbplug-board-controls")
    assert controls.layout.display == ""  # shown: there is more than one page
    assert "showing 51–100 of 5,000 (page 2 of 100)" in part(controls, "nbplug-board-scope").value
    part(controls, "nbplug-board-next").click()
    assert names_shown(board)[0] == "worker_0100" and board.page.number == 3
    for _ in range(3):
        part(controls, "nbplug-board-previous").click()
    assert names_shown(board)[0] == "worker_0000" and part(controls, "nbplug-board-previous").disabled
    with pytest.raises(ValueError, match="page counts from 1"):
        LifespanBoard(group, page=0)


def test_a_small_board_shows_no_controls_and_no_scope_line() -> None:
    group = ScriptedGroup(lambda: 0.0)
    group.start("countdown", "echo")
    board = LifespanBoard(group)
    assert part(board.widget, "nbplug-board-controls").layout.display == "none"
    assert "showing" not in board.text() and "nbplug-board-scope" not in board.html()


def test_filters_by_phase_and_by_name_in_every_form_and_in_the_widget() -> None:
    group = many(lines=1)
    for i in range(0, MANY, 100):
        group.set_phase(f"worker_{i:04d}", Phase.FAILED, RuntimeError(f"boom {i}"))
    failed = LifespanBoard(group, phase="failed")
    text = failed.text()
    assert text.startswith("lifespans: 5,000 (4,950 running, 50 failed)\n  50 of 5,000 kept by the filter "
                           "(phase 'failed'); showing 1–50 of 50 (page 1 of 1); phase=None, name=None")
    assert [row.name for row in failed.rows()] == [f"worker_{i:04d}" for i in range(0, MANY, 100)]
    named = LifespanBoard(group, name="_49", page=2)
    assert [row.name for row in named.rows()] == [f"worker_49{i:02d}" for i in range(50, 100)]
    assert "100 of 5,000 kept by the filter (names containing '_49'); showing 51–100 of 100 (page 2 of 2)" \
        in named.text()
    assert LifespanBoard(group, phase="failed", name="_49").rows()[0].name == "worker_4900"
    with pytest.raises(ValueError, match="phase is one of 'pending', 'set-up', 'running'"):
        LifespanBoard(group, phase="broken")

    board = LifespanBoard(group, page=3)
    controls = part(board.widget, "nbplug-board-controls")
    part(controls, "nbplug-board-phase-filter").value = "failed"  # the reader picks a phase
    assert board.page.number == 1 and names_shown(board)[:2] == ["worker_0000", "worker_0100"]
    assert all("failed" in row["phase"] for row in shown_rows(board).values())
    part(controls, "nbplug-board-name-filter").value = "_49"  # and types part of a name
    assert names_shown(board) == ["worker_4900"]
    board.choose()  # from Python: every lifespan again
    assert part(controls, "nbplug-board-phase-filter").value == "" and len(names_shown(board)) == 50


async def test_an_update_resends_only_what_is_on_the_page(wire: Wire) -> None:
    now = [100.0]
    group = ScriptedGroup(lambda: now[0])
    board = LifespanBoard(group, clock=lambda: now[0])
    _ = board.widget
    group.start(*[f"worker_{i:04d}" for i in range(MANY)])
    board.refresh()
    on_page = {w.comm.comm_id for css in ("nbplug-row-uptime", "nbplug-row-phase", "nbplug-row-log",
                                          "nbplug-row-stop", "nbplug-board-title", "nbplug-board-timeline",
                                          "nbplug-stop-all", "nbplug-board-teardown")
               for w in parts(board.widget, css)}
    mark = len(wire)
    now[0] += 3  # a tick: every uptime on the page moves, and the timeline
    board.refresh()
    tick = wire.updates(mark)
    assert 50 <= len(tick) <= 52 and {m.comm_id for m in tick} <= on_page, len(tick)
    assert len(wire.since(mark)) == len(tick)  # no widget was opened
    mark = len(wire)
    group.set_phase("worker_0007", Phase.FAILED, RuntimeError("boom"))  # one on the page
    board.refresh()
    change = wire.updates(mark)
    assert len(change) <= 8 and {m.comm_id for m in change} <= on_page, len(change)
    mark = len(wire)
    group.set_phase("worker_4000", Phase.FAILED, RuntimeError("boom"))  # one off the page: its count
    board.refresh()
    assert len(wire.updates(mark)) <= 3
    assert "4,998 running, 2 failed" in part(board.widget, "nbplug-board-title").value


def test_a_disabled_stop_all_does_not_look_like_a_danger_button() -> None:
    group = ScriptedGroup(lambda: 0.0)
    board = LifespanBoard(group)
    stop_all = part(board.widget, "nbplug-stop-all")
    assert stop_all.disabled and stop_all.button_style == ""  # nothing to stop
    group.start("countdown")
    board.refresh()
    assert not stop_all.disabled and stop_all.button_style == "danger"
    group.set_phase("countdown", Phase.STOPPED)
    board.refresh()
    assert stop_all.disabled and stop_all.button_style == ""




def test_plugin_start_and_status_of_5000_lifespans_publish_bounded_boards(shell: Shell) -> None:
    shell.run(MANY_LIFESPANS)
    shell.run("%plugin add Many")
    for cell in ("%plugin start " + " ".join(f"life_{n:04d}" for n in range(5000)), "%plugin status",
                 "%plugin stop"):
        with capture_output() as shown:
            shell.run(cell)
        sizes = [published(output.data) for output in shown.outputs]
        assert sizes and max(sizes) < PUBLISHED / 4, (cell[:20], sizes)
        board = next(text for output in shown.outputs
                     if "lifespans: 5,000" in (text := output.data["text/plain"]))
        assert "showing 1–50 of 5,000 (page 1 of 100)" in board
        assert "\n  life_0049 " in board and "\n  life_0050 " not in board  # the rows: the first page


def test_plugin_status_shows_the_page_and_filter_its_text_names(shell: Shell) -> None:
    shell.run(MANY_LIFESPANS)
    shell.run("%plugin add Many")
    shell.run("%plugin start " + " ".join(f"life_{n:04d}" for n in range(120)))
    with capture_output() as shown:
        shell.run("%plugin status page=2")
    text = shown.outputs[-1].data["text/plain"]
    assert "showing 51–100 of 120 (page 2 of 3); page=3 shows the next 20" in text
    assert "\n  life_0050 " in text and "\n  life_0049 " not in text and "\n  life_0100 " not in text
    with capture_output() as shown:
        shell.run("%plugin status phase=running name=_011")
    text = shown.outputs[-1].data["text/plain"]
    assert "10 of 120 kept by the filter (phase 'running', names containing '_011')" in text
    for wrong, says in (("phase=runing", "phase is one of pending, set-up, running"),
                        ("page=0", "page counts from 1"), ("2", "takes page=N, phase=PHASE and name=TEXT")):
        error = shell.fails(f"%plugin status {wrong}")
        assert says in str(error), error
    assert "did you mean 'running'" in str(shell.fails("%plugin status phase=runing")).lower()
    shell.run("%plugin stop")
