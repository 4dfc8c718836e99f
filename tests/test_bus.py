"""The update bus: latest value per key, no update lost to a race, immediate / timeout / throttle."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncGenerator
from typing import Any

import pytest

from nbplug.lifespans import UpdateBus, react_to_updates

GUARD = 5.0  # seconds: only a guard against hanging, never reached when the code is right


async def take(updates: AsyncGenerator[Any, None], n: int) -> list[Any]:
    """The next ``n`` values of an updates() iterator."""
    out: list[Any] = []
    async with contextlib.aclosing(updates):
        async for value in updates:
            out.append(value)
            if len(out) == n:
                break
    return out


def test_set_get_and_versions() -> None:
    bus = UpdateBus()
    assert bus.get("k") is None and bus.get("k", 7) == 7 and "k" not in bus
    bus.set("k", 1)
    bus.set("k", 2)
    assert bus.get("k") == 2 and "k" in bus and bus.version("k") == 2
    bus.fire("k")
    assert bus.get("k") == 2 and bus.version("k") == 3
    assert "k=2" in repr(bus)


async def test_immediately_yields_the_current_value_or_the_default() -> None:
    bus = UpdateBus()
    first = await take(bus.updates("k", immediately=True, default="none yet"), 1)
    assert first == ["none yet"]
    bus.set("k", 5)
    assert await take(bus.updates("k", immediately=True), 1) == [5]


async def test_by_default_a_key_s_current_value_comes_first() -> None:
    """As click-async-plugins' ITC.updates (yield_immediately=True by default)."""
    bus = UpdateBus()
    bus.set("k", "now")
    assert await take(bus.updates("k"), 1) == ["now"]


async def test_by_default_a_key_never_set_is_waited_for_not_yielded_as_none() -> None:
    bus = UpdateBus()
    reader = asyncio.create_task(take(bus.updates("k"), 1))
    await asyncio.sleep(0)
    assert not reader.done()
    bus.set("k", "first")
    assert await asyncio.wait_for(reader, GUARD) == ["first"]


async def test_immediately_false_makes_the_first_value_the_next_update() -> None:
    bus = UpdateBus()
    bus.set("k", "old")
    reader = asyncio.create_task(take(bus.updates("k", immediately=False), 1))
    await asyncio.sleep(0)
    assert not reader.done()
    bus.set("k", "new")
    assert await asyncio.wait_for(reader, GUARD) == ["new"]


async def test_an_update_while_the_reader_is_busy_is_not_lost() -> None:
    """The seed's reader cleared its event after yielding and so missed this update."""
    bus = UpdateBus()
    seen: list[int] = []

    async def reader() -> None:
        async for value in bus.updates("k"):
            seen.append(value)
            if value == 1:
                bus.set("k", 2)  # lands while the reader is still handling 1
            if value == 2:
                return

    task = asyncio.create_task(reader())
    await asyncio.sleep(0)
    bus.set("k", 1)
    await asyncio.wait_for(task, GUARD)
    assert seen == [1, 2]


async def test_racing_writers_lose_no_update() -> None:
    """Readers never see a stale value twice and always reach the last value written."""
    bus = UpdateBus()
    counter = itertools.count(1)
    writers, writes = 4, 200
    last = writers * writes

    async def writer() -> None:
        for i in range(writes):
            bus.set("n", next(counter))
            for _ in range(i % 3):
                await asyncio.sleep(0)

    async def reader(pause: int) -> list[int]:
        got: list[int] = []
        # aclosing: leaving early unsubscribes at once (an abandoned async generator is only
        # closed when the loop's finalizer gets to it, later on Python 3.12+)
        async with contextlib.aclosing(bus.updates("n")) as updates:
            async for value in updates:
                got.append(value)
                if value == last:
                    return got
                for _ in range(pause):
                    await asyncio.sleep(0)
        raise AssertionError("unreachable")  # pragma: no cover

    readers = [asyncio.create_task(reader(p)) for p in (0, 1, 2, 5)]
    await asyncio.sleep(0)
    await asyncio.gather(*(writer() for _ in range(writers)))
    results = await asyncio.wait_for(asyncio.gather(*readers), GUARD)
    for got in results:
        assert got[-1] == last
        assert got == sorted(set(got)), "a value was delivered twice or out of order"
    assert not bus.has_subscribers("n")


async def test_every_reader_gets_the_update() -> None:
    bus = UpdateBus()
    readers = [asyncio.create_task(take(bus.updates("k"), 1)) for _ in range(5)]
    await asyncio.sleep(0)
    assert bus.has_subscribers("k")
    bus.set("k", "hello")
    assert await asyncio.wait_for(asyncio.gather(*readers), GUARD) == [["hello"]] * 5
    assert not bus.has_subscribers("k")


