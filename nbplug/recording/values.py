"""A recorded value: its repr taken once, when the recorder sees it, and bounded while it is written.

The recorder keeps text, never the objects (see :mod:`nbplug.recording.model`), so each argument,
step result and call result is formatted exactly once, at the moment it is seen; every view of
the recording (tree, call view, text and HTML) reads that one text.

Decision: builtin containers, strings and ints are written by a ``reprlib``-style writer that stops
at the bound — a megabyte string is cut before it is repr'd, a list past six items or three levels
is summarised — so the cost of a value does not grow with its size. A small flat container
(pytest's ``('passed', '.', 'PASSED')``, a list of three reports) is written by its own ``repr``,
several times faster, since nothing in it is cut better by the writer. An object's own
``__repr__`` is its own: it is called once, and what it returns is cut in the middle (the start
names the type, the end holds the fields a repr closes with). Rejected: taking the whole repr of
a container then cutting it, and keeping the objects to format later when a view asks: a value
formatted later may have changed -- pytest's report is changed by later wrappers (skipping's
sets its outcome after runner's returned it), and the recording must show it as each extension
returned it -- and a kept reference changes the system (a call's excinfo would keep its frames
and their locals alive). Nor is it where the time goes: formatting is about 3% of a recorded
500-test pytest run at the default budget (bench_recorder, formatting replaced by a constant).
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from typing import Any

from .._base.ctrlc import is_ctrl_c
from .._base.safetext import shorten

__all__ = ["MAX_VALUE", "snapshot"]

#: Longest repr kept for one value (an argument, a result, an error message).
MAX_VALUE = 120
#: Flat containers up to this many items are written by their own repr.
SHORT = 8

_ATOMS = frozenset({bool, float, type(None), complex})
_CONTAINERS = frozenset({list, tuple, dict, set, frozenset})


class _Bounded(reprlib.Repr):
    """reprlib's writer with nbplug's bounds; an object's own repr is taken once and cut."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = self.maxlong = MAX_VALUE
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = self.maxfrozenset = 6
        self.maxdeque = self.maxarray = 6
        self.maxlevel = 3
        self.fillvalue = "…"

    def repr_int(self, x: int, level: int) -> str:
        try:
            return super().repr_int(x, level)
        except ValueError:  # past sys.get_int_max_str_digits(): Python refuses to write it
            return f"<int of about {x.bit_length() * 3 // 10:,} digits>"

    def repr_instance(self, x: Any, level: int) -> str:
        try:
            text = repr(x)
        except BaseException as exc:  # a plugin's __repr__ may fail, any way; the recording not
            if is_ctrl_c(exc):
                raise
            return _unrepresentable(x, exc)
        return shorten(text, self.maxother, middle=True)


_bounded = _Bounded()


def _unrepresentable(value: object, exc: BaseException) -> str:
    return f"<{type(value).__name__} object; repr() raised {type(exc).__name__}>"


def _flat(value: Any) -> bool:
    """Whether ``value`` (a builtin container) is small and holds nothing a bounded writer would
    cut better than its own repr: no long string, huge int or nested container. (Objects inside
    are written by their own repr either way.)"""
    if len(value) > SHORT:
        return False
    if type(value) is dict:
        return _flat_items(value.keys()) and _flat_items(value.values())
    return _flat_items(value)


def _flat_items(items: Iterable[Any]) -> bool:
    for item in items:
        kind = type(item)
        if kind is str:
            if len(item) > MAX_VALUE:
                return False
        elif kind is int:
            if item.bit_length() > 200:
                return False
        elif kind in _CONTAINERS:
            return False
    return True


def snapshot(value: object) -> str:
    """A one-line repr of ``value``, at most MAX_VALUE characters, that never raises and costs
    no more than its bound (see the module's decision). A plain ``str`` is kept (a str subclass
    would be tracked by the garbage collector); the views wrap it in ReprText."""
    kind = type(value)
    try:
        if kind is str:
            text = repr(value) if len(value) <= MAX_VALUE else _bounded.repr(value)  # type: ignore[arg-type]
        elif kind in _ATOMS or (kind is int and value.bit_length() <= 200):  # type: ignore[attr-defined]
            text = repr(value)
        elif kind is int or (kind in _CONTAINERS and not _flat(value)):
            text = _bounded.repr(value)
        else:
            text = repr(value)
    except BaseException as exc:  # a plugin's __repr__ may fail, any way; the recording not
        if is_ctrl_c(exc):
            raise
        text = _unrepresentable(value, exc)
    if "\n" in text:
        text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE else shorten(text, MAX_VALUE, middle=True)
