"""The second reader: a live ``pluggy.PluginManager`` (pytest's ``config.pluginmanager``) read into
the design map's snapshot (:class:`~.snapshot.ProjectMap`), so every view of nbplug's managers
shows pluggy's as well.

Read only through pluggy's public API: ``pm.project_name``, the callers on ``pm.hook``, each
caller's ``spec`` (``opts``, ``argnames``, ``function``) and ``get_hookimpls()`` (whose reverse is
the call order: wrappers outermost first, then the plain extensions), and
``list_name_plugin()`` (registration order; a blocked name maps to None). pluggy is never
imported: a manager is recognised by what it has. Rejected: reading pluggy's private
``_hookimpls`` / ``_name2plugin``, which change between versions.
"""

from __future__ import annotations

from typing import Any

from ..._kit.introspection import signature_text
from ..format.text import name_text
from .doctext import doc_text
from .labels import function_name, plugin_entries
from .snapshot import Cell, HookEntry, PendingEntry, ProjectMap

__all__ = ["is_pluggy_manager", "read_pluggy_manager"]


def is_pluggy_manager(obj: object) -> bool:
    """Whether ``obj`` reads like a pluggy manager: ``hook``, ``get_hookcallers``,
    ``list_name_plugin`` and a ``project_name``, but no nbplug ``callers()``."""
    return (
        isinstance(getattr(obj, "project_name", None), str)
        and all(callable(getattr(obj, name, None))
                for name in ("get_hookcallers", "list_name_plugin", "add_hookcall_monitoring"))
        and hasattr(obj, "hook")
        and not callable(getattr(obj, "callers", None))
    )


def _opts(obj: Any) -> dict[str, Any]:
    opts = getattr(obj, "opts", None)
    return dict(opts) if isinstance(opts, dict) else {}


def pluggy_cell(impl: Any, position: int) -> Cell:
    """The design map's cell of one pluggy HookImpl at ``position`` in call order."""
    specname = _opts(impl).get("specname")
    function = impl.function
    return Cell(
        plugin=name_text(impl.plugin_name),
        function=function_name(getattr(function, "__wrapped__", function)),
        position=position,
        wrapper=bool(getattr(impl, "wrapper", False)),
        tryfirst=bool(getattr(impl, "tryfirst", False)),
        trylast=bool(getattr(impl, "trylast", False)),
        specname=specname if isinstance(specname, str) else None,
        optional=bool(getattr(impl, "optionalhook", False)),
        legacy_wrapper=bool(getattr(impl, "hookwrapper", False)),
    )


def _mode(spec: Any) -> str:
    opts = _opts(spec)
    if opts.get("historic"):
        return "historic"
    if opts.get("firstresult"):
        return "firstresult"
    return "collecting"


def read_pluggy_hook(name: str, caller: Any) -> HookEntry:
    """One hook of a pluggy manager: its spec, mode and cells in call order."""
    spec = getattr(caller, "spec", None)
    impls = list(reversed(caller.get_hookimpls()))
    if spec is None:
        return HookEntry(name=name, mode="collecting",
                         cells=tuple(pluggy_cell(impl, i) for i, impl in enumerate(impls, 1)))
    function = spec.function
    return HookEntry(
        name=name,
        mode=_mode(spec),
        signature=signature_text(name, function),
        doc=doc_text(getattr(function, "__doc__", None)),
        argnames=tuple(getattr(spec, "argnames", ()) or ()),
        cells=tuple(pluggy_cell(impl, i) for i, impl in enumerate(impls, 1)),
    )


def read_pluggy_manager(manager: Any) -> ProjectMap:
    """The snapshot of a live pluggy manager as it is now (hooks sorted by name, plugins in
    registration order; a blocked name shows as blocked)."""
    if not is_pluggy_manager(manager):
        raise TypeError(
            "read_pluggy_manager needs a pluggy.PluginManager (e.g. pytest's "
            f"config.pluginmanager); got {type(manager).__name__}"
        )
    callers = sorted((name, value) for name, value in vars(manager.hook).items()
                     if callable(getattr(value, "get_hookimpls", None)))
    hooks = tuple(read_pluggy_hook(name_text(name), caller) for name, caller in callers)
    plugins = plugin_entries(manager.list_name_plugin())
    pending = tuple(
        PendingEntry(cell.plugin, hook.name, cell.function)
        for (_, caller), hook in zip(callers, hooks, strict=True)
        if getattr(caller, "spec", None) is None
        for cell in hook.cells if not cell.optional
    )
    return ProjectMap(project=str(manager.project_name), hooks=hooks, plugins=plugins,
                      pending=pending, kind="pluggy")
