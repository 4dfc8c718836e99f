"""The rules for driving a wrapper, shared by the code generator and the traced interpreter.

A wrapper yields exactly once: a wrapper that does not yield, or yields a second time, is an error
naming it. A generator wrapper receives the inner result (``send``) or has the inner exception
raised at its ``yield`` (``throw``), and what it returns becomes the result. An async generator
wrapper observes: it is resumed the same way, must then finish, and cannot replace the outcome.

A legacy wrapper (``hookwrapper=True``, pluggy's old style) is sent a :class:`~nbplug._kit.result.Result`
holding the inner outcome at its ``yield`` — a generator or, on the async manager, an async
generator — and may change it with ``force_result`` / ``force_exception``; the outcome it leaves
becomes the result (or is raised). If its teardown raises, :func:`teardown_raised` warns as pluggy
does and the error goes on outward. ``StopIteration`` raised by an extension comes out as
``StopIteration`` through every wrapper (:func:`throw`), as in pluggy, rather than as the
``RuntimeError`` Python makes of it inside a generator.

Decision: one public module both engines import, so the compiled plan and the interpreter cannot
drift apart on what a wrapper may do. Rejected: the interpreter importing the code generator's
private helpers (one engine reaching into the other), and each engine writing its own.

Loaded lazily: the code generator imports it when it first compiles a plan with wrappers or an
awaited plan; plain synchronous calls never need it.
"""

from __future__ import annotations

import contextlib
import inspect
import warnings
from collections.abc import Awaitable, Callable, Generator
from typing import Any, NoReturn

from .errors import TeardownRaisedWarning
from .introspection import qualname
from .records import HookImpl
from .result import Result

#: results that are never awaitable: the async engines skip the awaitable test for these
PLAIN_TYPES = frozenset({str, int, float, bool, list, dict, tuple, set, bytes, type(None)})


def describe(impl: HookImpl) -> str:
    """``wrapper plugin.hook (function at file:line)``, as errors about a wrapper name it (the
    place is where pluggy's ``wrap_controller at ...`` points too: the generator's own code)."""
    function = impl.function
    with contextlib.suppress(ValueError):  # (a cycle of __wrapped__: name the function itself)
        function = inspect.unwrap(function)  # a stand-in's or decorator's original
    code = getattr(function, "__code__", None)
    where = f" at {code.co_filename}:{code.co_firstlineno}" if code is not None else ""
    return f"wrapper {impl.plugin_name}.{impl.hook_name} ({qualname(function)}{where})"


def no_yield(impl: HookImpl) -> NoReturn:
    """A wrapper finished without yielding: say so."""
    raise RuntimeError(f"{describe(impl)} did not yield: a wrapper must yield exactly once")


def second_yield(impl: HookImpl) -> RuntimeError:
    """The error for a wrapper that yielded again after receiving the result."""
    return RuntimeError(f"{describe(impl)} has second yield: it yielded twice, and a wrapper must "
                        "yield exactly once")


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
    except RuntimeError as error:
        _reraise_stop_iteration(gen, value, error)
        raise
    second(gen, impl)


def _reraise_stop_iteration(gen: Any, thrown: object, error: RuntimeError) -> None:
    """A StopIteration thrown into a generator wrapper comes back as RuntimeError (PEP 479):
    raise the StopIteration itself instead, as pluggy does."""
    if isinstance(thrown, StopIteration) and error.__cause__ is thrown:
        gen.close()
        raise thrown from None


def throw(gen: Generator[Any, Any, Any], exc: BaseException) -> Any:
    """``gen.throw(exc)`` for a wrapper driven by :func:`drive`, StopIteration kept as itself."""
    try:
        return gen.throw(exc)
    except RuntimeError as error:
        _reraise_stop_iteration(gen, exc, error)
        raise


def teardown_raised(impl: HookImpl, error: BaseException) -> None:
    """Warn that a legacy wrapper's teardown raised (pluggy's warning, its first lines verbatim),
    pointing at the wrapper."""
    from .._base.safetext import message_text, type_name  # only when the warning is written

    warning = TeardownRaisedWarning(
        "A plugin raised an exception during an old-style hookwrapper teardown.\n"
        f"Plugin: {impl.plugin_name}, Hook: {impl.hook_name}\n"
        f"{type_name(error)}: {message_text(error)}\n"
        "The error goes on to the wrappers outside this one. To replace the outcome on purpose, "
        "call outcome.force_exception(error) instead of raising, or make it a new-style wrapper "
        "(wrapper=True).")
    code = getattr(impl.function, "__code__", None)
    if code is None:
        warnings.warn(warning, stacklevel=2)
    else:
        warnings.warn_explicit(warning, TeardownRaisedWarning, code.co_filename, code.co_firstlineno)


def legacy_teardown(gen: Generator[Any, Any, Any], outcome: Result, impl: HookImpl) -> Any:
    """Send a legacy wrapper its outcome; the outcome it leaves is the result (or is raised)."""
    try:
        gen.send(outcome)
    except StopIteration:
        pass
    except BaseException as error:
        teardown_raised(impl, error)
        raise
    else:
        second(gen, impl)
    return outcome.get_result()


async def alegacy_teardown(gen: Any, outcome: Result, impl: HookImpl) -> Any:
    """Send an async legacy wrapper its outcome; the outcome it leaves is the result (or is
    raised). Cancellation in its teardown is passed on without the teardown warning."""
    try:
        await gen.asend(outcome)
    except StopAsyncIteration:
        pass
    except Exception as error:
        teardown_raised(impl, error)
        raise
    else:
        await asecond(gen, impl)
    return outcome.get_result()


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
    """Whether an extension's result is to be awaited (async engines)."""
    return inspect.isawaitable(value)
