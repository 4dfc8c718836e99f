"""Colours of the views, from JupyterLab's theme CSS variables, readable in the light and dark theme.

Every colour a view gives text is one of these CSS values. They are built from JupyterLab's own
variables (``--jp-error-color1``, ``--jp-content-font-color0``, ``--jp-layout-color0``...), so a
theme change recolours the views with no Python involved, and each is mixed toward the theme's own
text colour (CSS ``color-mix``) far enough to reach WCAG AA's 4.5:1 against the theme's background
in both themes (measured in the browser test, ``tests/test_browser_views.py``).

Rejected: fixed hex colours (a ``#b00`` red measures 2.4:1 in the dark theme, a green for
"running" 3.7:1), and the theme colours as they are (``--jp-warn-color1`` is 2.7:1 on
white, ``--jp-error-color0`` 3.8:1 on the dark background): the "1" shades are tuned for icons
and borders, not for text. Each ``var()`` carries a fallback for front ends without JupyterLab's
variables (nbconvert's classic HTML, other renderers).
"""

from __future__ import annotations

__all__ = [
    "BORDER",
    "ERROR",
    "INFO",
    "MUTED",
    "SUCCESS",
    "SURFACE",
    "TEXT",
    "WARN",
    "tone",
]

#: The theme's own text colour.
TEXT = "var(--jp-content-font-color1, #212121)"

#: Secondary text (docs, "not called", legends): the text colour 62% over the background.
MUTED = "color-mix(in srgb, var(--jp-content-font-color0, #000) 62%, var(--jp-layout-color0, #fff))"

#: Lines and frames (not text).
BORDER = "var(--jp-border-color2, #e0e0e0)"

#: A slightly raised background (badges, header rows).
SURFACE = "var(--jp-layout-color2, #eee)"

_FALLBACK = {"error": "#d32f2f", "success": "#388e3c", "warn": "#f57c00", "brand": "#1976d2"}


def tone(name: str, share: int = 65) -> str:
    """A theme colour (``error``, ``success``, ``warn``, ``brand``) readable as text: ``share``
    percent of ``--jp-<name>-color1``, the rest the theme's strongest text colour."""
    if name not in _FALLBACK:
        raise ValueError(f"tone() knows {', '.join(sorted(_FALLBACK))}; got {name!r}")
    if not 0 < share <= 100:
        raise ValueError(f"share is a percentage in (0, 100], got {share!r}")
    return (
        f"color-mix(in srgb, var(--jp-{name}-color1, {_FALLBACK[name]}) {share}%, "
        "var(--jp-content-font-color0, #000))"
    )


ERROR = tone("error")
SUCCESS = tone("success")
WARN = tone("warn")
INFO = tone("brand")
