"""In-process IPython for the extension's tests: a shell with nbplug loaded, unloaded afterwards."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

SPECS_AND_PLUGINS = '''
import asyncio
from nbplug import Extension, ExtensionPoint

extension_point = ExtensionPoint("feed")
extension = Extension("feed")

class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str, limit: int = 3) -> str:
        """Fetch a headline for the topic."""

    @staticmethod
    @extension_point(firstresult=True)
    def first(topic: str) -> str:
        """The first headline."""

class Weather:
    @extension
    async def fetch(self, topic):
        await asyncio.sleep(0)
        return f"weather[{topic}]"

class Sports:
    @extension
    def fetch(self, topic, limit):
        return f"sports[{topic}:{limit}]"
'''

#: Extensions raising errors IPython cannot show as they are (with SPECS_AND_PLUGINS).
HOSTILE_ERRORS = '''
class BadStr(Exception):
    def __str__(self):
        raise RuntimeError("str broke")

class Unshowable:
    @extension
    def fetch(self, topic):
        raise BadStr()

class BadExit(BaseException):  # not an Exception, and its str raises SystemExit
    def __str__(self):
        raise SystemExit("str broke")

MadeHere = type("MadeHere", (Exception,), {"__str__": lambda self: 1 / 0})  # made at run time

class Raising:
    @extension
    def fetch(self, topic):
        raise {"exit": BadExit, "made": MadeHere}[topic]()

class Grouped:
    @extension
    def fetch(self, topic):
        raise ExceptionGroup("two feeds failed", [ValueError("one"), KeyError("two")])

class BadInit:
    def __init__(self):
        raise BadStr()

    @extension
    def fetch(self, topic):
        return "never"
'''

#: An extension that prints, then awaits (with SPECS_AND_PLUGINS), and a synchronous call site.
SLOW_PLUGIN = '''
class Slow:
    @extension
    async def fetch(self, topic):
        print("slow prints")
        await asyncio.sleep(0.05)
        return f"slow[{topic}]"

def call_from_sync_code():
    return get_ipython().run_cell_magic("hook", "fetch", "topic = 'x'")
'''


class Shell:
    """A thin driver of the in-process shell: run cells, read results and errors."""

    def __init__(self, ip: Any) -> None:
        self.ip = ip

    def run(self, code: str) -> Any:
        """Run a cell; return its value, or raise the error it raised (as the user would see)."""
        result = self.ip.run_cell(textwrap.dedent(code), store_history=True)
        result.raise_error()
        return result.result

    def fails(self, code: str) -> BaseException:
        """Run a cell that must fail; return its error."""
        result = self.ip.run_cell(textwrap.dedent(code), store_history=True)
        error = result.error_before_exec or result.error_in_exec
        assert error is not None, f"the cell did not fail: {code!r}"
        return error  # type: ignore[no-any-return]

    @property
    def ns(self) -> dict[str, Any]:
        return self.ip.user_ns  # type: ignore[no-any-return]


@pytest.fixture
def shell() -> Iterator[Shell]:
    """IPython's global test shell with ``%load_ext nbplug``; unloaded and cleared afterwards."""
    from IPython.core.getipython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    ip = start_ipython() or get_ipython()  # the global test shell (None on later calls)
    assert ip is not None
    ip.run_line_magic("load_ext", "nbplug")
    try:
        yield Shell(ip)
    finally:
        ip.run_line_magic("unload_ext", "nbplug")
        ip.extension_manager.loaded.discard("nbplug.ipython")
        for name in [n for n in ip.user_ns if not n.startswith("_") and n not in ip.user_ns_hidden]:
            del ip.user_ns[name]
