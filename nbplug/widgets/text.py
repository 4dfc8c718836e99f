"""The call view's text and HTML renderers and the helpers every view's text form shares
(short reprs, durations, uptimes, phase words); no ipywidgets import. The board's renderers are in
:mod:`.boardtext`, the design map's in :mod:`.maptext`.

Each view has a plain-text form (terminal IPython, nbconvert, front ends without widgets) and a
static HTML form. Everything that comes from user code — plugin names, results, errors, log lines —
goes through ``html.escape`` before it reaches HTML, so ``<img src=x onerror=...>`` shows as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from itertools import islice

from nbplug.safetext import MAX_NAME, escape_controls, safe_repr, safe_str, type_name

from ._shapes import StepLike, TraceLike, walk_steps

__all__ = [
    "format_duration",
    "format_error",
    "format_uptime",
    "last_lines",
    "name_text",
    "phase_label",
    "short_repr",
    "text_form",
    "trace_html",
    "trace_text",
]

#: Longest repr / log line shown before it is cut with an ellipsis.
MAX_REPR = 160
MAX_LINE = 240


def _cut(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters (control characters escaped, the cut marked)."""
    return safe_str(text, limit)


def short_repr(value: object, limit: int = MAX_REPR) -> str:
    """A one-line repr of ``value`` that never raises, never runs away in length and holds no
    control characters (``<unrepresentable Foo>`` when its ``__repr__`` raises)."""
    return safe_repr(value, limit)


def name_text(name: object) -> str:
    """A name (plugin, function, lifespan) as shown: one line, controls escaped, cut if long."""
    return safe_str(name, MAX_NAME)


def format_error(error: BaseException) -> str:
    """``TypeName: message`` of an exception, on one line (a raising ``__str__`` cannot break it)."""
    message = " ".join(safe_str(error, MAX_REPR).split())
    name = type_name(error)
    return _cut(f"{name}: {message}" if message else name, MAX_REPR)


def format_duration(seconds: float) -> str:
    """A short human duration: µs/ms for hook calls, s/min/h for lifespans."""
    if seconds < 0:
        seconds = 0.0
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return format_uptime(seconds, precise=True)


def format_uptime(seconds: float, *, precise: bool = False) -> str:
    """Uptime as ``12 s``, ``3 min 05 s`` or ``2 h 07 min`` (hundredths below 60 s if precise)."""
    seconds = max(seconds, 0.0)
    if seconds < 60:
        return f"{seconds:.2f} s" if precise else f"{int(seconds)} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


_PHASE_LABELS = {
    "PENDING": "pending",
    "SETTING_UP": "set-up",
    "RUNNING": "running",
    "STOPPING": "stopping",
    "STOPPED": "stopped",
    "FAILED": "failed",
}


def phase_label(phase: object) -> str:
    """The board's word for a lifespan phase (an enum member, or its name or value as text)."""
    name = getattr(phase, "name", None)
    if not isinstance(name, str):
        name = str(getattr(phase, "value", phase))
    key = name.upper().replace("-", "_").replace(" ", "_")
    return _PHASE_LABELS.get(key, name.lower())


def last_lines(lines: Sequence[str], count: int) -> tuple[str, ...]:
    """The last ``count`` lines of a (possibly long) sequence or deque, each cut short."""
    if count <= 0:
        return ()
    tail = list(islice(reversed(lines), count))
    tail.reverse()
    return tuple(_cut(" ".join(str(line).splitlines()) or "", MAX_LINE) for line in tail)


def text_form(lines: Iterable[str]) -> str:
    """The lines of a text form joined, every control character in them escaped (``\\x1b``), so
    a value printed in a terminal cannot retitle, clear or recolour it."""
    return escape_controls("\n".join(lines), keep_newlines=True)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------------------------------
# Hook-call view


def _step_outcome(step: StepLike) -> str:
    if step.not_called:
        return "not called"
    if step.exception is not None:
        return "raised " + format_error(step.exception)
    return "→ " + short_repr(step.result)


def _step_label(step: StepLike) -> str:
    return f"{name_text(step.plugin_name)}  {name_text(step.function)}"


def _call_line(trace: TraceLike) -> str:
    args = ", ".join(f"{k}={short_repr(v, 60)}" for k, v in trace.kwargs.items())
    return f"{trace.hook}({args})"


def _trace_outcome(trace: TraceLike) -> str:
    if trace.exception is not None:
        return "raised " + format_error(trace.exception)
    return "→ " + short_repr(trace.result)


def trace_text(trace: TraceLike, *, timeline: bool = False) -> str:
    """The hook-call view as text: one line per wrapper / implementation, nested by indentation."""
    lines = [
        f"hook {_call_line(trace)}  [{trace.mode}]  {format_duration(trace.duration)}",
        f"  result {_trace_outcome(trace)}",
    ]
    steps = list(walk_steps(trace.steps))
    if not steps:
        lines.append("  (no implementations)")
    for depth, step in steps:
        indent = "  " * (depth + 1)
        time = "" if step.not_called else f"  {format_duration(step.end - step.start)}"
        lines.append(f"{indent}{step.kind:<7} {_step_label(step)}  {_step_outcome(step)}{time}")
    if timeline:
        lines.append("  timeline (since the call started):")
        lines.extend("    " + line for line in _timeline_text(steps))
    return text_form(lines)


