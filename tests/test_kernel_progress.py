"""In a real kernel: a ``%%hook`` call running longer than a second shows which extension runs
now, updated while the kernel awaits; an interrupted call (the stop button's SIGINT) shows its
partial call view and the user's frame, not asyncio's."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from kernel_fixtures import errors, kernel_notebook, outputs_text
from package_paths import PACKAGE_DIR
from test_ipython_progress import PLUGINS
from test_kernel_interrupts import interrupt_when

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


def test_the_running_extension_is_shown_live_and_the_interrupted_call_as_far_as_it_got(
    tmp_path: Path,
) -> None:
    mark = tmp_path / "mark.txt"
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(PLUGINS.format(mark=str(mark), seconds="float(SECONDS)"))
        nb.ok("SECONDS = 2.2\n%plugin add Specs Slow Quick")
        seen: list[dict[str, Any]] = []
        process = nb.client.process_message

        def spy(msg: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            seen.append(msg)
            return process(msg, *args, **kwargs)

        nb.client.process_message = spy  # type: ignore[method-assign]
        nb.ok("%%hook fetch\ntopic = 'x'\n")
        shown = [(m["msg_type"], m["content"]["data"].get("text/plain", ""))
                 for m in seen if m["msg_type"] in ("display_data", "update_display_data")
                 and "display_id" in m["content"].get("transient", {})]
        assert shown and shown[0][0] == "display_data", shown
        assert "fetch: Slow.fetch (plugin 'Slow') runs now, 1." in shown[0][1]
        assert any(kind == "update_display_data" and "runs now, 2." in text for kind, text in shown)
        assert shown[-1] == ("update_display_data", "")  # emptied when the call ended

        nb.ok("SECONDS = 30")
        mark.unlink()
        started = time.monotonic()
        with interrupt_when(nb, mark.exists):
            cell = nb.cell("%%hook fetch\ntopic = 'x'\n")
        assert time.monotonic() - started < 20
        assert "KeyboardInterrupt" in errors(cell)
        text = re.sub(r"\x1b\[[0-9;]*m", "", outputs_text(cell))
        assert "quick news" in text and "Slow.fetch" in text, text  # the partial call view
        traceback_text = "\n".join("\n".join(o.traceback) for o in cell.outputs
                                   if o.output_type == "error")
        traceback_text = re.sub(r"\x1b\[[0-9;]*m", "", traceback_text)
        assert "await asyncio.sleep(float(SECONDS))" in traceback_text, traceback_text
        assert "asyncio/tasks.py" not in traceback_text and PACKAGE_DIR not in traceback_text
