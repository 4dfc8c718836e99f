"""The run timeline: each lifespan's set-up, running and teardown as bars on one time axis.

Read off the states alone (each phase with the time it was entered, and when the teardown's code
began), so a board made at any moment draws the same run. A stop cancels every task first and
then runs the teardowns one at a time in reverse set-up order: between the two a lifespan is
*stopping* -- waiting for its turn -- drawn as a dotted line, and its teardown as a bar, so the
picture shows the teardowns never overlap. The axis and its round ticks are the call view's
(:func:`..callview.timeline.axis_html`, :func:`..callview.timeline.nice_ticks`): one scale logic for
every timeline. The text form draws the same bars in characters on a fixed width.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from nbplug.lifespans.events import LifespanState, Phase

from ..callview.timeline import axis_html, nice_ticks, unit_for
from ..format import theme
from ..format.text import escape_html, format_duration, name_text

__all__ = ["LifeBar", "Span", "life_bars", "run_timeline_html", "run_timeline_text"]

#: What each kind of span is called, its text character and its colour, in the legend's order.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("set-up", "s", theme.WARN),
    ("waiting", ".", "var(--jp-border-color1, #bdbdbd)"),
    ("running", "=", theme.SUCCESS),
    ("stopping", ".", "var(--jp-border-color1, #bdbdbd)"),
    ("teardown", "t", theme.INFO),
    ("failed", "x", theme.ERROR),
)
_WORDS = {"waiting": "set up, waits for the other set-ups", "stopping": "stopping (waits for its teardown)",
          "failed": "where it failed"}
_DOTTED = frozenset({"waiting", "stopping"})
_SOMETIMES = frozenset({"waiting", "failed"})  # in the legend only when drawn
_CHAR = {kind: char for kind, char, _ in KINDS}
_COLOR = {kind: color for kind, _, color in KINDS}
TEXT_WIDTH = 48


@dataclass(frozen=True)
class Span:
    """A stretch of one lifespan's life: ``kind`` (set-up, running, stopping, teardown) from
    ``start`` to ``end``, in seconds since the run began."""

    kind: str
    start: float
    end: float
    failed: bool = False  # the stretch a failed lifespan failed in (drawn as 'failed')

    @property
    def look(self) -> str:
        """The kind it is drawn as."""
        return "failed" if self.failed else self.kind


@dataclass(frozen=True)
class LifeBar:
    """One lifespan on the timeline: its spans and how it ended (None while it lives)."""

    name: str
    spans: tuple[Span, ...]
    ended: str | None


def _latest_life(state: LifespanState) -> list[tuple[Phase, float]]:
    """The phases of the state's latest run: from its last set-up on (pending ones left out)."""
    marks = list(state.phases)
    begun = [i for i, (phase, _) in enumerate(marks) if phase is Phase.SETTING_UP]
    return [m for m in marks[begun[-1] if begun else 0:] if m[0] is not Phase.PENDING]


def _spans(state: LifespanState, origin: float, now: float) -> tuple[Span, ...]:
    spans: list[Span] = []
    marks = _latest_life(state)
    for i, (phase, at) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else now
        if phase is Phase.SETTING_UP:
            ready = state.set_up_at
            if ready is not None and at <= ready < end:  # set up; waits for the rest of its start
                spans.append(Span("set-up", at - origin, ready - origin))
                if end - ready > 1e-3:
                    spans.append(Span("waiting", ready - origin, end - origin))
            else:
                spans.append(Span("set-up", at - origin, end - origin))
        elif phase is Phase.RUNNING:
            spans.append(Span("running", at - origin, end - origin))
        elif phase is Phase.STOPPING:
            turn = state.teardown_at
            if turn is not None and at <= turn <= end:
                spans.append(Span("stopping", at - origin, turn - origin))
                spans.append(Span("teardown", turn - origin, end - origin))
            else:
                spans.append(Span("stopping" if turn is None and i + 1 == len(marks) else "teardown",
                                  at - origin, end - origin))
    return tuple(spans)


def life_bars(states: Sequence[LifespanState], now: float,
              shown: Collection[str] | None = None) -> tuple[list[LifeBar], float]:
    """A bar per lifespan that began its set-up (of those named in ``shown``, when given: a page
    of the board), and the run's length in seconds (at least 1 µs): the axis is the whole run's."""
    lives = {state.name: _latest_life(state) for state in states}
    starts = [life[0][1] for life in lives.values() if life]
    if not starts:
        return [], 0.0
    origin = min(starts)
    bars, total = [], 1e-6
    for state in states:
        if not lives[state.name]:
            continue
        spans = _spans(state, origin, now)
        total = max([total] + [span.end for span in spans])
        if shown is not None and state.name not in shown:
            continue
        if state.phase is Phase.FAILED and spans:
            spans = (*spans[:-1], dataclasses.replace(spans[-1], failed=True))
        bars.append(LifeBar(state.name, spans, state.phase.value if state.phase.is_final else None))
    return bars, total


