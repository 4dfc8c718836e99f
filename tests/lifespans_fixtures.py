"""Helpers for the lifespan tests: lifespans that record every set-up and teardown they run."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from nbplug.lifespans import LifespanSpec


class Journal:
    """Records what lifespans did, so tests can count teardowns exactly."""

    def __init__(self) -> None:
        self.entries: list[str] = []

    def note(self, text: str) -> None:
        self.entries.append(text)

    def count(self, text: str) -> int:
        return self.entries.count(text)

    def teardowns(self) -> list[str]:
        return [e.split(":", 1)[1] for e in self.entries if e.startswith("teardown:")]

    def setups(self) -> list[str]:
        return [e.split(":", 1)[1] for e in self.entries if e.startswith("setup:")]


def recorder(
    journal: Journal,
    name: str,
    *,
    task: Callable[[], Awaitable[Any]] | None = None,
    setup_error: BaseException | None = None,
    setup_wait: asyncio.Event | None = None,
    teardown_error: BaseException | None = None,
    teardown_wait: asyncio.Event | None = None,
    depends_on: tuple[str, ...] = (),
) -> LifespanSpec:
    """A lifespan named ``name`` whose code after ``yield`` (not in a finally) notes its teardown."""

    async def life() -> AsyncIterator[Any]:
        if setup_wait is not None:
            journal.note(f"waiting-setup:{name}")
            await setup_wait.wait()
        if setup_error is not None:
            raise setup_error
        journal.note(f"setup:{name}")
        yield None if task is None else task()
        journal.note(f"teardown:{name}")
        if teardown_wait is not None:
            await teardown_wait.wait()
            journal.note(f"teardown-finished:{name}")
        if teardown_error is not None:
            raise teardown_error

    life.__name__ = name
    return LifespanSpec(name=name, function=life, depends_on=depends_on)


async def forever() -> None:
    """A task that runs until cancelled."""
    await asyncio.Event().wait()


async def fail_soon(message: str = "task broke") -> None:
    """A task that fails after letting the loop turn once."""
    await asyncio.sleep(0)
    raise RuntimeError(message)


async def finish_soon() -> None:
    """A task that ends by itself after letting the loop turn once."""
    await asyncio.sleep(0)


class Unprintable(Exception):
    """An error built from a broken object: its ``str`` and ``repr`` raise."""

    def __str__(self) -> str:
        raise RuntimeError("str of a broken object")

    def __repr__(self) -> str:
        raise RuntimeError("repr of a broken object")


def in_own_loop(main: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``main()`` in a fresh event loop; whatever escapes the loop fails the test."""

    async def guarded() -> Any:
        return await asyncio.wait_for(main(), 10)

    try:
        return asyncio.run(guarded())
    except BaseException as exc:  # what escaped the loop itself
        pytest.fail(f"{type(exc).__name__} escaped the event loop")


UNSHOWN = "Unprintable (its message could not be shown: str() raised)"


async def raised_by(step: Awaitable[object]) -> BaseException | None:
    """What awaiting ``step`` raised, or None."""
    try:
        await step
    except BaseException as exc:
        return exc
    return None
