"""The one walk over a plugin's members, and the one staticmethod/classmethod unwrap.

Registration, extension-point discovery, lifespan discovery and the notebook's ``%plugin add`` all
ask "what does this object define?" through :func:`members`, so they cannot disagree about what
an object offers.

Decision: the walk reads the raw values from ``vars`` over the class's MRO (a subclass's member
overriding its base's), then the instance's or module's own ``__dict__``; it never calls
``getattr`` on a member it has not been asked for. Rejected: ``dir`` + ``getattr`` (what pluggy
does), because it runs every property and ``__getattr__`` of a plugin just to look at it — a
property that fails, or that is slow, made registration fail or slow, and what ``register`` saw
differed from what the notebook's discovery saw. Callers bind the few marked members they keep
with :func:`bound`.
"""

from __future__ import annotations

import types
from typing import Any

_METHOD_WRAPPERS = (staticmethod, classmethod)  # a tuple: issubclass with `a | b` is several times slower


def unwrap(value: object) -> Any:
    """The function inside a ``staticmethod`` or ``classmethod``; any other value unchanged.

    Read with ``type()``, not ``isinstance``: an object whose ``__class__`` raises (it may sit
    anywhere in a module given to ``register``) is simply not a marked function.
    """
    if issubclass(type(value), _METHOD_WRAPPERS):
        return value.__func__  # type: ignore[attr-defined]
    return value


def members(obj: object) -> dict[str, Any]:
    """An object's members by name, as raw values (functions, staticmethod objects, properties).

    A class: its own and its bases' attributes. A module: its globals. An instance: its class's
    attributes, then its own ``__dict__``. Dunder names are left out; nothing is called. A name
    keeps the place of its first definition (a base's, for an overridden method) and the value
    of its last.
    """
    found: dict[str, Any] = {}
    kind = type(obj)  # type(), not isinstance: a plugin's own __class__ may raise
    if issubclass(kind, types.ModuleType):
        found.update(vars(obj))
    else:
        klass: type = obj if issubclass(kind, type) else kind  # type: ignore[assignment]
        for base in reversed(klass.__mro__):
            if base is not object:
                found.update(vars(base))
        if not issubclass(kind, type):
            try:
                own = object.__getattribute__(obj, "__dict__")
            except AttributeError:  # no __dict__ (slots)
                own = None
            if issubclass(type(own), dict):
                found.update(own)
    return {name: value for name, value in found.items() if not name.startswith("__")}


def bound(obj: object, name: str) -> Any:
    """``getattr(obj, name)`` — the member as the object hands it out (a bound method) — or None
    when getting it fails."""
    try:
        return getattr(obj, name)
    except Exception:  # an attribute that cannot be read is not offered
        return None
