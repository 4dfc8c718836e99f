"""The recording view narrowed to one call: ``path_to=`` (the chain of calls from a root down to
it) and ``within=`` (the calls made inside it), in the text, HTML and widget forms, with clear
errors for what cannot be shown."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import ipywidgets
import pytest

from nbplug.recording import run_pytest
from nbplug.widgets import RecordingView
from nbplug.widgets.recording.text import timeline_text
from tests.test_widgets_recorder import recorded


def tree_lines(text: str) -> list[str]:
    """The lines of the text form's tree (after its title line), each without its time."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("call tree", "path to #")))
    return [line.strip().rsplit("  ", 1)[0] for line in lines[start + 1:]]


def test_path_to_shows_only_the_chain_down_to_the_call_in_text_and_html() -> None:
    recording = recorded("Dune", "lost", "Emma")
    failed = next(call for _, call in recording.walk() if call.error and call.hook == "shelf")
    view = RecordingView(recording, path_to=failed.index)
    assert view.path_to == failed and view.calls() == recording.path_to(failed)
    text = view.text()
    assert f"filter: path to #{failed.index} shelf" in text
    assert tree_lines(text) == ["· #3 lend(title='lost') raised KeyError: 'lost'",  # context
                                "[desk] #4 shelf(title='lost') raised KeyError: 'lost'"]
    assert "Dune" not in text and "Emma" not in text
    html = view.html()
    assert re.findall(r'data-index="(\d+)"', html) == ["3", "4"]
    assert "path to <code>#4 shelf</code>" in html and "Emma" not in html
    assert view.text() == RecordingView(recording, path_to=failed).text()  # a call or its number


def test_within_shows_the_calls_made_inside_one_call_and_filters_there() -> None:
    recording = recorded("Dune", "lost", "Emma")
    view = RecordingView(recording, within=5)
    assert [call.index for call in view.calls()] == [5, 6]
    assert tree_lines(view.text()) == ["#5 lend(title='Emma') → ['lent from B-12']",
                                       "[desk] #6 shelf(title='Emma') → 'B-12'"]
    assert "calls per hook (kept calls within #5)" in view.text()
    assert re.findall(r'data-index="(\d+)"', view.html()) == ["5", "6"]
    inner = RecordingView(recording, within=6)
    assert tree_lines(inner.text()) == ["[desk] #6 shelf(title='Emma') → 'B-12'"]  # who made it
    only = RecordingView(recording, within=5, hook="shelf")
    assert [call.index for call in only.calls()] == [6]
    axis = timeline_text(recording, view.scope)
    assert "the axis spans call #5" in axis[0] and len(axis) == 3


def test_bad_values_are_refused_saying_what_was_wrong_and_what_would_do() -> None:
    recording = recorded("Dune", "Emma")
    other = recorded("Dune")
    cases = [
        ({"path_to": "4"}, TypeError, r"path_to takes a RecordedCall or a call's number .* got str '4'"),
        ({"within": True}, TypeError, r"within takes a RecordedCall or a call's number"),
        ({"path_to": 99}, ValueError, r"path_to=99: no kept call #99 in this recording "
                                      r"\(calls are numbered 1 to 4"),
        ({"within": other.calls[0]}, ValueError, r"is a call of another recording; give a call of "
                                                 r"this one, or its number"),
        ({"path_to": 2, "hook": "shelf"}, ValueError,
         r"path_to=2 shows the one chain of calls down to call #2 and takes no other filter "
         r"\(got hook='shelf'\); to filter the calls made inside one call, give within=N"),
        ({"within": 1, "thread": RecordingView.OWN_THREAD, "path_to": 2}, ValueError,
         r"takes no other filter \(got thread='\(recording thread\)', within=1\)"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            RecordingView(recording, **kwargs)  # type: ignore[arg-type]


def test_the_widget_of_a_path_opens_the_call_it_leads_to_and_holds_its_filters() -> None:
    recording = recorded("Dune", "lost")
    view = RecordingView(recording, path_to=4)
    box = view.widget
    (controls,) = [child for child in box.children if isinstance(child, ipywidgets.HBox)]
    assert all(pick.disabled for pick in controls.children)
    (pick,) = [child for child in box.children if isinstance(child, ipywidgets.Select)]
    assert [index for _, index in pick.options] == [3, 4] and pick.value == 4
    assert "calls on the path to #4" in box.children[0].value
    tabs = next(child for child in box.children if isinstance(child, ipywidgets.Tab))
    assert tabs.get_title(1) == "path" and "#1 lend" not in tabs.children[1].value
    assert tabs.selected_index == 1  # opened on the path
    shown = box.children[-1].value
    assert "shelf" in shown and "KeyError" in shown  # the call view of the failed call
    within = RecordingView(recording, within=3).widget
    (controls,) = [child for child in within.children if isinstance(child, ipywidgets.HBox)]
    (hook_pick, *_) = controls.children
    assert not hook_pick.disabled
    hook_pick.value = "shelf"  # as a click would: filters inside call #3
    (pick,) = [child for child in within.children if isinstance(child, ipywidgets.Select)]
    assert [index for _, index in pick.options] == [4]


def test_path_to_the_report_of_a_failed_pytest_test(tmp_path: Path) -> None:
    (tmp_path / "test_one.py").write_text(textwrap.dedent("""
        def test_fine():
            pass

        def test_broken():
            assert 1 == 2
    """))
    run = run_pytest([str(tmp_path)], ["-q", "-p", "no:cacheprovider"])
    failed = next(call for _, call in run.recording.walk()
                  if call.hook == "pytest_runtest_makereport" and "test_broken" in call.kwargs["item"]
                  and "when='call'" in call.kwargs["call"])
    path = RecordingView(run.recording, path_to=failed)
    assert [call.hook for call in path.calls()] == [
        "pytest_cmdline_main", "pytest_runtestloop", "pytest_runtest_protocol",
        "pytest_runtest_makereport"]
    lines = tree_lines(path.text())
    assert lines[1].startswith("· [main] #") and "pytest_runtestloop(" in lines[1]
    assert lines[2].startswith("· [main] #") and "test_broken" in lines[2]
    assert lines[3].startswith("[runner] #") and "outcome='failed'" in lines[3]
