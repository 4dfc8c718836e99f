"""The recording view: per-hook table, call tree, timeline, filters, the call view of one call."""

from __future__ import annotations

import contextlib

import pytest

from nbplug import Extension, ExtensionPoint, PluginManager, record
from nbplug.recording.model import Recording
from nbplug.widgets import RecordingView
from tests.widgets_fixtures import EVIL

extension_point, extension = ExtensionPoint("lib"), Extension("lib")


class Spec:
    @extension_point
    def lend(self, title: str) -> list[str]: ...

    @extension_point(firstresult=True)
    def shelf(self, title: str) -> str: ...


class Desk:
    def __init__(self, pm: PluginManager) -> None:
        self.pm = pm

    @extension
    def lend(self, title: str) -> str:
        return f"lent from {self.pm.hook.shelf(title=title)}"


class Stacks:
    @extension
    def shelf(self, title: str) -> str:
        if title == "lost":
            raise KeyError(title)
        return "B-12"


def recorded(*titles: str) -> Recording:
    pm = PluginManager("lib")
    pm.add_extension_points(Spec)
    pm.register(Desk(pm), name="desk")
    pm.register(Stacks(), name="stacks")
    with record(pm) as recording:
        for title in titles:
            with contextlib.suppress(KeyError):
                pm.hook.lend(title=title)
    return recording


def test_text_has_counts_per_hook_and_the_tree_with_who_made_each_nested_call() -> None:
    text = RecordingView(recorded("Dune", "Emma")).text()
    assert "4 hook calls of 2 hooks" in text
    lend = next(line for line in text.splitlines() if line.strip().startswith("lend "))
    assert lend.split()[1:3] == ["2", "2"]  # calls, kept
    assert "[desk] #2 shelf(title='Dune') → 'B-12'" in text
    assert text.index("#1 lend(title='Dune')") < text.index("#2 shelf") < text.index("#3 lend")


def test_a_hook_filter_keeps_the_matches_and_greys_the_calls_around_them() -> None:
    view = RecordingView(recorded("Dune", "lost"), hook="shelf")
    text = view.text()
    assert "filter: hook shelf" in text
    assert "· #1 lend(title='Dune')" in text and "  [desk] #2 shelf(title='Dune')" in text
    assert "[desk] #4 shelf(title='lost') raised KeyError: 'lost'" in text
    assert [c.index for c in view.calls()] == [2, 4]
    html = view.html()
    assert 'data-hook="shelf"' in html and "<details" in html


def test_a_plugin_filter_shows_that_plugins_runs_only() -> None:
    view = RecordingView(recorded("Dune"), plugin="stacks")
    assert [c.hook for c in view.calls()] == ["shelf"]
    assert "runs of plugin stacks's implementations" in view.text()
    with pytest.raises(ValueError, match=r"plugin 'stack'.*did you mean 'stacks'"):
        RecordingView(recorded("Dune"), plugin="stack")


def test_what_the_recording_holds_is_escaped_in_html_and_controls_in_text() -> None:
    recording = recorded(EVIL, "bell\x1b[2J")
    html = RecordingView(recording).html()
    assert "<img" not in html and "&lt;img" in html
    assert "\x1b" not in RecordingView(recording).text()


def test_the_call_view_of_one_call_and_a_clear_error_for_a_missing_number() -> None:
    view = RecordingView(recorded("Dune"))
    call_view = view.call_view(2)
    assert "shelf" in call_view.text() and "stacks" in call_view.text()
    with pytest.raises(LookupError, match=r"no kept call #99 .*numbered 1 to 2"):
        view.call(99)


def test_a_large_recording_is_cut_and_says_how_many_more_there_are() -> None:
    view = RecordingView(recorded(*[f"t{i}" for i in range(30)]), hook="shelf", limit=10)
    text = view.text()
    assert "… cut at 10 rows; 25 more matching calls" in text


def test_the_widget_filters_and_shows_the_picked_call() -> None:
    view = RecordingView(recorded("Dune", "Emma"))
    head, filters, tabs, pick, call = view.widget.children
    hook_pick, plugin_pick = filters.children
    table = tabs.children[0]
    assert "recording of" in head.value
    hook_pick.value = "shelf"
    assert [index for _, index in pick.options] == [2, 4]
    pick.value = 4
    assert "Emma" in call.value and "stacks" in call.value
    plugin_pick.value = "desk"
    assert pick.options == ()  # shelf is not desk's
    assert "none" in table.value


def test_refuses_what_is_not_a_recording() -> None:
    with pytest.raises(TypeError, match="needs a Recording"):
        RecordingView(object())  # type: ignore[arg-type]
