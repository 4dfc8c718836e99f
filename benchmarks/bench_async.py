"""Awaited hook calls: nbplug's AsyncPluginManager against apluggy and a plain await loop.

Cases: 1 and 10 implementations, all coroutine functions or mixed (every other one a plain
function), each with and without 5 async wrappers. Every contender awaits the very same
implementation functions, reported as ratios: many awaited calls timed inside one coroutine on
one event loop (``asyncio.Runner``), never ``asyncio.run`` per call. Run it alone with
``python benchmarks/bench_async.py [--quick]``.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import warnings
from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import apluggy
from benchkit import Budget, Case, comparison_table, measure_async

try:
    import nbplug
    from nbplug import AsyncPluginManager, Extension, ExtensionPoint  # noqa: F401 -- kit is there
except ImportError as exc:  # the kit is not installed (or not written yet): report, don't crash
    nbplug = None  # type: ignore[assignment]
    NBPLUG_MISSING = f"nbplug's kit not importable: {exc}"
else:
    NBPLUG_MISSING = ""

CONTENDERS = ("loop", "nbplug", "apluggy")
TARGET_VS_LOOP = 2.0  # nbplug/loop at most this
TARGET_VS_APLUGGY = 20.0  # apluggy/nbplug at least this, for 10 implementations

SHAPES: tuple[tuple[int, str, int], ...] = tuple(
    (impls, kind, wrappers)
    for wrappers in (0, 5)
    for impls, kind in ((1, "async"), (10, "async"), (10, "mixed"))
)


def case_name(impls: int, kind: str, wrappers: int) -> str:
    """The table name of a case, e.g. ``10 mixed impls + 5 async wrappers``."""
    noun = "impl" if impls == 1 else "impls"
    return f"{impls} {kind} {noun}" + (f" + {wrappers} async wrappers" if wrappers else "")


CASES: tuple[str, ...] = tuple(case_name(*shape) for shape in SHAPES)


# --- the functions every contender awaits (real methods, as users write them) ------------------


class Specs:
    """The specs: ``compute`` for the implementations, ``around`` for apluggy's context managers."""

    async def compute(self, arg1: int, arg2: int, arg3: int) -> Any:
        """Collecting: every implementation's result, awaited in call order."""

    async def around(self, arg1: int, arg2: int, arg3: int) -> Any:
        """apluggy's form of a wrapper: async context managers stacked around the call."""


class AsyncCompute:
    """A coroutine implementation doing a little work."""

    async def compute(self, arg1: int, arg2: int, arg3: int) -> int:
        """The sum of the arguments."""
        return arg1 + arg2 + arg3


class SyncCompute:
    """A plain implementation next to coroutine ones (the mixed cases)."""

    def compute(self, arg1: int, arg2: int, arg3: int) -> int:
        """The sum of the arguments."""
        return arg1 + arg2 + arg3


class AsyncWrapper:
    """An observe-only async wrapper: an async generator that yields once."""

    async def compute(self, arg1: int, arg2: int, arg3: int) -> AsyncGenerator[None, Any]:
        """Set up nothing, receive the result, tear down nothing."""
        yield


class ApluggyWrapper:
    """The same async generator as an ``asynccontextmanager``: what apluggy's ``awith`` stacks."""

    around = asynccontextmanager(AsyncWrapper.compute)


def _mark_all() -> None:
    """Mark specs and implementations for apluggy (project ``abench``) and nbplug (``nbench``)."""
    spec = apluggy.HookspecMarker("abench")
    impl = apluggy.HookimplMarker("abench")
    for function in (Specs.compute, Specs.around):
        spec(function)
    for function in (AsyncCompute.compute, SyncCompute.compute, ApluggyWrapper.around):
        impl(function)
    if nbplug is not None:
        nspec = nbplug.ExtensionPoint("nbench")
        nimpl = nbplug.Extension("nbench")
        nspec(Specs.compute)
        for function in (AsyncCompute.compute, SyncCompute.compute):
            nimpl(function)
        nimpl(wrapper=True)(AsyncWrapper.compute)


# --- hand-written baselines ---------------------------------------------------------------------


async def _unwind(gens: Sequence[Any], result: Any, error: BaseException | None) -> Any:
    """Finish hand-driven async wrappers innermost first: send the result (or the error) in."""
    for g in reversed(gens):
        try:
            if error is None:
                await g.asend(result)
            else:
                await g.athrow(error)
        except StopAsyncIteration:
            pass
        except BaseException as exc:
            error = exc
        else:
            await g.aclose()
            error = RuntimeError("async wrapper yielded twice")
    if error is not None:
        raise error
    return result


