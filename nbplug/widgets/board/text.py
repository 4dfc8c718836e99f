"""The lifespan board rendered: plain text and escaped HTML of its rows, its legend and the
teardown log of one run.

A row per lifespan (name, phase, uptime, its run's log lines, error); a legend saying what each phase
means; the teardown steps of the current run in the order they happened. The legend is there for
a surprise the log alone causes: every lifespan shows *stopping* before any shows *stopped*,
because stopping first cancels every task and only then runs the teardowns, one by one, in
reverse set-up order — they never overlap.

Colours are JupyterLab theme variables (:mod:`..format.theme`); log text is 13px, readable on a projector.
Everything from user code (names, log lines, errors) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..format import theme
from ..format.text import escape_html, format_uptime, text_form

__all__ = [
    "PHASE_MEANINGS",
    "TEARDOWN_ORDER",
    "BoardRow",
    "TeardownStep",
    "board_html",
    "board_text",
    "earlier_text",
    "error_html",
    "legend_html",
    "log_html",
    "notice_html",
    "phase_badge_html",
    "row_log_html",
    "scope_html",
    "summary",
    "teardown_html",
    "uptime_text",
]

#: What each phase means, in the order a lifespan goes through them.
PHASE_MEANINGS: tuple[tuple[str, str], ...] = (
    ("pending", "waits for its set-up"),
    ("set-up", "the code before its yield runs"),
    ("running", "what it yielded runs as a task"),
    ("stopping", "its task is being cancelled"),
    ("stopped", "the code after its yield ran"),
    ("failed", "its set-up, task or teardown raised"),
)

#: How a stop proceeds (the legend of the teardown log).
TEARDOWN_ORDER = (
    "stopping cancels every task first; then the teardowns run one at a time, "
    "in reverse set-up order"
)

EMPTY = "lifespans: none (add some with %plugin start NAME, or LifespanGroup.add + start)"

#: Text size of the board (log lines included): readable on a projector.
FONT = "font-size:13px;line-height:1.35"

_PHASE_COLORS = {
    "pending": theme.MUTED,
    "set-up": theme.WARN,
    "running": theme.SUCCESS,
    "stopping": theme.WARN,
    "stopped": theme.MUTED,
    "failed": theme.ERROR,
}


@dataclass(frozen=True)
class BoardRow:
    """A snapshot of one lifespan for rendering: what the board shows in its row."""

    name: str
    phase: str
    uptime: float | None
    log: tuple[str, ...]
    error: str | None
    #: where lines are left out of ``log`` (before ``log[gap_at]``), and the sentence saying so
    gap_at: int = 0
    note: str = ""

    def log_with_note(self) -> list[str]:
        """The log lines with the note in its place."""
        lines = list(self.log)
        if self.note:
            lines.insert(self.gap_at, self.note)
        return lines


@dataclass(frozen=True)
class TeardownStep:
    """One step of a teardown as it happened: a lifespan entering stopping, stopped or failed."""

    name: str
    phase: str
    error: str | None = None



def _teardown_words(step: TeardownStep) -> str:
    return f"{step.name} {step.phase}" + (f": {step.error}" if step.error else "")


def _run_title(run: int) -> str:
    return "teardown" + (f" (run {run})" if run > 1 else "")


def summary(rows: Sequence[BoardRow]) -> str:
    """How many lifespans are in each phase: ``1 running, 2 stopped``."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.phase] = counts.get(row.phase, 0) + 1
    return ", ".join(f"{n} {phase}" for phase, n in counts.items())


def uptime_text(seconds: float) -> str:
    """An uptime as the board shows it: tenths below a second (a quick run is not '0 s')."""
    return f"{seconds:.1f} s" if seconds < 1 else format_uptime(seconds)


def _heading(rows: Sequence[BoardRow], heading: str | None) -> str:
    return heading if heading is not None else f"{len(rows):,} ({summary(rows)})"


