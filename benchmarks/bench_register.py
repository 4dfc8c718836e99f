"""Registration: nbplug against pluggy 1.7, in one run, as ratios.

Four cases, each timed as one operation on a manager built for it:

* **start-up, 50 plugins on 100 hooks**: a new manager adds a spec class of 100 extension points and
  registers 50 plugins, each implementing 50 of them (a pytest-like start-up);
* **500 plugins on 20 hooks**: a new manager adds 20 extension points and registers 500 plugins,
  each implementing all 20;
* **re-run a cell ×20**: 50 plugins on 20 hooks are registered; then, 20 times, one of them is
  replaced by a freshly defined plugin (a notebook cell run again) and one hook is called.
  nbplug: ``register(plugin, name=..., replace=True)``; pluggy has no replace, so
  ``unregister(name=...)`` then ``register(plugin, name=...)``;
* **unregister all**: the 50 plugins of the start-up case are unregistered one by one;
* **start-up, then each hook called once**: the start-up case followed by one call of each of the
  100 hooks — where nbplug compiles each hook's plan (compiling waits for the first call, so the
  start-up cases alone would not show that cost).

Every plugin, spec and function is made afresh for each measurement (outside the timing), as a
program or a re-run cell makes them: no contender is helped by having seen a function before. Both
managers are given the very same objects, each function marked for both. The clock is the process's
CPU time; garbage collection is off while timing (as ``timeit`` does); best of the repeats,
contenders interleaved. Run it alone with ``python benchmarks/bench_register.py [--quick]``.
"""

from __future__ import annotations

import gc
import math
import sys
import types
from collections.abc import Callable, Sequence
from typing import Any

import pluggy
from benchkit import CLOCK, fmt_ratio, markdown_table

try:
    import nbplug
except ImportError as exc:  # the kit is not installed: report, don't crash
    nbplug = None  # type: ignore[assignment]
    NBPLUG_MISSING = f"nbplug's kit not importable: {exc}"
else:
    NBPLUG_MISSING = ""

CONTENDERS = ("nbplug", "pluggy")
TARGET = 0.5  # nbplug's time at most this fraction of pluggy's, on every case
CASES = (
    "start-up: 50 plugins on 100 hooks",
    "500 plugins on 20 hooks",
    "re-run a cell x20: replace 1 plugin of 50, call a hook",
    "unregister all: 50 plugins on 100 hooks",
    "start-up, then each of the 100 hooks called once",
)
P_PROJECT, N_PROJECT = "pbench", "nbench"
p_spec, p_impl = pluggy.HookspecMarker(P_PROJECT), pluggy.HookimplMarker(P_PROJECT)


def _spec_template(self: Any, value: int, scale: int) -> None:
    """An extension point of the benchmark: two arguments."""


def _impl_template(self: Any, value: int) -> int:
    return value


def _function(template: Callable[..., Any], owner: str, name: str) -> types.FunctionType:
    """A new function object with the template's code, named as a method of ``owner``."""
    code = template.__code__  # type: ignore[attr-defined]
    function = types.FunctionType(code, template.__globals__, name)  # type: ignore[attr-defined]
    function.__qualname__ = f"{owner}.{name}"
    return function


def make_specs(hooks: int) -> type:
    """A new spec class with extension points ``h0`` ... for both projects."""
    members: dict[str, Any] = {}
    for index in range(hooks):
        function = _function(_spec_template, "Specs", f"h{index}")
        p_spec(function)
        if nbplug is not None:
            nbplug.ExtensionPoint(N_PROJECT)(function)
        members[function.__name__] = function
    return type("Specs", (), members)


def make_plugin(hooks: Sequence[int], label: str) -> object:
    """An instance of a new plugin class implementing the given hooks, marked for both projects."""
    members: dict[str, Any] = {}
    for index in hooks:
        function = _function(_impl_template, label, f"h{index}")
        p_impl(function)
        if nbplug is not None:
            nbplug.Extension(N_PROJECT)(function)
        members[function.__name__] = function
    return type(label, (), members)()


def _manager(who: str) -> Any:
    if who == "pluggy":
        return pluggy.PluginManager(P_PROJECT)
    return nbplug.PluginManager(N_PROJECT)


def _startup_plugins(count: int, hooks: int, each: int) -> list[object]:
    return [make_plugin([(i + k) % hooks for k in range(each)], f"Plugin{i}") for i in range(count)]


# Each setup returns the operation to time (everything it needs is made before).


def setup_startup(who: str, plugins: int = 50, hooks: int = 100, each: int = 50) -> Callable[[], Any]:
    specs, made = make_specs(hooks), _startup_plugins(plugins, hooks, each)

    def startup() -> Any:
        pm = _manager(who)
        pm.add_hookspecs(specs)
        for index, plugin in enumerate(made):
            pm.register(plugin, name=f"p{index}")
        return pm

    return startup


def setup_many(who: str) -> Callable[[], Any]:
    return setup_startup(who, plugins=500, hooks=20, each=20)