def _timeline_events(steps: Sequence[tuple[int, StepLike]]) -> list[tuple[float, int, str, str]]:
    """(time, order, what, who) for each set-up, teardown and implementation run, sorted by time."""
    events: list[tuple[float, int, str, str]] = []
    for order, (depth, step) in enumerate(steps):
        if step.not_called:
            continue
        who = "  " * depth + _step_label(step)
        if step.kind == "wrapper":
            setup_end = step.setup_end if step.setup_end is not None else step.start
            events.append((step.start, order, f"set-up    {format_duration(setup_end - step.start)}", who))
            if step.teardown_start is not None:
                took = format_duration(step.end - step.teardown_start)
                events.append((step.teardown_start, order, f"teardown  {took}", who))
        else:
            events.append((step.start, order, f"run       {format_duration(step.end - step.start)}", who))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def _timeline_text(steps: Sequence[tuple[int, StepLike]]) -> list[str]:
    return [f"+{at * 1e3:9.3f} ms  {what:<22} {who}" for at, _, what, who in _timeline_events(steps)]


_TRACE_CSS = "font-family:var(--jp-code-font-family,monospace);font-size:12px;border-collapse:collapse"


def trace_html(trace: TraceLike, *, timeline: bool = False) -> str:
    """The hook-call view as static, escaped HTML: a table nested by wrapper, optional timeline."""
    failed = trace.exception is not None
    parts = [
        '<div class="nbplug-callview">',
        f'<div class="nbplug-call-head"><b>{_esc(_call_line(trace))}</b> '
        f'<span class="nbplug-mode">[{_esc(trace.mode)}]</span> '
        f"{_esc(format_duration(trace.duration))}</div>",
        f'<div class="nbplug-call-result" style="color:{"#b00" if failed else "inherit"}">'
        f"result {_esc(_trace_outcome(trace))}</div>",
        f'<table class="nbplug-steps" style="{_TRACE_CSS}">',
        "<tr><th>kind</th><th>plugin</th><th>function</th><th>outcome</th><th>time</th></tr>",
    ]
    steps = list(walk_steps(trace.steps))
    for depth, step in steps:
        pad = 0.5 + 1.5 * depth
        color = "#b00" if step.exception is not None else ("#888" if step.not_called else "inherit")
        time = "" if step.not_called else format_duration(step.end - step.start)
        parts.append(
            f'<tr class="nbplug-step nbplug-step-{_esc(step.kind)}" data-depth="{depth}">'
            f'<td style="padding-left:{pad}em">{_esc(step.kind)}</td>'
            f"<td>{_esc(step.plugin_name)}</td><td>{_esc(step.function)}</td>"
            f'<td style="color:{color}">{_esc(_step_outcome(step))}</td><td>{_esc(time)}</td></tr>'
        )
    if not steps:
        parts.append('<tr><td colspan="5">(no implementations)</td></tr>')
    parts.append("</table>")
    if timeline:
        parts.append(_timeline_html(steps, trace.duration))
    parts.append("</div>")
    return "".join(parts)


def _bar(left: float, width: float, color: str, title: str) -> str:
    return (
        f'<span title="{_esc(title)}" style="position:absolute;left:{left:.2f}%;'
        f'width:{max(width, 0.4):.2f}%;top:2px;bottom:2px;background:{color}"></span>'
    )


def _timeline_html(steps: Sequence[tuple[int, StepLike]], duration: float) -> str:
    """Bars on a shared time axis: wrappers show set-up (blue) and teardown (orange) separately."""
    total = max(duration, max((s.end for _, s in steps), default=0.0), 1e-9)

    def pct(t: float) -> float:
        return 100.0 * min(max(t, 0.0), total) / total

    rows = ['<table class="nbplug-timeline" style="' + _TRACE_CSS + ';width:100%">']
    for depth, step in steps:
        label = (
            f'<td style="padding-left:{0.5 + 1.5 * depth}em;white-space:nowrap">'
            f"{_esc(_step_label(step))}</td>"
        )
        if step.not_called:
            track = '<span style="color:#888">not called</span>'
        elif step.kind == "wrapper":
            setup_end = step.setup_end if step.setup_end is not None else step.start
            teardown = step.teardown_start if step.teardown_start is not None else step.end
            track = (
                _bar(pct(step.start), pct(setup_end) - pct(step.start), "#4a90d9", "set-up")
                + _bar(pct(setup_end), pct(teardown) - pct(setup_end), "#e6eef8", "inside")
                + _bar(pct(teardown), pct(step.end) - pct(teardown), "#e8912d", "teardown")
            )
        else:
            color = "#c0392b" if step.exception is not None else "#5aa469"
            track = _bar(pct(step.start), pct(step.end) - pct(step.start), color, "run")
        rows.append(
            f'<tr class="nbplug-timeline-row">{label}'
            '<td style="width:70%"><div style="position:relative;height:1.2em">'
            f"{track}</div></td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)
