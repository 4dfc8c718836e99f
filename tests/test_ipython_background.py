"""A hook call from a synchronous call site while the loop runs goes on in the background and says
so; its call view replaces that note when the call ends (issue 20).

With ``%autoawait off`` (or inside a ``def``) in a kernel, the magic is reached synchronously while
the kernel's loop runs: the call cannot be awaited in the cell, so it continues as a task. The cell
is over before the call ends, and a front end drops new outputs of a finished cell, but it still
applies an update of a display the cell made: the note is that display.
"""

from __future__ import annotations

from typing import Any

import pytest
from ipython_fixtures import SLOW_PLUGIN, SPECS_AND_PLUGINS, Shell, shell

__all__ = ["shell"]


def test_a_call_from_synchronous_code_says_it_goes_on_and_its_view_replaces_the_note(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell.run(SPECS_AND_PLUGINS + SLOW_PLUGIN)
    shell.run("%plugin add Specs Slow")
    published: list[dict[str, Any]] = []

    def publish(data: dict[str, str], metadata: object = None, source: object = None, *,
                transient: dict[str, str] | None = None, update: bool = False) -> None:
        published.append({"text": data.get("text/plain", ""), "transient": transient or {},
                          "update": update})

    monkeypatch.setattr(shell.ip.display_pub, "publish", publish)
    monkeypatch.setattr(shell.ip, "kernel", object(), raising=False)  # as in ipykernel
    shell.run("task = call_from_sync_code()\nawait asyncio.sleep(0)")  # the loop runs meanwhile
    assert shell.run("await task") == ["slow[x]"]
    note, view = published[0], published[-1]
    assert "continues as a background task" in note["text"] and not note["update"]
    assert note["transient"].get("display_id")
    assert view["text"].startswith("hook fetch(limit=3, topic='x')"), view
    assert view["update"] and view["transient"] == note["transient"]
    assert "background task" not in view["text"]  # the note is not taken as the call's output
    assert "slow prints" in view["text"]


WARMING = '''
from nbplug.lifespans import lifespan

@lifespan
async def warming():
    await asyncio.sleep(0.02)  # the set-up waits: the verb goes on in the background
    yield None

def start_from_sync_code():
    return get_ipython().run_line_magic("plugin", "start warming")
'''


def test_a_plugin_verb_from_synchronous_code_shows_its_lines_in_place_of_the_note(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell.run(f"{SPECS_AND_PLUGINS}{WARMING}\n%plugin add warming")
    updates: list[tuple[str, str]] = []

    def update(self: object, obj: object, **kwargs: object) -> None:
        updates.append((str(getattr(self, "display_id", "")), str(getattr(obj, "data", obj))))

    from IPython.display import DisplayHandle

    monkeypatch.setattr(DisplayHandle, "update", update)
    monkeypatch.setattr(shell.ip, "kernel", object(), raising=False)  # as in ipykernel
    shell.run("task = start_from_sync_code()\nawait task")
    assert updates and "started warming" in updates[0][1], updates
    shell.run("%plugin stop")
