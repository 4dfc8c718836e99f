"""Stepping through a call: its moments numbered in the order they happened, the current one
marked in every form, and "before yield" no longer drawn as a toggle."""

from __future__ import annotations

from nbplug import CallTrace, TraceStep
from nbplug.widgets import CallReplay, HookCallView
from tests.compare_fixtures import designs
from tests.widgets_fixtures import EVIL


def wrapped() -> CallTrace:
    inner = TraceStep("inner", "Inner.fetch", "impl", start=0.0002, end=0.0003, result=EVIL)
    skipped = TraceStep("late", "Late.fetch", "impl", not_called=True)
    wrapper = TraceStep("timing", "Timing.fetch", "wrapper", start=0.0001, end=0.0005,
                        result=[EVIL], setup_end=0.00015, teardown_start=0.0004, children=[inner, skipped])
    return CallTrace("fetch", "firstresult", {"topic": "x"}, [wrapper], result=EVIL, duration=0.0006)


def test_the_moments_in_the_order_they_happened() -> None:
    replay = HookCallView(wrapped()).replay()
    assert isinstance(replay, CallReplay)
    assert [(s.number, s.label, s.what) for s in replay.steps] == [
        (1, "timing (Timing.fetch)", "before yield"),
        (2, "inner (Inner.fetch)", "ran"),
        (3, "late (Late.fetch)", "not called"),
        (4, "timing (Timing.fetch)", "after yield"),
    ]
    assert "firstresult answered by inner" in replay.steps[2].words
    assert replay.steps[3].words.startswith("received")


def test_text_form_numbers_the_steps_and_marks_the_current_one() -> None:
    replay = HookCallView(wrapped()).replay()
    lines = replay.text().splitlines()
    assert lines[0].startswith("fetch(topic='x'): step 1 of 4")
    assert lines[1].startswith("▶ 1. timing (Timing.fetch): before yield")
    assert lines[2].startswith("    2. inner (Inner.fetch): ran")
    replay.forward()
    replay.forward()
    assert replay.step == 3 and "▶   3. late (Late.fetch): not called" in replay.text()
    replay.step = 99
    assert replay.step == 4
    replay.back()
    assert replay.step == 3


def test_html_marks_the_current_step_and_escapes() -> None:
    replay = HookCallView(wrapped()).replay()
    replay.step = 2
    html = replay.html()
    assert html.count("nbplug-replay-now") == 1
    assert 'data-step="2" ' in html.split("nbplug-replay-now")[1][:20]
    assert "<img" not in html and "&lt;img" in html


def test_the_widget_steps_with_buttons_and_slider() -> None:
    replay = HookCallView(wrapped()).replay()
    controls, body = replay.widget.children
    back, slider, ahead = controls.children
    ahead.click()
    assert replay.step == 2 and slider.value == 2 and 'data-step="2" style' in body.value
    slider.value = 4
    assert replay.step == 4 and "▶ 4." in body.value
    back.click()
    assert replay.step == 3


def test_the_call_views_widget_opens_the_replay() -> None:
    a, _ = designs()
    view = HookCallView(a.caller("price").traced(item="tea", customer="Ada"))
    stepping, steps = view.widget.children[2], view.widget.children[3]
    assert stepping.description == "step through" and steps.children == ()
    stepping.value = True
    (replay_widget,) = steps.children
    assert "step 1 of 2" in replay_widget.children[1].value
    stepping.value = False
    assert steps.children == ()


def test_before_yield_is_not_drawn_as_a_toggle() -> None:
    html = HookCallView(wrapped()).html()
    assert "before yield" in html and "after yield" in html
    assert "▸" not in html and "◂" not in html
    assert "cursor:pointer" not in html and "<button" not in html and "<details" not in html
