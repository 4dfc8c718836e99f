"""``%%record`` in a real ipykernel (nbclient): an awaiting cell runs on the kernel's own loop while
recorded, the recording view is the cell's output (live widget and HTML), and a failing cell shows
what was recorded, then its error."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_fixtures import errors, kernel_notebook, mime_types, outputs_text, result

from tests.test_ipython_record import SHOP

pytestmark = [pytest.mark.kernel, pytest.mark.slow]
WIDGET = "application/vnd.jupyter.widget-view+json"


def test_record_cells_in_a_kernel(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(SHOP)
        nb.ok("ticks = []\n"
              "async def tick():\n"
              "    while True:\n"
              "        ticks.append(1)\n"
              "        await asyncio.sleep(0.005)\n"
              "ticker = asyncio.ensure_future(tick())")
        cell = nb.ok('%%record pm\n'
                     'before = len(ticks)\n'
                     'pm.hook.price(item="tea")\n'
                     'await asyncio.sleep(0.1)\n'
                     'ran_meanwhile = len(ticks) - before\n'
                     'pm.hook.price(item="cake")')
        assert {"text/html", WIDGET} <= mime_types(cell)
        shown = result(cell)
        assert "recording of nbplug.PluginManager 'shop': 2 hook calls of 1 hook" in shown
        assert "price(item='tea')" in shown and "price(item='cake')" in shown
        assert "[1]" in outputs_text(cell)  # the cell's own last value, shown above the view
        assert int(nb.value("ran_meanwhile")) > 3  # the kernel's loop went on while the cell awaited
        assert nb.value("pm.hook.price.get_hookimpls()[0].function is original") == "True"
        failing = nb.cell('%%record pm, stock\npm.hook.price(item="tea")\n1 / 0')
        assert errors(failing) == "ZeroDivisionError: division by zero"
        text = outputs_text(failing)
        assert text.index("recording of nbplug.PluginManager 'shop'") < text.index("ZeroDivisionError")
        assert "recording of pluggy.PluginManager 'stock'" in text
        assert nb.value("ticker.cancel(); 1 + 1") == "2"
