"""The rules for driving a wrapper, shared by the code generator and the traced interpreter.

A wrapper yields exactly once: a wrapper that does not yield, or yields a second time, is an error
naming it. A generator wrapper receives the inner result (``send``) or has the inner exception
raised at its ``yield`` (``throw``), and what it returns becomes the result. An async generator
wrapper observes: it is resumed the same way, must then finish, and cannot replace the outcome.

Decision: one public module both engines import, so the compiled plan and the interpreter cannot
drift apart on what a wrapper may do. Rejected: the interpreter importing the code generator's
private helpers (what it did), and each engine writing its own.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Generator
from typing import Any, NoReturn

from .records import HookImpl
from .signatures import qualname

#: results that are never awaitable: the async engines skip the awaitable test for these
PLAIN_TYPES = frozenset({str, int, float, bool, list, dict, tuple, set, bytes, type(None)})


def describe(impl: HookImpl) -> str:
    """``wrapper plugin.hook (function)``, as errors about a wrapper name it."""
    return f"wrapper {impl.plugin_name}.{impl.hook_name} ({qualname(impl.function)})"


def no_yield(impl: HookImpl) -> NoReturn:
    """A wrapper finished without yielding: say so."""
    raise RuntimeError(f"{describe(impl)} did not yield: a wrapper must yield exactly once")


def second_yield(impl: HookImpl) -> RuntimeError:
    """The error for a wrapper that yielded again after receiving the result."""
    return RuntimeError(f"{describe(impl)} yielded twice: a wrapper must yield exactly once")


def second(gen: Any, impl: HookImpl) -> NoReturn:
    """A wrapper yielded again after the result: close it and say so."""
    gen.close()
    raise second_yield(impl)


async def asecond(gen: Any, impl: HookImpl) -> NoReturn:
    """An async wrapper yielded again after the result: close it and say so."""
    await gen.aclose()
    raise second_yield(impl)


def resume(step: Callable[[Any], Any], value: Any, gen: Any, impl: HookImpl) -> Any:
    """Resume a generator wrapper (``gen.send`` the inner result or ``gen.throw`` the inner
    exception); what it returns becomes the result."""
    try:
        step(value)
    except StopIteration as stop:
        return stop.value
    second(gen, impl)


async def aresume(step: Awaitable[Any], gen: Any, impl: HookImpl) -> None:
    """Await an async wrapper's resumption (``gen.asend(result)`` or ``gen.athrow(exc)``), after
    which it must finish: an async wrapper observes the result, it cannot replace it."""
    try:
        await step
    except StopAsyncIteration:
        return
    await asecond(gen, impl)


def drive(gen: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
    """Delegate to a generator wrapper, then yield its return value instead of returning it.

    ``yield from`` takes the wrapper's return value without an exception, so the compiled plan
    gets the result from ``send``/``throw`` as a plain value: cheaper than the StopIteration a
    bare ``gen.send`` raises. While the wrapper runs, ``gi_yieldfrom`` is the wrapper; once it
    has finished it is None, which is how the plan tells a missing or second yield.
    """
    result = yield from gen
    yield result


def isawaitable(value: Any) -> bool:
    """Whether an implementation's result is to be awaited (async engines)."""
    return inspect.isawaitable(value)
