"""How the design map's readers name plugins and functions: one module both readers import.

Decision: a leaf beside the readers, so that :mod:`.readers` (nbplug managers, and the entry point
that hands a pluggy manager on) and :mod:`.pluggy_reader` share the labels without importing each
other. Rejected: the pluggy reader importing them from :mod:`.readers`, which imports the pluggy
reader — an import cycle.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Container, Iterable

from nbplug._base.safetext import UNREADABLE_NAME, own_name, safe_repr, safe_str

from ..format.text import name_text
from .snapshot import PluginEntry

__all__ = ["MAX_FUNCTION", "function_name", "plugin_entries", "plugin_label", "readable_names"]

#: A function's name is kept whole up to this many characters: names made by ``specname`` run
#: long (pytest-asyncio's ``pytest_pycollect_makeitem_convert_async_functions_to_subclass`` is 61),
#: and the plugins' 60 (``name_text``) cut that one in its middle.
MAX_FUNCTION = 120


def plugin_label(plugin: object) -> str:
    """How a plugin is shown: its own repr if it has one, else what it is (``PriceList instance``,
    ``module shop.plugins``, ``class Specs``) rather than an address."""
    if isinstance(plugin, type):
        return f"class {_own(plugin, '__qualname__')}"
    if isinstance(plugin, types.ModuleType):
        return f"module {_own(plugin, '__name__')}"
    if type(plugin).__repr__ is object.__repr__:
        return f"{_own(type(plugin), '__qualname__')} instance"
    return safe_repr(plugin, 80)


def _own(obj: object, attribute: str) -> str:
    """``obj``'s own name, read guarded (a module's raising ``__getattr__`` cannot break the map)."""
    name = own_name(obj, attribute)
    return UNREADABLE_NAME if name is None else name


def _what_it_is(plugin: object) -> str:
    if isinstance(plugin, type):
        return name_text(_own(plugin, "__qualname__"))
    if isinstance(plugin, types.ModuleType):
        return name_text(_own(plugin, "__name__"))
    return name_text(_own(type(plugin), "__qualname__"))


def readable_names(plugins: Iterable[tuple[str, object]],
                   unnamed: Container[str] | None = None) -> dict[str, str]:
    """The names the map shows for ``(name, plugin)`` pairs in registration order.

    A plugin registered without a name is named by its id (``140476274636624``: pluggy's and
    nbplug's ``get_canonical_name``); it is shown as what it is -- its class, or its module --
    and numbered (``PytestPluginManager #2``) when that would be shown twice or is another
    plugin's name. Every other name is shown as it is. A blocked name (plugin None) is left out.

    ``unnamed``: the names of the plugins registered without one, when the pairs give what each
    plugin is (its class or module) in the plugin's place, as a recording keeps them (it keeps
    no plugin alive): the recorded views then name each plugin as the design map does.
    """
    pairs = [(name, plugin) for name, plugin in plugins if plugin is not None]
    shown = {name: name for name, _ in pairs}
    nameless = [(name, _what_it_is(plugin)) for name, plugin in pairs
                if (name == str(id(plugin)) if unnamed is None else name in unnamed)]
    taken = set(shown).difference(name for name, _ in nameless)
    bases = [base for _, base in nameless]
    seen: dict[str, int] = {}
    for name, base in nameless:
        seen[base] = seen.get(base, 0) + 1
        shared = bases.count(base) > 1 or base in taken
        shown[name] = f"{base} #{seen[base]}" if shared else base
    return shown


def function_name(function: Callable[..., object]) -> str:
    """A function's own name (``fetch``), not its qualified name: the plugin column says whose."""
    name = own_name(function)
    return safe_str(name, MAX_FUNCTION, middle=True) if name else safe_repr(function, 60)


def plugin_entries(pairs: Iterable[tuple[object, object]]) -> tuple[PluginEntry, ...]:
    """The plugins of ``list_name_plugin()`` (registration order; a blocked name maps to None),
    each with its label and the name the map shows (names cut as they are read: ``name_text``)."""
    named = [(str(name), plugin) for name, plugin in pairs]
    shown = readable_names(named)
    return tuple(
        PluginEntry(name_text(name), "blocked" if plugin is None else plugin_label(plugin),
                    "" if shown.get(name, name) == name else shown[name])
        for name, plugin in named
    )
