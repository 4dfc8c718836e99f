"""Switch JupyterLab's theme in a running page, the way a person does: Settings > Theme > NAME.

JupyterLab 4 applies a theme without a reload (the command ``apputils:change-theme`` behind that
menu entry swaps the theme's CSS variables) and records it on ``<body data-jp-theme-name>``, which
is how :func:`switch_theme` knows the switch is done. Outputs and widgets already shown are not
re-rendered: they change colour only because they use the theme's variables, which is what the
contrast check then measures.
"""

from __future__ import annotations

import re
from typing import Any

LIGHT = "JupyterLab Light"
DARK = "JupyterLab Dark"
THEMES = (LIGHT, DARK)


def current_theme(page: Any) -> str:
    """The name of the theme the page shows now."""
    name: str = page.evaluate("() => document.body.getAttribute('data-jp-theme-name') || ''")
    return name


def switch_theme(page: Any, name: str, *, timeout: float = 20.0) -> None:
    """Pick ``name`` in the Settings > Theme menu and wait until the page shows it."""
    if name not in THEMES:
        raise ValueError(f"switch_theme knows {', '.join(THEMES)}; got {name!r}")
    if current_theme(page) == name:
        return
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Settings$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).first.hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(name)}$")).first.click()
    page.wait_for_function(
        "name => document.body.getAttribute('data-jp-theme-name') === name", arg=name,
        timeout=timeout * 1000,
    )
    page.keyboard.press("Escape")  # should a menu still be open
    page.wait_for_timeout(500)  # let the new variables reach every element's computed style