def board_text(
    rows: Sequence[BoardRow],
    teardown: Sequence[TeardownStep] = (),
    *,
    run: int = 1,
    timeline: Sequence[str] = (),
    notice: str = "",
    heading: str | None = None,
    scope: str | None = None,
    earlier_steps: int = 0,
) -> str:
    """The board as text, with what its widget shows: ``heading`` (every lifespan counted per
    phase; by default those of ``rows``), ``scope`` (which of them ``rows`` are, and how to see
    the rest), a line per lifespan shown and its log, the legend, the board's notice, the run
    timeline, then this run's teardown (``earlier_steps`` of it left out before the first)."""
    if not rows and scope is None:
        return EMPTY
    lines = [f"lifespans: {_heading(rows, heading)}"] + ([f"  {scope}"] if scope else [])
    width = max((len(row.name) for row in rows), default=0)
    for row in rows:
        uptime = "" if row.uptime is None else uptime_text(row.uptime)
        lines.append(f"  {row.name:<{width}}  {row.phase:<8}  {uptime}".rstrip())
        if row.error:
            lines.append(f"  {'':<{width}}  error: {row.error}")
        lines.extend(f"  {'':<{width}}  | {line}" for line in row.log_with_note())
    shown = {row.phase for row in rows}  # the legend of what the rows show
    lines.append("phases: " + "; ".join(f"{phase} = {meaning}" for phase, meaning in PHASE_MEANINGS
                                        if phase in shown))
    if notice:
        lines.append(f"board: {notice}")
    lines.extend(timeline)
    if teardown:
        lines.append(f"{_run_title(run)}: {TEARDOWN_ORDER}")
        if earlier_steps:
            lines.append(f"  {earlier_text(earlier_steps)}")
        lines.extend(f"  {i}. {_teardown_words(step)}"
                     for i, step in enumerate(teardown, earlier_steps + 1))
    return text_form(lines)


def earlier_text(steps: int) -> str:
    """What the teardown log leaves out before its first step shown."""
    return f"… {steps:,} earlier steps of this run not shown (the board keeps the latest ones)"


def phase_badge_html(phase: str) -> str:
    """A coloured, escaped phase label (its meaning on hover)."""
    color = _PHASE_COLORS.get(phase, theme.MUTED)
    meaning = dict(PHASE_MEANINGS).get(phase, "")
    return (f'<span class="nbplug-phase" title="{escape_html(meaning)}" style="color:{color};'
            f'font-weight:bold">{escape_html(phase)}</span>')


def log_html(lines: Sequence[str], *, gap_at: int = 0, note: str = "") -> str:
    """A run's log lines as an escaped <pre> block in a box that keeps the latest lines in view
    (a reversed flex column starts scrolled to its end; the <pre> must not shrink into it),
    ``note`` in place of what is left out."""
    shown = [escape_html(line) for line in lines]
    if note:
        shown.insert(gap_at, f'<span class="nbplug-log-gap" style="color:{theme.MUTED};'
                             f'font-style:italic">{escape_html(note)}</span>')
    body = "\n".join(shown)
    return (f'<div class="nbplug-log-box" style="max-height:9.5em;overflow-y:auto;display:flex;'
            f'flex-direction:column-reverse"><pre class="nbplug-log" style="margin:0;flex:none;{FONT};'
            f'color:{theme.TEXT};background:none;white-space:pre-wrap">{body}</pre></div>')


def row_log_html(row: BoardRow) -> str:
    """A row's error and its log (with the note on what is left out)."""
    return error_html(row.error) + log_html(row.log, gap_at=row.gap_at, note=row.note)


def notice_html(notice: str) -> str:
    """The last problem the board itself ran into (a failed stop), or ''."""
    if not notice:
        return ""
    return f'<div class="nbplug-board-notice" style="{FONT};color:{theme.ERROR}">{escape_html(notice)}</div>'


def error_html(error: str | None) -> str:
    """An escaped error line (empty when there is no error)."""
    if not error:
        return ""
    return f'<span class="nbplug-error" style="color:{theme.ERROR}">{escape_html(error)}</span>'


