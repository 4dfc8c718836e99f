"""Run pytest in this process, record its hook calls, and leave nothing behind.

``run_pytest(["test_x.py"])`` runs ``pytest.main`` with a small plugin that starts a ``Recorder``
over pytest's own plugin manager the moment it exists (``pytest_addhooks`` is historic, so the
plugin receives it on registration, before ``pytest_cmdline_parse``), optionally reads the design of that
manager while every plugin is still registered (``pytest_unconfigure``, tried first, with the
reader it is given: ``nbplug.widgets.designmap.pluggy_reader.read_pluggy_manager``; this module, below the
widgets, does not import them), and stops recording when ``pytest.main`` returns. The
``%pytest`` magic is a thin layer over this.

Nothing is left behind: the cache plugin is disabled (``-p no:cacheprovider``, so no
``.pytest_cache``), ``sys.path`` and ``sys.meta_path`` are put back as they were, and the
modules imported from the run's own files (tests, conftest.py) are forgotten again (see
``imports_restored``). pytest itself is imported lazily, on the
first run, and stays imported like any other import: ``import nbplug`` never loads it.
Rejected: running pytest in a subprocess (its plugin manager could not be read or recorded).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import sysconfig
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Recording
from .recorder import MAX_CALLS, MIN_PER_HOOK, Recorder

__all__ = ["PytestRun", "run_pytest"]

def import_pytest() -> Any:
    """pytest, imported on first use, with an error that says how to get it."""
    try:
        import pytest
    except ImportError as exc:
        raise ImportError(
            "running pytest from nbplug needs pytest: pip install 'pytest>=8' "
            "(or install nbplug's test extra: pip install 'nbplug[test]')"
        ) from exc
    return pytest


@dataclass
class PytestRun:
    """One in-process pytest run: its exit code, terminal output, recording and design map."""

    args: tuple[str, ...]
    exit_code: int
    output: str
    recording: Recording
    design: Any  # what read_design made of pytest's plugin manager (None: not asked, not reached)

    @property
    def passed(self) -> bool:
        """Whether pytest exited with code 0 (every test passed)."""
        return self.exit_code == 0

    def summary(self) -> str:
        """pytest's last line (``3 passed in 0.05s``), or its exit code when there is none."""
        lines = [line for line in self.output.splitlines() if line.strip()]
        return lines[-1].strip("= ") if lines else f"pytest exited with code {self.exit_code}"

    def __repr__(self) -> str:
        return f"<PytestRun exit {self.exit_code}: {self.summary()}; {self.recording!r}>"


class _RecordingPlugin:
    """Starts the recorder as soon as pytest's plugin manager exists, and reads the manager's
    design map before pytest unconfigures (while every plugin is still registered)."""

    def __init__(self, pytest: Any, max_calls: int, min_per_hook: int,
                 read_design: Callable[[Any], Any] | None) -> None:
        self.max_calls = max_calls
        self.min_per_hook = min_per_hook
        self.recorder: Recorder | None = None
        self.design: Any = None
        self.__name__ = "nbplug-recorder"  # the name pytest registers it under
        if read_design is not None:
            reader = read_design

            def pytest_unconfigure(config: Any) -> None:
                self.design = reader(config.pluginmanager)

            self.pytest_unconfigure = pytest.hookimpl(tryfirst=True)(pytest_unconfigure)

    def pytest_addhooks(self, pluginmanager: Any) -> None:
        if self.recorder is None:
            self.recorder = Recorder(pluginmanager, max_calls=self.max_calls,
                                     min_per_hook=self.min_per_hook)
            self.recorder.start()



def _site_dirs() -> list[str]:
    """Where installed and standard modules live: never the run's own files."""
    paths = sysconfig.get_paths()
    found = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")
             if key in paths}
    return sorted(found)


