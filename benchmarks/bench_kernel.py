"""The cost of ``%%hook`` in a real kernel, against the equivalent ``await pm.hook.fetch(...)`` cell.

One ipykernel is started (jupyter_client); the extension is loaded and a hook with three
implementations is added. Then these cells are executed many times, interleaved so load on the
machine hits them alike:

- ``await``: ``await pm.hook.fetch(topic="harbor")`` -- the plain awaited call, result shown as Out;
- ``%%hook -q``: the magic without the call view (parse, evaluate arguments, traced call);
- ``%%hook``: the magic as users run it, with the call view displayed (static text and HTML);
- ``%%hook -w``: the same with the live call-view widget (ipywidgets built for every call).

Two figures per cell: the round trip seen by the client (execute request to the kernel going idle,
all output received -- what a user waits for) and the time inside the kernel (``pre_execute`` to
``post_execute``, which includes the input transformation). Medians; ratios against ``await``.

Run: ``python benchmarks/bench_kernel.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import statistics
import sys
from typing import Any

from benchkit import execute_cell, user_expression

SETUP = '''
%load_ext nbplug
import time as _time
from nbplug import Extension, ExtensionPoint
from nbplug.ipython import get_session

extension_point = ExtensionPoint("feed")
extension = Extension("feed")

class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str:
        """A headline."""

def _source(n):
    class Source:
        @extension
        async def fetch(self, topic):
            return f"{n}[{topic}]"
    return Source()

%plugin add Specs
for _n in range(3):
    get_session().manager_for("feed").register(_source(_n), name=f"s{_n}")
pm = get_session().manager_for("feed")

_bench_times = []
_bench_t0 = None
def _pre():
    global _bench_t0
    _bench_t0 = _time.perf_counter()
def _post():
    global _bench_t0
    if _bench_t0 is not None:
        _bench_times.append(_time.perf_counter() - _bench_t0)
    _bench_t0 = None
get_ipython().events.register("pre_execute", _pre)
get_ipython().events.register("post_execute", _post)
'''

CELLS = {
    "await": 'await pm.hook.fetch(topic="harbor")',
    "%%hook -q": '%%hook -q fetch\ntopic = "harbor"',
    "%%hook": '%%hook fetch\ntopic = "harbor"',
    "%%hook -w": '%%hook -w fetch\ntopic = "harbor"',
}


def _execute(client: Any, code: str, timeout: float = 60) -> float:
    """Run ``code``; return the seconds until the kernel is idle again with all output received."""
    return execute_cell(client, code, timeout)[0]


def _kernel_times(client: Any, count: int) -> list[float]:
    """The last ``count`` in-kernel execution times recorded by the pre/post_execute hooks."""
    text = user_expression(client, f"_bench_times[-{count}:]")
    return [float(x) for x in text.strip("[]").split(",") if x.strip()]


def measure(rounds: int) -> dict[str, dict[str, float]]:
    """Median round trip and in-kernel seconds per cell kind (interleaved over ``rounds``)."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        _execute(client, SETUP)
        for code in CELLS.values():  # warm up (first widget, first compile)
            for _ in range(3):
                _execute(client, code)
        trips: dict[str, list[float]] = {name: [] for name in CELLS}
        inside: dict[str, list[float]] = {name: [] for name in CELLS}
        for _ in range(rounds):
            for name, code in CELLS.items():
                trips[name].append(_execute(client, code))
                inside[name].extend(_kernel_times(client, 1))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return {
        name: {"trip": statistics.median(trips[name]), "kernel": statistics.median(inside[name])}
        for name in CELLS
    }


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section for ``benchmarks/RESULTS.md``."""
    rounds = 10 if quick else 150
    figures = measure(rounds)
    base = figures["await"]
    lines = [
        "## `%%hook` in a real kernel",
        "",
        f"One ipykernel; a hook with 3 async implementations; {rounds} interleaved rounds, medians. "
        "Round trip: execute request until the kernel is idle with all output received. In kernel: "
        "`pre_execute` to `post_execute`. Ratios against the `await pm.hook.fetch(...)` cell.",
        "",
        "| cell | round trip | trip/await | in kernel | kernel/await |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in figures.items():
        lines.append(
            f"| `{name}` | {values['trip'] * 1e3:.2f} ms | {values['trip'] / base['trip']:.2f}x "
            f"| {values['kernel'] * 1e3:.3f} ms | {values['kernel'] / base['kernel']:.2f}x |"
        )
    lines += [
        "",
        "Target: a `%%hook` cell within 1.2x of the equivalent `await` cell (round trip). The "
        "live widget (`-w`) is opt-in because building ipywidgets for every call costs more than "
        "the call.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
