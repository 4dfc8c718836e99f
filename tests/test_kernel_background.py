"""``%autoawait off`` then ``%%hook`` in a real kernel: the cell says the call goes on in the
background, and the call view replaces that note when the call ends (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ipython_fixtures import SLOW_PLUGIN, SPECS_AND_PLUGINS
from kernel_fixtures import kernel_notebook, outputs_text

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


def test_a_hook_call_with_autoawait_off_shows_its_view_when_it_ends(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(SPECS_AND_PLUGINS + SLOW_PLUGIN)
        nb.ok("%plugin add Specs Slow\n%autoawait off")
        shown = outputs_text(nb.ok("%%hook fetch\ntopic = 'x'"))
        assert "continues as a background task" in shown and "A hook call's view" in shown, shown

        def is_view(msg: dict[str, object]) -> bool:
            content = msg["content"]
            assert isinstance(content, dict)
            text = content.get("data", {}).get("text/plain", "")
            return msg["msg_type"] == "update_display_data" and text.startswith("hook fetch(")

        updates = [m for m in nb.idle_messages(is_view, timeout=10) if is_view(m)]
        assert updates, "no update of the note arrived"
        view = updates[0]["content"]["data"]["text/plain"]
        assert "slow[x]" in view and "background task" not in view, view
        nb.ok("%autoawait on")
        assert nb.value("%hook -q fetch topic='y'") == "['slow[y]']"  # awaited in the cell again