def _inside(path: str, folders: Sequence[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


@contextlib.contextmanager
def imports_restored(folders: Sequence[str] = ()) -> Iterator[None]:
    """Put ``sys.path`` and ``sys.meta_path`` back as they were, and forget the modules the run
    imported from its own files: those under ``folders`` or under a ``sys.path`` entry the run
    added (test modules, conftest.py files, the packages beside them), never installed or standard
    ones. So a second run imports edited test files afresh, and one run's ``conftest`` does not
    shadow another's. Rejected: restoring ``sys.modules`` wholesale, which unloads libraries the
    tests imported (half of a compiled package cannot be imported twice)."""
    path, meta_path, modules = list(sys.path), list(sys.meta_path), set(sys.modules)
    try:
        yield
    finally:
        added = [os.path.realpath(entry) for entry in sys.path if entry and entry not in path]
        roots = [os.path.realpath(folder) for folder in folders] + added
        site = _site_dirs()
        sys.path[:] = path
        sys.meta_path[:] = meta_path
        for name in [name for name in sys.modules if name not in modules]:
            file = getattr(sys.modules[name], "__file__", None)
            if not isinstance(file, str):
                continue
            file = os.path.realpath(file)
            if _inside(file, roots) and not _inside(file, site):
                del sys.modules[name]


@contextlib.contextmanager
def _warnings_to(out: io.StringIO) -> Iterator[None]:
    """Warnings the run issues outside pytest's own capture (a plugin's, while pytest starts)
    go to the run's output, not to whoever catches warnings around the call; filters restored."""
    with warnings.catch_warnings():
        def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: Any = None, line: str | None = None) -> None:
            out.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = show
        yield


def _check_paths(paths: Sequence[str]) -> list[str]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    found = [os.fspath(p) for p in paths]
    if not found:
        raise ValueError("run_pytest needs at least one path: a test file or a folder of tests")
    for path in found:
        base = path.split("::")[0]
        if not os.path.exists(base):
            raise FileNotFoundError(
                f"no such test file or folder: {base!r} (relative paths start at "
                f"{os.getcwd()!r})")
    return found


def _folders(paths: Sequence[str]) -> list[str]:
    """The folders the run's own files live in: each path's folder (a folder path: itself)."""
    bases = [os.path.abspath(path.split("::")[0]) for path in paths]
    return [base if os.path.isdir(base) else os.path.dirname(base) for base in bases]


def run_pytest(paths: Sequence[str] | str, args: Sequence[str] = (), *,
               max_calls: int = MAX_CALLS, min_per_hook: int = MIN_PER_HOOK,
               read_design: Callable[[Any], Any] | None = None, echo: bool = False) -> PytestRun:
    """Run pytest on ``paths`` (files, folders or node ids) with extra ``args``, recording it.

    Returns a PytestRun; pytest's terminal output is in ``.output`` (printed too if ``echo``).
    The recording keeps ``max_calls`` calls in detail (see Recorder); ``-p no:cacheprovider`` is
    always added, and ``--color=no`` unless ``args`` choose. pytest's own errors (a bad option)
    give exit code 4, as from a terminal.
    ``read_design`` is called with pytest's plugin manager just before pytest unconfigures (every
    plugin still registered); what it returns is ``.design`` — pass
    ``nbplug.widgets.designmap.pluggy_reader.read_pluggy_manager`` for the design map (``%pytest`` does).
    """
    pytest = import_pytest()
    found = _check_paths(paths)
    extra = [str(a) for a in args]
    if not any(a.startswith("--color") for a in extra):
        extra.append("--color=no")  # the output is kept as text (a kernel may force colour on)
    argv = [*extra, "-p", "no:cacheprovider", *found]
    plugin = _RecordingPlugin(pytest, max_calls, min_per_hook, read_design)
    buffer = io.StringIO()
    try:
        with imports_restored(_folders(found)), _warnings_to(buffer), \
                contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            exit_code = int(pytest.main(argv, plugins=[plugin]))
    finally:
        recording = plugin.recorder.stop() if plugin.recorder is not None else None
        # pytest's manager may outlive the run (held by a plugin's globals): let it not hold the
        # recording, whose memory is the caller's to keep or drop
        plugin.recorder = None
    if recording is None:  # pytest failed before its plugin manager took our plugin
        recording = Recording("pytest (not started)", max_calls, min_per_hook)
    output = buffer.getvalue()
    if echo:
        print(output, end="")
    return PytestRun(tuple(argv), exit_code, output, recording, plugin.design)
