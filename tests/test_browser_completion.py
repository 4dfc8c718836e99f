"""Tab completion of the magics in JupyterLab (Debian's Chromium), as a person sees the list.

The kernel's completions come first and in order — verbs, then names — each with its type shown
beside it; the untyped words at the end of JupyterLab's list are its *context* provider's (the words
of the cell being edited), not the kernel's: the test checks that nothing typed is stray.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.browser.jlab import PANEL, chromium_page, open_notebook, run_all_and_wait
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SETUP = '''\
from nbplug import Extension, ExtensionPoint
spec, impl = ExtensionPoint("feed"), Extension("feed")
class Specs:
    @spec
    def fetch(self, topic: str) -> str: ...
class Weather:
    @impl
    def fetch(self, topic): return "sun"
%plugin add Specs Weather'''


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    with lab_for_test(tmp_path) as server:
        yield server


def completions(page: Any, text: str) -> list[tuple[str, str]]:
    """Type ``text`` in the last cell, press Tab, and read the list: (match, type) per item."""
    editor = page.locator(f"{PANEL} .jp-Cell").last.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    items = page.locator(".jp-Completer-item")
    items.first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)  # every provider has answered
    found = []
    for i in range(items.count()):
        item = items.nth(i)
        kind = item.locator(".jp-Completer-typeExtended")
        found.append((item.locator(".jp-Completer-match").inner_text().strip(),
                      kind.inner_text().strip() if kind.count() else ""))
    return found


def test_tab_offers_verbs_then_names_each_typed_and_nothing_stray_from_the_kernel(
    lab: Lab, tmp_path: Path
) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in ("%load_ext nbplug", SETUP, "")]
    nbformat.write(nb, str(lab.root / "complete.ipynb"))
    with chromium_page() as (page, errors):
        open_notebook(page, lab, "complete.ipynb")
        run_all_and_wait(page, timeout=120, shots=tmp_path, name="complete")

        got = completions(page, "%plugin ")
        page.screenshot(path=str(screenshot_dir() / "completion-plugin.png"))
        typed = [item for item in got if item[1]]
        verbs = ["add", "remove", "list", "start", "stop", "status", "help"]
        assert typed[: len(verbs)] == [(verb, "verb") for verb in verbs], got
        assert ("Specs", "specs") in typed and ("Weather", "class") in typed, got
        assert got[: len(typed)] == typed, f"the kernel's items come first: {got}"
        assert not {"magic", "instance"} & {kind for _, kind in typed}, got
        page.keyboard.press("Escape")

        got = completions(page, "%plugin add Specs ")
        typed = [item for item in got if item[1]]
        assert ("--name", "option") in typed and ("Specs", "specs") not in typed, got
        page.keyboard.press("Escape")

        got = completions(page, "%%hook ")
        typed = [item for item in got if item[1]]
        assert typed[0] == ("fetch", "hook") and ("-q", "option") in typed, got
        assert not errors, errors
