"""The timeline comparison's forms: two lanes of bars on one axis, in HTML and in text.

Each lane is labelled and says how long its call took and whether its extensions overlapped;
its bars sit at their start on the shared axis, as long as they ran (a hairline at least), a
wrapper a thin bar above what it wraps. Each bar's row names it (cut with an ellipsis in a 30%
column, the full name in its title), so the chart fits a 1000 px notebook column.
"""

from __future__ import annotations

from ..format import theme
from ..format.text import escape_html, format_duration, text_form
from .columns import VIEW, label_html
from .timelines import TEXT_WIDTH, Bar, Lane, scale

__all__ = ["lanes_html", "lanes_text"]

GUIDE = "var(--jp-border-color1, #bdbdbd)"


def _how(lane: Lane) -> str:
    together = "extensions overlapped" if lane.overlapping else "one extension at a time"
    return f"{format_duration(lane.duration)}, {together}"


def _bar_html(bar: Bar, total: float) -> str:
    left = 100.0 * bar.start / total
    width = 100.0 * max(bar.end - bar.start, 0.0) / total
    color = theme.ERROR if bar.raised else theme.INFO if bar.kind == "wrapper" else theme.SUCCESS
    thin = "top:40%;bottom:40%" if bar.kind == "wrapper" else "top:2px;bottom:2px"
    title = f"{bar.label}: {format_duration(bar.start)} to {format_duration(bar.end)}"
    return (f'<span class="nbplug-lane-bar nbplug-lane-{bar.kind}" title="{escape_html(title)}" '
            f'style="position:absolute;left:{left:.3f}%;width:max({width:.3f}%,2px);{thin};'
            f'background:{color};border-radius:2px"></span>')


def _axis_html(ticks: list[float], total: float, factor: float, unit: str) -> str:
    marks = "".join(
        f'<span style="position:absolute;left:{100.0 * t / total:.3f}%;'
        f'transform:{"translateX(-100%)" if t / total > 0.88 else "none"};white-space:nowrap;'
        f'border-left:1px solid {GUIDE};padding:0 3px">{t * factor:g} {unit}</span>' for t in ticks)
    return (f'<div style="display:flex;gap:1em"><span style="flex:0 0 30%"></span>'
            f'<span class="nbplug-lane-axis" style="flex:1 1 auto;position:relative;height:1.4em;'
            f'color:{theme.MUTED};border-top:1px solid {GUIDE}">{marks}</span></div>')


def lanes_html(pair: tuple[Lane, Lane]) -> str:
    """Both lanes on the one axis, as static, escaped HTML."""
    total, ticks, factor, unit = scale(pair)
    parts = [f'<div class="nbplug-compare nbplug-compare-timelines" style="{VIEW}">',
             f'<div><b>two calls on one time axis</b> <span style="color:{theme.MUTED}">'
             f"({escape_html(unit)} since each call started)</span></div>"]
    for lane in pair:
        parts.append(f'<div class="nbplug-lane" style="margin-top:.5em">{label_html(lane.label)} '
                     f'<span style="color:{theme.MUTED}">{escape_html(lane.call)}: '
                     f"{escape_html(_how(lane))}</span>")
        for bar in lane.bars:
            parts.append(
                '<div class="nbplug-lane-row" style="display:flex;align-items:center;gap:1em">'
                f'<span title="{escape_html(bar.label)}" style="flex:0 0 30%;'
                f'padding-left:{1.2 * bar.depth:.1f}em;'
                'white-space:nowrap;overflow:hidden;text-overflow:ellipsis;box-sizing:border-box">'
                f"{escape_html(bar.label)}</span>"
                f'<span style="flex:1 1 auto;position:relative;height:1.1em">'
                f"{_bar_html(bar, total)}</span></div>")
        parts.append("</div>")
    parts.append(_axis_html(ticks, total, factor, unit))
    parts.append("</div>")
    return "".join(parts)


def _bar_text(bar: Bar, total: float) -> str:
    start = round(TEXT_WIDTH * bar.start / total)
    end = max(start + 1, round(TEXT_WIDTH * bar.end / total))
    glyph = "─" if bar.kind == "wrapper" else "█"
    return (" " * start + glyph * (end - start)).ljust(TEXT_WIDTH)


def lanes_text(pair: tuple[Lane, Lane]) -> str:
    """Both lanes as text: the same bars in characters, with their times in numbers."""
    total, _, factor, unit = scale(pair)
    width = max((len(b.label) + 2 * b.depth for lane in pair for b in lane.bars), default=0)
    lines = [f"two calls on one time axis ({unit} since each call started; |{'-' * (TEXT_WIDTH - 2)}| "
             f"is {total * factor:.3g} {unit})"]
    for lane in pair:
        lines.append(f"  {lane.label}: {lane.call}: {_how(lane)}")
        for bar in lane.bars:
            name = ("  " * bar.depth + bar.label).ljust(width)
            lines.append(f"    {name}  |{_bar_text(bar, total)}|  {bar.start * factor:.1f}–"
                         f"{bar.end * factor:.1f} {unit}{'  raised' if bar.raised else ''}")
    return text_form(lines)
