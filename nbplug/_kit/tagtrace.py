"""``pm.trace``: pluggy's tag tracer, for code that writes to it or reads it (pytest's ``--debug``).

A :class:`TagTracer` is the root; ``root.get("hook")`` gives a :class:`TagTracerSub` that writes
messages tagged ``[hook]``, indented by ``root.indent``, to the writer set with ``setwriter`` and
hands them to a processor set with ``setprocessor`` for those tags. ``pm.enable_tracing()`` writes
each hook call and its result there, line for line as pluggy does, so a tool that reads pluggy's
trace reads nbplug's. A trailing dict argument is shown as ``key: value`` lines under the message.

Decision: reproduce pluggy's text format exactly rather than invent one — the point is that code
written against pluggy's trace keeps working. The structured trace of one call (what the views
show) is :mod:`nbplug._kit.tracing`, a different thing. Rejected: making ``pm.trace`` a thin alias of
the structured trace (nothing written for pluggy could read it).
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Sequence
from typing import Any

from .._base.ctrlc import is_ctrl_c

Writer = Callable[[str], object]
Processor = Callable[[tuple[str, ...], tuple[Any, ...]], object]


def _unshowable(error: BaseException, obj: object, method: str) -> str:
    if is_ctrl_c(error):
        raise error  # a real Ctrl-C goes on (any other error a str or repr raises is shown)
    try:
        shown = repr(error)
    except BaseException as again:
        if is_ctrl_c(again):
            raise
        shown = f"unpresentable {type(error).__name__}"
    return f"<[{shown} raised in {method}()] {type(obj).__name__} object at 0x{id(obj):x}>"


def _writable(text: str) -> str:
    """Lone surrogates escaped, so that any text writer (a utf-8 file) accepts the line."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _text(obj: object) -> str:
    try:
        shown = str(obj)
    except BaseException as exc:  # a broken __str__ must not break the traced call
        shown = _unshowable(exc, obj, "str")
    return _writable(shown)


def _reprtext(obj: object) -> str:
    try:
        shown = repr(obj)
    except BaseException as exc:
        shown = _unshowable(exc, obj, "repr")
    return _writable(shown)


def _value(obj: object) -> str:
    """A traced value: ``str`` where it is unambiguous, ``repr`` where ``str`` would hide what it is."""
    if isinstance(obj, enum.Enum | os.PathLike):  # a StrEnum's str() drops its name
        return _reprtext(obj)
    if isinstance(obj, str):
        multiline = len(obj.splitlines()) > 1
        bare = bool(obj) and obj.isprintable() and " " not in obj
        return _text(obj) if multiline or bare else _reprtext(obj)
    return _text(obj)


class TagTracer:
    """The root of a tree of tracers: the writer, the processors by tags, the indentation."""

    def __init__(self) -> None:
        self._processors: dict[tuple[str, ...], Processor] = {}
        self._writer: Writer | None = None
        self.indent = 0

    def get(self, name: str) -> TagTracerSub:
        """A tracer writing messages tagged ``[name]``."""
        return TagTracerSub(self, (name,))

    def format_message(self, tags: Sequence[str], args: Sequence[object]) -> str:
        """The text written for one message: the arguments, the tags, a trailing dict's items."""
        extra: dict[Any, Any] = {}
        if args and isinstance(args[-1], dict):
            extra, args = args[-1], args[:-1]
        pad = "  " * self.indent
        lines = [f"{pad}{' '.join(map(_text, args))} [{':'.join(tags)}]\n"]
        for key, value in extra.items():
            shown = _value(value)
            body = shown.splitlines()
            if body in ([], [shown]):
                lines.append(f"{pad}    {key}: {shown}\n")
            else:  # several lines (a bare \r too): each indented under the key
                lines.append(f"{pad}    {key}:\n")
                lines.extend(f"{pad}      {line}\n" for line in body)
        return "".join(lines)

    def process(self, tags: tuple[str, ...], args: tuple[object, ...]) -> None:
        """Write a message (if there is a writer and something to say) and hand it to the
        processor registered for its tags."""
        if self._writer is not None and args:
            self._writer(self.format_message(tags, args))
        processor = self._processors.get(tags)
        if processor is not None:
            processor(tags, args)

    def setwriter(self, writer: Writer | None) -> None:
        """Where messages are written (``None``: nowhere)."""
        self._writer = writer

    def setprocessor(self, tags: str | tuple[str, ...], processor: Processor) -> None:
        """Call ``processor(tags, args)`` for every message with exactly these tags
        (``"a:b"`` or ``("a", "b")``)."""
        key = tuple(tags.split(":")) if isinstance(tags, str) else tuple(tags)
        self._processors[key] = processor


class TagTracerSub:
    """A tracer for one tag path: ``tracer(*args)`` writes a message, ``tracer.get(name)`` nests."""

    def __init__(self, root: TagTracer, tags: tuple[str, ...]) -> None:
        self.root = root
        self.tags = tags

    def __call__(self, *args: object) -> None:
        self.root.process(self.tags, args)

    def get(self, name: str) -> TagTracerSub:
        """A tracer for the tags so far plus ``name``."""
        return type(self)(self.root, (*self.tags, name))

    def __repr__(self) -> str:
        return f"<TagTracerSub {':'.join(self.tags)}>"
