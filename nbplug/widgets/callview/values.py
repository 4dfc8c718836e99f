"""Each value of one call formatted once, bounded while formatting, for every form of its view.

A call view names the same object many times: an extension's result is also what the wrapper
around it received and returned, the hook's result, and an element of a collecting hook's list of
answers. :class:`ValueTexts` keeps the text of every object it has formatted (by identity, holding
the object so that its id cannot be reused while the view is built), and formats a list, tuple,
dict or set from its elements' kept texts, so a ``__repr__`` that takes a second runs once per
view, not once per mention. The model keeps only the texts, which the text, HTML, widget and
replay forms all read.

Bounded while formatting: containers through ``reprlib`` (at most 12 elements, nested 6 deep),
each leaf through :func:`nbplug._base.safetext.safe_repr` (guarded, controls escaped, cut).
Rejected: ``functools.lru_cache`` on the repr (values need not be hashable, and equal values may
repr differently); memoising ``safe_repr`` itself (the cache must live exactly as long as a view).
"""

from __future__ import annotations

import reprlib

from nbplug._base.ctrlc import is_ctrl_c
from nbplug._base.safetext import MAX_TEXT, safe_repr, shorten

__all__ = ["ValueTexts"]


class ValueTexts(reprlib.Repr):
    """The one-line, bounded repr of each value of one call, each object formatted once."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = self.maxfrozenset = 12
        self.maxstring = self.maxother = MAX_TEXT
        self._texts: dict[int, tuple[object, str]] = {}

    def text(self, value: object, limit: int = MAX_TEXT) -> str:
        """``value``'s repr on one line, at most ``limit`` characters."""
        kept = self._texts.get(id(value))
        if kept is None or kept[0] is not value:
            try:
                whole = self.repr(value)
            except BaseException as exc:  # a container whose iteration raises: as safe_repr shows it
                if is_ctrl_c(exc):
                    raise
                whole = safe_repr(value)
            kept = self._texts[id(value)] = (value, shorten(whole, MAX_TEXT))
        return shorten(kept[1], limit)

    def repr_instance(self, x: object, level: int) -> str:
        kept = self._texts.get(id(x))
        if kept is not None and kept[0] is x:
            return kept[1]
        text = safe_repr(x)
        self._texts[id(x)] = (x, text)
        return text
