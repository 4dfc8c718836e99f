"""Running ``nbplug run`` (or another command) in a subprocess, for the tests that send it real
signals: a child whose stderr lines are collected as they arrive, a one-shot run, a target file.

Shared by test_cli, test_cli_interrupts and test_program; a module of its own rather than imports
from test_cli, so that no test module is imported by another (and its tests collected twice).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUARD = 20.0  # seconds: only a guard against a hung child
NBPLUG_RUN = (sys.executable, "-m", "nbplug.terminal.cli", "run")


CHILDREN: list[Child] = []


@pytest.fixture(autouse=True)
def no_child_left() -> Iterator[None]:
    """Kill and close every child a test started and left running."""
    yield
    while CHILDREN:
        CHILDREN.pop().close()


class Child:
    """A running ``nbplug run`` (or ``argv``) whose stderr lines are collected as they arrive."""

    def __init__(self, *args: str, argv: Sequence[str] = NBPLUG_RUN) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [*argv, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        assert self.proc.stderr is not None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        CHILDREN.append(self)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str) -> None:
        """Block until a stderr line contains ``text``."""
        while True:
            try:
                line = self._queue.get(timeout=GUARD)
            except queue.Empty:
                self.proc.kill()
                raise AssertionError(f"no line with {text!r}; got {self.lines}") from None
            if line is None:
                raise AssertionError(f"exited before {text!r}; got {self.lines}")
            self.lines.append(line)
            if text in line:
                return

    def finish(self) -> tuple[int, str]:
        """Wait for exit; return (exit status, stdout). All stderr ends up in ``lines``."""
        try:
            self.proc.wait(timeout=GUARD)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()
        self._reader.join(GUARD)
        self.close()
        while (line := self._queue.get_nowait() if not self._queue.empty() else None) is not None:
            self.lines.append(line)
        return self.proc.returncode, out

    def close(self) -> None:
        """Kill the child if it still runs and close its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(GUARD)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def index(self, text: str) -> int:
        """The position in ``lines`` of the one line ending with ``text``."""
        matches = [i for i, line in enumerate(self.lines) if line.endswith(text)]
        assert len(matches) == 1, (text, self.lines)
        return matches[0]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``nbplug run ARGS`` to its end; its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "nbplug.terminal.cli", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=GUARD,
    )


def write(tmp_path: Path, source: str) -> str:
    """Write the dedented ``source`` as ``target.py`` in ``tmp_path``; return its path."""
    path = tmp_path / "target.py"
    path.write_text(textwrap.dedent(source))
    return str(path)
