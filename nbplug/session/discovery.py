"""Find what an object from the user's namespace offers: extension points, extensions, lifespans.

``%plugin add NAME`` accepts decorated classes (instantiated), instances, modules, spec classes,
single marked functions and lifespan functions; this module says which of those an object is, and
builds what the managers and the lifespan group are given.
"""

from __future__ import annotations

import inspect
import types
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nbplug._base.ctrlc import is_ctrl_c
from nbplug._base.safetext import (
    MAX_NAME,
    UNREADABLE_NAME,
    error_text,
    message_text,
    own_name,
    safe_str,
    type_name,
)
from nbplug._kit.introspection import members, unwrap
from nbplug._kit.markers import impl_options, projects_of, spec_options

from .errors import SessionUsageError


@dataclass(frozen=True)
class Offer:
    """What an object offers, by project: spec projects, impl projects, whether it has lifespans,
    and the members that could not be read (each ``name (Error: message)``), which were skipped."""

    spec_projects: tuple[str, ...]
    impl_projects: tuple[str, ...]
    has_lifespans: bool
    skipped: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the object carries no nbplug marker at all."""
        return not (self.spec_projects or self.impl_projects or self.has_lifespans)


def _named_members(obj: object) -> dict[str, Any]:
    """The object's own members by name (class MRO, module dict, or instance and class); a
    function is its own one member."""
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return {"": obj}
    return members(obj)


def _is_lifespan(value: object) -> bool:
    from nbplug.lifespans import is_lifespan

    return is_lifespan(unwrap(value))


def offer_of(obj: object) -> Offer:
    """Which projects ``obj`` specifies or implements, and whether it defines lifespans.

    A member that raises when it is read (an unbound proxy of a web framework raises on every
    attribute) offers nothing and is named in ``skipped``; it does not stop the rest."""
    projects = sorted(projects_of(obj))
    named = _named_members(obj)
    values = list(named.values())
    specs = tuple(p for p in projects if any(spec_options(v, p) for v in values))
    impls = tuple(p for p in projects if any(impl_options(v, p) for v in values))
    has_lifespans = False
    skipped: list[str] = []
    for name, value in named.items():
        try:
            has_lifespans = _is_lifespan(value) or has_lifespans
        except BaseException as exc:  # the member's own error, whatever it is: skipped, said so
            if is_ctrl_c(exc):
                raise
            skipped.append(f"{safe_str(name, MAX_NAME)} ({error_text(exc)})")
    return Offer(specs, impls, has_lifespans, tuple(skipped))


#: The longest "skipped members" line, in characters (a module of 20,000 unreadable members made
#: a line of 1.3 million): past it, the line ends with how many more and where to see them all.
MAX_SKIPPED_LINE = 900


def skipped_message(name: str, offer: Offer) -> str | None:
    """The one line saying which members of ``name`` were skipped, or None: as many as fit in
    :data:`MAX_SKIPPED_LINE` characters, then ``… N more`` and the expression listing them all
    (the added plugin's ``skipped``)."""
    skipped = offer.skipped
    if not skipped:
        return None
    count = len(skipped)
    head = f"skipped {count:,} member{'s' * (count != 1)} of {name!r} that cannot be read: "
    where = f"nbplug.ipython.get_session().plugins[{name!r}].skipped"
    room = MAX_SKIPPED_LINE - len(head) - len(f"; … {count:,} more (all of them: {where})")
    shown: list[str] = []
    for item in skipped:
        room -= len(item) + 2 * bool(shown)
        if room < 0 and shown:
            break
        shown.append(item)
    more = count - len(shown)
    tail = f"; … {more:,} more (all of them: {where})" if more else ""
    return head + "; ".join(shown) + tail


def function_namespace(function: Any) -> types.SimpleNamespace:
    """Wrap a single marked function so the managers can read it like a module attribute."""
    return types.SimpleNamespace(**{function.__name__: function})


def instantiate(cls: type, name: str) -> object:
    """``cls()`` -- or a SessionUsageError saying which constructor arguments it needs and what to do."""
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        try:
            signature.bind()
        except TypeError:
            required = [
                p.name
                for p in signature.parameters.values()
                if p.default is inspect.Parameter.empty
                and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
            ]
            class_name = shown_name(cls)
            call = f"{class_name}({', '.join(f'{r}=...' for r in required)})"
            variable = f"{name.lower()}_plugin" if name.isidentifier() else "plugin"
            raise SessionUsageError(
                f"class {class_name} needs constructor arguments ({', '.join(required)}), so "
                f"%plugin cannot instantiate it; create an instance and add that:\n"
                f"    {variable} = {call}\n    %plugin add {variable}"
            ) from None
    return cls()


def describe(obj: object) -> str:
    """A short description of an object for messages: ``class Weather``, ``module feeds``...

    Names are read guarded and shortened (an object's ``__name__`` is the user's to define).
    """
    if inspect.isclass(obj):
        return f"class {shown_name(obj)}"
    if inspect.ismodule(obj):
        return f"module {shown_name(obj)}"
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return f"function {shown_name(obj, '__qualname__')}"
    return f"{safe_str(type_name(obj), MAX_NAME)} instance"


def shown_name(obj: object, attribute: str = "__name__") -> str:
    """``obj``'s own name for a message: read guarded (``own_name``), shortened, controls escaped;
    ``<name unreadable>`` when it cannot be read."""
    name = own_name(obj, attribute)
    return UNREADABLE_NAME if name is None else safe_str(name, MAX_NAME)


def no_markers_message(name: str, obj: object) -> str:
    """The error text for an object that carries no nbplug marker."""
    return (
        f"{name!r} ({describe(obj)}) has no nbplug markers: nothing on it or its members is "
        "decorated with an ExtensionPoint (@extension_point), an Extension (@extension) or "
        "@lifespan. Decorate its hook functions, e.g.\n"
        '    extension = Extension("feed")\n'
        "    class Weather:\n"
        "        @extension\n"
        "        def fetch(self, topic): ..."
    )


def check_alone(entry: Any, spec_source: object) -> None:
    """Validate what ``entry`` brings on its own, in scratch managers, before the session's change.

    Its extension points must be well formed, and its extensions must fit them (and be the right
    kind of function: a wrapper a generator...). What the session's managers hold already is
    checked by their own atomic registration afterwards. Warnings are left to that real one.
    """
    check_together([(entry, spec_source)])


def check_together(entries: Sequence[tuple[Any, object]]) -> None:
    """:func:`check_alone` for several entries added by one command, in one set of scratch
    managers: each one's extensions must also fit the extension points the others bring."""
    from nbplug._kit.aio import AsyncPluginManager
    from nbplug._kit.errors import PluginValidationError

    projects = dict.fromkeys(p for entry, _ in entries for p in (*entry.spec_projects,
                                                                 *entry.impl_projects))
    for project in projects:
        scratch = AsyncPluginManager(project)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for step in ("extension points", "extensions"):
                for entry, spec_source in entries:
                    try:
                        if step == "extension points" and project in entry.spec_projects:
                            scratch.add_extension_points(spec_source, replace=True)
                        if step == "extensions" and project in entry.impl_projects:
                            scratch.register(entry.plugin, name=entry.name)
                    except (PluginValidationError, ValueError) as exc:
                        raise SessionUsageError(f"cannot add {entry.name!r}: {message_text(exc)}") from None
