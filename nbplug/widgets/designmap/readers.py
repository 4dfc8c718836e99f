"""Readers: turn plugin managers into the design map's plain snapshot (:mod:`.snapshot`).

:func:`read_manager` reads an nbplug ``PluginManager`` / ``AsyncPluginManager`` through its public
API (``callers()``, ``implementations()`` in call order, ``list_name_plugin()``,
``pending_implementations()``); :mod:`.pluggy_reader` reads a live ``pluggy.PluginManager``.
:func:`read_managers` takes what the inspector is given — a
manager, a list of them, a ``{project: manager}`` mapping, or snapshots already read — and returns
a :class:`~.snapshot.DesignMap`.

Names (plugins, hooks) are cut and their controls escaped as they are read (``name_text``), so
that every count the renderers bound also bounds the bytes they write.

Decision: reading is separate from rendering so that a second reader (over a live
``pluggy.PluginManager``, pytest's ``config.pluginmanager``) can produce the same snapshot and
every view follows. A source is recognised by what it has (``callers`` and ``project_name``: an
nbplug manager); a :class:`~.snapshot.ProjectMap` passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nbplug._kit.hooks import HookCaller
from nbplug._kit.records import HookImpl
from nbplug._kit.registry import PluginManagerBase

from ..format.text import name_text
from .doctext import doc_text
from .labels import function_name, plugin_entries, plugin_label
from .snapshot import Cell, DesignMap, HookEntry, PendingEntry, ProjectMap

__all__ = ["LiveDesign", "plugin_label", "read_manager", "read_managers"]


def _opt(impl: HookImpl, name: str) -> Any:
    """An extension's option that not every manager records (specname, hookwrapper)."""
    return getattr(getattr(impl, "opts", None), name, None)


def impl_cell(impl: HookImpl, position: int) -> Cell:
    """The design map's cell of one nbplug extension at ``position`` in call order."""
    specname = _opt(impl, "specname")
    return Cell(
        plugin=name_text(impl.plugin_name),
        function=function_name(impl.function),
        position=position,
        wrapper=bool(impl.wrapper),
        tryfirst=bool(impl.tryfirst),
        trylast=bool(impl.trylast),
        specname=specname if isinstance(specname, str) else None,
        is_async=bool(impl.is_async),
        optional=bool(impl.optionalhook),
        legacy_wrapper=bool(_opt(impl, "hookwrapper")),
    )


def read_hook(caller: HookCaller) -> HookEntry:
    """One hook of an nbplug manager: its extension point, mode and cells in call order."""
    spec = caller.spec
    argnames = tuple(getattr(spec, "argnames", ()) or ()) if spec is not None else ()
    return HookEntry(
        name=name_text(caller.name),
        mode=caller.mode,
        signature=spec.signature if spec is not None else None,
        doc=doc_text(getattr(spec.function, "__doc__", None)) if spec is not None else "",
        argnames=argnames,
        cells=tuple(impl_cell(impl, i) for i, impl in enumerate(caller.implementations(), 1)),
    )


def read_manager(manager: PluginManagerBase) -> ProjectMap:
    """The snapshot of an nbplug manager as it is now."""
    return ProjectMap(
        project=manager.project_name,
        hooks=tuple(read_hook(caller) for caller in manager.callers()),
        plugins=plugin_entries(manager.list_name_plugin()),
        pending=tuple(_pending(impl) for impl in manager.pending_implementations()),
        kind="nbplug",
    )


def _pending(impl: HookImpl) -> PendingEntry:
    function = function_name(impl.function)
    hook = name_text(getattr(impl, "hook_name", "") or function)
    return PendingEntry(name_text(impl.plugin_name), hook, function)


def is_nbplug_manager(obj: object) -> bool:
    """Whether ``obj`` reads like an nbplug manager (``callers()`` and ``project_name``)."""
    return callable(getattr(obj, "callers", None)) and isinstance(getattr(obj, "project_name", None), str)


def read_one(source: object) -> ProjectMap:
    """A snapshot of one source: a ProjectMap as it is, an nbplug manager read now."""
    if isinstance(source, ProjectMap):
        return source
    if is_nbplug_manager(source):
        return read_manager(source)  # type: ignore[arg-type]
    from .pluggy_reader import is_pluggy_manager, read_pluggy_manager  # only for a pluggy manager

    if is_pluggy_manager(source):
        return read_pluggy_manager(source)
    raise TypeError(
        "the design map needs plugin managers (PluginManager / AsyncPluginManager, or a "
        "pluggy.PluginManager such as pytest's config.pluginmanager) or their snapshots "
        f"(ProjectMap); got {type(source).__name__}"
    )


Readable = PluginManagerBase | ProjectMap
#: What the inspector accepts: one readable, a list of them, or a {project: readable} mapping.
Source = Readable | Iterable[Readable] | Mapping[str, Readable]


def read_managers(source: Source | Any) -> DesignMap:
    """The design map of a manager, a list of managers, a ``{project: manager}`` mapping, or
    snapshots already read."""
    if isinstance(source, DesignMap):
        return source
    if isinstance(source, ProjectMap) or is_nbplug_manager(source) or hasattr(source, "hook"):
        return DesignMap((read_one(source),))  # a manager (nbplug's or pluggy's) or a snapshot
    if isinstance(source, Mapping):
        return DesignMap(tuple(read_one(value) for value in source.values()))
    if isinstance(source, Iterable) and not isinstance(source, str | bytes):
        return DesignMap(tuple(read_one(item) for item in source))
    raise TypeError(
        "the design map needs a manager, a list of managers or a {project: manager} mapping; "
        f"got {type(source).__name__}"
    )


class LiveDesign:
    """A source and its design map, read again on every ``snapshot()`` (managers change as
    plugins are added), for a view that draws a whole design (the design diagram)."""

    def __init__(self, source: Source | DesignMap) -> None:
        self.source = source
        self.design: DesignMap = read_managers(source)

    def snapshot(self) -> DesignMap:
        """The design map as the source is now."""
        self.design = read_managers(self.source)
        return self.design
