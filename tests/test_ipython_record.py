"""``%%record EXPR`` in an in-process IPython: every hook call of EXPR's managers while the cell runs,
sync and awaiting cells alike, shown in the recording view; nothing left behind; help and errors."""

from __future__ import annotations

import traceback

from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import nbplug
from nbplug.ipython.recordmagic import RecordingViews
from nbplug.widgets.recording.widget import RecordingView
from tests.ipython_fixtures import Shell, shell  # noqa: F401  (the fixture)

SHOP = '''
import asyncio
import pluggy
from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager

spec, impl = ExtensionPoint("shop"), Extension("shop")

class Specs:
    @spec
    def price(self, item: str) -> int:
        """The price of an item."""

class Cheap:
    @impl
    def price(self, item):
        return 1

pm = PluginManager("shop")
pm.add_extension_points(Specs)
pm.register(Cheap(), name="cheap")
original = pm.hook.price.get_hookimpls()[0].function

hookspec, hookimpl = pluggy.HookspecMarker("stock"), pluggy.HookimplMarker("stock")

class StockSpecs:
    @hookspec
    def count(self, item): ...

class Shelf:
    @hookimpl
    def count(self, item):
        return 7

stock = pluggy.PluginManager("stock")
stock.add_hookspecs(StockSpecs)
stock.register(Shelf(), name="shelf")
'''


def test_a_cell_is_recorded_and_its_value_is_the_recording_view(shell: Shell) -> None:  # noqa: F811
    shell.run(SHOP)
    with capture_output() as shown:
        view = shell.run('%%record pm\nfirst = pm.hook.price(item="tea")\npm.hook.price(item="cake")')
    assert isinstance(view, RecordingView) and isinstance(view.recording, nbplug.Recording)
    assert view.recording.hooks["price"].calls == 2
    assert [call.kwargs["item"] for call in view.recording.calls] == ["'tea'", "'cake'"]
    assert shell.ns["first"] == [1]
    assert "[1]" in shown.stdout or any("[1]" in o.data.get("text/plain", "") for o in shown.outputs)
    assert "recording of nbplug.PluginManager 'shop'" in view.text() and "price(item='tea')" in view.text()
    # the recorder is closed: the extension's own function is back, later calls are not recorded
    assert shell.run("pm.hook.price.get_hookimpls()[0].function is original")
    shell.run('pm.hook.price(item="later")')
    assert view.recording.hooks["price"].calls == 2


def test_an_awaiting_cell_is_recorded_across_its_awaits(shell: Shell) -> None:  # noqa: F811
    shell.run(SHOP)
    view = shell.run(
        "%%record pm\n"
        "async def shop_twice():\n"
        "    await asyncio.sleep(0.01)\n"
        '    pm.hook.price(item="tea")\n'
        "    await asyncio.sleep(0.01)\n"
        '    return pm.hook.price(item="cake")\n'
        "await asyncio.sleep(0)\n"
        "prices = await shop_twice()\n"
    )
    assert view.recording.hooks["price"].calls == 2 and shell.ns["prices"] == [1]
    assert view.recording.duration >= 0.02


def test_a_pluggy_manager_and_several_managers(shell: Shell) -> None:  # noqa: F811
    shell.run(SHOP)
    views = shell.run('%%record pm, stock\npm.hook.price(item="tea")\nstock.hook.count(item="tea")\n'
                      'stock.hook.count(item="cake")')
    assert isinstance(views, RecordingViews) and len(views) == 2
    assert views[0].recording.hooks["price"].calls == 1 and "count" not in views[0].recording.hooks
    assert views[1].recording.hooks["count"].calls == 2
    assert "recording of pluggy.PluginManager 'stock'" in views[1].text()
    with capture_output() as shown:
        shell.ip.display_formatter.format(views)  # shown one under the other
    assert shown is not None
    recordings = shell.run("%%record -q [stock, stock]\nstock.hook.count(item='x')")
    assert isinstance(recordings, nbplug.Recording) and recordings.hooks["count"].calls == 1


def test_the_error_of_the_cell_comes_after_the_view_of_what_was_recorded(shell: Shell) -> None:  # noqa: F811
    shell.run(SHOP)
    with capture_output() as shown:
        error = shell.fails('%%record pm\npm.hook.price(item="tea")\n1 / 0\n')
    assert isinstance(error, ZeroDivisionError)
    views = [o for o in shown.outputs if "recording of nbplug.PluginManager" in o.data.get("text/plain", "")]
    assert len(views) == 1 and "price(item='tea')" in views[0].data["text/plain"]
    frames = traceback.extract_tb(error.__traceback__)
    assert frames[-1].lineno == 3 and frames[-1].line == "1 / 0"  # the cell's own line
    assert not any("recordmagic" in (f.filename or "") for f in frames[-1:])
    assert shell.run("pm.hook.price.get_hookimpls()[0].function is original")


def test_what_cannot_be_recorded_is_a_usage_error_saying_why(shell: Shell) -> None:  # noqa: F811
    shell.run(SHOP)
    error = shell.fails("%%record nope\n1")
    assert isinstance(error, UsageError)
    assert "%%record nope: NameError: name 'nope' is not defined" in str(error)
    shell.run('apm = AsyncPluginManager("shop")')
    error = shell.fails("%%record apm\n1")
    assert isinstance(error, UsageError) and "records synchronous managers only" in str(error)
    error = shell.fails("%%record 42\n1")
    assert isinstance(error, UsageError) and "Recorder needs a plugin manager" in str(error)
    error = shell.fails("%record pm")
    assert isinstance(error, UsageError)
    assert "%record is a cell magic: start a cell with %%record pm" in str(error)
    error = shell.fails('%%record pm --hook pricee\npm.hook.price(item="x")')
    assert isinstance(error, UsageError) and "pricee" in str(error)
    assert shell.run("pm.hook.price.get_hookimpls()[0].function is original")


def test_help_is_magic_arguments_as_for_pytest(shell: Shell) -> None:  # noqa: F811
    for doc in (shell.ip.find_line_magic("record").__doc__, shell.ip.find_cell_magic("record").__doc__):
        assert "%%record EXPR [options]" in doc and "EXPR [EXPR ...]" in doc
        for option in ("--hook", "--plugin", "--max-calls", "--quiet", "--text"):
            assert option in doc
    with capture_output() as shown:
        shell.ip.run_cell("%record?")
    assert "Record every hook call of the manager(s) EXPR names" in (shown.stdout + "".join(
        o.data.get("text/plain", "") for o in shown.outputs))


def test_unloading_takes_the_magic_away(shell: Shell) -> None:  # noqa: F811
    assert shell.ip.find_cell_magic("record") is not None
    shell.ip.run_line_magic("unload_ext", "nbplug")
    try:
        assert shell.ip.find_cell_magic("record") is None
    finally:
        shell.ip.extension_manager.loaded.discard("nbplug.ipython")
        shell.ip.run_line_magic("load_ext", "nbplug")


def test_a_cell_the_transform_leaves_alone_is_recorded_too(shell: Shell) -> None:  # noqa: F811
    shell.run(SHOP)
    shell.ip.run_line_magic("autoawait", "off")  # the magic is then called, not awaited
    try:
        view = shell.run('%%record pm\npm.hook.price(item="tea")')
    finally:
        shell.ip.run_line_magic("autoawait", "on")
    assert isinstance(view, RecordingView) and view.recording.hooks["price"].calls == 1
