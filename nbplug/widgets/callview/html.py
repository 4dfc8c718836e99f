"""The call view as static, escaped HTML: the default ``%%hook`` output and the widget's body.

Each wrapper is a box whose left guide holds what it wraps, opened by its *before yield* moment and
closed by its *after yield* moment (what it received, what it returned). The moments are drawn as
the guide's corners (``┌ before yield``, ``└ after yield``): rejected, the triangles ▸ / ◂, which
read as toggles and did nothing; stepping through the moments is :mod:`.replay`'s. Every row is a flex line —
name, outcome, then the time pushed to the right edge without wrapping — so times line up at every
depth and columns never touch. Inline styles only (JupyterLab keeps them in trusted output, and
nbconvert needs no stylesheet), coloured from :mod:`..format.theme` (JupyterLab's theme variables, readable in
both themes). Everything from user code goes through ``escape_html`` (controls, then markup).
"""

from __future__ import annotations

from ..format import theme
from ..format.text import escape_html, format_duration
from .model import CallModel, Moment, Node, OutputLine
from .timeline import timeline_html

__all__ = ["call_html"]

TEXT, MUTED, ERROR = theme.TEXT, theme.MUTED, theme.ERROR
GUIDE = "var(--jp-border-color1, #bdbdbd)"  # the nesting guides (lines, not text)

_VIEW = (
    "font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,13px);"
    f"line-height:1.55;color:{TEXT};max-width:64em"
)
_ROW = "display:flex;align-items:baseline;column-gap:1.25em"
_TIME = (
    f"margin-left:auto;flex:0 0 auto;white-space:nowrap;text-align:right;color:{MUTED};"
    "font-variant-numeric:tabular-nums"
)
_GROW = "flex:1 1 auto;min-width:0;overflow-wrap:anywhere"



def _time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f'<span class="nbplug-time" style="{_TIME}">{escape_html(format_duration(seconds))}</span>'


def _output(lines: tuple[OutputLine, ...]) -> str:
    if not lines:
        return ""
    body = "".join(
        f'<div class="nbplug-output-line" data-stream="{escape_html(o.stream)}">'
        f'<span style="color:{MUTED}">{escape_html("print" if o.stream == "stdout" else o.stream)}:</span> '
        f"{escape_html(o.text)}</div>"
        for o in lines
    )
    return (
        f'<div class="nbplug-output" style="margin:.1em 0 .2em 1.5em;padding-left:.6em;'
        f'border-left:1px dotted {GUIDE};white-space:pre-wrap">{body}</div>'
    )


def _moment(moment: Moment) -> str:
    color = ERROR if moment.failed else MUTED
    words = (f'<span style="{_GROW};color:{ERROR if moment.failed else TEXT}">'
             f"{escape_html(moment.words)}</span>")
    return (
        f'<div class="nbplug-moment nbplug-moment-{moment.kind}">'
        f'<div style="{_ROW}"><span style="color:{color};white-space:nowrap">'
        f"{'┌' if moment.kind == 'before' else '└'} {moment.kind} yield</span>{words}"
        f"{_time(moment.took)}</div>{_output(moment.output)}</div>"
    )


def _outcome(node: Node) -> str:
    color = ERROR if node.status == "raised" else MUTED if node.status == "not called" else TEXT
    cls = "nbplug-reason" if node.status == "not called" else "nbplug-outcome"
    received = ""
    if node.received is not None:
        received = f'<span style="color:{MUTED}">received</span> {escape_html(node.received)} '
    return f'<span class="{cls}" style="{_GROW};color:{color}">{received}{escape_html(node.outcome)}</span>'


def _node(node: Node, depth: int) -> str:
    name = (f'<span class="nbplug-name" style="white-space:nowrap;font-weight:600">'
            f"{escape_html(node.label)}</span>")
    status = node.status.replace(" ", "-")
    head = f'<div class="nbplug-row" style="{_ROW}">'
    open_tag = (
        f'<div class="nbplug-step nbplug-step-{node.kind} nbplug-{status}" data-depth="{depth}" '
        f'data-label="{escape_html(node.label)}">'
    )
    if node.kind == "extension":
        return f"{open_tag}{head}{name}{_outcome(node)}{_time(node.took)}</div>{_output(node.output)}</div>"
    badge = (
        f'<span class="nbplug-kind" style="color:{MUTED};border:1px solid {GUIDE};border-radius:3px;'
        'padding:0 .35em;font-size:90%">wrapper</span>'
    )
    inner = [_moment(node.before)] if node.before is not None else []
    if node.note:
        inner.append(f'<div class="nbplug-note" style="color:{MUTED}">({escape_html(node.note)})</div>')
    inner.extend(_node(child, depth + 1) for child in node.children)
    if node.after is not None:
        inner.append(_moment(node.after))
    wrapped = (
        f'<div class="nbplug-wrapped" style="border-left:2px solid {GUIDE};margin:.1em 0 .25em .3em;'
        f'padding-left:.9em">{"".join(inner)}</div>'
    )
    return f"{open_tag}{head}{name}{badge}{_outcome(node)}{_time(node.took)}</div>{wrapped}</div>"


def call_html(model: CallModel, *, timeline: bool = False) -> str:
    """The call view as static HTML: the call, its mode in words, its result, the nested steps."""
    counts = f"{model.extensions} extension{'s' * (model.extensions != 1)}"
    if model.wrappers:
        counts += f", {model.wrappers} wrapper{'s' * (model.wrappers != 1)}"
    result_color = ERROR if model.failed else TEXT
    parts = [
        f'<div class="nbplug-callview" style="{_VIEW}">',
        f'<div class="nbplug-call-head" style="{_ROW};flex-wrap:wrap"><b>{escape_html(model.call)}</b>'
        f'<span style="{_GROW};color:{MUTED}">{escape_html(counts)}</span>{_time(model.duration)}</div>',
        f'<div class="nbplug-call-thread" style="color:{MUTED}">ran on {escape_html(model.thread)}</div>'
        if model.thread else "",
        f'<div class="nbplug-mode" style="color:{MUTED}">{escape_html(model.mode_words)}</div>',
        f'<div class="nbplug-why" style="color:{MUTED}"><b>why this order</b> {escape_html(model.why)}</div>'
        if model.why else "",
        f'<div class="nbplug-call-result" style="color:{result_color};margin-bottom:.3em">'
        f"result {escape_html(model.outcome)}</div>",
        '<div class="nbplug-steps">',
    ]
    parts.extend(_node(node, 0) for node in model.nodes)
    if not model.nodes:
        parts.append(
            f'<div style="color:{MUTED}">(no extensions: nothing answers this hook yet)</div>'
        )
    if model.output:
        parts.append(f'<div style="color:{MUTED}">outside any extension:</div>{_output(model.output)}')
    if model.left_out:
        parts.append(f'<div class="nbplug-left-out" style="color:{MUTED}">'
                     f"… {escape_html(model.left_out)}</div>")
    parts.append("</div>")
    if timeline:
        parts.append(timeline_html(model))
    parts.append("</div>")
    return "".join(parts)
