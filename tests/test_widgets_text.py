"""The views' text forms and escaped HTML forms (no ipywidgets needed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nbplug.tracing import CallTrace, TraceStep
from nbplug.widgets.boardtext import BoardRow, TeardownStep, board_html, board_text
from nbplug.widgets.text import (
    format_duration,
    format_uptime,
    last_lines,
    phase_label,
    short_repr,
    trace_html,
    trace_text,
)
from tests.widgets_fixtures import EVIL, Phase


def nested_trace() -> CallTrace:
    """A wrapper around two impls, the second failing, then a firstresult-skipped impl."""
    inner_a = TraceStep("alpha", "Alpha.fetch", "impl", 0.0002, 0.0003, result="a")
    inner_b = TraceStep("beta", "Beta.fetch", "impl", 0.0003, 0.0004, exception=ValueError("boom"))
    wrapper = TraceStep(
        "timing",
        "Timing.fetch",
        "wrapper",
        0.0001,
        0.0006,
        result=["a"],
        setup_end=0.00015,
        teardown_start=0.0005,
        children=[inner_a, inner_b],
    )
    skipped = TraceStep("gamma", "Gamma.fetch", "impl", not_called=True)
    return CallTrace(
        "fetch", "collecting", {"topic": "harbor"}, [wrapper, skipped], result=["a"], duration=0.0007
    )


def test_trace_text_lists_steps_in_call_order_nested_under_wrappers() -> None:
    text = trace_text(nested_trace())
    lines = text.splitlines()
    assert lines[0].startswith("hook fetch(topic='harbor')  [collecting]")
    body = [line for line in lines if "fetch" in line and not line.startswith("hook")]
    assert [b.split()[1] for b in body] == ["timing", "alpha", "beta", "gamma"]
    indents = {b.split()[1]: len(b) - len(b.lstrip()) for b in body}
    assert indents["alpha"] == indents["beta"] > indents["timing"] == indents["gamma"]
    assert "→ 'a'" in text
    assert "raised ValueError: boom" in text
    assert "gamma  Gamma.fetch  not called" in text


def test_trace_text_timeline_orders_setup_run_and_teardown_by_time() -> None:
    text = trace_text(nested_trace(), timeline=True)
    timeline = text.split("timeline (since the call started):")[1].splitlines()[1:]
    kinds = [(line.split()[3], line.split()[-1]) for line in timeline]
    assert kinds == [
        ("set-up", "Timing.fetch"),
        ("run", "Alpha.fetch"),
        ("run", "Beta.fetch"),
        ("teardown", "Timing.fetch"),
    ]
    assert "Gamma.fetch" not in "\n".join(timeline)


def test_trace_html_escapes_plugin_names_results_errors_and_arguments() -> None:
    step = TraceStep(EVIL, EVIL, "impl", 0.0, 0.001, result=EVIL)
    bad = TraceStep("ok", "f", "impl", 0.001, 0.002, exception=RuntimeError(EVIL))
    trace = CallTrace(EVIL, "collecting", {"x": EVIL}, [step, bad], result=[EVIL], duration=0.002)
    for timeline in (False, True):
        page = trace_html(trace, timeline=timeline)
        assert "<img" not in page
        assert "&lt;img src=x onerror=" in page
    assert EVIL in trace_text(trace)  # the text form shows it verbatim


def test_trace_html_marks_failed_call_and_shows_timeline_bars_for_wrappers() -> None:
    trace = nested_trace()
    trace.exception = KeyError("missing")
    page = trace_html(trace, timeline=True)
    assert "raised KeyError: &#x27;missing&#x27;" in page
    assert page.count('class="nbplug-timeline-row"') == 4
    assert 'title="set-up"' in page and 'title="teardown"' in page


def test_trace_with_no_implementations_says_so() -> None:
    trace = CallTrace("fetch", "firstresult", {}, [], result=None, duration=0.0)
    assert "(no implementations)" in trace_text(trace)
    assert "(no implementations)" in trace_html(trace)


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
        "import sys, nbplug.widgets.text, nbplug.widgets;"
        "print([m for m in ('ipywidgets', 'IPython', 'click') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
