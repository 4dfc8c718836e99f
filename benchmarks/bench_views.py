"""The views at scale: how long the largest designs take to draw, and how much is published.

Cases (each drawn whole: the static text and HTML forms a notebook publishes, the design map read
from the manager each time, the call view's model built each time):

- the design map of 500 hooks x 50 plugins (every plugin implements every hook);
- ``%plugin list`` of 5,000 plugins (one hook each implements): the design map of 1 hook x 5,000;
- the call view of one call through 1,000 extensions, and through 5,000;
- the call view of a call whose argument (returned by each of its 3 extensions) takes 1 s to
  ``repr``: every form drawn (text, HTML, timeline) costs one run of that ``__repr__``, not one per
  place or per form (0.05 s in quick mode).

Figures: the render time (process CPU time, best of several repeats) and the bytes a front end is
sent for the display bundle (``text/plain`` and ``text/html`` as JSON), and its ratio to the 2 MB
limit. Target (from the design):
every published output under 2 MB whatever the design's size -- Jupyter's IOPub data-rate limit
is 1 MB/s -- so that the notebook neither drops the output nor stalls.

Run: ``python benchmarks/bench_views.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug.widgets import HookCallView, ManagerInspector

LIMIT = 2_000_000
POINT, EXTENSION = ExtensionPoint("big"), Extension("big")


def _named(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    function.__name__ = function.__qualname__ = name
    return function


def design(hooks: int, plugins: int) -> PluginManager:
    """``plugins`` plugins that each implement every one of ``hooks`` hooks."""
    pm = PluginManager("big")
    names = [f"hook_{h:03d}" for h in range(hooks)]
    specs = {n: staticmethod(POINT(_named(n, lambda item: None))) for n in names}
    pm.add_extension_points(type("Specs", (), specs))
    for p in range(plugins):
        body = {n: EXTENSION(_named(n, lambda self, item, _p=p: _p)) for n in names}
        pm.register(type(f"Plugin{p}", (), body)(), name=f"plugin_{p:04d}")
    return pm


def measure(draw: Callable[[], dict[str, Any]], repeats: int) -> tuple[float, int]:
    """Best render time in seconds over ``repeats``, and the published bytes."""
    best = float("inf")
    bundle: dict[str, Any] = {}
    for _ in range(repeats):
        start = time.process_time()
        bundle = draw()
        best = min(best, time.process_time() - start)
    return best, len(json.dumps(bundle).encode())


def cases() -> list[tuple[str, Callable[[], dict[str, Any]]]]:
    found: list[tuple[str, Callable[[], dict[str, Any]]]] = []
    for label, hooks, plugins in (("design map, 500 hooks x 50 plugins", 500, 50),
                                  ("%plugin list of 5,000 plugins (1 hook)", 1, 5000)):
        view = ManagerInspector(design(hooks, plugins))
        found.append((label, view._repr_mimebundle_))
    for extensions in (1000, 5000):
        trace = design(1, extensions).hook.hook_000.traced(item=1)
        found.append((f"call view, 1 call through {extensions:,} extensions",
                      lambda trace=trace: HookCallView(trace, timeline=True)._repr_mimebundle_()))
    return found


class SlowRepr:
    """A value whose ``__repr__`` takes ``delay`` seconds and counts its runs."""

    def __init__(self, delay: float) -> None:
        self.delay, self.runs = delay, 0

    def __repr__(self) -> str:
        self.runs += 1
        time.sleep(self.delay)
        return "<SlowRepr>"


def slow_repr_row(delay: float) -> str:
    """The call view of ``fetch(topic=value)`` through 3 extensions that each return ``value``,
    drawn in every form: the runs of the value's ``__repr__`` and the wall time in those runs."""
    pm = PluginManager("big")
    pm.add_extension_points(type("Specs", (), {"fetch": staticmethod(POINT(
        _named("fetch", lambda topic: None)))}))
    for p in range(3):
        pm.register(type(f"Echo{p}", (), {"fetch": EXTENSION(
            _named("fetch", lambda self, topic: topic))})(), name=f"echo_{p}")
    value = SlowRepr(delay)
    start = time.perf_counter()
    view = HookCallView(pm.hook.fetch.traced(topic=value), timeline=True)
    view._repr_mimebundle_()
    view.text()
    wall = time.perf_counter() - start
    return (f"| a {delay:g} s `__repr__`, in the arguments and 3 results | {value.runs} | "
            f"{wall:.2f} s | {wall / delay:.2f}x |")


def run(quick: bool = False) -> str:
    repeats = 2 if quick else 7
    rows = []
    worst = 0
    for label, draw in cases():
        seconds, size = measure(draw, repeats)
        worst = max(worst, size)
        rows.append(f"| {label} | {seconds * 1e3:.0f} ms | {size / 1e6:.2f} MB | {size / LIMIT:.3f}x |")
    verdict = "MET" if worst < LIMIT else "MISSED"
    return "\n".join([
        "## The views at scale (bench_views)",
        "",
        f"Render time (process CPU time, best of {repeats}) and bytes published (the display bundle's "
        "`text/plain` and `text/html` as JSON) of the static forms a notebook shows; the design map "
        "is read from the manager each time, the call view's model built each time (timeline on).",
        "",
        "| case | render | published | published/limit |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"Target: every published output under 2 MB whatever the design's size: {verdict} "
        f"(largest {worst / 1e6:.2f} MB). Past its bounds a view shows a page (60 hooks of the "
        "design map, 200 steps of a call) and says what it left out and how to see it "
        "(`page=`, `hook=`, `plugin=`, `HookCallView(trace, start=...)`).",
        "",
        "A slow value in a call view: the runs of its `__repr__` while the call is traced and its "
        "view drawn in every form (the HTML bundle with its timeline, and the text form), and the "
        "wall time as a multiple of one run. Target: one run.",
        "",
        "| value | `__repr__` runs | wall | wall/one run |",
        "|---|---:|---:|---:|",
        slow_repr_row(0.05 if quick else 1.0),
    ])


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
