"""The recording view filtered by thread: calls made on other threads are roots labelled with
their thread, and ``RecordingView(recording, thread=...)`` shows one thread's calls only."""

from __future__ import annotations

import re

import ipywidgets
import pytest

from nbplug import Recording, record
from nbplug.widgets import RecordingView
from tests.test_recorder_unchanged import pooled_manager


def pooled_recording() -> Recording:
    pm = pooled_manager("nbplug")
    with record(pm) as recording:
        pm.hook.same_greet(name="ada")
    return recording


def test_a_thread_filter_keeps_that_threads_calls_in_every_form() -> None:
    recording = pooled_recording()
    view = RecordingView(recording)
    assert "not recorded" not in view.text()
    shown = re.search(r"; (\d+) of them on other threads \((\d+) threads? with calls kept\)",
                      view.text())
    assert shown is not None and int(shown[1]) == recording.other_threads == 12
    assert int(shown[2]) == len(recording.threads()) > 0
    thread = recording.threads()[0]
    on_it = view.filtered(thread=thread)
    calls = on_it.calls()
    assert calls and all(call.hook in ("same_inner", "same_leaf") for call in calls)
    text = on_it.text()
    assert f"filter: thread {thread}" in text
    assert "same_greet(" not in text and "same_inner(" in text
    assert f"thread <code>{thread}</code>" in on_it.html() and "same_greet(" not in on_it.html()
    own = view.filtered(thread=RecordingView.OWN_THREAD)
    assert [call.hook for call in own.calls()] == ["same_greet"]
    assert "same_inner(" not in own.text()


def test_an_unknown_thread_is_refused_with_the_threads_there_are() -> None:
    recording = pooled_recording()
    with pytest.raises(ValueError, match=r"no call on thread 'nope' was kept; threads: "
                                         r"'\(recording thread\)', 'pool"):
        RecordingView(recording, thread="nope")


def test_the_widget_has_a_thread_control_that_filters() -> None:
    recording = pooled_recording()
    view = RecordingView(recording)
    box = view.widget
    (controls,) = [child for child in box.children if isinstance(child, ipywidgets.HBox)]
    (pick,) = [w for w in controls.children if getattr(w, "description", "") == "thread"]
    assert list(pick.options) == ["(all)", RecordingView.OWN_THREAD, *recording.threads()]
    tabs = next(child for child in box.children if isinstance(child, ipywidgets.Tab))
    assert "same_inner" in tabs.children[1].value
    pick.value = RecordingView.OWN_THREAD  # as a click in the browser would
    assert view.thread == RecordingView.OWN_THREAD
    assert "same_inner" not in tabs.children[1].value and "same_greet" in tabs.children[1].value


def test_a_root_made_on_another_thread_is_labelled_with_it_in_every_form() -> None:
    recording = pooled_recording()
    view = RecordingView(recording)
    inner = [call for call in recording.calls if call.hook == "same_inner"]
    assert len(inner) == 6
    text, html = view.text(), view.html()
    for call in inner:
        assert f"[thread {call.thread}] #{call.index} same_inner(n=" in text
        assert (f'data-index="{call.index}" data-thread="{call.thread}"' in html)
    assert re.search(r"\[thread pool[^\]]*\]</span> <span[^>]*>#\d+ same_inner", html)
    assert "[thread" not in next(line for line in text.splitlines() if "same_greet(" in line)
    # nested calls on the thread keep the mark of the plugin that made them
    assert re.search(r"\[inner\] #\d+ same_leaf", text)
    from nbplug.widgets.recording.text import timeline_html, timeline_text

    scope = view.scope
    assert sum("same_inner" in line and "[thread pool" in line
               for line in timeline_text(recording, scope)) == 6
    assert timeline_html(recording, scope).count("[thread pool") == 6
    box = view.widget
    (pick,) = [w for w in box.children if isinstance(w, ipywidgets.Select)]
    labels = [label for label, _ in pick.options]
    assert sum(label.startswith("[thread pool") for label in labels) == 6
    assert labels[0].startswith("#1 same_greet")
