"""The notebook the browser test runs: nbplug loaded, two lifespans started, a hook called.

``ticker`` logs a line every 0.2 s from its background task, so the board must keep changing while
the kernel is idle; ``echo`` only sets up and tears down. They start in the order ticker, echo, so
Stop-all must tear down echo first. The hook has a plugin whose result is an HTML payload that would
set the page title if it were rendered instead of escaped.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

EVIL_TITLE = "nbplug-pwned"
EVIL = f"<img src=x onerror=\"document.title='{EVIL_TITLE}'\">"

LIFESPANS = '''\
import asyncio
import logging

import click

from nbplug.lifespans import lifespan


@lifespan
@click.option("--every", type=float, default=0.2)
async def ticker(ctx, every: float = 0.2):
    """Log a tick every --every seconds from a background task."""
    ctx.log.info("ticker set up")

    async def tick():
        n = 0
        while True:
            n += 1
            ctx.log.info("tick %d", n)
            await asyncio.sleep(every)

    yield tick()
    ctx.log.info("ticker torn down")


@lifespan
async def echo(ctx):
    """Nothing to run: stay up until stopped."""
    ctx.log.info("echo set up")
    yield
    ctx.log.info("echo torn down")
'''

PLUGINS = f'''\
from nbplug import Extension, ExtensionPoint

spec = ExtensionPoint("demo")
impl = Extension("demo")


class Specs:
    @spec
    def fetch(self, topic: str) -> str:
        """Fetch news on a topic."""


class Timing:
    @impl(wrapper=True)
    async def fetch(self, topic):
        yield


class Harbor:
    @impl
    async def fetch(self, topic):
        await asyncio.sleep(0.01)
        return f"harbor news on {{topic}}"


class Evil:
    @impl(trylast=True)
    def fetch(self, topic):
        return {EVIL!r}
'''

# Direct use of the views (works before / without the IPython extension).
DIRECT_START = """\
from nbplug.lifespans import LifespanGroup
from nbplug.widgets import LifespanBoard

group = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
group.add(ticker)
group.add(echo)
await group.start()
LifespanBoard(group)
"""

DIRECT_HOOK = """\
from nbplug import AsyncPluginManager
from nbplug.widgets import HookCallView

pm = AsyncPluginManager("demo")
pm.add_extension_points(Specs)
for plugin in (Timing(), Harbor(), Evil()):
    pm.register(plugin, name=type(plugin).__name__.lower())
trace = await pm.caller("fetch").traced(topic="boats")
HookCallView(trace)
"""

# The same through the extension's magics.
MAGIC_LOAD = "%load_ext nbplug"
MAGIC_START = "%plugin add ticker echo\n%plugin start ticker echo"
MAGIC_ADD = "%plugin add Specs Timing Harbor Evil"
MAGIC_HOOK = '%%hook fetch\ntopic = "boats"'


def write_notebook(path: Path, *, magics: bool) -> Path:
    """Write the test notebook to ``path``; ``magics`` picks the %plugin/%%hook form."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    cells = [LIFESPANS, PLUGINS]
    if magics:
        cells = [MAGIC_LOAD, *cells, MAGIC_START, MAGIC_ADD, MAGIC_HOOK]
    else:
        cells = [*cells, DIRECT_START, DIRECT_HOOK]
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(nb, str(path))
    return path
