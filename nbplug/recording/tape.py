"""The tape: the rows of the calls and steps being recorded, and the stack they nest on.

The monitors (:mod:`nbplug.recording.recorder`) and the stand-ins (:mod:`nbplug.recording.standins`)
write to one :class:`Tape` per thread: a hook call pushes its row, each extension's stand-in
pushes its step inside it, so a hook called from an extension lands inside that extension's step,
and a call made on another thread starts a root of its own there. A row is a list
while it is written and becomes the tuple :mod:`nbplug.recording.model` reads once it is done
(tuples are untracked by the garbage collector; see the model).

Decision: one stack entry kind per situation (a kept call, a kept step, ``DROPPED`` for anything
the budget left out), tested by ``type() is``, so each stand-in's hot path is a few list operations.
Rejected: objects with attributes for the live rows (an attribute write is dearer than a list
store, and the rows become the model's tuples without copying field by field).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from .model import C_CALLS, S_CALLS


class Dropped:
    """Stack entry for a call or step that is counted but not kept: everything inside is dropped."""

    __slots__ = ()


class CallRow(list[Any]):
    """A call being recorded (the layout of the model's call tuple); a tuple when done."""

    __slots__ = ()


class StepRow(list[Any]):
    """A step being recorded (the layout of the model's step tuple); a tuple when done."""

    __slots__ = ()


DROPPED = Dropped()
Entry = CallRow | StepRow | Dropped


class Tape:
    """The live state of one thread's calls: the stack of open entries, their start times, and
    where each open call's row sits in its container (so the finished tuple replaces it there)."""

    __slots__ = ("label", "places", "stack", "starts")

    def __init__(self, label: str | None) -> None:
        self.stack: list[Entry] = []
        self.starts: list[float] = []
        self.places: list[tuple[list[Any], int]] = []
        #: the thread's name on every row it writes (None: the thread that opened the recorder)
        self.label = label


#: each thread's tape, by ``threading.get_ident()``
Tapes = dict[int, Tape]


def nested(parent: CallRow | StepRow) -> list[Any]:
    """The list a nested call made inside ``parent`` goes into (made on first use)."""
    index = C_CALLS if isinstance(parent, CallRow) else S_CALLS
    found: list[Any] | None = parent[index]
    if found is None:
        found = parent[index] = []
    return found


def done(row: list[Any], calls_at: int) -> tuple[Any, ...]:
    """A finished row as the tuple the recording keeps."""
    inner = row[calls_at]
    if inner is not None:
        row[calls_at] = tuple(inner)
    return tuple(row)


def unlinked(tb: TracebackType | None) -> TracebackType | None:
    """An error's traceback without its first entry: in an ``except`` block, the frame running it.
    Set as the error's ``__traceback__`` and re-raised with a bare ``raise`` (which adds no entry),
    the error goes on as if that frame had never been between its caller and what it called: the
    recorder's frames show in no traceback, filtered or not."""
    return None if tb is None else tb.tb_next
