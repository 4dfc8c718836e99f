"""Run nbplug's teaching notebooks headless in a real kernel and print what they show.

Used by `scripts/demo` (the README's main job) and by the Binder check in tests/test_binder.py.
Each notebook is executed top to bottom with nbclient in a kernel of *this* Python (the "python3"
kernelspec of the environment running the script); the transcript printed is the notebook's text:
Markdown as written, code cells with their plain-text outputs. The exit status is 1 when any cell
raised.

The tests run the same notebooks with their claims checked (tests/notebook_claims.py): ``execute``
takes check code to run before or after a named cell, in the same kernel, and cell sources to put
in place of stored ones (an exercise's answer). A check runs inside a function, so the names it
binds stay out of the notebook's namespace (``global`` keeps one for a later check). Rejected:
``assert`` cells in the notebooks themselves -- students would read tests instead of the design.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def notebook_paths(names: Iterable[str] = ()) -> list[Path]:
    """The notebooks to run: the named ones (a path, or a name or prefix in notebooks/), else all."""
    chosen = list(names)
    if not chosen:
        return sorted(NOTEBOOKS.glob("*.ipynb"))
    paths = []
    for name in chosen:
        path = Path(name)
        if not path.exists():
            path = NOTEBOOKS / name
        if not path.exists():
            matches = sorted(NOTEBOOKS.glob(f"{name}*.ipynb"))  # "03" or "03_lifespans"
            path = matches[0] if len(matches) == 1 else path
        if not path.exists():
            known = ", ".join(p.name for p in sorted(NOTEBOOKS.glob("*.ipynb")))
            raise SystemExit(f"no notebook {name!r}; the notebooks are: {known}")
        paths.append(path)
    return paths


CHECK = "nbplug_check"  # a check cell's metadata key: where it runs ("after 01-05")


def check_source(code: str) -> str:
    """``code`` as a function run at once: its names stay local; async when it awaits."""
    body = textwrap.indent(textwrap.dedent(code).strip("\n"), "    ")
    if "await " in code or "async " in code:
        return f"async def __nbplug_check():\n{body}\nawait __nbplug_check(); del __nbplug_check\n"
    return f"def __nbplug_check():\n{body}\n__nbplug_check(); del __nbplug_check\n"


def prepared(nb: Any, checks: Mapping[str, str] | None = None,
             sources: Mapping[str, str] | None = None) -> Any:
    """``nb`` with ``sources`` put in place of the cells of those ids, and ``checks`` inserted.

    A check's key is "after ID" or "before ID" (a cell id of the notebook), or "start" (before
    the first cell); its value, code run there in the kernel. Unknown ids raise KeyError, so no check is lost.
    """
    import nbformat

    checks, sources = checks or {}, sources or {}
    ids = {cell.get("id") for cell in nb.cells}
    wrong = [key for key in checks if key != "start" and key.split()[0] not in ("after", "before")]
    if wrong:
        raise KeyError(f"a check runs at 'start', 'after ID' or 'before ID', not at {wrong}")
    unknown = sorted(({key.split()[-1] for key in checks if key != "start"} | set(sources)) - ids)
    if unknown:
        raise KeyError(f"no cell with the id {', '.join(unknown)} in the notebook")

    def check_cell(key: str) -> Any:  # "start" runs as written: the helpers it defines stay
        code = checks[key] if key == "start" else check_source(checks[key])
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata = {CHECK: key, "jupyter": {"source_hidden": True}}
        return cell

    cells = [check_cell("start")] if "start" in checks else []
    for cell in nb.cells:
        cell_id = cell.get("id")
        if f"before {cell_id}" in checks:
            cells.append(check_cell(f"before {cell_id}"))
        if cell_id in sources:
            cell = nbformat.from_dict({**cell, "source": sources[cell_id]})
        cells.append(cell)
        if f"after {cell_id}" in checks:
            cells.append(check_cell(f"after {cell_id}"))
    return nbformat.from_dict({**nb, "cells": cells})


def execute(path: Path, timeout: int = 120, checks: Mapping[str, str] | None = None,
            sources: Mapping[str, str] | None = None) -> Any:
    """Execute one notebook in a fresh "python3" kernel; return the executed NotebookNode.

    Errors do not stop the run (allow_errors): every cell runs, and the caller looks for
    error outputs, so one failure does not hide the next. ``checks`` and ``sources``: see
    :func:`prepared`.
    """
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # this environment's kernelspec first
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = prepared(nbformat.read(path, as_version=4), checks, sources)
    failures: list[str] = []  # cells whose execute_reply was not "ok" (a UsageError has no traceback)

    def record(cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        content = execute_reply.get("content", {})
        if content.get("status", "ok") != "ok":
            failures.append(f"{cell_name(cell, cell_index)}: {content.get('ename')}: {content.get('evalue')}")

    # IPC sockets in a private directory: local only, and no "running over TCP without
    # encryption" warning from the kernel on stderr.
    with tempfile.TemporaryDirectory(prefix="nbplug-kernel-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = f"{sockets}/kernel"
        client = NotebookClient(
            nb,
            config=config,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
            on_cell_executed=record,
        )
        client.execute()
    nb.metadata["nbplug_failures"] = failures  # read by errors(); the file on disk is untouched
    return nb


def cell_name(cell: Any, index: int) -> str:
    """How a failure names its cell: "cell 3", or "check after 01-05" for an inserted check."""
    key = cell.get("metadata", {}).get(CHECK)
    return f"check {key}" if key else f"cell {index}"


def errors(nb: Any) -> list[str]:
    """What went wrong in an executed notebook, as "cell N: Name: message" lines.

    Error outputs, and cells whose execution reply was an error without one (IPython prints a
    UsageError on stderr instead of as a traceback).
    """
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{cell_name(cell, index)}: {output['ename']}: {output['evalue']}")
    for failure in nb.metadata.get("nbplug_failures", []):
        if failure not in found:
            found.append(failure)
    return found


def output_text(output: Any) -> str:
    """The plain-text form of one cell output (stream text, text/plain, or the error)."""
    kind = output.get("output_type")
    if kind == "stream":
        return str(output.get("text", ""))
    if kind in ("execute_result", "display_data"):
        return str(output.get("data", {}).get("text/plain", ""))
    if kind == "error":
        return "\n".join(output.get("traceback", [])) or f"{output['ename']}: {output['evalue']}"
    return ""


def transcript(nb: Any) -> str:
    """The notebook as text: Markdown cells as written, code cells and their text outputs."""
    parts = []
    for cell in nb.cells:
        if cell.get("metadata", {}).get(CHECK):
            continue  # the tests' checks are not the notebook's text
        if cell.cell_type == "markdown":
            parts.append(cell.source.strip())
        elif cell.cell_type == "code":
            parts.append(textwrap.indent(cell.source.rstrip(), ">>> ", lambda _line: True))
            texts = (output_text(o) for o in cell.get("outputs", []))
            text = "\n".join(t.rstrip("\n") for t in texts if t.strip()).rstrip()
            if text:
                parts.append(text)
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the notebooks, print their transcripts (or only failures with --quiet)."""
    parser = argparse.ArgumentParser(description="Run nbplug's notebooks headless, print them.")
    parser.add_argument("notebooks", nargs="*", help="notebook names or paths (default: all)")
    parser.add_argument("--quiet", action="store_true", help="print only a line per notebook")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    args = parser.parse_args(argv)

    failed = 0
    paths = notebook_paths(args.notebooks)
    for path in paths:
        rule = "=" * 100
        if not args.quiet:
            print(f"{rule}\n{path.name}\n{rule}\n", flush=True)
        nb = execute(path, timeout=args.timeout)
        problems = errors(nb)
        if not args.quiet:
            print(transcript(nb), flush=True)
        status = "FAILED: " + "; ".join(problems) if problems else "ok"
        print(f"{path.name}: {status}", flush=True)
        failed += bool(problems)
    if not args.quiet:
        print(f"\n{len(paths) - failed} of {len(paths)} notebooks ran without error", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
