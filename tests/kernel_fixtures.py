"""Real-kernel helpers: run notebook cells one by one in a fresh ipykernel through nbclient."""

from __future__ import annotations

import os
import signal
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient


class KernelNotebook:
    """A notebook being written and executed cell by cell in a real kernel (nbclient)."""

    def __init__(self, workdir: Path, timeout: int = 60) -> None:
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(
            self.nb,
            kernel_name="python3",
            timeout=timeout,
            allow_errors=True,
            resources={"metadata": {"path": str(workdir)}},
        )

    @property
    def km(self) -> Any:
        """The kernel manager (interrupt, restart, shutdown)."""
        return self.client.km

    def interrupt(self) -> None:
        """Send the kernel an interrupt (SIGINT), as the front end's stop button does."""
        os.kill(self.km.provisioner.pid, signal.SIGINT)

    def shutdown(self) -> None:
        """Ask the kernel to shut down gracefully (a shutdown_request), and wait for it."""
        run_sync(self.km.shutdown_kernel)(now=False)

    def restart(self) -> None:
        """Restart the kernel gracefully (shutdown_request with restart=True, then a new one).

        The client's sockets reconnect to the new kernel by themselves, but IOPub only delivers
        once its subscription is through again; ``wait_for_ready`` waits for exactly that, so
        the next cell's outputs are not lost.
        """
        run_sync(self.km.restart_kernel)(now=False)
        run_sync(self.client.kc.wait_for_ready)(timeout=30)

    def end(self, how: str) -> None:
        """``"shutdown"``: shut the kernel down; ``"restart"``: restart it, and check that the new
        kernel answers."""
        if how == "shutdown":
            self.shutdown()
        else:
            self.restart()
            assert self.value("1 + 1") == "2"  # the new kernel answers

    def idle_messages(self, until: Callable[[dict[str, Any]], bool], timeout: float = 10
                      ) -> list[dict[str, Any]]:
        """IOPub messages sent while no cell runs, until one satisfies ``until`` (or timeout)."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = run_sync(self.client.kc.get_iopub_msg)(timeout=0.2)
            except Exception:  # queue.Empty: nothing arrived in that slice
                continue
            seen.append(msg)
            if until(msg):
                break
        return seen

    def cell(self, source: str) -> Any:
        """Append a code cell, execute it, and return it (with its outputs)."""
        cell = nbformat.v4.new_code_cell(textwrap.dedent(source).strip("\n"))
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return cell

    def ok(self, source: str) -> Any:
        """Execute a cell that must not fail; return it."""
        cell = self.cell(source)
        error = errors(cell)
        assert not error, f"cell failed: {source!r}\n{error}"
        return cell

    def value(self, source: str) -> str:
        """Execute a cell that must succeed and return its ``text/plain`` value."""
        return result(self.ok(source))

    def wait_for(self, source: str, predicate: Callable[[str], bool], timeout: float = 20) -> str:
        """Re-run a cell until its value satisfies ``predicate`` (for background progress)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.value(source)
            if predicate(value) or time.monotonic() > deadline:
                return value
            time.sleep(0.1)


def outputs_text(cell: Any) -> str:
    """Everything a cell showed, as text: streams, displays (text/plain) and results."""
    parts: list[str] = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("display_data", "execute_result"):
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append("\n".join(out.traceback))
    return "\n".join(parts)


def result(cell: Any) -> str:
    """The ``text/plain`` of the cell's value (``Out[n]``), or an empty string."""
    for out in cell.outputs:
        if out.output_type == "execute_result":
            return str(out.data.get("text/plain", ""))
    return ""


def errors(cell: Any) -> str:
    """``ename: evalue`` of the cell's error output, or an empty string."""
    return "\n".join(
        f"{out.ename}: {out.evalue}" for out in cell.outputs if out.output_type == "error"
    )


def mime_types(cell: Any) -> set[str]:
    """Every MIME type the cell displayed."""
    found: set[str] = set()
    for out in cell.outputs:
        if out.output_type in ("display_data", "execute_result"):
            found |= set(out.data)
    return found


@contextmanager
def kernel_notebook(workdir: Path, timeout: int = 60) -> Iterator[KernelNotebook]:
    """A fresh kernel for one notebook; shut down afterwards."""
    notebook = KernelNotebook(workdir, timeout)
    with notebook.client.setup_kernel():
        yield notebook
