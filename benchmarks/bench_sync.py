"""Synchronous hook calls: nbplug against pluggy and a hand-written loop, in one run, as ratios.

Two groups of cases:

* pluggy's own benchmark grid (``testing/benchmark.py::test_call_hook``): ``plugins`` plain
  implementations and ``wrappers`` wrappers of one hook, where every plain implementation calls the
  hook again until ``nesting`` levels deep; once with new-style wrappers (``wrapper=True``) and
  once with legacy ones (``hookwrapper=True``, ``outcome = yield``), as pluggy's grid has both;
* call overhead: 1 implementation, 10, 10 with 5 wrappers, and a firstresult hook with 10
  implementations where the 5th in call order answers.

The three contenders call the very same function objects: each is marked for pluggy (project
``pbench``) and for nbplug (project ``nbench``), and the hand-written loop calls the bound methods
in pluggy's call order. Run it alone with ``python benchmarks/bench_sync.py [--quick]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pluggy
from benchkit import Budget, Case, comparison_table, fmt_ratio, fmt_time, markdown_table, measure_sync

try:
    import nbplug
    from nbplug import Extension, ExtensionPoint, PluginManager  # noqa: F401 -- the kit is there
except ImportError as exc:  # the kit is not installed (or not written yet): report, don't crash
    nbplug = None  # type: ignore[assignment]
    NBPLUG_MISSING = f"nbplug's kit not importable: {exc}"
else:
    NBPLUG_MISSING = ""

CONTENDERS = ("loop", "nbplug", "pluggy")
#: the hand-written loop installed as a Python class's ``__call__``, measured in the overhead cases:
#: ``pm.hook.name`` is an object (nbplug's and pluggy's alike), and on CPython 3.11 calling an
#: instance of a Python class builds a keyword dict for its ``__call__`` (no vectorcall), so this is
#: the least any caller object can cost for the loop's work
FLOOR = "loop object"
TARGET_VS_PLUGGY = 3.0  # pluggy/nbplug at least this, on every case
TARGET_VS_LOOP = 1.5  # nbplug/loop at most this, for plain implementations (no wrappers)
TARGET_ONE_EXTENSION = 2.0  # nbplug/loop at most this with one extension (issue 19)

GRID: tuple[tuple[int, int, int], ...] = (
    (1, 1, 0),
    (1, 1, 1),
    (1, 1, 5),
    (1, 5, 1),
    (1, 5, 5),
    (5, 1, 1),
    (5, 1, 5),
    (5, 5, 1),
    (5, 5, 5),
    (20, 20, 0),
    (100, 100, 0),
)
#: the grid cases run again with legacy wrappers (hookwrapper=True): every case that has wrappers
LEGACY_GRID: tuple[tuple[int, int, int], ...] = tuple(case for case in GRID if case[1])
OVERHEAD = ("1 impl", "10 impls", "10 impls + 5 wrappers", "firstresult, 10 impls, 5th answers")
CASES: tuple[str, ...] = (tuple(f"grid {p}/{w}/{n}" for p, w, n in GRID)
                          + tuple(f"grid {p}/{w}/{n} legacy" for p, w, n in LEGACY_GRID) + OVERHEAD)


# --- the functions every contender calls (real methods, as users write them) ---------------------


class GridSpec:
    """Spec of pluggy's grid hook."""

    def fun(self, hooks: Any, nesting: int) -> None:
        """Called with the hook relay itself, so implementations can call the hook again."""


class GridPlugin:
    """pluggy's grid implementation."""

    def fun(self, hooks: Any, nesting: int) -> None:
        """Re-call the hook until ``nesting`` reaches 0."""
        if nesting:
            hooks.fun(hooks=hooks, nesting=nesting - 1)


class GridWrapper:
    """A new-style wrapper of the grid hook."""

    def fun(self, hooks: Any, nesting: int) -> Generator[None, Any, Any]:
        """Pass the inner result through."""
        return (yield)


class GridLegacy:
    """A legacy wrapper of the grid hook (``hookwrapper=True``): receives the outcome and leaves it."""

    def fun(self, hooks: Any, nesting: int) -> Generator[None, Any, None]:
        """Look at nothing: the outcome passes through unchanged."""
        yield


class ComputeSpec:
    """Specs of the call-overhead hooks."""

    def compute(self, arg1: int, arg2: int, arg3: int) -> Any:
        """Collecting: every implementation's result."""

    def compute_first(self, arg1: int, arg2: int, arg3: int) -> Any:
        """firstresult: the first non-None result."""


