"""The recorded views name a plugin as the design map does: pluggy (and nbplug) name a plugin
registered without a name by its id (``140476274636624``); the design map shows its class or
module instead, and so does every form of the recording view (table, tree, filter, call view,
the widget's plugin list), the HTML tree carrying the registered name on hover."""

from __future__ import annotations

import re
from typing import Any

import pluggy
import pytest

import nbplug
from nbplug import record
from nbplug.widgets import ManagerInspector, RecordingView

hookspec = pluggy.HookspecMarker("names")
hookimpl = pluggy.HookimplMarker("names")
ID = re.compile(r"\b\d{9,}\b")  # an id as pluggy names an unnamed plugin


class Specs:
    @hookspec
    def names_outer(self) -> list[Any]:
        """Calls names_inner from each extension."""

    @hookspec
    def names_inner(self, who: str) -> list[str]:
        """Answers."""


class Caller:
    """Registered twice without a name: the map numbers them (``Caller #1``, ``Caller #2``)."""

    def __init__(self, pm: Any) -> None:
        self.pm = pm

    @hookimpl
    def names_outer(self) -> list[str]:
        return self.pm.hook.names_inner(who="caller")


class Answers:
    @hookimpl
    def names_inner(self, who: str) -> str:
        return f"hello {who}"


class More:
    @hookimpl
    def names_inner(self, who: str) -> str:
        return f"more for {who}"


KITS = {"pluggy": lambda: pluggy.PluginManager("names"), "nbplug": lambda: nbplug.PluginManager("names")}


def recorded(kit: str) -> tuple[Any, Any, dict[str, str]]:
    """A recorded call on a manager holding unnamed plugins (two of one class, one of another)
    and a named one; with the names the design map shows for the unnamed ones."""
    pm = KITS[kit]()
    pm.add_hookspecs(Specs)
    with record(pm) as recording:  # some registered while recording
        first = pm.register(Caller(pm))
        second = pm.register(Caller(pm))
        answers = pm.register(Answers())
        pm.register(More(), name="more")
        pm.hook.names_outer()
    unnamed = {first: "Caller #1", second: "Caller #2", answers: "Answers"}
    assert all(ID.fullmatch(name) for name in unnamed)  # (a class or module is named by __name__)
    return pm, recording, unnamed


@pytest.mark.parametrize("kit", sorted(KITS))
def test_the_recorded_views_name_unnamed_plugins_as_the_design_map_does(kit: str) -> None:
    pm, recording, unnamed = recorded(kit)
    design = ManagerInspector(pm).text()
    for shown in unnamed.values():  # the map's own names, which the recording must use
        assert shown in design
    view = RecordingView(recording)
    text, page = view.text(), view.html()
    assert not ID.search(text)
    assert not ID.search(re.sub(r'title="[^"]*"', "", page))  # the id only in a hover title
    inner = recording.find(hook="names_inner")
    assert len(inner) == 2 and all(len(call.steps) == 2 for call in inner)
    for name in (next(iter(unnamed)), list(unnamed)[1]):  # each Caller made a nested call
        shown = unnamed[name]
        assert f"[{shown}] #" in text
        assert f'title="registered as {name}">[{shown}]</span>' in page
    call = view.call_view(inner[0].index).text()
    assert "Answers" in call and "more" in call and not ID.search(call)


@pytest.mark.parametrize("kit", sorted(KITS))
def test_a_plugin_is_found_by_the_name_it_is_shown_by_and_listed_by_it(kit: str) -> None:
    _, recording, unnamed = recorded(kit)
    answers = next(name for name, shown in unnamed.items() if shown == "Answers")
    by_shown = RecordingView(recording, plugin="Answers")
    assert by_shown.plugin == answers
    assert by_shown.calls() == RecordingView(recording, plugin=answers).calls() != []
    assert "runs of plugin Answers's implementations" in by_shown.text()
    assert "filter: plugin Answers" in by_shown.text() and not ID.search(by_shown.text())
    plugin_pick = RecordingView(recording).widget.children[1].children[1]
    labels = [label for label, _ in plugin_pick.options]
    assert {"Caller #1", "Caller #2", "Answers", "more"} <= set(labels)
    assert not any(ID.search(label) for label in labels)
    plugin_pick.value = answers  # the value stays the registered name


def test_a_recording_keeps_no_plugin_alive() -> None:
    import gc
    import weakref

    pm = pluggy.PluginManager("names")
    pm.add_hookspecs(Specs)
    plugin = Answers()
    pm.register(plugin)
    with record(pm) as recording:
        pm.hook.names_inner(who="x")
    gone = weakref.ref(plugin)
    pm.unregister(plugin)
    del plugin
    gc.collect()
    assert gone() is None
    call = RecordingView(recording).call_view(recording.calls[0].index).text()
    assert "Answers" in call and not ID.search(call)  # still named by what it was