async def test_throttle_collapses_updates_into_the_latest() -> None:
    async def run(throttle: float | None) -> list[int]:
        bus = UpdateBus()
        reader = asyncio.create_task(take(bus.updates("k", throttle=throttle), 2))
        await asyncio.sleep(0)
        bus.set("k", 1)
        for value in (2, 3, 4):
            for _ in range(3):
                await asyncio.sleep(0)
            bus.set("k", value)
        return await asyncio.wait_for(reader, GUARD)

    assert await run(None) == [1, 2]
    assert await run(0.2) == [1, 4]


async def test_throttle_spaces_reads_by_at_least_the_interval() -> None:
    bus = UpdateBus()
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def reader() -> None:
        async for _ in bus.updates("k", immediately=True, throttle=0.2):
            times.append(loop.time())
            if len(times) == 4:
                return

    task = asyncio.create_task(reader())
    while not task.done():
        bus.set("k", len(times))
        await asyncio.sleep(0.001)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # the immediate value starts nothing: the first update comes at once (as in the original,
    # which has no throttle), the next one a whole interval later
    assert gaps[0] < 0.1, gaps
    assert all(gap >= 0.2 - 0.002 for gap in gaps[1:]), gaps  # loop clock resolution


async def test_timeout_yields_the_current_value_as_a_heartbeat() -> None:
    bus = UpdateBus()
    bus.set("k", "steady")
    got = await asyncio.wait_for(take(bus.updates("k", timeout=0.01), 3), GUARD)
    assert got == ["steady"] * 3
    assert bus.version("k") == 1


async def test_timeout_still_delivers_real_updates() -> None:
    bus = UpdateBus()
    reader = asyncio.create_task(take(bus.updates("k", timeout=10), 1))
    await asyncio.sleep(0)
    bus.set("k", "update")
    assert await asyncio.wait_for(reader, GUARD) == ["update"]


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
async def test_bad_timeout_or_throttle_is_rejected(bad: float) -> None:
    bus = UpdateBus()
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        await take(bus.updates("k", timeout=bad), 1)
    with pytest.raises(ValueError, match="throttle must be a positive number"):
        await take(bus.updates("k", throttle=bad), 1)


async def test_a_cancelled_reader_leaves_no_waiter_behind() -> None:
    bus = UpdateBus()
    reader = asyncio.create_task(take(bus.updates("k"), 1))
    await asyncio.sleep(0)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert not bus.has_subscribers("k")
    assert bus._waiters == {}


def test_a_bus_works_across_event_loops() -> None:
    bus = UpdateBus()

    async def once(value: str) -> list[str]:
        reader = asyncio.create_task(take(bus.updates("k", immediately=False), 1))
        await asyncio.sleep(0)
        bus.set("k", value)
        return await asyncio.wait_for(reader, GUARD)

    assert asyncio.run(once("a")) == ["a"]
    assert asyncio.run(once("b")) == ["b"]


# ------------------------------------------------------------------------- a callback per update
async def test_react_calls_sync_and_async_callbacks_for_each_update_and_skips_none() -> None:
    bus = UpdateBus()
    seen: list[tuple[str, Any]] = []

    async def slow(value: Any) -> None:
        await asyncio.sleep(0)
        seen.append(("async", value))

    sync_task = asyncio.create_task(bus.react("k", lambda v: seen.append(("sync", v))))
    async_task = asyncio.create_task(bus.react("k", slow, immediately=True))  # None: skipped
    await asyncio.sleep(0)
    for value in (1, None, 2):
        bus.set("k", value)
        for _ in range(5):
            await asyncio.sleep(0)
    assert sorted(seen, key=str) == [("async", 1), ("async", 2), ("sync", 1), ("sync", 2)]
    for task in (sync_task, async_task):
        task.cancel()
        with pytest.raises(asyncio.CancelledError):  # re-raised, unlike the original's helper
            await task
    assert not bus.has_subscribers("k")


async def test_react_to_updates_takes_any_async_iterator_and_ends_with_it() -> None:
    async def three() -> AsyncGenerator[int | None, None]:
        for value in (1, None, 3):
            yield value

    got: list[Any] = []
    await asyncio.wait_for(react_to_updates(three(), got.append), GUARD)
    assert got == [1, 3]
    got.clear()
    await react_to_updates(three(), got.append, skip_none=False)
    assert got == [1, None, 3]


async def test_a_failing_callback_ends_the_reaction_and_unsubscribes() -> None:
    bus = UpdateBus()

    def fussy(value: int) -> None:
        if value == 2:
            raise ValueError("no twos")

    task = asyncio.create_task(bus.react("k", fussy))
    await asyncio.sleep(0)
    bus.set("k", 1)
    await asyncio.sleep(0)
    bus.set("k", 2)
    with pytest.raises(ValueError, match="no twos"):
        await asyncio.wait_for(task, GUARD)
    assert not bus.has_subscribers("k")