def _title(total: float) -> str:
    return f"run timeline (since the first set-up, {format_duration(total)} in all)"


def run_timeline_text(bars: Sequence[LifeBar], total: float) -> list[str]:
    """The timeline as text lines: a legend, a row of characters per lifespan, an axis."""
    if not bars:
        return []
    width = max(len(name_text(bar.name)) for bar in bars)
    drawn = {span.look for bar in bars for span in bar.spans}  # the legend of what is drawn
    legend = ", ".join(f"{char} {_WORDS.get(kind, kind)}" for kind, char, _ in KINDS if kind in drawn)
    lines = [f"{_title(total)}: {legend}"]
    for bar in bars:
        cells = [" "] * TEXT_WIDTH
        for span in bar.spans:
            first = min(int(span.start / total * TEXT_WIDTH), TEXT_WIDTH - 1)
            last = max(first + 1, min(round(span.end / total * TEXT_WIDTH), TEXT_WIDTH))
            cells[first:last] = _CHAR[span.look] * (last - first)
        end = f" {bar.ended}" if bar.ended else ""
        lines.append(f"  {name_text(bar.name):<{width}} |{''.join(cells)}|{end}")
    scale, unit = unit_for(total)
    axis = [" "] * (TEXT_WIDTH + 12)
    for tick in nice_ticks(total):
        label = f"{tick * scale:g} {unit}"
        at = min(round(tick / total * TEXT_WIDTH), TEXT_WIDTH + 12 - len(label))
        if all(c == " " for c in axis[max(at - 1, 0):at + len(label)]):
            axis[at:at + len(label)] = label
    lines.append(f"  {'':<{width}}  {''.join(axis).rstrip()}")
    return lines


def _span_html(span: Span, total: float) -> str:
    left = min(100.0 * span.start / total, 99.5)  # a hairline at the very end stays on the track
    width = min(100.0 * (span.end - span.start) / total, 100.0 - left)
    title = escape_html(f"{span.kind}: {format_duration(span.end - span.start)}")
    if span.kind in _DOTTED:
        look = f"top:calc(50% - 1px);border-top:2px dotted {_COLOR[span.kind]}"
    else:
        look = f"top:2px;bottom:2px;background:{_COLOR[span.look]};border-radius:2px"
    failed = " nbplug-rt-failed" if span.failed else ""
    return (f'<span class="nbplug-rt-span nbplug-rt-{span.kind}{failed}" data-kind="{span.kind}" '
            f'title="{title}" style="position:absolute;left:{left:.3f}%;'
            f'width:max({width:.3f}%,2px);{look}"></span>')


def _key(kind: str) -> str:
    # the kind's one word, its sentence on hover: the sentences made the legend ~830 px wide,
    # two lines in a notebook beside its file browser (the text form keeps them)
    sample = _span_html(Span(kind, 0.0, 1.0, failed=kind == "failed"), 1.0)
    return (f'<span title="{escape_html(_WORDS.get(kind, kind))}" style="display:inline-flex;'
            'align-items:center;gap:.4em;margin-right:1.2em;white-space:nowrap">'
            f'<span style="position:relative;display:inline-block;width:18px;height:12px">{sample}'
            f"</span>{escape_html(kind)}</span>")


def run_timeline_html(bars: Sequence[LifeBar], total: float) -> str:
    """The timeline as static HTML: a title, a legend, a row per lifespan, the call view's axis."""
    if not bars:
        return ""
    drawn = {span.look for bar in bars for span in bar.spans}
    rows = []
    label = "flex:0 0 11em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis"
    for bar in bars:
        ended = (f' <span style="color:{theme.ERROR if bar.ended == "failed" else theme.MUTED}">'
                 f"{escape_html(bar.ended)}</span>" if bar.ended else "")
        rows.append(
            f'<div class="nbplug-rt-row" data-name="{escape_html(bar.name)}" '
            'style="display:flex;align-items:center;gap:1em">'
            f'<span style="{label}">{escape_html(name_text(bar.name))}{ended}</span>'
            '<span style="flex:1 1 auto;position:relative;height:1.2em">'
            + "".join(_span_html(span, total) for span in bar.spans) + "</span></div>"
        )
    return (
        f'<div class="nbplug-run-timeline" style="margin:.5em 0;color:{theme.TEXT}">'
        f"<div><b>run timeline</b> <span style=\"color:{theme.MUTED}\">"
        f"{escape_html(_title(total).removeprefix('run timeline '))}</span></div>"
        f'<div class="nbplug-rt-legend" style="color:{theme.MUTED};margin:.2em 0 .3em">'
        + "".join(_key(kind) for kind, _, _ in KINDS
                  if kind not in _SOMETIMES or kind in drawn) + "</div>"
        + "".join(rows)
        + f'<div style="display:flex;gap:1em"><span style="flex:0 0 11em"></span>'
        f'<span style="flex:1 1 auto">{axis_html(total)}</span></div></div>'
    )
