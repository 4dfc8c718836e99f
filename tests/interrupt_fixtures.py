"""Plugins and lifespans that block or hang, for the Ctrl-C tests (in-process and in a kernel).

``DEFINITIONS.format(mark=path)`` is notebook source: each blocking stretch first writes what it is
doing (``fetch``, ``set-up``, ``teardown``) to the file ``mark``, so a test can interrupt it then.
"""

from __future__ import annotations

from pathlib import Path

DEFINITIONS = '''
import asyncio, pathlib, time
from nbplug import Extension, ExtensionPoint
from nbplug.lifespans import lifespan

extension_point = ExtensionPoint("feed")
extension = Extension("feed")
MARK = pathlib.Path({mark!r})
cleaned = []

class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:
        """A headline."""

class Blocking:
    @extension
    def fetch(self, topic):
        MARK.write_text("fetch")
        time.sleep(30)
        return "slept"

class Spinning:
    @extension
    def fetch(self, topic):
        MARK.write_text("fetch")
        while True:
            pass

class Weather:
    @extension
    def fetch(self, topic):
        return f"weather[{{topic}}]"

@lifespan
async def steady():
    yield None
    cleaned.append("steady torn down")

@lifespan
async def hangs():
    yield None
    try:
        MARK.write_text("teardown")
        await asyncio.Event().wait()
    finally:
        cleaned.append("finally of hangs")

@lifespan
async def slow_setup():
    MARK.write_text("set-up")
    time.sleep(30)
    yield None
'''


def marked(mark: Path, what: str) -> bool:
    """True once the blocking stretch ``what`` has begun."""
    return mark.exists() and mark.read_text() == what
