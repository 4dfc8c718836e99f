"""Telling a real Ctrl-C from a ``KeyboardInterrupt`` that code raised, for code that formats or
reads user objects (``safetext``) and must contain whatever they raise, except the user's Ctrl-C.

Decision: a ``KeyboardInterrupt`` counts as a real Ctrl-C when nbplug's interrupt handler raised it
(it marks what it raises: :func:`mark_ctrl_c`), or when SIGINT is handled by Python's default
handler, which raises it wherever the signal lands, so that it cannot be told from a ``raise`` there
and a real Ctrl-C must not be swallowed. Any other ``KeyboardInterrupt`` (nbplug's handler
installed and not the one that raised it, or SIGINT ignored, as in a kernel between cells) was
raised by code, and is contained like any other error. Rejected: reading the traceback (a signal's
``KeyboardInterrupt`` and a ``raise`` leave the same frames).
"""

from __future__ import annotations

__all__ = ["is_ctrl_c", "mark_ctrl_c"]

_MARK = "_nbplug_ctrl_c"


def mark_ctrl_c(exc: KeyboardInterrupt) -> KeyboardInterrupt:
    """Mark ``exc`` as raised by a real Ctrl-C (by a SIGINT handler); returns it."""
    setattr(exc, _MARK, True)
    return exc


def is_ctrl_c(exc: BaseException) -> bool:
    """True when ``exc`` is, or may be, a real Ctrl-C (see the module docstring)."""
    if not isinstance(exc, KeyboardInterrupt):
        return False
    import signal  # here: ``import nbplug`` loads no module pluggy does not (and it is rare)

    try:
        if exc.__dict__.get(_MARK) is True:
            return True
        return signal.getsignal(signal.SIGINT) is signal.default_int_handler
    except BaseException:  # a hostile subclass's __dict__: count it as real, never swallow one
        return True
