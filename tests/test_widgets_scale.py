"""Every published output stays small whatever the design's size (Jupyter drops what passes its
IOPub data-rate limit, 1 MB/s by default), and past a bound the view says what it left out and
how to see it: a page, a filter, the next steps of a call."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from IPython.utils.capture import capture_output
from ipython_fixtures import Shell, shell

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug.ipython import get_session
from nbplug.widgets import HookCallView, ManagerInspector
from tests.widgets_fixtures import MANY_LIFESPANS

__all__ = ["shell"]

MB = 1_000_000
#: The bound every published output is held to (text/plain and text/html together).
PUBLISHED = 2 * MB

point, extension = ExtensionPoint("big"), Extension("big")


def _function(name: str, body: Callable[..., Any]) -> Callable[..., Any]:
    body.__name__ = body.__qualname__ = name
    return body


def design(hooks: int, plugins: int, *, name: Callable[[int], str] = "plugin_{:04d}".format,
           manager: Any = None) -> Any:
    """``plugins`` plugins that each implement every one of ``hooks`` hooks."""
    pm = manager or PluginManager("big")
    names = [f"hook_{h:03d}" for h in range(hooks)]
    pm.add_extension_points(type("Specs", (), {
        n: staticmethod(point(_function(n, lambda item: None))) for n in names}))
    for p in range(plugins):
        body = {n: extension(_function(n, lambda self, item, _p=p: _p)) for n in names}
        pm.register(type(f"Plugin{p}", (), body)(), name=name(p))
    return pm


def published(bundle: dict[str, Any]) -> int:
    """The bytes a front end is sent for a display bundle."""
    return len(json.dumps(bundle).encode())


def test_the_design_map_of_500_hooks_by_50_plugins_is_bounded_and_pages() -> None:
    pm = design(500, 50)
    view = ManagerInspector(pm)
    assert published(view._repr_mimebundle_()) < PUBLISHED / 2
    text = view.text()
    assert "500 hooks; showing 1–60 (page 1 of 9); page=2 shows the next 60" in text
    assert "matrix of the first 20 of 50 plugins and the first 30 of these 60 hooks" in view.html()
    assert "… 35 more in the call order (plugin='NAME' shows where one plugin runs)" in text
    second = ManagerInspector(pm, page=2).text()
    assert "hook_060(" in second and "hook_059(" not in second
    one = ManagerInspector(pm, hook="hook_499", plugin="plugin_0049").text()
    assert "hook_499(" in one and "1 of 500 hooks" in one
    assert "49. plugin_0000" not in one and "plugin_0049" in one


def test_names_are_cut_so_that_long_and_escaped_names_stay_within_the_bound() -> None:
    pm = design(500, 50, name=lambda p: '"<&>' * 40 + f"{p:04d}")
    view = ManagerInspector(pm)
    assert published(view._repr_mimebundle_()) < PUBLISHED
    assert len({cell.plugin for cell in view.design.projects[0].hooks[0].cells}) == 50  # still apart


def test_the_live_inspector_pages_within_the_bound() -> None:
    view = ManagerInspector(design(500, 50))
    box = view.widget
    sent = sum(len(page.value.encode()) for page in view._pages.children)
    assert sent < PUBLISHED / 2 and view._previous.disabled and not view._next.disabled
    view._next.click()
    assert view.page.number == 2 and "hook_060(" in view._pages.children[0].value
    assert "page 2 of 9" in view._summary.value
    box.close()


def test_plugin_list_of_5000_plugins_publishes_a_bounded_output(shell: Shell) -> None:
    shell.run("import nbplug")
    design(1, 5000, manager=get_session(shell.ip).manager_for("big"))
    with capture_output() as shown:
        shell.run("%plugin list")
    size = sum(published(output.data) for output in shown.outputs)
    assert 0 < size < PUBLISHED / 4, size
    text = shown.outputs[0].data["text/plain"]
    assert "… 4,850 more plugins (plugin='NAME' shows one)" in text
    assert "… 4,985 more in the call order" in text


CALLS = """
from nbplug import Extension, ExtensionPoint
extension_point, extension = ExtensionPoint("many"), Extension("many")

class Specs:
    @staticmethod
    @extension_point
    def answer(item):
        '''Every plugin answers.'''

