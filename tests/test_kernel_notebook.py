"""The extension in a real ipykernel, driven cell by cell through nbclient."""

from __future__ import annotations

import textwrap
import threading
import time
from pathlib import Path

import pytest
from kernel_fixtures import errors, kernel_notebook, mime_types, outputs_text, result

pytestmark = [pytest.mark.kernel, pytest.mark.slow]
WIDGET = "application/vnd.jupyter.widget-view+json"

SETUP = '''
import asyncio, time
import click
from nbplug import Extension, ExtensionPoint
from nbplug.lifespans import lifespan

extension_point = ExtensionPoint("feed")
extension = Extension("feed")

class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:
        """A headline for the topic."""

    @staticmethod
    @extension_point(firstresult=True)
    def probe(seconds: float) -> int:
        """How many ticks the ticker made while this call awaited."""

ticks = [0]

@lifespan
@click.option("--every", type=float, default=0.01)
async def ticker(every):
    async def tick():
        while True:
            await asyncio.sleep(every)
            ticks[0] += 1
    yield tick()
    ticks.append("torn down")
'''


def test_a_notebook_session_end_to_end(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(SETUP)
        added = nb.ok("%plugin add Specs ticker")
        assert "added 'Specs'" in outputs_text(added)

        # a plugin, called with %%hook (value = the hook's result, view shown) and with %hook
        plugin_cell = """
            class Weather:
                @extension
                async def fetch(self, topic):
                    await asyncio.sleep(0.01)
                    return f"{VERSION}[{topic}]"

                @extension
                async def probe(self, seconds):
                    before = ticks[0]
                    await asyncio.sleep(seconds)
                    return ticks[0] - before
            %plugin add Weather
        """
        plugin_cell = textwrap.dedent(plugin_cell)
        nb.ok("VERSION = 'v1'\n" + plugin_cell)
        cell = nb.ok("%%hook fetch\ntopic = 'harbor'")
        # the view shows the result; it is the cell's value (_) but not shown again as Out[n]
        assert result(cell) == "" and [o.output_type for o in cell.outputs] == ["display_data"]
        assert nb.value("_") == "['v1[harbor]']"
        assert "Weather" in outputs_text(cell)
        assert {"text/plain", "text/html"} <= mime_types(cell)
        assert WIDGET not in mime_types(cell)  # static by default: cheap
        live = nb.ok("%%hook -w fetch\ntopic = 'harbor'")
        assert WIDGET in mime_types(live)  # -w: the live call-view widget
        assert result(nb.ok("%%hook -q fetch\ntopic = 'quiet'")) == "['v1[quiet]']"  # no view: Out
        # the defaults are traitlets configuration, as IPython extensions have
        nb.ok("%config PluginMagics.view = 'text'\n%config PluginMagics.show_result = True")
        text_only = nb.ok("%%hook fetch\ntopic = 'harbor'")
        assert mime_types(text_only) == {"text/plain"} and result(text_only) == "['v1[harbor]']"
        nb.ok("%config PluginMagics.view = 'html'\n%config PluginMagics.show_result = False")
        nb.ok('r = %hook fetch topic="bay"')
        assert nb.value("r") == "['v1[bay]']"

        # re-running the cell that redefines and re-adds the plugin replaces it: no duplicates
        nb.ok("VERSION = 'v2'\n" + plugin_cell)
        nb.ok("%%hook fetch\ntopic = 'harbor'")
        assert nb.value("_") == "['v2[harbor]']"
        assert nb.value(
            "from nbplug.ipython import get_session\n"
            "[i.plugin_name for i in get_session().find_caller('fetch').implementations()]"
        ) == "['Weather']"

        # lifespans: their task keeps running while the kernel idles...
        started = nb.ok("%plugin start ticker --every 0.01")
        assert "started ticker" in outputs_text(started)
        before = int(nb.value("ticks[0]"))
        # the kernel is idle now (nothing executes) and the board widget still updates itself
        seen = nb.idle_messages(lambda m: m["msg_type"] == "comm_msg")
        assert any(m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "update"
                   for m in seen), [m["msg_type"] for m in seen]
        assert int(nb.wait_for("ticks[0]", lambda v: int(v) > before)) > before

        # ... and while a %%hook call awaits on the kernel's loop
        nb.ok("%%hook probe\nseconds = 0.3")
        assert int(nb.value("_")) > 0

        # stop: teardown ran; unload
        stopped = nb.ok("%plugin stop")
        assert "stopped ticker" in outputs_text(stopped)
        assert nb.value("ticks[-1]") == "'torn down'"
        nb.ok("%unload_ext nbplug")
        gone = nb.cell("%plugin list")
        assert "UsageError" in errors(gone) or "not found" in outputs_text(gone)


def test_unload_tears_down_running_lifespans(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(SETUP)
        nb.ok("%plugin add ticker\n%plugin start ticker")
        nb.ok("%unload_ext nbplug")
        assert nb.value("ticks[-1]") == "'torn down'"
        count = int(nb.value("ticks[0]"))
        time.sleep(0.2)
        assert int(nb.value("ticks[0]")) == count  # the task is gone


def test_interrupt_cancels_a_hook_call_and_the_session_stays_usable(tmp_path: Path) -> None:
    began = tmp_path / "probe-began"
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(SETUP)
        nb.ok(
            f"""
            import pathlib
            class Slow:
                @extension
                async def probe(self, seconds):
                    pathlib.Path({str(began)!r}).write_text("began")
                    try:
                        await asyncio.sleep(seconds)
                    finally:
                        ticks.append("probe cleaned up")
                    return 0

                @extension
                def fetch(self, topic):
                    return topic.upper()
            %plugin add Specs Slow ticker
            %plugin start ticker
            """
        )

        def interrupt_once_the_call_awaits() -> None:
            deadline = time.monotonic() + 30
            while not began.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.2)
            nb.interrupt()

        interrupter = threading.Thread(target=interrupt_once_the_call_awaits)
        interrupter.start()
        try:
            interrupted = nb.cell("%%hook probe\nseconds = 60")
        finally:
            interrupter.join()
        assert "CancelledError" in errors(interrupted) or "KeyboardInterrupt" in errors(interrupted)
        assert nb.value("ticks[-1]") == "'probe cleaned up'"
        assert result(nb.ok("%hook -q fetch topic='still here'")) == "['STILL HERE']"
        before = int(nb.value("ticks[0]"))
        assert int(nb.wait_for("ticks[0]", lambda v: int(v) > before)) > before
        nb.ok("%plugin stop")


@pytest.mark.parametrize("how", ["shutdown", "restart"])
def test_kernel_shutdown_or_restart_runs_the_teardown(tmp_path: Path, how: str) -> None:
    marker = tmp_path / "teardown.txt"
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(
            f"""
            import asyncio, pathlib
            from nbplug.lifespans import lifespan

            @lifespan
            async def writer():
                yield asyncio.Event().wait()
                await asyncio.sleep(0)  # the teardown may await
                pathlib.Path({str(marker)!r}).write_text("torn down")

            %plugin add writer
            %plugin start writer
            """
        )
        assert not marker.exists()
        nb.end(how)
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.read_text() == "torn down"


def test_magics_in_the_cell_that_loads_the_extension(tmp_path: Path) -> None:
    """That cell was transformed before the extension existed: its magics run synchronously."""
    with kernel_notebook(tmp_path) as nb:
        nb.ok(SETUP)
        cell = nb.ok("%load_ext nbplug\n%plugin add Specs ticker\n%plugin start ticker")
        assert "added 'Specs'" in outputs_text(cell)
        before = int(nb.wait_for("ticks[0]", lambda v: int(v) > 0))
        assert int(nb.wait_for("ticks[0]", lambda v: int(v) > before)) > before
        assert "stopped ticker" in outputs_text(nb.ok("%plugin stop"))
        assert nb.value("ticks[-1]") == "'torn down'"


def test_a_cell_magic_past_the_first_line_is_refused_with_a_hint_in_a_kernel(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        refused = outputs_text(nb.cell("ran = True\n%%hook fetch\ntopic = 'x'"))
        assert "UsageError: %%hook fetch is on line 2 of this cell" in refused, refused
        assert "Line magic function" not in refused  # not IPython's bare "not found"
        assert nb.value("'ran' in dir()") == "False"  # refused before any line ran
