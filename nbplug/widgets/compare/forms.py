"""The text and HTML forms of the call and design comparisons, from their diffs.

A call comparison: the two calls named under their labels, what differs in sentences, a table
with the calls' mode, result and length and a row per plugin (place, outcome, time; ``≠`` and
what differs), then both call views whole, side by side, each under its label. A design
comparison: what differs, then a table of hooks (mode and call order with marks in each design).
The text forms hold the same content, one line per row.
"""

from __future__ import annotations

from ..callview.html import call_html
from ..callview.text import call_text
from ..format import theme
from ..format.text import escape_html, format_duration, text_form
from .calls import CallDiff
from .columns import VIEW, Row, label_html, summary_html, summary_text, table_html, table_text
from .designs import DesignDiff, order_words

__all__ = ["call_diff_html", "call_diff_text", "design_diff_html", "design_diff_text"]


def _call_rows(diff: CallDiff) -> list[Row]:
    left, right = diff.left, diff.right
    rows: list[Row] = [
        ("mode", left.mode, right.mode, ("mode",) if left.mode != right.mode else ()),
        ("result", left.outcome, right.outcome, ("result",) if left.outcome != right.outcome else ()),
        ("whole call", format_duration(left.duration), format_duration(right.duration), ()),
    ]
    rows.extend((r.plugin, r.left.words(), r.right.words(), r.differs) for r in diff.rows)
    return rows


def _calls_line(diff: CallDiff) -> list[tuple[str, str]]:
    return [(diff.labels[0], diff.left.call), (diff.labels[1], diff.right.call)]


def call_diff_text(diff: CallDiff) -> str:
    """The call comparison as text."""
    lines = ["comparing two calls"]
    lines.extend(f"  {label}: {call}" for label, call in _calls_line(diff))
    lines.extend(summary_text(diff.summary))
    lines.extend(table_text("plugin", diff.labels, _call_rows(diff)))
    for label, model in zip(diff.labels, (diff.left, diff.right), strict=True):
        lines.append(f"--- {label} ---")
        lines.extend(call_text(model).splitlines())
    return text_form(lines)


def _side_by_side(labels: tuple[str, str], bodies: tuple[str, str]) -> str:
    column = "flex:1 1 340px;min-width:0;max-width:100%"
    return ('<div class="nbplug-compare-columns" style="display:flex;flex-wrap:wrap;gap:1.2em;'
            'align-items:flex-start;margin-top:.5em">' + "".join(
                f'<div class="nbplug-compare-column" style="{column}">'
                f'<div style="margin-bottom:.3em">{label_html(label)}</div>{body}</div>'
                for label, body in zip(labels, bodies, strict=True)) + "</div>")


def call_diff_html(diff: CallDiff) -> str:
    """The call comparison as static, escaped HTML."""
    calls = "".join(
        f'<div style="overflow-wrap:anywhere"><span style="color:{theme.MUTED}">{escape_html(label)}:</span> '
        f"{escape_html(call)}</div>" for label, call in _calls_line(diff))
    return (
        f'<div class="nbplug-compare nbplug-compare-calls" style="{VIEW}">'
        f"<div><b>comparing two calls</b></div>{calls}{summary_html(diff.summary)}"
        + table_html("plugin", diff.labels, _call_rows(diff), "nbplug-compare-table")
        + _side_by_side(diff.labels, (call_html(diff.left), call_html(diff.right)))
        + "</div>"
    )


def _design_rows(diff: DesignDiff) -> list[Row]:
    rows: list[Row] = []
    for hook in diff.hooks:
        modes = [h.mode if h is not None else "—" for h in (hook.left, hook.right)]
        rows.append((hook.name, f"{modes[0]}: {order_words(hook.left)}",
                     f"{modes[1]}: {order_words(hook.right)}", hook.differs))
    return rows


def design_diff_text(diff: DesignDiff) -> str:
    """The design comparison as text."""
    lines = [f"comparing two designs: {diff.labels[0]} (project {diff.projects[0]}) and "
             f"{diff.labels[1]} (project {diff.projects[1]})"]
    lines.extend(summary_text(diff.summary))
    lines.extend(table_text("hook", diff.labels, _design_rows(diff)))
    return text_form(lines)


def design_diff_html(diff: DesignDiff) -> str:
    """The design comparison as static, escaped HTML."""
    projects = (f'<div style="color:{theme.MUTED}">{escape_html(diff.labels[0])} is project '
                f"{escape_html(diff.projects[0])}; {escape_html(diff.labels[1])} is project "
                f"{escape_html(diff.projects[1])}; each cell: the hook's mode, then its call order "
                "with each extension's marks</div>")
    return (
        f'<div class="nbplug-compare nbplug-compare-designs" style="{VIEW}">'
        f"<div><b>comparing two designs</b></div>{projects}{summary_html(diff.summary)}"
        + table_html("hook", diff.labels, _design_rows(diff), "nbplug-compare-table")
        + "</div>"
    )
