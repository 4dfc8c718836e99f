"""JupyterLab in Debian's Chromium runs notebook 05 (pytest run and recorded in the kernel): the
recording view renders, its hook filter narrows the call tree, and picking a call shows it in the
call view. (test_browser_views runs every notebook, this one too, for errors and contrast.)

Skipped — loudly, with what is missing — when Chromium or Playwright is not there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.jlab import chromium_page, error_outputs, open_notebook, run_all_and_wait, wait_for
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_how_pytests_plugins_work.ipynb"


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    with lab_for_test(tmp_path, [NOTEBOOK]) as server:
        yield server


def test_notebook_05_shows_the_recorded_run_and_its_filters_work(lab: Lab) -> None:
    shots = screenshot_dir()
    with chromium_page() as (page, errors):
        open_notebook(page, lab, NOTEBOOK.name)
        run_all_and_wait(page, timeout=300, shots=shots, name=NOTEBOOK.stem)
        assert error_outputs(page) == [], "notebook 05 showed errors under Run All"
        page.keyboard.press("Control+Home")
        view = page.locator(".nbplug-recording-view").first
        view.wait_for(timeout=30_000)
        view.scroll_into_view_if_needed()
        assert "recording of" in view.inner_text()

        # the hook filter: the tree keeps pytest_runtest_makereport calls (6: 2 tests x 3 phases)
        view.locator("select").first.select_option("pytest_runtest_makereport")
        view.locator(".lm-TabBar-tab", has_text="call tree").click()
        tree = view.locator(".nbplug-rec-tree")
        wait_for(lambda: tree.locator(".nbplug-rec-call[data-hook='pytest_runtest_makereport']"
                                      ).count() == 6, "six makereport calls in the tree", 20, page, shots)
        assert tree.locator(".nbplug-rec-call[data-hook='pytest_runtest_makereport']").first.is_visible()
        # the list of calls offers exactly those; the picked one shows in the call view
        pick = view.locator("select").nth(2)
        options = pick.locator("option").all_inner_texts()
        assert len(options) == 6 and all("pytest_runtest_makereport" in o for o in options), options
        pick.select_option(index=1)
        call_view = view.locator(".nbplug-callview").first
        wait_for(lambda: "when='call'" in call_view.inner_text(), "the call phase's call view",
                 20, page, shots)
        assert "runner" in call_view.inner_text()
        view.scroll_into_view_if_needed()
        final = shots / "05-recording-filtered.png"
        view.screenshot(path=str(final))
        assert final.stat().st_size > 10_000
        assert not errors, errors
