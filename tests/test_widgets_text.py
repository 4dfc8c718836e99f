"""The views' text forms and escaped HTML forms (no ipywidgets needed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nbplug._base.safetext import safe_repr as short_repr
from nbplug.widgets.board.text import BoardRow, TeardownStep, board_html, board_text
from nbplug.widgets.format.text import (
    format_duration,
    format_uptime,
    last_lines,
    phase_label,
)
from tests.widgets_fixtures import EVIL, Phase


def test_short_repr_survives_a_raising_repr_and_long_values() -> None:
    class Bad:
        def __repr__(self) -> str:
            raise RuntimeError("nope")

    assert short_repr(Bad()) == "<unrepresentable Bad>"
    long = short_repr("x" * 10_000)
    assert len(long) <= 160 and "..." in long


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0.0000042, "4.2 µs"), (0.0123, "12.30 ms"), (2.5, "2.50 s"), (125, "2 min 05 s"), (7500, "2 h 05 min")],
)
def test_format_duration(seconds: float, expected: str) -> None:
    assert format_duration(seconds) == expected


def test_format_uptime_whole_seconds() -> None:
    assert format_uptime(12.9) == "12 s"
    assert format_uptime(-1) == "0 s"


@pytest.mark.parametrize(
    ("phase", "label"),
    [
        (Phase.SETTING_UP, "set-up"),
        (Phase.RUNNING, "running"),
        ("stopping", "stopping"),
        ("setting up", "set-up"),
        (Phase.FAILED, "failed"),
    ],
)
def test_phase_label(phase: object, label: str) -> None:
    assert phase_label(phase) == label


def test_last_lines_takes_the_tail_and_flattens_newlines() -> None:
    from collections import deque

    log = deque(f"line {i}" for i in range(1000))
    log.append("two\nlines")
    assert last_lines(log, 3) == ("line 998", "line 999", "two lines")
    assert last_lines(log, 0) == ()


def board_rows() -> list[BoardRow]:
    return [
        BoardRow("countdown", "running", 65.0, ("tick 3", "tick 2"), None),
        BoardRow(EVIL, "failed", 1.0, (EVIL,), "RuntimeError: " + EVIL),
    ]


def test_board_text_shows_rows_log_errors_and_teardown_in_order() -> None:
    teardown = [
        TeardownStep("echo", "stopping"),
        TeardownStep("echo", "stopped"),
        TeardownStep("countdown", "stopped"),
    ]
    text = board_text(board_rows(), teardown)
    assert text.splitlines()[0] == "lifespans: 2 (1 running, 1 failed)"
    assert "countdown" in text and "1 min 05 s" in text
    assert "| tick 3" in text and "| tick 2" in text
    assert "error: RuntimeError: " + EVIL in text
    tail = text.split("teardown:")[1].splitlines()[1:]
    assert tail == ["  1. echo stopping", "  2. echo stopped", "  3. countdown stopped"]


def test_board_html_escapes_names_logs_and_errors() -> None:
    page = board_html(board_rows(), [TeardownStep(EVIL, "failed", EVIL)])
    assert "<img" not in page
    assert page.count("&lt;img src=x onerror=") >= 5


def test_empty_board_explains_how_to_start_lifespans() -> None:
    assert "%plugin start" in board_text([])
    assert "%plugin start" in board_html([])


def test_text_renderers_import_without_ipywidgets_or_ipython() -> None:
    code = (
        "import sys, nbplug.widgets.format.text, nbplug.widgets;"
        "print([m for m in ('ipywidgets', 'IPython', 'click') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
