"""The frame every comparison is drawn in: two labelled columns, a table whose differing cells
are marked, and the "what differs" list -- in HTML and in text.

Decision: the two sides are columns of one table (``table-layout:fixed``, width 100%), so they
share the width they are given and a long value wraps inside its cell (``overflow-wrap:anywhere``
at word ends first) instead of widening the page: at 1000 px two call views fit side by side,
each labelled. What differs is marked twice -- a ``≠`` badge naming what, and a coloured left
edge -- so it does not rest on colour alone. Rejected: an ``ipywidgets.HBox`` of two call views,
which squeezes each to its minimum width and breaks names letter by letter.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..format import theme
from ..format.text import escape_html

__all__ = ["DIFF", "Row", "differs_html", "label_html", "summary_html", "summary_text", "table_html",
           "table_text"]

#: The colour that marks what differs (text-safe in both themes).
DIFF = theme.WARN

VIEW = (f"font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,13px);"
        f"line-height:1.5;color:{theme.TEXT};width:100%;max-width:100%;box-sizing:border-box")
_CELL = (f"border-bottom:1px solid {theme.BORDER};padding:3px 8px;text-align:left;vertical-align:top;"
         "overflow-wrap:anywhere;word-break:normal")
#: A row: its first cell, the two sides, what differs (empty: the same).
Row = tuple[str, str, str, Sequence[str]]


def label_html(label: str) -> str:
    """A column's label: the name of the call or design it shows."""
    return (f'<span class="nbplug-compare-label" style="font-weight:700;border-bottom:2px solid '
            f'{theme.BORDER}">{escape_html(label)}</span>')


def differs_html(differs: Sequence[str]) -> str:
    """The badge naming what differs in a row (``≠ order, time``); nothing when all is the same."""
    if not differs:
        return f'<span class="nbplug-compare-same" style="color:{theme.MUTED}">same</span>'
    return (f'<span class="nbplug-compare-mark" style="color:{DIFF};font-weight:700">'
            f"≠ {escape_html(', '.join(differs))}</span>")


def table_html(first: str, labels: tuple[str, str], rows: Sequence[Row], cls: str) -> str:
    """Rows of ``(name, left, right, differs)`` as a table under the two labels."""
    head = (f'<tr><th style="{_CELL};width:22%">{escape_html(first)}</th>'
            f'<th style="{_CELL}">{label_html(labels[0])}</th>'
            f'<th style="{_CELL}">{label_html(labels[1])}</th>'
            f'<th style="{_CELL};width:14%">differs</th></tr>')
    body = []
    for name, left, right, differs in rows:
        edge = f"border-left:3px solid {DIFF}" if differs else "border-left:3px solid transparent"
        body.append(
            f'<tr class="nbplug-compare-row{" nbplug-compare-differs" if differs else ""}" '
            f'data-name="{escape_html(name)}">'
            f'<td style="{_CELL};{edge};font-weight:600">{escape_html(name)}</td>'
            f'<td class="nbplug-compare-left" style="{_CELL}">{escape_html(left)}</td>'
            f'<td class="nbplug-compare-right" style="{_CELL}">{escape_html(right)}</td>'
            f'<td style="{_CELL}">{differs_html(differs)}</td></tr>'
        )
    return (f'<table class="{cls}" style="table-layout:fixed;width:100%;border-collapse:collapse;'
            f'margin:.3em 0">{head}{"".join(body)}</table>')


def summary_html(summary: Sequence[str]) -> str:
    """The list of what differs, in sentences (or that nothing does)."""
    if not summary:
        return f'<div class="nbplug-compare-summary" style="color:{theme.MUTED}">nothing differs</div>'
    items = "".join(f'<li style="overflow-wrap:anywhere">{escape_html(line)}</li>' for line in summary)
    return (f'<div class="nbplug-compare-summary"><b>what differs</b>'
            f'<ul style="margin:.2em 0 .4em;padding-left:1.4em">{items}</ul></div>')


def summary_text(summary: Sequence[str]) -> list[str]:
    """The same list as text lines."""
    if not summary:
        return ["  nothing differs"]
    return ["  what differs:", *(f"    - {line}" for line in summary)]


def table_text(first: str, labels: tuple[str, str], rows: Sequence[Row]) -> list[str]:
    """The table as text: a line per row, the two sides under their labels, ``≠`` marking."""
    width = max([len(first), *(len(row[0]) for row in rows)])
    left_width = min(44, max([len(labels[0]), *(len(row[1]) for row in rows)]))
    lines = [f"  {'':2}{first.ljust(width)}  {labels[0].ljust(left_width)}  {labels[1]}"]
    for name, left, right, differs in rows:
        mark = "≠ " if differs else "  "
        what = f"   [{', '.join(differs)}]" if differs else ""
        lines.append(f"  {mark}{name.ljust(width)}  {left.ljust(left_width)}  {right}{what}")
    return lines