def setup_rerun(who: str, times: int = 20) -> Callable[[], Any]:
    pm = _manager(who)
    pm.add_hookspecs(make_specs(20))
    for index, plugin in enumerate(_startup_plugins(50, 20, 20)):
        pm.register(plugin, name=f"p{index}")
    fresh = [make_plugin(range(20), "Cell") for _ in range(times)]
    hook = pm.hook.h0
    hook(value=1, scale=2)  # called once before, as in a notebook that has been used

    def rerun() -> Any:
        result = None
        for plugin in fresh:
            if who == "pluggy":
                pm.unregister(name="p25")
                pm.register(plugin, name="p25")
            else:
                pm.register(plugin, name="p25", replace=True)
            result = hook(value=1, scale=2)
        return result

    return rerun


def setup_unregister(who: str) -> Callable[[], Any]:
    pm = setup_startup(who)()
    plugins = [plugin for _, plugin in pm.list_name_plugin()]

    def unregister_all() -> Any:
        for plugin in plugins:
            pm.unregister(plugin)
        return pm

    return unregister_all


def setup_startup_and_call(who: str) -> Callable[[], Any]:
    startup = setup_startup(who)

    def startup_and_call() -> Any:
        pm = startup()
        return [getattr(pm.hook, f"h{index}")(value=index, scale=1) for index in range(100)]

    return startup_and_call


SETUPS: dict[str, Callable[[str], Callable[[], Any]]] = dict(
    zip(CASES, (setup_startup, setup_many, setup_rerun, setup_unregister, setup_startup_and_call),
        strict=True))


def _timed(operation: Callable[[], Any]) -> float:
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = CLOCK()
        operation()
        return CLOCK() - started
    finally:
        if enabled:
            gc.enable()


def check_agreement() -> None:
    """Both managers, built the same way, give the same results: the cases measure equal work."""
    results = {}
    for who in CONTENDERS:
        pm = setup_startup(who, plugins=5, hooks=10, each=4)()
        results[who] = [getattr(pm.hook, f"h{i}")(value=i, scale=1) for i in range(10)]
        results[who].append(setup_rerun(who, times=2)())
        results[who].append(setup_startup_and_call(who)())
    if results["nbplug"] != results["pluggy"]:
        raise AssertionError(f"nbplug and pluggy disagree: {results}")


def measure(quick: bool = False) -> dict[str, dict[str, float]]:
    """Seconds per operation for each case and contender (best of the repeats)."""
    repeats = 2 if quick else 15
    who_runs = CONTENDERS if nbplug is not None else ("pluggy",)
    if nbplug is not None:
        check_agreement()
    best: dict[str, dict[str, float]] = {case: dict.fromkeys(who_runs, math.inf) for case in CASES}
    for case, setup in SETUPS.items():
        for _ in range(repeats):
            for who in who_runs:
                operation = setup(who)
                best[case][who] = min(best[case][who], _timed(operation))
    return best


def render(best: dict[str, dict[str, float]], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    rows = []
    ratios: list[tuple[float, str]] = []
    for case in CASES:
        times = best[case]
        ratio = times["nbplug"] / times["pluggy"] if "nbplug" in times else None
        if ratio is not None:
            ratios.append((ratio, case))
        rows.append([case, f"{times['nbplug'] * 1e3:.3g}" if "nbplug" in times else "n/a",
                     f"{times['pluggy'] * 1e3:.3g}", fmt_ratio(ratio)])
    table = markdown_table(["case", "nbplug ms", "pluggy ms", "nbplug/pluggy"], rows)
    if ratios:
        worst, where = max(ratios)
        verdict = "MET" if worst <= TARGET else "MISSED"
        target = (f"- nbplug at most {TARGET:g}x pluggy's time on every case: {verdict} "
                  f"(largest nbplug/pluggy {worst:.2f}x, {where})")
    else:
        target = f"- nbplug at most {TARGET:g}x pluggy's time on every case: NOT MEASURED ({NBPLUG_MISSING})"
    parts = [
        "## Registration (bench_register)",
        "",
        f"Time per operation (process CPU time, garbage collection off), best of "
        f"{2 if quick else 15} repeats, contenders interleaved; every plugin and function made "
        "afresh for each measurement, outside the timing."
        + (" **Quick mode: figures are rough.**" if quick else ""),
        "",
        table,
        "",
        "Targets:",
        target,
        "",
        "The cases: start-up adds the extension points and registers every plugin on a new "
        "manager; the re-run case replaces one plugin by a newly defined one and calls a hook "
        "that all 50 implement, 20 times (pluggy: `unregister` + `register`, as it has no "
        "`replace=True`); unregister all removes the start-up's 50 plugins one by one; the last "
        "case adds one call of each hook to the start-up, where nbplug compiles each hook's plan.",
    ]
    return "\n".join(parts) + "\n"


def run(quick: bool = False) -> str:
    """Measure every case and return the Markdown section (the ``run_all.py`` entry point)."""
    return render(measure(quick), quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