def legend_html() -> str:
    """What the phases mean, in one muted line."""
    items = " · ".join(f"{phase_badge_html(phase)} {escape_html(meaning)}"
                       for phase, meaning in PHASE_MEANINGS)
    return f'<div class="nbplug-board-legend" style="{FONT};color:{theme.MUTED};margin:4px 0">{items}</div>'


def teardown_html(teardown: Sequence[TeardownStep], *, run: int = 1, earlier_steps: int = 0) -> str:
    """This run's teardown steps, in the order they happened, as an escaped list (numbered on
    from ``earlier_steps``, the steps left out before them, which it says)."""
    if not teardown:
        return ""
    items = "".join(
        f'<li class="nbplug-teardown-step" data-name="{escape_html(step.name)}" '
        f'data-phase="{escape_html(step.phase)}">'
        f"{escape_html(_teardown_words(step))}</li>"
        for step in teardown
    )
    earlier = (f'<div class="nbplug-left-out" style="color:{theme.MUTED}">'
               f"{escape_html(earlier_text(earlier_steps))}</div>" if earlier_steps else "")
    start = f' start="{earlier_steps + 1}"' if earlier_steps else ""
    return (
        f'<div class="nbplug-teardown-log" data-run="{run}" style="{FONT};color:{theme.TEXT}">'
        f"<b>{escape_html(_run_title(run))}</b> "
        f'<span class="nbplug-teardown-legend" style="color:{theme.MUTED}">'
        f"{escape_html(TEARDOWN_ORDER)}</span>{earlier}"
        f'<ol class="nbplug-teardown"{start} style="margin:2px 0">{items}</ol></div>'
    )


def scope_html(scope: str | None) -> str:
    """Which lifespans the board shows and how to see the rest, muted ('' when it shows all)."""
    if not scope:
        return ""
    return f'<div class="nbplug-board-scope" style="{FONT};color:{theme.MUTED}">{escape_html(scope)}</div>'


_CELL = f"padding:2px 10px 2px 0;vertical-align:top;text-align:left;border-bottom:1px solid {theme.BORDER}"


def board_html(
    rows: Sequence[BoardRow],
    teardown: Sequence[TeardownStep] = (),
    *,
    run: int = 1,
    timeline: str = "",
    notice: str = "",
    heading: str | None = None,
    scope: str | None = None,
    earlier_steps: int = 0,
) -> str:
    """The lifespan board as static, escaped HTML: the heading and scope (as in
    :func:`board_text`), a table of the rows shown, the legend, the notice, the run timeline and
    this run's teardown."""
    if not rows and scope is None:
        return f'<div class="nbplug-board" style="{FONT};color:{theme.TEXT}">{escape_html(EMPTY)}</div>'
    head = "".join(f'<th style="{_CELL}">{h}</th>' for h in ("lifespan", "phase", "uptime", "log"))
    parts = [f'<div class="nbplug-board" style="{FONT};color:{theme.TEXT}">'
             f'<div class="nbplug-board-title"><b>lifespans</b>: '
             f"{escape_html(_heading(rows, heading))}</div>{scope_html(scope)}"
             f'<table style="border-collapse:collapse"><tr>{head}</tr>']
    for row in rows:
        uptime = "" if row.uptime is None else uptime_text(row.uptime)
        parts.append(
            f'<tr class="nbplug-board-row" data-name="{escape_html(row.name)}">'
            f'<td style="{_CELL}"><b>{escape_html(row.name)}</b></td>'
            f'<td style="{_CELL}">{phase_badge_html(row.phase)}</td>'
            f'<td style="{_CELL}">{escape_html(uptime)}</td>'
            f'<td style="{_CELL};min-width:16em">{row_log_html(row)}</td></tr>'
        )
    parts.append("</table>")
    parts.append(legend_html())
    parts.append(notice_html(notice))
    parts.append(timeline)
    parts.append(teardown_html(teardown, run=run, earlier_steps=earlier_steps))
    parts.append("</div>")
    return "".join(parts)
