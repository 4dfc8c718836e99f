"""Three async news sources behind a timing wrapper: the async dispatch example of nbplug.

An ``AsyncPluginManager`` awaits every source's ``fetch(topic)`` one after another, in call order
(the source registered last is asked first); ``TimingWrapper`` is an async-generator wrapper whose
``finally`` records how long the whole call took, even when a source raised. The last line shows
the explicit opt-in, ``call_concurrently``, asking the sources at the same time.

Run: ``python examples/async_fetch.py [TOPIC ...]`` (default topics: harbor, mountains).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator, Sequence
from time import monotonic

from nbplug import AsyncPluginManager, Extension, ExtensionPoint

extension_point = ExtensionPoint("feed")
extension = Extension("feed")


class Specs:
    """The feed's extension points."""

    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:  # type: ignore[empty-body]
        """Fetch a headline for the topic."""


class WeatherSource:
    """Weather: slow-ish network call."""

    @extension
    async def fetch(self, topic: str) -> str:
        """A weather headline."""
        await asyncio.sleep(0.01)
        return f"weather[{topic}]: clear skies"


class TrafficSource:
    """Traffic: a quick lookup."""

    @extension
    async def fetch(self, topic: str) -> str:
        """A traffic headline."""
        await asyncio.sleep(0.005)
        return f"traffic[{topic}]: roads are quiet"


class SportsSource:
    """Sports: the slowest feed."""

    @extension
    async def fetch(self, topic: str) -> str:
        """A sports headline."""
        await asyncio.sleep(0.02)
        return f"sports[{topic}]: home team wins"


class TimingWrapper:
    """An observe-only wrapper that records how long each ``fetch`` call took."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def record(self, topic: str, seconds: float) -> None:
        """Keep one call's duration."""
        self.timings.append((topic, seconds))

    @extension(wrapper=True)
    async def fetch(self, topic: str) -> AsyncGenerator[None, None]:
        """Time the whole call: set up before ``yield``, record in ``finally``."""
        start = monotonic()
        try:
            yield
        finally:
            self.record(topic, monotonic() - start)  # runs even if an implementation raised


def build_manager() -> tuple[AsyncPluginManager, TimingWrapper]:
    """The feed manager with the three sources and the timing wrapper registered."""
    pm = AsyncPluginManager("feed")
    pm.add_extension_points(Specs)
    pm.register(WeatherSource(), name="weather")
    pm.register(TrafficSource(), name="traffic")
    pm.register(SportsSource(), name="sports")
    timing = TimingWrapper()
    pm.register(timing, name="timing")
    return pm, timing


async def gather_headlines(
    topics: Sequence[str],
) -> tuple[dict[str, list[str]], TimingWrapper, float]:
    """Every topic's headlines (one awaited hook call per topic), the wrapper's timings, and the
    time the first topic takes with the sources asked concurrently (the explicit opt-in)."""
    pm, timing = build_manager()
    fetch = pm.caller(Specs.fetch)
    headlines = {topic: await fetch(topic=topic) for topic in topics}
    recorded = len(timing.timings)
    start = monotonic()
    concurrent = await fetch.call_concurrently(topic=topics[0])
    concurrent_seconds = monotonic() - start
    del timing.timings[recorded:]  # the wrapper timed this call too; it is reported separately
    if sorted(concurrent) != sorted(headlines[topics[0]]):
        raise RuntimeError(f"concurrent fetch disagrees: {concurrent} vs {headlines[topics[0]]}")
    return headlines, timing, concurrent_seconds


def main(argv: Sequence[str] | None = None) -> int:
    """Print the headlines of each topic, then the time each call took."""
    topics = list(sys.argv[1:] if argv is None else argv) or ["harbor", "mountains"]
    headlines, timing, concurrent_seconds = asyncio.run(gather_headlines(topics))
    for topic, lines in headlines.items():
        print(f"{topic}:")
        for line in lines:
            print(f"  {line}")
    print("timings:")
    for topic, seconds in timing.timings:
        print(f"  fetch(topic={topic!r}) took {seconds * 1000:.1f} ms")
    print(
        f"  fetch(topic={topics[0]!r}) with the sources asked concurrently "
        f"(call_concurrently) took {concurrent_seconds * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