def _await_loop(
    impls: Sequence[Callable[..., Any]], wrappers: Sequence[Callable[..., Any]], mixed: bool
) -> Callable[..., Any]:
    """The call written by hand: ``for f in funcs: r = await f(...)``, wrappers driven by hand.

    One coroutine per call, as a person would write it. Mixed: the loop knows which functions are
    coroutine functions (a precomputed flag per function) and awaits only those.
    """
    flagged = [(f, asyncio.iscoroutinefunction(f)) for f in impls]

    if not wrappers and mixed:

        async def mixed_call(*, arg1: int, arg2: int, arg3: int) -> list[Any]:
            results = []
            for f, is_async in flagged:
                r = (await f(arg1, arg2, arg3)) if is_async else f(arg1, arg2, arg3)
                if r is not None:
                    results.append(r)
            return results

        return mixed_call

    if not wrappers:

        async def call(*, arg1: int, arg2: int, arg3: int) -> list[Any]:
            results = []
            for f in impls:
                r = await f(arg1, arg2, arg3)
                if r is not None:
                    results.append(r)
            return results

        return call

    async def wrapped(*, arg1: int, arg2: int, arg3: int) -> Any:
        gens = []
        for w in wrappers:
            g = w(arg1, arg2, arg3)
            await g.__anext__()
            gens.append(g)
        try:
            results = []
            for f, is_async in flagged:
                r = (await f(arg1, arg2, arg3)) if is_async else f(arg1, arg2, arg3)
                if r is not None:
                    results.append(r)
        except BaseException as exc:
            return await _unwind(gens, None, exc)
        return await _unwind(gens, results, None)

    return wrapped


# --- cases ----------------------------------------------------------------------------------------


@dataclass
class _Setup:
    """One case ready to time: an awaited statement and a namespace per contender."""

    statements: dict[str, str]
    namespace: dict[str, Any]
    missing: dict[str, str]


def _plugins(impls: int, kind: str) -> list[object]:
    """The implementation plugins in registration order (mixed: every other one synchronous)."""
    if kind == "mixed":
        return [SyncCompute() if i % 2 else AsyncCompute() for i in range(impls)]
    return [AsyncCompute() for _ in range(impls)]


def _build(impls: int, kind: str, wrappers: int) -> _Setup:
    """Managers for apluggy and nbplug plus the hand-written loop, for one case."""
    namespace: dict[str, Any] = {}
    statements: dict[str, str] = {}
    missing: dict[str, str] = {}
    plugins = _plugins(impls, kind)

    apm = apluggy.PluginManager("abench")
    apm.add_hookspecs(Specs)
    for i, plugin in enumerate(plugins):
        apm.register(plugin, name=f"plug_{i}")
    for i in range(wrappers):
        apm.register(ApluggyWrapper(), name=f"wrap_{i}")
    ahook = apm.ahook.compute  # looked up once, like the other contenders' callers
    if wrappers:
        awith = apm.awith.around

        async def apluggy_call(*, arg1: int, arg2: int, arg3: int) -> Any:
            async with awith(arg1=arg1, arg2=arg2, arg3=arg3):
                return await ahook(arg1=arg1, arg2=arg2, arg3=arg3)

        namespace["apluggy_call"] = apluggy_call
    else:
        namespace["apluggy_call"] = ahook
    statements["apluggy"] = "apluggy_call(arg1=1, arg2=2, arg3=3)"

    # pluggy's call order (last registered first), for the loop
    order = [hi.function for hi in reversed(apm.hook.compute.get_hookimpls())]
    wrapper_functions = [AsyncWrapper().compute for _ in range(wrappers)]
    namespace["loop_call"] = _await_loop(order, wrapper_functions, kind == "mixed")
    statements["loop"] = "loop_call(arg1=1, arg2=2, arg3=3)"

    if nbplug is None:
        missing["nbplug"] = NBPLUG_MISSING
    else:
        npm = nbplug.AsyncPluginManager("nbench")
        npm.add_extension_points(Specs)
        for i, plugin in enumerate(plugins):
            npm.register(plugin, name=f"plug_{i}")
        for i in range(wrappers):
            npm.register(AsyncWrapper(), name=f"wrap_{i}")
        namespace["nbplug_call"] = npm.hook.compute
        statements["nbplug"] = "nbplug_call(arg1=1, arg2=2, arg3=3)"
    return _Setup(statements, namespace, missing)


def _check_agreement(name: str, setup: _Setup, runner: asyncio.Runner) -> None:
    """Every contender must return the same result; one that cannot run the case is dropped."""

    async def results() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for who, stmt in list(setup.statements.items()):
            try:
                out[who] = await eval(stmt, dict(setup.namespace))
            except Exception as exc:
                if who == "loop":
                    raise
                setup.missing[who] = f"cannot run this case: {type(exc).__name__}: {exc}"
                del setup.statements[who]
        return out

    with warnings.catch_warnings():
        # a contender that fails part-way (apluggy on plain functions) leaves coroutines unawaited
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        got = runner.run(results())
        gc.collect()
    expected = got["loop"]
    wrong = {who: r for who, r in got.items() if r != expected}
    if wrong:
        raise AssertionError(f"case {name!r}: results differ from the await loop's {expected!r}: {wrong!r}")


