"""JupyterLab in Debian's Chromium runs notebook 05 (pytest run and recorded in the kernel): the
recording view renders, its hook filter narrows the call tree, and picking a call shows it in the
call view.

Skipped — loudly, with what is missing — when Chromium or Playwright is not there (see the ``lab``
fixture of test_browser_lab).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser.lab import CHROMIUM_ARGS, Lab, which_chromium
from tests.test_browser_lab import accept_kernel_dialog, lab, wait_for  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_how_pytests_plugins_work.ipynb"


def ran_to_the_end(page: Any) -> bool:
    """Whether the notebook's last cell has run and the kernel is idle. (JupyterLab renders only
    the cells near the view, so the prompts of the others cannot be read.)"""
    status = page.locator(".jp-Notebook-ExecutionIndicator").first
    if status.count() and status.get_attribute("data-status") != "idle":
        return False
    prompt = page.locator(".jp-Notebook .jp-Cell.jp-CodeCell .jp-InputPrompt").last
    return bool(prompt.count() and re.fullmatch(r"\s*\[\d+\]:\s*", prompt.inner_text()))


def test_notebook_05_shows_the_recorded_run_and_its_filters_work(lab: Lab, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    shutil.copy(NOTEBOOK, lab.root / NOTEBOOK.name)
    shots = tmp_path
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=which_chromium(), headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(lab.lab_url(NOTEBOOK.name), wait_until="domcontentloaded", timeout=60_000)
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator", timeout=30_000)
            accept_kernel_dialog(page)
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            wait_for(lambda: ran_to_the_end(page), "the last cell to run and the kernel to be idle",
                     300, page, shots)
            failed = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                                  ).all_inner_texts()
            assert not any("Error" in text for text in failed), failed

            page.locator(".jp-Notebook .jp-Cell").first.click()  # scroll back to the top
            page.keyboard.press("Control+Home")
            view = page.locator(".nbplug-recording-view").first
            view.wait_for(timeout=30_000)
            view.scroll_into_view_if_needed()
            assert "recording of" in view.inner_text()
            page.screenshot(path=str(shots / "recording.png"), full_page=False)

            # the hook filter: the tree keeps pytest_runtest_makereport calls (6: 2 tests x 3 phases)
            view.locator("select").first.select_option("pytest_runtest_makereport")
            tree = view.locator(".nbplug-rec-tree")
            view.locator(".lm-TabBar-tab", has_text="call tree").click()
            wait_for(lambda: tree.locator(".nbplug-rec-call[data-hook='pytest_runtest_makereport']"
                                          ).count() == 6, "six makereport calls in the tree", 20,
                     page, shots)
            # the list of calls offers exactly those, and the picked one shows in the call view
            options = view.locator("select").nth(2).locator("option").all_inner_texts()
            assert len(options) == 6 and all("pytest_runtest_makereport" in o for o in options)
            view.locator("select").nth(2).select_option(index=1)
            call_view = view.locator(".nbplug-callview").first
            wait_for(lambda: "when='call'" in call_view.inner_text(), "the call phase's call view",
                     20, page, shots)
            assert "runner" in call_view.inner_text()
            view.scroll_into_view_if_needed()
            final = shots / "recording-filtered.png"
            view.screenshot(path=str(final))
            assert final.stat().st_size > 10_000
            assert not errors, errors
        finally:
            browser.close()
