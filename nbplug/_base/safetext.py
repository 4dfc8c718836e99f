"""Text about user objects that those objects cannot break: guarded reads, escaped controls, cut.

Every view and message of nbplug shows objects that come from user code: results, errors, plugin
objects, names, log lines. A ``__repr__`` or ``__str__`` that raises, a ``__class__`` property that
raises, a result of a million characters or one holding ``\\x1b]0;…\\x07\\x1b[2J`` (which retitles
and clears a terminal) must not break the view or reach the user's terminal as control codes. This
leaf module is the one place that guards such reads: the text forms of the widgets, the notebook
session's messages and the CLI all go through it.

Decision: control characters are escaped *visibly* (``\\x1b``, as ``repr`` writes them) rather than
dropped, so a user can see that a value holds them; newlines may be kept for multi-line forms.
Rejected: stripping ANSI sequences with a regular expression (it misses malformed ones and hides
what the value really is). The views' HTML forms escape controls through the same function before
they escape markup (``nbplug.widgets.format.text.escape_html``).

A user object's own name (``__name__``, ``__qualname__``) is read through :func:`own_name` alone:
a module whose ``__getattr__`` raises, one whose ``__name__`` was deleted or replaced by a raising
property, a class whose metaclass lies. ``getattr(obj, "__name__", None)`` is not enough: it
contains ``AttributeError`` only, so the object's own error replaced nbplug's message.

What a guarded read contains: every ``BaseException`` that reading or formatting raises (an
``Exception``, ``SystemExit``, ``GeneratorExit``, a user's own ``BaseException`` subclass, a
``KeyboardInterrupt`` the code raised), since a ``__str__`` that raises any of them must not break
a view, a message or a lifespan group's bookkeeping. The one exception is a real Ctrl-C, which is
re-raised (:func:`nbplug._base.ctrlc.is_ctrl_c` says how it is told apart): Ctrl-C always wins.

Text is cut in one place, :func:`shorten`: at the end (a name, a message: the start says most), or
in the middle (a repr: the start names the type, the end holds the fields a repr closes with).
"""

from __future__ import annotations

import reprlib
import unicodedata

from .ctrlc import is_ctrl_c

__all__ = [
    "MAX_MESSAGE",
    "MAX_NAME",
    "MAX_TEXT",
    "UNREADABLE_NAME",
    "error_text",
    "escape_controls",
    "message_text",
    "own_name",
    "safe_attr",
    "safe_repr",
    "safe_str",
    "shorten",
    "type_name",
]

#: Longest repr / message shown before it is cut with an ellipsis.
MAX_TEXT = 160
#: Longest name (plugin, lifespan, hook) quoted in a message.
MAX_NAME = 60
#: Longest error message quoted whole, lines kept, inside another message (``message_text``).
MAX_MESSAGE = 4000


def _reraise_ctrl_c(exc: BaseException) -> None:
    """Re-raise ``exc`` if it is a real Ctrl-C; anything else a guarded read raised is contained."""
    if is_ctrl_c(exc):
        raise exc

class _GuardedRepr(reprlib.Repr):
    """reprlib's shortening, but an object whose ``__repr__`` raises says so in nbplug's words."""

    def repr_instance(self, x: object, level: int) -> str:
        try:
            text = repr(x)
        except BaseException as exc:
            _reraise_ctrl_c(exc)
            return f"<unrepresentable {type_name(x)}>"
        return text if len(text) <= self.maxother else shorten(text, self.maxother)


_repr = _GuardedRepr()
_repr.maxstring = MAX_TEXT
_repr.maxother = MAX_TEXT
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 12

_KEPT_IN_LINES = frozenset("\n")


