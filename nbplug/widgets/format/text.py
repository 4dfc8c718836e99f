"""The helpers every view's text form shares (short reprs, durations, uptimes, phase words); no
ipywidgets import. The call view's renderers are in :mod:`.calltext` / :mod:`.callhtml`, the
board's in :mod:`.boardtext`, the design map's in :mod:`.maptext`.

Each view has a plain-text form (terminal IPython, nbconvert, front ends without widgets) and a
static HTML form. Everything that comes from user code — plugin names, results, errors, log lines —
goes through ``html.escape`` before it reaches HTML, so ``<img src=x onerror=...>`` shows as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from nbplug._base.safetext import MAX_NAME, escape_controls, safe_repr, safe_str, type_name

__all__ = [
    "format_duration",
    "format_error",
    "format_uptime",
    "last_lines",
    "name_text",
    "phase_label",
    "short_repr",
    "text_form",
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
