"""``PluginManager``: the synchronous manager, ``pm.hook.name(**kwargs)`` returning the result.

Everything but calling is the registry's (:mod:`nbplug._kit.registry`); this module is the synchronous
face of it. ``PluginManagerBase`` and the monitor types are importable from here too, where they
were first defined.
"""

from __future__ import annotations

from .dispatch import AfterMonitor, BeforeMonitor
from .registry import PluginManagerBase

__all__ = ["AfterMonitor", "BeforeMonitor", "PluginManager", "PluginManagerBase"]


class PluginManager(PluginManagerBase):
    """The synchronous manager: ``pm.hook.name(**kwargs)`` returns the result."""
