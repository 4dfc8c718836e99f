"""The traced interpreter: one hook call run step by step, recording a ``CallTrace``.

Used for traced, historic and concurrent calls; the everyday path is the compiled plan in
``calls.py``. Like the code generator it takes a frozen :class:`~nbplug._kit.plan.CallPlan` and follows
the wrapper rules of :mod:`nbplug._kit.wrapping`, so the two engines agree by construction. It is
written once, as a coroutine: a synchronous call drives it with ``send(None)`` and it never
suspends because nothing is awaited. Loaded on first use, so ``import nbplug`` stays cheap.
Rejected: a second, synchronous copy of the interpreter (two copies of every rule).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Coroutine, Sequence
from typing import Any

from .introspection import qualname
from .plan import CallPlan, historic_call_error, missing_argument_error
from .records import HookImpl
from .result import Result
from .tracing import CallTrace, TraceStep
from .wrapping import alegacy_teardown, aresume, isawaitable, legacy_teardown, no_yield, resume


def _invoke(plan: CallPlan, impl: HookImpl, kw: dict[str, Any], first: str | None = None,
            value: Any = None) -> Any:
    """Call ``impl`` with its arguments from ``kw`` (``first``, a pipeline's threaded argument,
    given ``value`` instead), its defaulted parameters by keyword when the call has them;
    HookCallError naming it if the call left out one it needs."""
    try:
        args = [kw[a] for a in impl.argnames]
    except KeyError as missing:
        raise missing_argument_error(plan, impl, missing.args[0]) from None
    if first is not None and first in impl.argnames:
        args[impl.argnames.index(first)] = value
    if impl.kwargnames:
        given = {k: value if k == first else kw[k] for k in impl.kwargnames if k in kw}
        return impl.function(*args, **given)
    return impl.function(*args)


def _run_sync(coro: Coroutine[Any, Any, Any]) -> Any:
    """Drive a coroutine that never suspends (a synchronous call through the interpreter)."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    except RuntimeError as error:  # an extension's StopIteration, which a coroutine can't pass
        if isinstance(error.__cause__, StopIteration) and "raised StopIteration" in str(error):
            raise error.__cause__ from None
        raise
    coro.close()
    raise RuntimeError("a synchronous hook call awaited something; use AsyncPluginManager")


class _Clock:
    def __init__(self, origin: float | None = None) -> None:
        self.origin = time.perf_counter() if origin is None else origin

    def __call__(self) -> float:
        return time.perf_counter() - self.origin


async def _interpret(plan: CallPlan, kw: dict[str, Any], awaiting: bool, steps: list[TraceStep],
                     concurrent: bool = False, origin: float | None = None) -> Any:
    """Run one call step by step, recording a TraceStep per wrapper and extension (step
    times count from ``origin``, the trace's clock origin)."""
    clock = _Clock(origin)
    plain, wrappers = plan.plain, plan.wrappers
    mode = plan.mode if plan.mode != "historic" else "collecting"
    first = plan.argnames[0] if mode == "pipeline" else None

    async def level(index: int, sink: list[TraceStep]) -> Any:
        if index == len(wrappers):
            return await plain_section(sink)
        impl = wrappers[index]
        step = TraceStep(impl.plugin_name, qualname(impl.function), "wrapper", start=clock())
        sink.append(step)
        is_agen = inspect.isasyncgenfunction(impl.function)
        try:
            gen = _invoke(plan, impl, kw)
            if is_agen:
                try:
                    await gen.__anext__()
                except StopAsyncIteration:
                    no_yield(impl)
            else:
                try:
                    next(gen)
                except StopIteration:
                    no_yield(impl)
        except BaseException as exc:
            step.exception, step.end = exc, clock()
            raise
        step.setup_end = clock()
        if impl.opts.hookwrapper:
            return await legacy(impl, gen, is_agen, step, index)
        try:
            result = await level(index + 1, step.children)
        except BaseException as exc:
            result = await teardown(impl, gen, is_agen, step, exc, None)
            if is_agen:  # an async wrapper observes: the exception goes on
                step.exception, step.end = exc, clock()
                raise
        else:
            result = await teardown(impl, gen, is_agen, step, None, result)
        step.result, step.end = result, clock()
        return result

    async def teardown(impl: HookImpl, gen: Any, is_agen: bool, step: TraceStep,
                       error: BaseException | None, result: Any) -> Any:
        """A wrapper's teardown, given the inner error (thrown in at its yield) or result (sent);
        returns what a synchronous wrapper made the result (an async one cannot change it)."""
        step.teardown_start = clock()
        try:
            if is_agen:
                await aresume(gen.asend(result) if error is None else gen.athrow(error), gen, impl)
                return result
            if error is None:
                return resume(gen.send, result, gen, impl)
            return resume(gen.throw, error, gen, impl)
        except BaseException as replaced:
            step.exception, step.end = replaced, clock()
            raise

    async def legacy(impl: HookImpl, gen: Any, is_agen: bool, step: TraceStep, index: int) -> Any:
        """The rest of a legacy wrapper's step: the inner outcome as a Result, its teardown."""
        try:
            outcome = Result(await level(index + 1, step.children), None)
        except BaseException as exc:
            outcome = Result(None, exc)
        step.teardown_start = clock()
        try:
            if is_agen:
                result = await alegacy_teardown(gen, outcome, impl)
            else:
                result = legacy_teardown(gen, outcome, impl)
        except BaseException as exc:
            step.exception, step.end = exc, clock()
            raise
        step.result, step.end = result, clock()
        return result

    async def plain_section(sink: list[TraceStep]) -> Any:
        own = [TraceStep(i.plugin_name, qualname(i.function), "impl", not_called=True)
               for i in plain]
        sink.extend(own)
        if concurrent:
            return await gathered(own)
        value = kw.get(first) if first is not None else None
        results: list[Any] = []
        for impl, step in zip(plain, own, strict=True):
            step.not_called, step.start = False, clock()
            try:
                out = _invoke(plan, impl, kw, first, value)
                if awaiting and isawaitable(out):
                    out = await out
            except BaseException as exc:
                step.exception, step.end = exc, clock()
                raise
            step.result, step.end = out, clock()
            if out is None:
                continue
            if mode == "firstresult":
                return out
            if mode == "pipeline":
                value = out
            else:
                results.append(out)
        return None if mode == "firstresult" else value if mode == "pipeline" else results

    async def gathered(own: list[TraceStep]) -> list[Any]:
        async def timed(step: TraceStep, awaitable: Any) -> Any:
            try:
                step.result = await awaitable
            except BaseException as exc:
                step.exception = exc
                raise
            finally:
                step.end = clock()
            return step.result

        pending: list[Any] = []
        made: list[Any] = []  # the extensions' own awaitables, to close if never started
        for impl, step in zip(plain, own, strict=True):
            step.not_called, step.start = False, clock()
            try:
                out = _invoke(plan, impl, kw)
            except BaseException as exc:
                step.exception, step.end = exc, clock()
                for coro in (*pending, *made):
                    if inspect.iscoroutine(coro):
                        coro.close()
                raise
            if isawaitable(out):
                made.append(out)
                pending.append(timed(step, out))
            else:
                step.result, step.end = out, clock()
                pending.append(_ready(out))
        import asyncio  # here, not at module level: `import nbplug` stays as cheap as pluggy's

        tasks = [asyncio.ensure_future(p) for p in pending]
        try:
            values = await asyncio.gather(*tasks)
        except BaseException:
            # gather leaves the other extensions running when one fails: stop them, and
            # wait for them so that their finally blocks have run when the call returns
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return [v for v in values if v is not None]

    return await level(0, steps)


