"""Run every ``benchmarks/bench_*.py`` module in one process and write ``benchmarks/RESULTS.md``.

Usage: ``python benchmarks/run_all.py [--quick] [--only NAME ...] [--output PATH]``. Each module
exposes ``run(quick: bool = False) -> str`` returning a Markdown section; a module that fails to
import or run gets a section with its error, and the others still run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shlex
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "RESULTS.md"
VERSIONED = ("nbplug", "pluggy", "apluggy")


def discover(directory: Path = HERE) -> dict[str, Path]:
    """Benchmark modules by short name (``bench_sync.py`` -> ``sync``), sorted by name."""
    return {path.stem.removeprefix("bench_"): path for path in sorted(directory.glob("bench_*.py"))}


def load(path: Path) -> ModuleType:
    """Import a benchmark module from its file (with ``benchmarks/`` importable for its helpers)."""
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def runner_of(module: ModuleType) -> Callable[..., str]:
    """The module's ``run`` function, or a TypeError saying what is missing."""
    run = getattr(module, "run", None)
    if not callable(run):
        raise TypeError(f"{module.__name__} has no run(quick: bool = False) -> str function")
    return run  # type: ignore[no-any-return]


def run_one(path: Path, quick: bool) -> tuple[str, bool]:
    """One module's section and whether it ran; on failure a section carrying the error instead."""
    started = time.perf_counter()
    ok = False
    try:
        section = runner_of(load(path))(quick=quick)
        if not isinstance(section, str):
            raise TypeError(f"run() returned {type(section).__name__}, expected a Markdown str")
        ok = True
    except Exception:
        section = (
            f"## {path.stem}: FAILED\n\n"
            f"`{path.name}` raised an error, so it has no figures in this run:\n\n"
            f"```\n{traceback.format_exc().rstrip()}\n```\n"
        )
    took = time.perf_counter() - started
    return section.rstrip() + f"\n\n_{path.name}: {took:.1f} s._\n", ok


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's guess elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    """An installed distribution's version, or why there is none."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    """The output of one git command in the checkout (raises if git cannot answer)."""
    return subprocess.run(
        ["git", *args], cwd=HERE.parent, capture_output=True, text=True, timeout=10, check=True
    ).stdout.strip()


def _git_revision() -> str:
    """The checkout's commit (and whether nbplug/ has uncommitted changes), or why it is unknown."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--", "nbplug")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return commit + (" with uncommitted changes in nbplug/" if dirty else "")


def header(argv: Sequence[str], quick: bool) -> str:
    """Date, machine, Python and library versions, and the command that made the file."""
    command = "python benchmarks/run_all.py" + "".join(" " + shlex.quote(a) for a in argv)
    versions = ", ".join(f"{p} {_version(p)}" for p in VERSIONED)
    lines = [
        "# nbplug benchmarks",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} cores, {_cpu_model()}, {platform.system()} "
        f"{platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- versions: {versions}",
        f"- code: git {_git_revision()}",
        f"- command: `{command}`" + (" (quick mode: rough figures)" if quick else ""),
        "",
        "Ratios are times over times measured in the same run (A/B above 1 means A is slower); "
        "absolute µs depend on the machine, which is shared with other work, so read the ratios.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the chosen modules and write the results file."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    modules = discover()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budgets: a smoke run of seconds")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"run only this module (repeatable); one of: {', '.join(modules)}",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the Markdown ('-' for standard output); default benchmarks/RESULTS.md",
    )
    args = parser.parse_args(args_list)
    chosen = modules
    if args.only:
        wanted = [name.removeprefix("bench_").removesuffix(".py") for name in args.only]
        unknown = [name for name in wanted if name not in modules]
        if unknown:
            parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(modules)}")
        chosen = {name: modules[name] for name in wanted}
    sections = [header(args_list, args.quick)]
    failed = []
    for path in chosen.values():
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        section, ok = run_one(path, args.quick)
        sections.append(section)
        if not ok:
            failed.append(path.name)
    text = "\n".join(sections)
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    if failed:
        print(f"FAILED: {', '.join(failed)} (the error is in its section)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
