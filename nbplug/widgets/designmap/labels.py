"""How the design map's readers name plugins and functions: one module both readers import.

Decision: a leaf beside the readers, so that :mod:`.readers` (nbplug managers, and the entry point
that hands a pluggy manager on) and :mod:`.pluggy_reader` share the labels without importing each
other. Rejected: the pluggy reader importing them from :mod:`.readers`, which imports the pluggy
reader — an import cycle.
"""

from __future__ import annotations

import types
from collections.abc import Callable

from nbplug._base.safetext import safe_attr, safe_repr

from ..format.text import name_text

__all__ = ["function_name", "plugin_label"]


def plugin_label(plugin: object) -> str:
    """How a plugin is shown: its own repr if it has one, else what it is (``PriceList instance``,
    ``module shop.plugins``, ``class Specs``) rather than an address."""
    if isinstance(plugin, type):
        return f"class {plugin.__qualname__}"
    if isinstance(plugin, types.ModuleType):
        return f"module {plugin.__name__}"
    if type(plugin).__repr__ is object.__repr__:
        return f"{type(plugin).__qualname__} instance"
    return safe_repr(plugin, 80)


def function_name(function: Callable[..., object]) -> str:
    """A function's own name (``fetch``), not its qualified name: the plugin column says whose."""
    name = safe_attr(function, "__name__")
    return name_text(name) if isinstance(name, str) and name else safe_repr(function, 60)