def _escaped(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls and DEL; Cf covers the bidi overrides (U+202E...) that reorder text;
    # Zl/Zp: the Unicode line and paragraph separators, which break a line like a newline.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    A tab becomes ``\\t``. With ``keep_newlines`` the line breaks of a multi-line form stay.
    """
    if text.isprintable() or (keep_newlines and text.replace("\n", "").isprintable()):
        return text  # the common case, checked in C: a multi-line form with nothing to escape
    kept = _KEPT_IN_LINES if keep_newlines else frozenset()
    out: list[str] = []
    for char in text:
        if char in kept or not _is_control(char):
            out.append(char)
        elif char == "\t":
            out.append("\\t")
        else:
            out.append(_escaped(char))
    return "".join(out)


def shorten(text: str, limit: int = MAX_TEXT, *, middle: bool = False) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with an ellipsis: at the end, or with
    ``middle`` in the middle, as ``reprlib`` cuts (``<TestReport 'a/very/lo…' when='call'>``)."""
    if len(text) <= limit:
        return text
    kept = max(limit - 1, 0)
    if not middle:
        return text[:kept] + "…"
    head = kept // 2
    return text[:head] + "…" + text[len(text) - (kept - head):]


def type_name(value: object) -> str:
    """The name of ``value``'s type, read with ``type()`` (a raising ``__class__`` cannot lie)."""
    return own_name(type(value)) or "object"  # a metaclass may raise or lie: own_name guards


def _one_line(text: str, limit: int, middle: bool = False) -> str:
    return shorten(escape_controls(" ".join(text.split("\n"))), limit, middle=middle)


def safe_repr(value: object, limit: int = MAX_TEXT) -> str:
    """A one-line repr of ``value`` that never raises, never runs long, holds no control codes.

    A ``__repr__`` that raises (or returns something that is not a string) shows as
    ``<unrepresentable Foo>``.
    """
    try:
        text = _repr.repr(value)
        if not isinstance(text, str):
            raise TypeError("__repr__ returned a non-string")
    except BaseException as exc:
        _reraise_ctrl_c(exc)
        text = f"<unrepresentable {type_name(value)}>"
    return _one_line(text, limit)


def safe_str(value: object, limit: int = MAX_TEXT, *, keep_newlines: bool = False,
             middle: bool = False) -> str:
    """``str(value)`` guarded like :func:`safe_repr`; one line unless ``keep_newlines``; cut at
    the end, or with ``middle`` in the middle (see :func:`shorten`)."""
    try:
        text = value if isinstance(value, str) else str(value)
        if not isinstance(text, str):
            raise TypeError("__str__ returned a non-string")
    except BaseException as exc:
        _reraise_ctrl_c(exc)
        text = f"<unrepresentable {type_name(value)}>"
    if keep_newlines:
        return shorten(escape_controls(text, keep_newlines=True), limit, middle=middle)
    return _one_line(text, limit, middle)


def error_text(error: BaseException, limit: int = MAX_TEXT) -> str:
    """``TypeName: message`` of an exception on one line, controls escaped, cut to ``limit``.

    An error whose ``__str__`` raises (or returns no string) still shows its type and says that its
    message could not be shown, whatever it raises (``SystemExit``, ``GeneratorExit``, a
    ``KeyboardInterrupt`` the code raised…) except a real Ctrl-C, which goes on (module docstring).
    """
    name = type_name(error)
    try:
        message = str(error)
        if not isinstance(message, str):
            raise TypeError("__str__ returned a non-string")
    except BaseException as exc:
        _reraise_ctrl_c(exc)
        return shorten(f"{name} (its message could not be shown: str() raised)", limit)
    message = " ".join(escape_controls(" ".join(message.split("\n"))).split())
    return shorten(f"{name}: {message}" if message else name, limit)


def message_text(error: BaseException, limit: int = MAX_MESSAGE) -> str:
    """The message of an exception alone (``str(error)``), its lines kept and controls escaped,
    for quoting one error inside another message (``cannot add 'shop': <message>``).

    Guarded as :func:`error_text`: when ``str`` raises (or returns no string), a note saying the
    message could not be shown and naming the error's type, so the outer message still reads.
    """
    try:
        message = str(error)
        if not isinstance(message, str):
            raise TypeError("__str__ returned a non-string")
    except BaseException as exc:
        _reraise_ctrl_c(exc)
        return shorten(f"(the message of this {type_name(error)} could not be shown: str() raised)", limit)
    return shorten(escape_controls(message, keep_newlines=True), limit)


def safe_attr(obj: object, name: str, default: object = None) -> object:
    """``getattr(obj, name, default)``, with ``default`` also when reading it raises anything
    (but a real Ctrl-C, see the module docstring)."""
    try:
        return getattr(obj, name, default)
    except BaseException as exc:
        _reraise_ctrl_c(exc)
        return default


#: How a label shows an object whose own name cannot be read (:func:`own_name` gave None).
UNREADABLE_NAME = "<name unreadable>"


def own_name(obj: object, attribute: str = "__name__") -> str | None:
    """``obj``'s own ``__name__`` (or ``attribute``: ``__qualname__``) as a plain ``str``, or None
    when it has none, it is not a string, or reading it raises anything (but a real Ctrl-C).

    The one reader of user objects' names (module docstring). Not shortened nor escaped: a
    registry keys plugins by it; a view passes it on to ``safe_str`` or ``name_text``.
    """
    try:
        name = getattr(obj, attribute, None)
    except BaseException as exc:
        _reraise_ctrl_c(exc)
        return None
    if type(name) is str:
        return name
    return str.__str__(name) if isinstance(name, str) else None  # a str subclass: its plain text
