"""Tracebacks in the user's terms: the user's own frames, nbplug's left out.

An error raised by user code (an extension, a lifespan, an ``__init__``, an argument
expression) reaches the user through several of nbplug's frames (the caller, the group, the await
path, the CLI runner). Those frames say nothing to the user, so the magics and ``nbplug run`` cut
them out of the traceback -- of the exception, of its cause and context, and of the members of an
exception group. Errors raised inside nbplug that are not about the user's code keep every frame,
so a bug can still be found.

The switch to see them all: the environment variable ``NBPLUG_TRACEBACK=full`` (``%env
NBPLUG_TRACEBACK=full`` in a notebook), or ``nbplug run --full-traceback``. Rejected:
``__tracebackhide__`` alone (only IPython's verbose mode honours it, and not for chained errors or
``nbplug run``).

Decision: it lives with the lifespans, the lowest layer that knows every error nbplug raises
about user code (the kit's and the lifespans'); both front ends (``nbplug run`` and the magics)
import it from here. Rejected: ``_base``, which must import nothing of nbplug.
"""

from __future__ import annotations

import asyncio
import os
import traceback
import types

from .._base.where import LIBRARY_DIRS, in_package
from .._kit.errors import HookCallError, PluginValidationError
from .errors import LifespanError, LifespanUsageError

ENV_SWITCH = "NBPLUG_TRACEBACK"


def full_tracebacks() -> bool:
    """True when the user asked to see nbplug's own frames too (``NBPLUG_TRACEBACK=full``)."""
    return os.environ.get(ENV_SWITCH, "").strip().lower() in ("full", "all", "1")


def is_internal(tb: types.TracebackType) -> bool:
    """True for a traceback entry in nbplug's own code."""
    return in_package(tb.tb_frame.f_code.co_filename)


def is_library(tb: types.TracebackType) -> bool:
    """True for a traceback entry in the standard library or an installed package."""
    filename = tb.tb_frame.f_code.co_filename
    return filename.startswith(LIBRARY_DIRS) or filename.startswith("<frozen")


def strip_internal_frames(exc: BaseException) -> BaseException:
    """Cut nbplug's frames out of ``exc``'s traceback (in place), keeping the user's; returns it.

    Library frames before the first of the user's (asyncio's runner around the CLI, IPython's
    cell runner) go too; those the user's code called stay.
    """
    kept: list[types.TracebackType] = []
    tb = exc.__traceback__
    while tb is not None:
        if not is_internal(tb) and (kept or not is_library(tb)):
            kept.append(tb)
        tb = tb.tb_next
    new: types.TracebackType | None = None
    for entry in reversed(kept):
        new = types.TracebackType(new, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return exc.with_traceback(new)


def raised_in_nbplug(exc: BaseException) -> bool:
    """True when the innermost frame of ``exc``'s traceback is nbplug's own."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return is_internal(tb)


def about_user_code(exc: BaseException) -> bool:
    """True for nbplug's own errors about the user's code (bad hook call, bad plugin/lifespan),
    and for interrupts (a Ctrl-C is the user's, wherever nbplug's handler raised it)."""
    ours = (HookCallError, PluginValidationError, LifespanError, LifespanUsageError)
    return isinstance(exc, (*ours, KeyboardInterrupt, asyncio.CancelledError))


def user_facing(exc: BaseException) -> BaseException:
    """``exc`` as the user should see it (in place): without nbplug's frames, unless it is a bug.

    Applied to its cause, context and group members too. With ``NBPLUG_TRACEBACK=full`` nothing
    is cut.
    """
    if full_tracebacks():
        return exc
    seen: set[int] = set()
    _user_facing(exc, seen)
    return exc


def _user_facing(exc: BaseException, seen: set[int]) -> None:
    if id(exc) in seen:
        return
    seen.add(id(exc))
    if isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            _user_facing(member, seen)
        strip_internal_frames(exc)
    elif about_user_code(exc) or not raised_in_nbplug(exc):
        strip_internal_frames(exc)
    if isinstance(exc.__context__, asyncio.CancelledError | KeyboardInterrupt):
        # the interrupt that led to this error (a teardown's on Ctrl-C) is not news
        exc.__suppress_context__ = True
    for linked in (exc.__cause__, exc.__context__):
        if linked is not None:
            _user_facing(linked, seen)


def format_user_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` as text, in the user's terms (see :func:`user_facing`)."""
    return "".join(traceback.format_exception(user_facing(exc))).rstrip()
