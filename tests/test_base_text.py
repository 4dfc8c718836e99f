"""The helpers every layer shares: one cut (at the end or in the middle), one safe error text, one
way to ask for the running loop."""

from __future__ import annotations

import asyncio
import signal

import pytest

from nbplug._base.ctrlc import mark_ctrl_c
from nbplug._base.loops import current_task, running_loop
from nbplug._base.safetext import error_text, safe_attr, safe_repr, safe_str, shorten


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


class Custom(BaseException):
    """A BaseException of the user's own, neither Exception nor an interrupt."""


def _raising(error: BaseException) -> object:
    class Hostile(Exception):
        def __str__(self) -> str:
            raise error

        def __repr__(self) -> str:
            raise error

        def __getattr__(self, name: str) -> object:
            raise error

    return Hostile()


@pytest.mark.parametrize("error", [SystemExit(2), GeneratorExit(), Custom("mine")],
                         ids=["SystemExit", "GeneratorExit", "Custom"])
def test_any_base_exception_from_str_or_repr_is_contained(error: BaseException) -> None:
    hostile = _raising(error)
    assert error_text(hostile).startswith("Hostile") and "could not be shown" in error_text(hostile)  # type: ignore[arg-type]
    assert safe_repr(hostile) == "<unrepresentable Hostile>"
    assert safe_str(hostile) == "<unrepresentable Hostile>"
    assert safe_repr([hostile]) == "[<unrepresentable Hostile>]"
    assert safe_attr(hostile, "anything", "default") == "default"


def test_a_keyboard_interrupt_code_raised_is_contained_a_real_ctrl_c_is_not() -> None:
    # SIGINT ignored (a kernel between cells): a KeyboardInterrupt can only be a raise
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert "could not be shown" in error_text(_raising(KeyboardInterrupt()))  # type: ignore[arg-type]
        assert safe_repr(_raising(KeyboardInterrupt())) == "<unrepresentable Hostile>"
        with pytest.raises(KeyboardInterrupt):  # nbplug's handler marked it: a real Ctrl-C
            safe_repr(_raising(mark_ctrl_c(KeyboardInterrupt())))
    finally:
        signal.signal(signal.SIGINT, previous)
    with pytest.raises(KeyboardInterrupt):  # Python's handler: may be real, never swallowed
        safe_str(_raising(KeyboardInterrupt()))
