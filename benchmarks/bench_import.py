"""The cost of ``import nbplug`` against ``import pluggy``: each in a fresh interpreter, best of N.

Timed with ``python -X importtime`` (the cumulative microseconds of the top-level import), so
interpreter start-up is left out. Also lists which modules each import loads, because the
kit must not pull in IPython, ipywidgets, click or asyncio.

Run: ``python benchmarks/bench_import.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("IPython", "ipywidgets", "click", "asyncio")
_PROBE = (
    "import sys; before = set(sys.modules); import {name}; "
    "print(len(set(sys.modules) - before)); "
    "print(' '.join(m for m in {heavy!r} if m in sys.modules))"
)


def import_microseconds(name: str) -> int:
    """Cumulative import time of ``name`` in a fresh interpreter, from ``-X importtime``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {name}"],
                          capture_output=True, text=True, check=True)
    last = [line for line in done.stderr.splitlines() if line.rstrip().endswith(f"| {name}")][-1]
    return int(last.split("|")[1])


def loaded_modules(name: str) -> tuple[int, str]:
    """How many modules ``import name`` loads, and which of the heavy ones among them."""
    done = subprocess.run([sys.executable, "-c", _PROBE.format(name=name, heavy=HEAVY)],
                          capture_output=True, text=True, check=True)
    count, heavy = [*done.stdout.splitlines(), ""][:2]
    return int(count), heavy.strip()


def compile_caches() -> None:
    """Write nbplug's bytecode caches, as an installed wheel has (pluggy's already are).

    Without them (e.g. under PYTHONDONTWRITEBYTECODE=1) every import would compile nbplug's
    source again while pluggy's cached bytecode loads: an unfair comparison.
    """
    import compileall
    from pathlib import Path

    import nbplug

    compileall.compile_dir(str(Path(nbplug.__file__).parent), quiet=1)


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section (the ``run_all.py`` entry point)."""
    compile_caches()
    rounds = 5 if quick else 25
    best = {name: min(import_microseconds(name) for _ in range(rounds))
            for name in ("nbplug", "pluggy")}
    loads = {name: loaded_modules(name) for name in ("nbplug", "pluggy")}
    lines = [
        "## `import nbplug` against `import pluggy`",
        "",
        f"Best of {rounds} fresh interpreters each, `python -X importtime -c 'import NAME'` "
        "(cumulative import time, start-up excluded).",
        "",
        "| import | best (ms) | modules loaded | heavy modules loaded | time/pluggy |",
        "|---|---:|---:|---|---:|",
    ]
    for name in ("nbplug", "pluggy"):
        count, heavy = loads[name]
        ratio = best[name] / best["pluggy"]
        lines.append(f"| {name} | {best[name] / 1000:.1f} | {count} | {heavy or 'none'} | {ratio:.2f}x |")
    lines += ["", "Target: `import nbplug` no dearer than `import pluggy` (time/pluggy at most 1x), "
              "and no heavy module loaded.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
