"""Measure the contrast of every piece of text a view shows, from the styles the browser rendered.

For each element under the given selectors that holds text of its own, the page reports its
computed ``color`` and the computed ``background-color`` of it and each ancestor; the effective
background is those layers composited from the page's canvas (white) inwards, and a translucent
text colour is composited over that. The ratio is WCAG 2's ``(L1 + 0.05) / (L2 + 0.05)`` on
relative luminance. Colours come as ``rgb()``/``rgba()`` or, for ``color-mix()`` results,
``color(srgb r g b / a)``.

Left out, as WCAG leaves them out: text of disabled controls, and elements not displayed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Every view nbplug draws: the call view, the board, the design map, the recording view, the
#: comparisons (calls, designs, timelines), the design diagram, the replay and the exercises'
#: feedback -- each by its HTML form's class and, where its widget adds controls around that
#: (buttons, a slider), by the widget's box too.
VIEW_SELECTOR = (".nbplug-callview, .nbplug-board, .nbplug-inspector, .nbplug-recording, "
                 ".nbplug-compare, .nbplug-diagram-widget, .nbplug-diagram, .nbplug-replay-widget, "
                 ".nbplug-replay, .nbplug-feedback-box, .nbplug-feedback")

AA = 4.5

RGBA = tuple[float, float, float, float]

_JS = """
(selector) => {
  const out = [];
  const seen = new Set();
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || seen.has(el)) continue;
      seen.add(el);
      if (el.closest('[disabled], .mod-disabled, .jupyter-button:disabled')) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.display === 'none' || style.visibility === 'hidden' || !box.width || !box.height) continue;
      const layers = [];
      for (let cur = el; cur; cur = cur.parentElement) {
        const s = getComputedStyle(cur);
        layers.push(s.backgroundColor);
      }
      const view = el.closest(selector);
      out.push({
        text: text.slice(0, 60), color: style.color, layers,
        view: view ? view.className : '', element: el.tagName.toLowerCase() + '.' + el.className,
        fontSize: style.fontSize,
      });
    }
  }
  return out;
}
"""


def parse_color(css: str) -> RGBA:
    """``rgb(1, 2, 3)``, ``rgba(1, 2, 3, 0.5)``, ``color(srgb 0.1 0.2 0.3 / 0.5)`` -> 0..1 RGBA."""
    css = css.strip()
    if css in ("transparent", ""):
        return (0.0, 0.0, 0.0, 0.0)
    match = re.fullmatch(r"rgba?\(([^)]*)\)", css)
    if match:
        parts = [p for p in re.split(r"[\s,/]+", match.group(1)) if p]
        r, g, b = (float(p) / 255 for p in parts[:3])
        alpha = float(parts[3]) if len(parts) > 3 else 1.0
        return (r, g, b, alpha)
    match = re.fullmatch(r"color\(srgb\s+([^)]*)\)", css)
    if match:
        values, _, alpha_text = match.group(1).partition("/")
        r, g, b = (float(p) for p in values.split()[:3])
        return (r, g, b, float(alpha_text) if alpha_text.strip() else 1.0)
    raise ValueError(f"cannot read the CSS colour {css!r} (want rgb(), rgba() or color(srgb ...))")


def over(top: RGBA, below: RGBA) -> RGBA:
    """``top`` composited over an opaque ``below``."""
    a = top[3]
    return (top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a),
            top[2] * a + below[2] * (1 - a), 1.0)


def luminance(color: RGBA) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: RGBA, background: RGBA) -> float:
    """WCAG contrast of ``foreground`` (composited over the opaque background) on ``background``."""
    light, dark = sorted((luminance(over(foreground, background)), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hex_of(color: RGBA) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in color[:3])


@dataclass(frozen=True)
class TextContrast:
    """One piece of text as rendered: its colours and their contrast."""

    text: str
    view: str
    element: str
    color: str  # the opaque colour seen, as #rrggbb
    background: str
    ratio: float
    font_size: str

    def __str__(self) -> str:
        return (f"{self.ratio:.2f}:1  {self.color} on {self.background}  {self.font_size}  "
                f"{self.element[:50]}  {self.text!r}")


def measure(page: Any, selector: str = VIEW_SELECTOR) -> list[TextContrast]:
    """The contrast of every text the elements matching ``selector`` show right now."""
    found = page.evaluate(_JS, selector)
    measured = []
    for item in found:
        background: RGBA = (1.0, 1.0, 1.0, 1.0)  # the canvas
        for layer in reversed(item["layers"]):
            background = over(parse_color(layer), background)
        foreground = parse_color(item["color"])
        measured.append(TextContrast(
            text=item["text"], view=item["view"], element=item["element"],
            color=hex_of(over(foreground, background)), background=hex_of(background),
            ratio=contrast_ratio(foreground, background), font_size=item["fontSize"],
        ))
    return measured


def distinct_colours(measured: list[TextContrast]) -> dict[tuple[str, str], TextContrast]:
    """One sample per (text colour, background) pair, the lowest ratio first."""
    pairs: dict[tuple[str, str], TextContrast] = {}
    for item in sorted(measured, key=lambda m: m.ratio):
        pairs.setdefault((item.color, item.background), item)
    return pairs
