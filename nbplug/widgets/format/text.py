"""The views' own text helpers: durations, uptimes, phase words, log tails, names, and the escape
every HTML form goes through; no ipywidgets import.

Decision: what the layers below the views need too -- guarded reads, bounded reprs, error texts,
cutting, escaping controls -- is ``nbplug._base.safetext``; this module holds only what is the
views' own. Each view has a plain-text form (terminal IPython, nbconvert, front ends without widgets)
and a static HTML form. Everything from user code goes through :func:`escape_html` before it
reaches HTML: control, bidi and zero-width characters are written as escapes (``\\u202e``), as the
text forms write them, and then markup is escaped, so ``<img src=x onerror=...>`` shows as text.
Rejected: ``html.escape`` alone, which lets U+202E reorder what the reader sees.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from itertools import islice

from nbplug._base.safetext import MAX_NAME, escape_controls, safe_str

__all__ = [
    "escape_html",
    "format_duration",
    "format_uptime",
    "last_lines",
    "name_text",
    "phase_label",
    "text_form",
    "thread_label",
]

#: Longest log line shown before it is cut with an ellipsis.
MAX_LINE = 240


def escape_html(value: object, *, keep_newlines: bool = False) -> str:
    """``value`` as HTML text: controls written as escapes (line breaks kept with
    ``keep_newlines``, for a ``<pre>``), then ``<``, ``>``, ``&`` and quotes escaped."""
    text = value if isinstance(value, str) else str(value)
    return html.escape(escape_controls(text, keep_newlines=keep_newlines), quote=True)


def name_text(name: object) -> str:
    """A name (plugin, function, lifespan) as shown: one line, controls escaped, cut in the middle
    if long (the end tells apart names that share a long start: ``…_0001``, ``…_0002``)."""
    return safe_str(name, MAX_NAME, middle=True)


def thread_label(thread: str | None) -> str:
    """How a view marks a call made on another thread than the recording's (``thread pool_0``):
    the recording's tree, table and timeline, and the call view of such a call, say it alike;
    empty for the recording's own thread (None). Unescaped, as every label: each form escapes."""
    return f"thread {thread}" if thread is not None else ""


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
    return tuple(safe_str(" ".join(str(line).splitlines()), MAX_LINE) for line in tail)


def text_form(lines: Iterable[str]) -> str:
    """The lines of a text form joined, every control character in them escaped (``\\x1b``), so
    a value printed in a terminal cannot retitle, clear or recolour it."""
    return escape_controls("\n".join(lines), keep_newlines=True)
