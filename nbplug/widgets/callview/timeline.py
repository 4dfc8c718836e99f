"""The call view's timeline: the moments of one call on a time axis that stays honest at µs scale.

A call of a few µs is mostly the interpreter's own overhead; drawing a wrapper's *before* as a bar
from its start to its ``yield`` made a wrapper with no code before ``yield`` look busy. So the
timeline shows **events**: a wrapper's before and after are marks at the moment they ran (a bar
only when one took at least :data:`WORK_BAR` — real work, never overhead), an extension is a bar
exactly as long as it ran (at least a hairline), a thin line is a wrapper waiting at its ``yield``.
A legend names the marks and an axis with round ticks gives the scale. Colours are JupyterLab theme
variables (with fallbacks for nbconvert), so the timeline reads in the light and the dark theme.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..format import theme
from ..format.text import escape_html, format_duration
from .model import CallModel, Node

__all__ = ["TimelineEvent", "axis_html", "nice_ticks", "timeline_events", "timeline_html", "unit_for"]

#: A wrapper's before / after shorter than this is drawn as a mark, not a bar.
WORK_BAR = 1e-3

MUTED = theme.MUTED  # the only text colour of the timeline besides the theme's own
# marks and bars (not text): the theme's colours, toned toward its text colour as the views' are
BEFORE = theme.WARN
AFTER = theme.INFO
RAN = theme.SUCCESS
RAISED = theme.ERROR
GUIDE = "var(--jp-border-color1, #bdbdbd)"


@dataclass(frozen=True)
class TimelineEvent:
    """One moment of the call: what happened, when (seconds since the call started), how long."""

    at: float
    took: float
    what: str  # "before yield", "ran", "raised", "after yield"
    label: str
    depth: int


def unit_for(duration: float) -> tuple[float, str]:
    """The scale and unit the axis counts in: µs below 1 ms, ms below 1 s, else s."""
    if duration < 1e-3:
        return 1e6, "µs"
    if duration < 1.0:
        return 1e3, "ms"
    return 1.0, "s"


def nice_ticks(total: float, count: int = 5) -> list[float]:
    """Round tick positions (1, 2 or 5 times a power of ten) from 0 up to ``total``."""
    if total <= 0:
        return [0.0]
    raw = total / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(total / step + 1e-9) + 1)]


def timeline_events(model: CallModel) -> list[TimelineEvent]:
    """Every moment of the call in time order (not-called extensions have none)."""
    events: list[TimelineEvent] = []
    for depth, node in model.walk():
        if node.at is None or node.took is None:
            continue
        if node.kind == "extension":
            what = "raised" if node.status == "raised" else "ran"
            events.append(TimelineEvent(node.at, node.took, what, node.label, depth))
            continue
        for moment in (node.before, node.after):
            if moment is not None:
                what = f"{moment.kind} yield"
                events.append(TimelineEvent(moment.at, moment.took, what, node.label, depth))
    events.sort(key=lambda e: e.at)
    return events


def _pct(t: float, total: float) -> float:
    return 100.0 * min(max(t, 0.0), total) / total



def _mark(kind: str, left: float, title: str) -> str:
    fill = BEFORE if kind == "before" else "transparent"
    border = BEFORE if kind == "before" else AFTER
    return (
        f'<span class="nbplug-tl-mark nbplug-tl-{kind}" title="{escape_html(title)}" '
        f"style=\"position:absolute;left:calc({left:.3f}% - 5px);top:3px;width:7px;height:7px;"
        f'transform:rotate(45deg);background:{fill};border:2px solid {border}"></span>'
    )


def _bar(cls: str, left: float, width: float, color: str, title: str) -> str:
    return (
        f'<span class="{cls}" title="{escape_html(title)}" style="position:absolute;left:{left:.3f}%;'
        f"width:max({width:.3f}%,2px);top:2px;bottom:2px;background:{color};border-radius:2px\"></span>"
    )


def _waiting(left: float, right: float) -> str:
    return (
        f'<span class="nbplug-tl-waiting" title="waiting at its yield" style="position:absolute;'
        f"left:{left:.3f}%;width:{max(right - left, 0):.3f}%;top:calc(50% - 1px);"
        f'border-top:2px dotted {GUIDE}"></span>'
    )


def _track(node: Node, total: float) -> str:
    if node.at is None or node.took is None:
        return (
            f'<span class="nbplug-tl-none" style="position:absolute;top:0;line-height:1.1em;'
            f'color:{MUTED}">not called</span>'
        )
    start = _pct(node.at, total)
    if node.kind == "extension":
        color = RAISED if node.status == "raised" else RAN
        width = _pct(node.at + node.took, total) - start
        what = "raised" if node.status == "raised" else "ran"
        return _bar("nbplug-tl-ran", start, width, color, f"{what} for {format_duration(node.took)}")
    parts: list[str] = []
    before, after = node.before, node.after
    inside_from = before.at + before.took if before is not None else node.at
    inside_to = after.at if after is not None else node.at + node.took
    parts.append(_waiting(_pct(inside_from, total), _pct(inside_to, total)))
    for moment in (before, after):
        if moment is None:
            continue
        title = f"{moment.kind} yield: {format_duration(moment.took)}"
        left = _pct(moment.at, total)
        if moment.took >= WORK_BAR:
            color = BEFORE if moment.kind == "before" else AFTER
            width = _pct(moment.at + moment.took, total) - left
            parts.append(_bar(f"nbplug-tl-{moment.kind}", left, width, color, title))
        else:
            parts.append(_mark(moment.kind, left, title))
    return "".join(parts)


def _legend() -> str:
    def key(sample: str, words: str) -> str:
        return (
            '<span style="display:inline-flex;align-items:center;gap:.4em;margin-right:1.2em">'
            f'<span style="position:relative;display:inline-block;width:14px;height:14px">{sample}'
            f"</span>{words}</span>"
        )

    return (
        f'<div class="nbplug-tl-legend" style="color:{MUTED};margin:.2em 0 .3em">'
        + key(_mark("before", 50, "before yield"), "before yield")
        + key(_bar("", 10, 80, RAN, "ran"), "an extension ran")
        + key(_bar("", 10, 80, RAISED, "raised"), "raised")
        + key(_mark("after", 50, "after yield"), "after yield")
        + key(_waiting(0, 100), "a wrapper waiting at its yield")
        + "</div>"
    )


def axis_html(total: float) -> str:
    """A time axis of ``total`` seconds with round ticks (the call view's and the run timeline's)."""
    scale, unit = unit_for(total)
    labels = []
    for tick in nice_ticks(total):
        left = _pct(tick, total)
        side = "right" if left > 88 else "left"
        shift = "translateX(-100%)" if side == "right" else "none"
        labels.append(
            f'<span class="nbplug-tl-tick" style="position:absolute;left:{left:.3f}%;'
            f"transform:{shift};white-space:nowrap;border-{side}:1px solid {GUIDE};"
            f'padding:0 3px">{tick * scale:g} {unit}</span>'
        )
    return (
        f'<div class="nbplug-tl-axis" style="position:relative;height:1.4em;color:{MUTED};'
        f'border-top:1px solid {GUIDE}">{"".join(labels)}</div>'
    )


def timeline_html(model: CallModel) -> str:
    """The timeline as static HTML: a legend, a row per wrapper / extension, a time axis."""
    walked = model.walk()
    total = max(
        model.duration,
        max(((n.at or 0.0) + (n.took or 0.0) for _, n in walked), default=0.0),
        1e-9,
    )
    rows = []
    for depth, node in walked:
        rows.append(
            f'<div class="nbplug-timeline-row" style="display:flex;align-items:center;gap:1em">'
            f'<span style="flex:0 0 32%;padding-left:{1.2 * depth:.1f}em;white-space:nowrap;'
            f'overflow:hidden;text-overflow:ellipsis">{escape_html(node.label)}</span>'
            f'<span style="flex:1 1 auto;position:relative;height:1.1em">{_track(node, total)}</span>'
            "</div>"
        )
    axis = (
        '<div style="display:flex;gap:1em"><span style="flex:0 0 32%"></span>'
        f'<span style="flex:1 1 auto">{axis_html(total)}</span></div>'
    )
    return (
        '<div class="nbplug-timeline" style="margin-top:.6em">'
        f"<div><b>timeline</b> <span style=\"color:{MUTED}\">(since the call started, "
        f"{escape_html(format_duration(total))} in all)</span></div>"
        + _legend()
        + "".join(rows)
        + axis
        + "</div>"
    )
