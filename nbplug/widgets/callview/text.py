"""The call view as text (terminal IPython, nbconvert, logs): the same model as the HTML form.

Wrappers nest with guides drawn in box characters; each wrapper's code before and after its
``yield`` is a line of its own inside the guide (``├ before yield`` … ``└ after yield: received
…, returned …``), so what a wrapper wraps reads as what sits between those two lines. Times are
right-aligned in one column. Rejected: a table with column headers — nesting and moments do not fit
a grid, and headers over ragged cells were what the flat view got wrong.
"""

from __future__ import annotations

from ..format.text import format_duration, text_form
from .model import CallModel, Moment, Node, OutputLine
from .timeline import timeline_events, unit_for

__all__ = ["call_text"]

#: The time column: right edge at this width, unless a line is longer.
TIME_COLUMN = 88

_STREAM_WORDS = {"stdout": "print", "stderr": "stderr", "log": "log"}


def _output_lines(prefix: str, lines: tuple[OutputLine, ...]) -> list[tuple[str, str]]:
    return [(f"{prefix}  {_STREAM_WORDS.get(o.stream, o.stream)}: {o.text}", "") for o in lines]


def _moment_line(prefix: str, glyph: str, moment: Moment) -> tuple[str, str]:
    words = f": {moment.words}" if moment.words else ""
    return f"{prefix}{glyph} {moment.kind} yield{words}", format_duration(moment.took)


def _node_lines(node: Node, prefix: str) -> list[tuple[str, str]]:
    time = "" if node.took is None else format_duration(node.took)
    if node.kind == "extension":
        received = f"received {node.received} " if node.received is not None else ""
        lines = [(f"{prefix}{node.label}  {received}{node.outcome}", time)]
        return lines + _output_lines(prefix, node.output)
    lines = [(f"{prefix}{node.label}  wrapper  {node.outcome}".rstrip(), time)]
    inner = prefix + "│ "
    if node.before is not None:
        lines.append(_moment_line(prefix, "├", node.before))
        lines.extend(_output_lines(inner, node.before.output))
    if node.note:
        lines.append((f"{inner}({node.note})", ""))
    for child in node.children:
        lines.extend(_node_lines(child, inner))
    if node.after is not None:
        lines.append(_moment_line(prefix, "└", node.after))
        lines.extend(_output_lines(prefix + "  ", node.after.output))
    return lines


def _align(rows: list[tuple[str, str]]) -> list[str]:
    width = min(TIME_COLUMN, max((len(left) + 2 + len(time) for left, time in rows if time), default=0))
    out = []
    for left, time in rows:
        if not time:
            out.append(left)
        else:
            out.append(left + " " * max(2, width - len(left) - len(time)) + time)
    return out


def call_text(model: CallModel, *, timeline: bool = False) -> str:
    """The call view as text: head, result, the nested steps, and (optionally) the timeline."""
    counts = f"{model.extensions} extension{'s' * (model.extensions != 1)}"
    if model.wrappers:
        counts += f", {model.wrappers} wrapper{'s' * (model.wrappers != 1)}"
    lines = [
        f"hook {model.call}  {format_duration(model.duration)}",
        *([f"  ran on {model.thread}"] if model.thread else []),
        f"  {model.mode_words}",
        *([f"  why this order: {model.why}"] if model.why else []),
        f"  {counts}; result {model.outcome}",
    ]
    rows: list[tuple[str, str]] = []
    for node in model.nodes:
        rows.extend(_node_lines(node, "  "))
    if not rows:
        rows.append(("  (no extensions: nothing answers this hook yet)", ""))
    rows.extend(_output_lines("  (outside any extension)", model.output))
    if model.left_out:
        rows.append((f"  … {model.left_out}", ""))
    lines.extend(_align(rows))
    if timeline:
        lines.extend(timeline_text(model))
    return text_form(lines)


def timeline_text(model: CallModel) -> list[str]:
    """The timeline as text: each moment at its time since the call started, in time order."""
    scale, unit = unit_for(model.duration)
    lines = [f"  timeline ({unit} since the call started):"]
    for event in timeline_events(model):
        who = "  " * event.depth + event.label
        lines.append(
            f"    {event.at * scale:>9.1f} {unit}  {event.what:<13} {format_duration(event.took):>10}  {who}"
        )
    return lines
