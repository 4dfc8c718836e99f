"""Where the browser tests put their screenshots, so that a person can look at what was tested.

One folder per test run: ``$NBPLUG_SCREENSHOTS`` if set, else ``build/screenshots/`` in the
repository (git ignores build/). It is emptied the first time a run asks for it (once per
process, so several test modules share it) and printed, so the screenshots of a run are exactly
that run's. :func:`shoot_views` writes one PNG per view element
(``<prefix>-<view>-<n>.png``).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from tests.browser.contrast import VIEW_SELECTOR

ROOT = Path(__file__).resolve().parent.parent.parent


_emptied: set[Path] = set()


def screenshot_dir() -> Path:
    """The run's screenshot folder (created, emptied on first use in this process, printed)."""
    folder = Path(os.environ.get("NBPLUG_SCREENSHOTS") or ROOT / "build" / "screenshots")
    if folder not in _emptied and folder.exists():
        shutil.rmtree(folder)
    _emptied.add(folder)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {folder}", file=sys.stderr)
    return folder


_KINDS = ("callview", "board", "inspector", "recording", "compare", "diagram", "replay", "feedback")


def _view_name(classes: str) -> str:
    """The view's kind, named by its HTML form's class or its widget's (``nbplug-diagram-widget``)."""
    names = {c.removesuffix("-widget").removesuffix("-box") for c in classes.split()}
    return next((kind for kind in _KINDS if f"nbplug-{kind}" in names), "view")


def shoot_views(page: Any, folder: Path, prefix: str, *, selector: str = VIEW_SELECTOR,
                most: int = 4) -> list[Path]:
    """Screenshot each view on the page (at most ``most`` of each kind); return the files."""
    written: list[Path] = []
    counts: dict[str, int] = {}
    views = page.locator(selector)
    for index in range(views.count()):
        view = views.nth(index)
        if view.evaluate("(el, sel) => !!(el.parentElement && el.parentElement.closest(sel))", selector):
            continue  # inside another view: that one's screenshot shows it
        if not view.is_visible():
            continue
        kind = _view_name(view.get_attribute("class") or "")
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] > most:
            continue
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", prefix)
        path = folder / f"{safe}-{kind}-{counts[kind]}.png"
        view.scroll_into_view_if_needed()
        view.screenshot(path=str(path))
        written.append(path)
    return written