def plugin(number):
    class Answer:
        @extension
        def answer(self, item):
            print(f"answer {number}: " + "x" * 300)
            return number
    return Answer()
"""


@pytest.mark.parametrize("extensions", [1000, 5000])
def test_a_hook_call_of_thousands_of_extensions_shows_a_bounded_view(shell: Shell, extensions: int) -> None:
    shell.run(CALLS)
    shell.run("%plugin add Specs")
    manager = get_session(shell.ip).manager_for("many")
    for number in range(extensions):
        manager.register(shell.run(f"plugin({number})"), name=f"answer_{number:04d}")
    with capture_output() as shown:
        result = shell.run("%%hook answer\nitem = 1\n")
    assert len(result) == extensions
    size = sum(published(output.data) for output in shown.outputs)
    assert 0 < size < 600_000, size  # the same bound at 1,000 and at 5,000 extensions
    text = shown.outputs[0].data["text/plain"]
    assert f"{extensions} extensions" in text
    assert f"showing steps 1–200 of {extensions:,}" in text
    assert "HookCallView(trace, start=201) shows the next 200" in text
    printed = [line for line in text.splitlines() if line.lstrip().startswith("print: answer")]
    assert 0 < len(printed) <= 200 and max(map(len, printed)) < 300  # printed lines bounded too
    later = HookCallView(get_session(shell.ip).last_trace, start=201).text()
    assert f"answer_{extensions - 201:04d}" in later and "start=1 the ones before" in later


def test_a_pytest_runs_view_shows_the_last_lines_of_a_long_output(tmp_path: Any) -> None:
    from nbplug.recording import run_pytest
    from nbplug.widgets.recording.pytest import PytestRunView

    (tmp_path / "test_loud.py").write_text(
        "def test_loud():\n    for i in range(20_000):\n        print('line', i, 'x' * 500)\n")
    run = run_pytest([str(tmp_path)], ["-q", "-s"])
    assert len(run.output) > 10 * MB
    bundle = PytestRunView(run)._repr_mimebundle_()
    assert published(bundle) < PUBLISHED / 2
    assert "earlier lines not shown (the run&#x27;s .output holds them all)" in bundle["text/html"]
    assert "line 19999" in bundle["text/html"] and "1 passed" in bundle["text/html"]




def test_plugin_list_of_5000_lifespans_names_the_first_and_counts_the_rest(shell: Shell) -> None:
    shell.run(MANY_LIFESPANS)
    shell.run("%plugin add Many")
    with capture_output() as shown:
        shell.run("%plugin list")
    assert sum(published(output.data) for output in shown.outputs) < PUBLISHED / 4
    line = next(line for line in shown.stdout.splitlines() if line.startswith("lifespans"))
    assert len(line) < 5_000, len(line)
    assert line.startswith("lifespans (5,000): life_0000 (not started), life_0001 (not started)")
    assert "life_0049 (not started)" in line and "life_0050" not in line
    assert line.endswith("… 4,950 more not listed (get_session().lifespans names every one; "
                         "%plugin status shows their board)")
    assert len(get_session(shell.ip).lifespans) == 5000


def test_call_orders_asked_for_are_whole_and_the_map_stays_bounded() -> None:
    """Asked for (all=True, or a hook by name), each hook's whole call order is shown while the
    page stays under the bound: 500 hooks x 50 plugins, every order of the page whole; one hook
    of 5,000 extensions, its first 3,000 and how many more; names that escape long, fewer."""
    everything = ManagerInspector(design(500, 50), all=True)
    assert published(everything._repr_mimebundle_()) < PUBLISHED
    text = everything.text()
    assert text.count("      50. plugin_0000") == 60 and "more in the call order" not in text
    for asked in (ManagerInspector(design(1, 5000), hook="hook_000"),
                  ManagerInspector(design(1, 5000), all=True)):
        assert published(asked._repr_mimebundle_()) < PUBLISHED
        text = asked.text()
        assert "      3000. plugin_2000" in text and "3001. " not in text
        assert "… 2,000 more in the call order (plugin='NAME' shows where one plugin runs)" in text
    hostile = ManagerInspector(design(500, 50, name=lambda p: '"<&>' * 40 + f"{p:04d}"), all=True)
    assert published(hostile._repr_mimebundle_()) < PUBLISHED