async def _ready(value: Any) -> Any:
    return value


def call_plain_sync(plan: CallPlan, kw: dict[str, Any], impls: Sequence[HookImpl]) -> list[Any]:
    """Call plain extensions synchronously, collecting (historic calls and their replay)."""
    results: list[Any] = []
    for impl in impls:
        out = _invoke(plan, impl, kw)
        if out is not None:
            results.append(out)
    return results


def call_sync(plan: CallPlan, kw: dict[str, Any]) -> Any:
    """Make one synchronous call step by step and return its result (or raise its error): for a
    call that left out arguments, where each extension's own arguments are checked at its turn."""
    return _run_sync(_interpret(plan, kw, False, []))


async def call_async(plan: CallPlan, kw: dict[str, Any]) -> Any:
    """The awaited form of :func:`call_sync`."""
    return await _interpret(plan, kw, True, [])


def new_trace(plan: CallPlan, kw: dict[str, Any]) -> CallTrace:
    """An empty trace of a call of ``plan`` with ``kw``, its clock started now."""
    pipeline_arg = plan.argnames[0] if plan.mode == "pipeline" else None
    return CallTrace(hook=plan.name, mode=plan.mode, kwargs=dict(kw), start_time=time.time(),
                     clock_origin=time.perf_counter(), pipeline_arg=pipeline_arg)


def traced_sync(plan: CallPlan, kw: dict[str, Any]) -> CallTrace:
    """Run a synchronous call through the interpreter and return its trace."""
    if plan.mode == "historic":
        raise historic_call_error(plan.name, awaiting=False)
    trace = new_trace(plan, kw)
    started = trace.clock_origin
    try:
        trace.result = _run_sync(_interpret(plan, kw, False, trace.steps, origin=started))
    except Exception as exc:
        trace.exception = exc
    finally:
        trace.duration = time.perf_counter() - started
    return trace


async def traced_async(plan: CallPlan, kw: dict[str, Any], concurrent: bool = False,
                       into: CallTrace | None = None) -> CallTrace:
    """Run an awaited call through the interpreter and return its trace (cancellation propagates).

    ``into`` (made by :func:`new_trace`) is the trace to fill: whoever holds it sees the steps
    as they happen, and after a cancellation the steps so far (the one cancelled with its
    ``CancelledError``)."""
    if plan.mode == "historic":
        raise historic_call_error(plan.name, awaiting=True)
    trace = into if into is not None else new_trace(plan, kw)
    started = trace.clock_origin
    try:
        trace.result = await _interpret(plan, kw, True, trace.steps, concurrent, origin=started)
    except Exception as exc:
        trace.exception = exc
    finally:
        trace.duration = time.perf_counter() - started
    return trace