class Compute:
    """A plain implementation doing a little work."""

    def compute(self, arg1: int, arg2: int, arg3: int) -> int:
        """The sum of the arguments."""
        return arg1 + arg2 + arg3


class ComputeWrapper:
    """A new-style wrapper of the collecting overhead hook."""

    def compute(self, arg1: int, arg2: int, arg3: int) -> Generator[None, Any, Any]:
        """Pass the inner result through."""
        return (yield)


class Decline:
    """A firstresult implementation with no answer."""

    def compute_first(self, arg1: int, arg2: int, arg3: int) -> None:
        """No answer."""
        return None


class Answer:
    """A firstresult implementation that answers."""

    def compute_first(self, arg1: int, arg2: int, arg3: int) -> int:
        """The product of the arguments."""
        return arg1 * arg2 * arg3


@dataclass(frozen=True)
class _Library:
    """One plugin library's markers and manager factory."""

    name: str
    spec: Callable[..., Any]
    impl: Callable[..., Any]
    manager: Callable[[], Any]
    add_specs: str  # name of the manager method that adds a spec namespace


def _libraries() -> list[_Library]:
    """pluggy, and nbplug when importable, each with its own project name."""
    libs = [
        _Library(
            "pluggy",
            pluggy.HookspecMarker("pbench"),
            pluggy.HookimplMarker("pbench"),
            lambda: pluggy.PluginManager("pbench"),
            "add_hookspecs",
        )
    ]
    if nbplug is not None:
        libs.append(
            _Library(
                "nbplug",
                nbplug.ExtensionPoint("nbench"),
                nbplug.Extension("nbench"),
                lambda: nbplug.PluginManager("nbench"),
                "add_extension_points",
            )
        )
    return libs


def _mark_all(libs: Sequence[_Library]) -> None:
    """Mark the spec and plugin functions for every library (each under its own project name)."""
    marks: list[tuple[Callable[..., Any], str, dict[str, Any]]] = [
        (GridSpec.fun, "spec", {}),
        (GridPlugin.fun, "impl", {}),
        (GridWrapper.fun, "impl", {"wrapper": True}),
        (GridLegacy.fun, "impl", {"hookwrapper": True}),
        (ComputeSpec.compute, "spec", {}),
        (ComputeSpec.compute_first, "spec", {"firstresult": True}),
        (Compute.compute, "impl", {}),
        (ComputeWrapper.compute, "impl", {"wrapper": True}),
        (Decline.compute_first, "impl", {}),
        (Answer.compute_first, "impl", {}),
    ]
    for function, kind, opts in marks:
        for lib in libs:
            marker = lib.spec if kind == "spec" else lib.impl
            marked = marker(**opts)(function) if opts else marker(function)
            if marked is not function:
                raise RuntimeError(f"{lib.name}'s {kind} marker replaced {function.__qualname__}")


# --- hand-written baselines ---------------------------------------------------------------------


def _unwind(gens: Sequence[Generator[None, Any, Any]], result: Any, error: BaseException | None) -> Any:
    """Finish hand-driven wrappers innermost first: send the result (or throw the error) in."""
    for g in reversed(gens):
        try:
            if error is None:
                g.send(result)
            else:
                g.throw(error)
        except StopIteration as stop:
            result, error = stop.value, None
        except BaseException as exc:
            error = exc
        else:
            g.close()
            error = RuntimeError(f"wrapper {g.__qualname__} yielded twice")
    if error is not None:
        raise error
    return result