def measure(quick: bool = False) -> list[Case]:
    """Time every case on one event loop."""
    budget = Budget.for_mode(quick)
    _mark_all()
    cases: list[Case] = []
    with asyncio.Runner() as runner:
        for shape in SHAPES:
            case = Case(case_name(*shape))
            try:
                setup = _build(*shape)
                _check_agreement(case.name, setup, runner)
                case.missing.update(setup.missing)
                case.seconds.update(measure_async(setup.statements, setup.namespace, budget, runner))
            except Exception as exc:  # one broken case must not hide the others
                case.missing["error"] = f"{type(exc).__name__}: {exc}"
            cases.append(case)
    return cases


def _verdicts(cases: Sequence[Case]) -> list[str]:
    """The targets, each met or missed, with the worst case."""
    lines = []
    vs_loop = [(c.ratio("nbplug", "loop"), c.name) for c in cases]
    known = [(r, n) for r, n in vs_loop if r is not None]
    if len(known) < len(cases):
        lines.append(
            f"- nbplug at most {TARGET_VS_LOOP:g}x the await loop: NOT MEASURED on every "
            "case (nbplug missing or a case failed)"
        )
    if known:
        worst, where = max(known)
        verdict = "MET" if worst <= TARGET_VS_LOOP else "MISSED"
        lines.append(
            f"- nbplug at most {TARGET_VS_LOOP:g}x the await loop on every measured case: "
            f"{verdict} (largest nbplug/loop {worst:.2f}x, {where})"
        )
    for with_wrappers in (False, True):
        ten = [
            (c.ratio("apluggy", "nbplug"), c.name)
            for c in cases
            if c.name.startswith("10 ") and ("wrappers" in c.name) == with_wrappers
        ]
        known = [(r, n) for r, n in ten if r is not None]
        if not known:
            continue
        worst, where = min(known)
        verdict = "MET" if worst >= TARGET_VS_APLUGGY else "MISSED"
        which = "with 5 async wrappers" if with_wrappers else "without wrappers (like for like)"
        line = (
            f"- nbplug at least {TARGET_VS_APLUGGY:g}x faster than apluggy with 10 "
            f"implementations, {which}: {verdict} (apluggy/nbplug {worst:.2f}x, {where})"
        )
        gap = next(c for c in cases if c.name == where).target_gap("apluggy", TARGET_VS_APLUGGY)
        lines.append(line + (f"; {gap}" if gap else ""))
    return lines


def render(cases: Sequence[Case], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    table, notes = comparison_table(cases, "apluggy")
    budget = Budget.for_mode(quick)
    parts = [
        "## Awaited calls (bench_async)",
        "",
        f"Time per awaited call (process CPU time), best of {budget.repeats} repeats of an "
        f"auto-sized loop (≥ {budget.target:g} s each) of awaits inside one coroutine on one "
        "event loop, contenders interleaved." + (" **Quick mode: figures are rough.**" if quick else ""),
        "",
        table,
        "",
        "Targets:",
        *_verdicts(cases),
        "",
        "How each contender is built (all await the same implementation functions):",
        "- **nbplug**: `nbplug.AsyncPluginManager`, coroutine (and, mixed, plain) `@extension` "
        "implementations, wrappers `@extension(wrapper=True)` async generators that `yield` once; "
        "`await pm.hook.compute(arg1=1, arg2=2, arg3=3)` with the caller looked up once.",
        "- **apluggy**: `apluggy.PluginManager`, `await pm.ahook.compute(...)` (pluggy "
        "collects the "
        "coroutines, apluggy `asyncio.gather`s them). apluggy has no async wrappers on "
        "`ahook`; its "
        "form of one is `async with pm.awith.around(...)` over `@asynccontextmanager` plugins (the "
        "same async generator), so the wrapper cases await `ahook` inside that `async with`. "
        "apluggy "
        "cannot run plain functions through `ahook` (gather needs awaitables), so mixed cases "
        "have no "
        "apluggy figure.",
        "- **loop**: a hand-written coroutine taking the same keyword arguments, "
        "`for f in funcs: r = await f(arg1, arg2, arg3)` over the bound methods in pluggy's call "
        "order, keeping non-None results; mixed: a per-function flag says which to await; wrappers "
        "driven by hand — `await gen.__anext__()` outermost first, then `await gen.asend(result)` "
        "(or `athrow`) innermost first until `StopAsyncIteration`.",
    ]
    if notes:
        parts += ["", "Not measured:", *notes]
    return "\n".join(parts) + "\n"


def run(quick: bool = False) -> str:
    """Measure every case and return the Markdown section (the ``run_all.py`` entry point)."""
    return render(measure(quick), quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
