"""The async feed example (examples/async_fetch.py): its output, and its timing wrapper's promise."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "async_fetch.py"
SOURCES = ("sports", "traffic", "weather")  # call order: the source registered last is asked first


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("async_fetch_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*topics: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), *topics],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_prints_each_topics_headlines_in_call_order_then_timings() -> None:
    lines = _run("harbor", "dunes")
    expected_headlines = [
        "harbor:",
        "  sports[harbor]: home team wins",
        "  traffic[harbor]: roads are quiet",
        "  weather[harbor]: clear skies",
        "dunes:",
        "  sports[dunes]: home team wins",
        "  traffic[dunes]: roads are quiet",
        "  weather[dunes]: clear skies",
    ]
    assert lines[: len(expected_headlines)] == expected_headlines
    assert lines[len(expected_headlines)] == "timings:"
    timings = lines[len(expected_headlines) + 1 :]
    assert len(timings) == 3, lines
    for line, topic in zip(timings[:2], ("harbor", "dunes"), strict=True):
        match = re.fullmatch(rf"  fetch\(topic='{topic}'\) took (\d+\.\d) ms", line)
        assert match, line
        # the wrapper surrounds the awaited sources, which sleep 20 + 5 + 10 ms in turn
        assert float(match[1]) >= 30.0
    match = re.fullmatch(
        r"  fetch\(topic='harbor'\) with the sources asked concurrently \(call_concurrently\) "
        r"took (\d+\.\d) ms",
        timings[2],
    )
    assert match, timings[2]
    # with the sources asked at once, the slowest (20 ms) bounds the time from below
    assert float(match[1]) >= 15.0


def test_default_topics() -> None:
    lines = _run()
    assert "harbor:" in lines and "mountains:" in lines
    assert sum(line.startswith("  fetch(topic=") for line in lines) == 3


def test_timing_wrapper_records_even_when_a_source_raises() -> None:
    example = _load_example()
    pm, timing = example.build_manager()

    class BrokenSource:
        @example.extension
        async def fetch(self, topic: str) -> str:
            raise ConnectionError(f"{topic}: feed unreachable")

    pm.register(BrokenSource(), name="broken")
    with pytest.raises(ConnectionError, match="harbor: feed unreachable"):
        asyncio.run(pm.caller("fetch")(topic="harbor"))
    assert [topic for topic, _ in timing.timings] == ["harbor"]
    assert timing.timings[0][1] >= 0.0
