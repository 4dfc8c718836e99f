"""Any string names a project, as in pluggy (``PluginManager("my-plugin")``); only a non-string is
refused (also tests/test_kit_markers.py). Marked with nbplug's markers or with pluggy's, such a
project registers and calls on both managers, its extensions are found by name, and the notebook
can call its hooks as ``%hook PROJECT.HOOK``."""

from __future__ import annotations

from typing import Any

import pluggy
import pytest
from IPython.core.completer import provisionalcompleter
from IPython.core.error import UsageError
from ipython_fixtures import Shell, shell

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager
from nbplug._kit.markers import impl_options, projects_of, spec_options
from nbplug.session.discovery import offer_of

__all__ = ["shell"]

NAMES = ["my-plugin", "my.plugin", "two words", "1st", "", "ünï-code", "class"]


@pytest.mark.parametrize("project", [None, 3])
def test_a_project_name_is_a_string_for_the_async_manager_too(project: object) -> None:
    with pytest.raises(ValueError, match="a project name is a string, got"):
        AsyncPluginManager(project)  # type: ignore[arg-type]


def _specs_and_plugin(point: Any, impl: Any) -> tuple[type, type]:
    class Specs:
        @staticmethod
        @point
        def fetch(topic: str) -> list[str]:
            """Fetch headlines."""

        @staticmethod
        @point(firstresult=True)
        def first(topic: str) -> str:
            """The first headline."""

    class Source:
        @impl
        def fetch(self, topic: str) -> str:
            return f"plain[{topic}]"

        @impl(specname="fetch", tryfirst=True)
        def early(self, topic: str) -> str:
            return f"early[{topic}]"

        @impl
        def first(self, topic: str) -> str:
            return f"first[{topic}]"

    return Specs, Source


MARKERS = {
    "nbplug": lambda project: (ExtensionPoint(project), Extension(project)),
    "pluggy": lambda project: (pluggy.HookspecMarker(project), pluggy.HookimplMarker(project)),
}


@pytest.mark.parametrize("marks", sorted(MARKERS))
@pytest.mark.parametrize("project", NAMES)
def test_any_string_names_a_project(project: str, marks: str) -> None:
    specs, source = _specs_and_plugin(*MARKERS[marks](project))
    assert spec_options(specs.fetch, project) is not None
    assert impl_options(source.early, project) is not None
    assert projects_of(source) == {project}
    pm = PluginManager(project)
    assert pm.project_name == project
    pm.add_extension_points(specs)
    pm.register(source())
    assert pm.hook.fetch(topic="t") == ["early[t]", "plain[t]"]
    assert pm.caller(specs.first)(topic="t") == "first[t]"
    pm.check_pending()
    if marks == "pluggy":  # pluggy's own manager agrees
        theirs = pluggy.PluginManager(project)
        theirs.add_hookspecs(specs)
        theirs.register(source())
        assert theirs.hook.fetch(topic="t") == pm.hook.fetch(topic="t")


@pytest.mark.parametrize("project", ["my-plugin", "my.plugin", ""])
async def test_any_string_names_a_project_of_the_async_manager(project: str) -> None:
    specs, source = _specs_and_plugin(ExtensionPoint(project), Extension(project))
    apm = AsyncPluginManager(project)
    apm.add_extension_points(specs)
    apm.register(source())
    assert await apm.hook.fetch(topic="t") == ["early[t]", "plain[t]"]


def test_projects_are_kept_apart_by_their_whole_name() -> None:
    """A manager of ``my`` does not take what ``Extension("my-plugin")`` marked, nor the other way."""
    specs, source = _specs_and_plugin(ExtensionPoint("my-plugin"), Extension("my-plugin"))
    pm = PluginManager("my")
    with pytest.raises(ValueError, match=r"no extension points of project 'my'.*'my-plugin'"):
        pm.add_extension_points(specs)
    assert pm.register(source()) is not None
    assert pm.get_plugins() and not [c for c in pm.callers() if c.has_implementations()]
    assert offer_of(source).impl_projects == ("my-plugin",)


SPECS_AND_PLUGINS = '''
from nbplug import Extension, ExtensionPoint

point, mark = ExtensionPoint("my-plugin"), Extension("my-plugin")
other_point, other = ExtensionPoint("my.feed"), Extension("my.feed")

class Specs:
    @staticmethod
    @point
    def fetch(topic: str) -> str:
        """Fetch a headline."""

class OtherSpecs:
    @staticmethod
    @other_point
    def fetch(topic: str) -> str:
        """Fetch another headline."""

class Source:
    @mark
    def fetch(self, topic):
        return f"mine[{topic}]"

class OtherSource:
    @other
    def fetch(self, topic):
        return f"other[{topic}]"
'''


def test_the_notebook_calls_hooks_of_such_projects_by_qualified_name(shell: Shell) -> None:
    shell.run(SPECS_AND_PLUGINS)
    shell.run("%plugin add Specs Source OtherSpecs OtherSource")
    error = shell.fails("%hook fetch topic='x'")
    assert isinstance(error, UsageError)
    assert "name one: my-plugin.fetch, my.feed.fetch" in str(error)
    assert shell.run("%hook -q my-plugin.fetch topic='x'") == ["mine[x]"]
    assert shell.run("%hook -q my.feed.fetch topic='x'") == ["other[x]"]
    error = shell.fails("%hook -q my-plugn.fetch topic='x'")
    assert "no project named 'my-plugn'" in str(error) and "my-plugin" in str(error)
    error = shell.fails("%hook -q .fetch topic='x'")
    assert "is not a hook name" in str(error)
    for typed, offered in [("%hook my-p", "my-plugin.fetch"), ("%hook my.feed.f", "my.feed.fetch"),
                           ("%hook my-plugin.fetch to", "topic=")]:
        with provisionalcompleter():
            completions = shell.ip.Completer.completions(typed, len(typed))
            assert offered in {c.text for c in completions}, typed
