"""Driving JupyterLab in the browser like a person: launch Chromium, open a notebook, Run All, wait.

Shared by the browser tests (tests/test_browser_*.py): each takes a :class:`~tests.browser.lab.Lab`
(the server) and a Playwright ``page``. Failures say what was awaited and leave a screenshot.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.lab import CHROMIUM_ARGS, Lab, which_chromium
from tests.browser.themes import LIGHT, switch_theme

VIEWPORT = {"width": 1400, "height": 1000}

#: The notebook on show (other tabs' panels stay in the page, hidden).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@contextlib.contextmanager
def chromium_page(*, viewport: dict[str, int] | None = None) -> Iterator[tuple[Any, list[str]]]:
    """A page of headless Debian Chromium, and the list its JavaScript errors are collected in."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=which_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport or VIEWPORT)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield page, errors
        finally:
            browser.close()


def wait_for(predicate: Callable[[], Any], what: str, timeout: float, page: Any, shots: Path) -> Any:
    """Poll ``predicate()`` until it returns something truthy; screenshot and fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "timeout.png"), full_page=True)
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what} (see {shots}/timeout.png)")
        page.wait_for_timeout(100)


def accept_kernel_dialog(page: Any) -> None:
    """Should JupyterLab still ask which kernel to start, accept its choice (python3).

    The lab's settings ask it to start the notebook's kernel without asking; this is the fallback.
    """
    accept = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if accept.count():
            accept.first.click()
            return
        page.wait_for_timeout(200)


def open_notebook(page: Any, lab: Lab, path: str) -> None:
    """Open ``path`` (relative to the lab's root) alone (``reset``: the tabs an earlier page left
    in the workspace are not restored) and wait for its cells and its kernel."""
    page.goto(lab.lab_url(path) + "&reset", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60_000)
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator", timeout=30_000)
    accept_kernel_dialog(page)


def run_all(page: Any) -> None:
    """Run > Run All Cells, through the menu bar like a person would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def kernel_idle(page: Any) -> bool:
    """Whether some cell ran, none waits or runs (no ``[*]`` prompt among those rendered; the
    windowed notebook leaves prompts of cells out of view empty) and the kernel reports idle."""
    prompts = [p.strip() for p in
               page.locator(f"{PANEL} .jp-Cell.jp-CodeCell .jp-InputPrompt").all_inner_texts()]
    if not any(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
        return False
    if "[*]:" in prompts:  # queued or running (an empty cell keeps its "[ ]:" after Run All)
        return False
    status = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator").first
    if status.count():
        return status.get_attribute("data-status") == "idle"
    return True


def run_all_and_wait(page: Any, *, timeout: float, shots: Path, name: str,
                     while_running: Callable[[], object] = lambda: None, settle: float = 2.0) -> None:
    """Run All, calling ``while_running()`` every 100 ms until the kernel has stayed idle with
    every cell run for ``settle`` seconds (Run All has short idle gaps between cells)."""
    run_all(page)
    deadline = time.monotonic() + timeout
    idle_since: float | None = None
    while True:
        while_running()
        now = time.monotonic()
        if kernel_idle(page):
            idle_since = idle_since if idle_since is not None else now
            if now - idle_since >= settle:
                return
        else:
            idle_since = None
        if now > deadline:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"{name}-timeout.png"), full_page=True)
            pytest.fail(f"{name}: Run All did not finish in {timeout:.0f} s (see {shots}/{name}-timeout.png)")
        page.wait_for_timeout(100)


def open_and_run_all(page: Any, lab: Lab, name: str, *, shots: Path, timeout: float = 240) -> None:
    """Open ``name`` in the light theme, Run All and wait; fail if any cell showed an error."""
    open_notebook(page, lab, name)
    switch_theme(page, LIGHT)
    run_all_and_wait(page, timeout=timeout, shots=shots, name=Path(name).stem)
    errors = error_outputs(page)
    assert not errors, f"{name} showed errors under Run All: {errors}"


def error_outputs(page: Any) -> list[str]:
    """The text of every error output (tracebacks, UsageErrors) the notebook shows."""
    texts: list[str] = page.locator(
        f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()
    return [t for t in texts if "Error" in t or "Traceback" in t]


def scroll_through(page: Any) -> None:
    """Scroll the notebook from top to bottom so that every output is rendered (JupyterLab
    renders cells lazily, out of view ones only as they are reached)."""
    page.evaluate(
        """async () => {
            const shown = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const panel = shown && (shown.querySelector('.jp-WindowedPanel-outer')
                || shown.querySelector('.jp-Notebook'));
            if (!panel) return;
            for (let y = 0; y <= panel.scrollHeight; y += 500) {
                panel.scrollTop = y;
                await new Promise(r => setTimeout(r, 60));
            }
            panel.scrollTop = 0;
        }"""
    )
