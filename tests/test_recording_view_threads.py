"""The recording view filtered by thread: calls made on other threads are roots labelled with
their thread, and ``RecordingView(recording, thread=...)`` shows one thread's calls only."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from html import escape as html_escape
from typing import Any

import ipywidgets
import pluggy
import pytest

import nbplug
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


# -- the call view of a call made on another thread, and the table's order --------------------

hookspec = pluggy.HookspecMarker("tv")
hookimpl = pluggy.HookimplMarker("tv")
#: A thread name with markup and a control character in it: the views escape it as any name.
PREFIX = "<b>db\x1bpool"


class PoolSpecs:
    @hookspec
    def tv_query(self, sql: str) -> list[str]:
        """Run from the main thread; asks each connection from a thread pool."""

    @hookspec
    def tv_connection(self, n: int) -> str:
        """Called on a worker thread, once per connection."""


class Pool:
    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    @hookimpl
    def tv_query(self, sql: str) -> str:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix=PREFIX) as pool:
            return ",".join(pool.map(lambda n: self.pm.hook.tv_connection(n=n)[0], range(2)))

    @hookimpl
    def tv_connection(self, n: int) -> str:
        return f"conn{n}"


def test_the_call_view_of_a_call_on_another_thread_names_that_thread_escaped() -> None:
    pm = pluggy.PluginManager("tv")
    pm.add_hookspecs(PoolSpecs)
    pm.register(Pool(pm), name="pool")
    with record(pm) as recording:
        assert pm.hook.tv_query(sql="select 1") == ["conn0,conn1"]
    view = RecordingView(recording)
    query, *connections = recording.calls
    assert query.thread is None and len(connections) == 2
    text, html = view.call_view(query.index).text(), view.call_view(query.index).html()
    assert "thread" not in text and "thread" not in html  # the recording's own thread: none named
    for call in connections:
        assert call.thread is not None and call.thread.startswith(PREFIX)
        shown = view.call_view(call.index)
        # as the tree labels it (thread NAME), and escaped as every name: \x1b, &lt;b&gt;
        escaped = call.thread.replace("\x1b", "\\x1b")
        assert f"[thread {escaped}] #{call.index} tv_connection" in view.text()
        assert f"\n  ran on thread {escaped}\n" in shown.text()
        assert "\x1b" not in shown.text() and "\x1b" not in shown.html()
        assert re.search(r'<div class="nbplug-call-thread"[^>]*>ran on thread '
                         + re.escape(html_escape(escaped)) + "</div>", shown.html())
        assert "<b>db" not in shown.html()


class Outer:
    """``tv_outer`` calls ``tv_inner``: the outer call begins first and ends last."""

    def __init__(self, pm: Any) -> None:
        self.pm = pm

    @hookimpl
    def tv_outer(self) -> int:
        return sum(self.pm.hook.tv_inner())

    @hookimpl
    def tv_inner(self) -> int:
        return 1


class NestedSpecs:  # the inner one first: the order of the specs is not the order of calls
    @hookspec
    def tv_inner(self) -> int:
        """Called inside tv_outer."""

    @hookspec
    def tv_outer(self) -> int:
        """Calls tv_inner."""


@pytest.mark.parametrize("kit", ["pluggy", "nbplug"])
@pytest.mark.parametrize("max_calls", [1000, 0])  # kept, and only counted (dropped)
def test_the_table_lists_hooks_in_the_order_their_first_calls_began(kit: str, max_calls: int
                                                                     ) -> None:
    pm = pluggy.PluginManager("tv") if kit == "pluggy" else nbplug.PluginManager("tv")
    pm.add_hookspecs(NestedSpecs)
    pm.register(Outer(pm), name="outer")
    with record(pm, max_calls=max_calls, min_per_hook=0) as recording:
        assert pm.hook.tv_outer() == [1]
        assert pm.hook.tv_outer() == [1]
    assert list(recording.hooks) == ["tv_outer", "tv_inner"]
    assert [(s.calls, s.kept) for s in recording.hooks.values()] == (
        [(2, 2), (2, 2)] if max_calls else [(2, 0), (2, 0)])
    view = RecordingView(recording)
    table = view.text().split("calls per hook", 1)[1]
    assert table.index("tv_outer") < table.index("tv_inner")
    html = view.html()
    assert html.index('data-hook="tv_outer"') < html.index('data-hook="tv_inner"')
    # the runs of one plugin's extensions too (they are counted per extension, not per hook)
    runs = view.filtered(plugin="outer").text().split("implementations", 1)[1]
    assert runs.index("tv_outer") < runs.index("tv_inner")
