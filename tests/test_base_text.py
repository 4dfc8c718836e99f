"""The helpers every layer shares: one cut (at the end or in the middle), one safe error text, one
way to ask for the running loop."""

from __future__ import annotations

import asyncio

from nbplug._base.loops import current_task, running_loop
from nbplug._base.safetext import error_text, shorten


def test_shorten_cuts_at_the_end_or_in_the_middle_to_the_limit() -> None:
    text = "<TestReport 'tests/" + "deep/" * 40 + "test_x.py::test_one' when='call' outcome='passed'>"
    end, middle = shorten(text, 60), shorten(text, 60, middle=True)
    assert len(end) == len(middle) == 60
    assert end.startswith("<TestReport 'tests/deep/") and end.endswith("…")
    assert middle.startswith("<TestReport") and middle.endswith("outcome='passed'>") and "…" in middle
    assert shorten("short", 60, middle=True) == "short"


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("lazy object is gone")


def test_error_text_shows_the_type_even_when_the_message_cannot_be_read() -> None:
    assert error_text(ValueError("bad\nvalue\x1b[2J")) == "ValueError: bad value\\x1b[2J"
    assert error_text(KeyboardInterrupt()) == "KeyboardInterrupt"
    shown = error_text(Unprintable())
    assert shown.startswith("Unprintable") and "could not be shown" in shown
    assert len(error_text(ValueError("x" * 1000), 50)) == 50


def test_running_loop_and_task_are_none_outside_a_loop() -> None:
    assert running_loop() is None and current_task() is None

    async def inside() -> None:
        assert running_loop() is asyncio.get_running_loop()
        assert current_task() is asyncio.current_task()

    asyncio.run(inside())
