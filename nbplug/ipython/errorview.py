"""How a user's error leaves a magic: in a form IPython, and the kernel's reply, can show.

Two of the user's errors IPython cannot show as they come out of an awaited magic:

- An error whose ``__str__`` raises (whatever it raises, and whatever the error's type: an
  ``Exception`` or any other ``BaseException``). IPython formats every error of a
  top-level-``await`` cell with ``str`` for its history, and ipykernel for its reply; that ``str``
  raising left the kernel without a reply. Such an error leaves the magic as a stand-in: a
  subclass of :class:`UnshowableError` made for it and named after the user's type, so that the
  traceback's last line and the reply's ``ename`` name the user's type (``BadStr: its message
  could not be shown (str() raised RuntimeError)``), with the user's frames, the original error
  as its ``__context__``. Rejected: giving the user's error another class with a safe
  ``__str__`` (changing the type of the user's own object behind their back), and one
  ``UnshowableError`` class (the last line named only it, the user's type in its message).
- An exception group. IPython shows groups with the standard library's traceback, which honours
  no ``__tracebackhide__``, so a group from an extension showed nbplug's frames. The extension
  sets IPython's public custom exception handler (``InteractiveShell.set_custom_exc``) for
  exception groups: a group that came out of a magic loses nbplug's frames, and IPython then shows
  it as it shows every group. The shell has one such handler: when another is set already, it is
  left alone and groups keep nbplug's frames.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from nbplug._base.safetext import MAX_NAME, safe_str, type_name

from ..lifespans.usertraceback import user_facing


class UnshowableError(Exception):
    """Stands in for a user's error whose message cannot be formatted (its ``__str__`` raises).

    Each stand-in is of a subclass made for it, named after the user's type; ``original_type``
    is that type's name.
    """

    original_type = ""


def stand_in(error: BaseException) -> UnshowableError | None:
    """An :class:`UnshowableError` for ``error`` when ``str(error)`` fails, else None."""
    try:
        str(error)  # (a __str__ returning no string raises TypeError here)
        return None
    except BaseException as exc:  # a message that cannot be formatted: what is looked for here
        raised = safe_str(type_name(exc), MAX_NAME)
    name = safe_str(type_name(error), MAX_NAME)
    kind: type[UnshowableError] = type(name, (UnshowableError,), {
        "__module__": __name__, "__qualname__": name, "original_type": name,
        "__doc__": f"Stands in for a {name} whose message could not be shown.",
    })
    shown = kind(f"its message could not be shown (str() raised {raised})")
    return shown.with_traceback(user_facing(error).__traceback__)


def install_group_view(shell: Any, magic_code: Any) -> bool:
    """Show exception groups that came out of a magic without nbplug's frames; True if set.

    ``magic_code`` is the code object of the frame every awaited magic runs in (a group whose
    traceback passes it came out of a magic)."""
    if getattr(shell, "custom_exceptions", None) != ():
        return False  # another handler is set (or this shell has none): leave it

    def show_group(shell: Any, etype: type, value: BaseException, tb: TracebackType | None,
                   tb_offset: int | None = None) -> None:
        if came_through(tb, magic_code):
            user_facing(value)
        shell.showtraceback((etype, value, value.__traceback__), tb_offset=tb_offset)

    shell.set_custom_exc((BaseExceptionGroup,), show_group)
    return True


def remove_group_view(shell: Any) -> None:
    """Undo :func:`install_group_view` (only call it when that returned True)."""
    if shell.custom_exceptions == (BaseExceptionGroup,):
        shell.set_custom_exc((), None)


def came_through(tb: TracebackType | None, code: Any) -> bool:
    """Whether the traceback ``tb`` passes a frame running ``code``."""
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return True
        tb = tb.tb_next
    return False