class _Outcome:
    """The hand-written loop's outcome for legacy wrappers: a result or an exception."""

    __slots__ = ("error", "result")

    def __init__(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error = result, error


def _unwind_legacy(gens: Sequence[Generator[None, Any, Any]], result: Any,
                   error: BaseException | None) -> Any:
    """Finish hand-driven legacy wrappers innermost first: each is sent the outcome object."""
    for g in reversed(gens):
        outcome = _Outcome(result, error)
        try:
            g.send(outcome)
        except StopIteration:
            result, error = outcome.result, outcome.error
        except BaseException as exc:
            result, error = None, exc
        else:
            g.close()
            result, error = None, RuntimeError(f"wrapper {g.__qualname__} yielded twice")
    if error is not None:
        raise error
    return result


def _grid_loop(impls: Sequence[Callable[..., Any]], wrappers: Sequence[Callable[..., Any]],
               legacy: bool = False) -> Any:
    """The grid hook written by hand: wrappers to their yield, the plain loop, then unwind."""
    unwind = _unwind_legacy if legacy else _unwind

    def fun(*, hooks: Any, nesting: int) -> Any:
        gens = []
        for w in wrappers:
            g = w(hooks, nesting)
            next(g)
            gens.append(g)
        try:
            results = []
            for f in impls:
                r = f(hooks, nesting)
                if r is not None:
                    results.append(r)
        except BaseException as exc:
            return unwind(gens, None, exc)
        return unwind(gens, results, None)

    return fun


def _compute_loop(impls: Sequence[Callable[..., Any]], wrappers: Sequence[Callable[..., Any]]) -> Any:
    """The collecting overhead hook written by hand (wrappers driven as in ``_grid_loop``)."""

    def compute(_self: object = None, /, *, arg1: int, arg2: int, arg3: int) -> list[Any]:
        results = []
        for f in impls:
            r = f(arg1, arg2, arg3)
            if r is not None:
                results.append(r)
        return results

    if not wrappers:
        return compute

    def wrapped(_self: object = None, /, *, arg1: int, arg2: int, arg3: int) -> Any:
        gens = []
        for w in wrappers:
            g = w(arg1, arg2, arg3)
            next(g)
            gens.append(g)
        try:
            results = []
            for f in impls:
                r = f(arg1, arg2, arg3)
                if r is not None:
                    results.append(r)
        except BaseException as exc:
            return _unwind(gens, None, exc)
        return _unwind(gens, results, None)

    return wrapped


def _first_loop(impls: Sequence[Callable[..., Any]]) -> Any:
    """The firstresult overhead hook written by hand: stop at the first non-None result."""

    def compute_first(_self: object = None, /, *, arg1: int, arg2: int, arg3: int) -> Any:
        for f in impls:
            r = f(arg1, arg2, arg3)
            if r is not None:
                return r
        return None

    return compute_first


def _call_order(pm: pluggy.PluginManager, hook: str) -> tuple[list[Any], list[Any]]:
    """pluggy's call order of a hook's bound functions: (plain ones, wrappers outermost-first)."""
    ordered = list(reversed(getattr(pm.hook, hook).get_hookimpls()))
    impls = [hi.function for hi in ordered if not (hi.wrapper or hi.hookwrapper)]
    wrappers = [hi.function for hi in ordered if hi.wrapper or hi.hookwrapper]
    return impls, wrappers


# --- cases ----------------------------------------------------------------------------------------


@dataclass
class _Setup:
    """One case ready to time: a statement and a namespace per contender."""

    statements: dict[str, str]
    namespace: dict[str, Any]
    plain: bool  # only plain implementations (the hand-written-loop target applies)


def _build_grid(plugins: int, wrappers: int, nesting: int, libs: Sequence[_Library],
                legacy: bool = False) -> _Setup:
    """pluggy's grid case: managers for every library plus the hand-written loop."""
    wrapper_class = GridLegacy if legacy else GridWrapper
    namespace: dict[str, Any] = {"n": nesting}
    statements: dict[str, str] = {}
    managers: dict[str, Any] = {}
    for lib in libs:
        pm = lib.manager()
        getattr(pm, lib.add_specs)(GridSpec)
        for i in range(plugins):
            pm.register(GridPlugin(), name=f"plug_{i}")
        for i in range(wrappers):
            pm.register(wrapper_class(), name=f"wrap_plug_{i}")
        managers[lib.name] = pm
        namespace[f"{lib.name}_hooks"] = pm.hook
        namespace[f"{lib.name}_call"] = pm.hook.fun
        statements[lib.name] = f"{lib.name}_call(hooks={lib.name}_hooks, nesting=n)"
    impls, wraps = _call_order(managers["pluggy"], "fun")
    loop_hooks = SimpleNamespace()
    loop_hooks.fun = _grid_loop(impls, wraps, legacy)
    namespace["loop_hooks"] = loop_hooks
    namespace["loop_call"] = loop_hooks.fun
    statements["loop"] = "loop_call(hooks=loop_hooks, nesting=n)"
    return _Setup(statements, namespace, plain=wrappers == 0)


def _build_overhead(case: str, libs: Sequence[_Library]) -> _Setup:
    """One of the call-overhead cases."""
    firstresult = case.startswith("firstresult")
    impl_count = 1 if case == "1 impl" else 10
    wrapper_count = 5 if "wrappers" in case else 0
    hook = "compute_first" if firstresult else "compute"
    plugin_classes: list[type]
    if firstresult:
        # the plugin registered last is called first: registered 6th of 10 means called 5th
        plugin_classes = [Answer if i == 5 else Decline for i in range(impl_count)]
    else:
        plugin_classes = [Compute] * impl_count
    namespace: dict[str, Any] = {}
    statements: dict[str, str] = {}
    managers: dict[str, Any] = {}
    for lib in libs:
        pm = lib.manager()
        getattr(pm, lib.add_specs)(ComputeSpec)
        for i, cls in enumerate(plugin_classes):
            pm.register(cls(), name=f"plug_{i}")
        for i in range(wrapper_count):
            pm.register(ComputeWrapper(), name=f"wrap_{i}")
        managers[lib.name] = pm
        namespace[f"{lib.name}_call"] = getattr(pm.hook, hook)
        statements[lib.name] = f"{lib.name}_call(arg1=1, arg2=2, arg3=3)"
    impls, wraps = _call_order(managers["pluggy"], hook)
    loop = _first_loop(impls) if firstresult else _compute_loop(impls, wraps)
    namespace["loop_call"] = loop
    statements["loop"] = "loop_call(arg1=1, arg2=2, arg3=3)"
    # the very same function as a Python class's __call__ (its ``_self`` takes the instance)
    namespace["floor_call"] = type("LoopObject", (), {"__call__": loop})()
    statements[FLOOR] = "floor_call(arg1=1, arg2=2, arg3=3)"
    return _Setup(statements, namespace, plain=wrapper_count == 0)


def _check_agreement(name: str, setup: _Setup) -> None:
    """Every contender must return the same result, or the comparison means nothing."""
    results = {who: eval(stmt, dict(setup.namespace)) for who, stmt in setup.statements.items()}
    expected = results["loop"]
    wrong = {who: r for who, r in results.items() if r != expected}
    if wrong:
        raise AssertionError(
            f"case {name!r}: results differ from the hand-written loop's {expected!r}: {wrong!r}"
        )


def measure(quick: bool = False) -> tuple[list[Case], set[str]]:
    """Time every case; returns the cases and the names of plain-implementation cases."""
    budget = Budget.for_mode(quick)
    libs = _libraries()
    _mark_all(libs)
    cases: list[Case] = []
    plain: set[str] = set()
    setups: list[tuple[str, Callable[[], _Setup]]] = [
        (f"grid {p}/{w}/{n}", lambda p=p, w=w, n=n: _build_grid(p, w, n, libs))  # type: ignore[misc]
        for p, w, n in GRID
    ]
    setups += [
        (f"grid {p}/{w}/{n} legacy",
         lambda p=p, w=w, n=n: _build_grid(p, w, n, libs, legacy=True))  # type: ignore[misc]
        for p, w, n in LEGACY_GRID
    ]
    setups += [(name, lambda name=name: _build_overhead(name, libs)) for name in OVERHEAD]  # type: ignore[misc]
    for name, build in setups:
        case = Case(name)
        if nbplug is None:
            case.missing["nbplug"] = NBPLUG_MISSING
        try:
            setup = build()
            _check_agreement(name, setup)
            case.seconds.update(measure_sync(setup.statements, setup.namespace, budget))
        except Exception as exc:  # one broken case must not hide the others
            case.missing["error"] = f"{type(exc).__name__}: {exc}"
            setup = None
        if setup is not None and setup.plain:
            plain.add(name)
        cases.append(case)
    return cases, plain


def _verdicts(cases: Sequence[Case], plain: set[str]) -> list[str]:
    """The targets, each met or missed, with the worst case."""
    lines = []
    vs_pluggy = [(c.ratio("pluggy", "nbplug"), c.name) for c in cases]
    known = [(r, n) for r, n in vs_pluggy if r is not None]
    if len(known) < len(cases):
        lines.append(
            f"- nbplug at least {TARGET_VS_PLUGGY:g}x faster than pluggy on every case: "
            "NOT MEASURED (nbplug missing or a case failed)"
        )
    if known:
        worst, where = min(known)
        verdict = "MET" if worst >= TARGET_VS_PLUGGY else "MISSED"
        lines.append(
            f"- nbplug at least {TARGET_VS_PLUGGY:g}x faster than pluggy on every measured "
            f"case: {verdict} (smallest pluggy/nbplug {worst:.2f}x, {where})"
        )
        missed = [(r, n) for r, n in known if r < TARGET_VS_PLUGGY]
        for r, n in missed:
            gap = next(c for c in cases if c.name == n).target_gap("pluggy", TARGET_VS_PLUGGY)
            lines.append(f"  - missed on {n}: {r:.2f}x" + (f" — {gap}" if gap else ""))
    vs_loop = [(c.ratio("nbplug", "loop"), c.name) for c in cases if c.name in plain]
    known = [(r, n) for r, n in vs_loop if r is not None]
    if known:
        worst, where = max(known)
        verdict = "MET" if worst <= TARGET_VS_LOOP else "MISSED"
        lines.append(
            f"- nbplug at most {TARGET_VS_LOOP:g}x the hand-written loop for plain "
            f"implementations: {verdict} (largest nbplug/loop {worst:.2f}x, {where})"
        )
    one = next((c for c in cases if c.name == "1 impl"), None)
    if one is not None and one.ratio("nbplug", "loop") is not None:
        ratio, floor = one.ratio("nbplug", "loop"), one.ratio(FLOOR, "loop")
        verdict = "MET" if ratio is not None and ratio <= TARGET_ONE_EXTENSION else "MISSED"
        lines.append(
            f"- nbplug at most {TARGET_ONE_EXTENSION:g}x the hand-written loop with one extension: "
            f"{verdict} ({ratio:.2f}x)"
            + (f"; the same loop as a Python class's `__call__` is already {floor:.2f}x the loop, "
               f"and nbplug is {one.ratio('nbplug', FLOOR):.2f}x that object" if floor else "")
        )
    return lines


def _floor_table(cases: Sequence[Case]) -> str:
    """The overhead cases against the loop installed as an object's ``__call__``."""
    header = ["case", "loop µs", f"{FLOOR} µs", "nbplug µs", f"{FLOOR}/loop", f"nbplug/{FLOOR}"]
    rows = [
        [c.name, fmt_time(c.seconds.get("loop")), fmt_time(c.seconds.get(FLOOR)),
         fmt_time(c.seconds.get("nbplug")), fmt_ratio(c.ratio(FLOOR, "loop")),
         fmt_ratio(c.ratio("nbplug", FLOOR))]
        for c in cases if FLOOR in c.seconds
    ]
    return markdown_table(header, rows)


def render(cases: Sequence[Case], plain: set[str], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    table, notes = comparison_table(
        cases, "pluggy", lambda c: c.name + (" (plain)" if c.name in plain else "")
    )
    budget = Budget.for_mode(quick)
    parts = [
        "## Synchronous calls (bench_sync)",
        "",
        f"Time per call (process CPU time, so preemption by other work on the machine is not "
        f"counted), best of {budget.repeats} repeats of an auto-sized loop "
        f"(≥ {budget.target:g} s each), contenders interleaved."
        + (" **Quick mode: figures are rough.**" if quick else ""),
        "Grid cases are pluggy's `test_call_hook` grid, named plugins/wrappers/nesting: every "
        "plain "
        "implementation re-calls the hook until `nesting` levels deep, so the nested cases "
        "make many "
        "calls per top-level call.",
        "",
        table,
        "",
        f"What any caller object costs: the loop's very function installed as a Python class's "
        f"`__call__` (**{FLOOR}**), called the same way. `pm.hook.name` is such an object, in "
        "nbplug and pluggy alike, and CPython 3.11 calls an instance of a Python class through a "
        "keyword dict (no vectorcall for it), so the loop object is the least a caller can cost:",
        "",
        _floor_table(cases),
        "",
        "Targets:",
        *_verdicts(cases, plain),
        "",
        "How each contender is built (all call the same function objects):",
        "- **pluggy**: `pluggy.PluginManager`, `@hookimpl` plain implementations and "
        "`@hookimpl(wrapper=True)` new-style wrappers (`return (yield)`) or, in the `legacy` "
        "grid cases, `@hookimpl(hookwrapper=True)` legacy wrappers (a bare `yield` receiving the "
        "outcome), called as `pm.hook.name(**kwargs)` with the caller looked up once.",
        "- **nbplug**: `nbplug.PluginManager` with `@extension` / `@extension(wrapper=True)` / "
        "`@extension(hookwrapper=True)` on the same functions, called the same way.",
        "- **loop**: a hand-written function taking the same keyword arguments, calling the bound "
        "methods positionally in pluggy's call order, keeping non-None results (firstresult: "
        "returning "
        "the first); wrappers driven by hand — `next(gen)` outermost first, then "
        "`gen.send(result)` "
        "(or `gen.throw(exc)`) innermost first, the `StopIteration` value becoming the result; "
        "legacy wrappers are sent a small outcome object instead and the result read back "
        "from it.",
    ]
    if notes:
        parts += ["", "Not measured:", *notes]
    return "\n".join(parts) + "\n"


def run(quick: bool = False) -> str:
    """Measure every case and return the Markdown section (the ``run_all.py`` entry point)."""
    cases, plain = measure(quick)
    return render(cases, plain, quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
