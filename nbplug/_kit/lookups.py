"""What a manager can be asked: what an object marks (pluggy's ``parse_hookimpl_opts`` /
``parse_hookspec_opts`` override points), look-ups, pending extensions, distributions.

These read the registry's state and change nothing, so they live apart from the registration
rules (:mod:`nbplug._kit.registry`), whose manager class takes them in as a base. Decision: a base
class of read-only queries over the state the registry declares here. Rejected: one module for
everything a manager does (past 450 lines, two jobs in one place).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .hooks import HookCaller
from .introspection import bound, members
from .markers import ImplOptions, SpecOptions, impl_options, spec_options
from .records import HookImpl
from .validation import pending_error


class Lookups:
    """Read-only questions about a manager's plugins and hooks (pluggy's names)."""

    _callers: dict[str, HookCaller]
    _plugins: dict[str, object]  # name -> plugin, in registration order
    _names: dict[int, str]  # id(plugin) -> name
    _impls: dict[str, dict[str, list[HookImpl]]]  # plugin name -> hook name -> its extensions
    _distinfo: list[tuple[object, Any]]  # (plugin, distribution) loaded from entry points
    project_name: str
    #: the members of the object being registered, while parse_*_opts overrides look at it
    _walking: tuple[object, dict[str, Any]] | None = None

    # -- finding what an object marks (pluggy's override points) ----------------------------
    def parse_hookimpl_opts(self, plugin: object, name: str) -> Mapping[str, Any] | None:
        """The extension options of ``plugin``'s member ``name``, or None if it is not one.

        The override point pluggy has: a subclass may take members as extensions by other rules
        (pytest takes unmarked ``pytest_*`` functions), returning options as an ImplOptions or a
        dict with pluggy's keys. By default, what ``Extension`` (or pluggy's marker) recorded.
        Members are read without running properties.
        """
        raw = self._member(plugin, name)
        return None if raw is None else impl_options(raw, self.project_name)

    def parse_hookspec_opts(self, module_or_class: object, name: str) -> Mapping[str, Any] | None:
        """The extension-point options of ``module_or_class``'s member ``name``, or None: the
        override point for specs, as :meth:`parse_hookimpl_opts` is for extensions."""
        raw = self._member(module_or_class, name)
        return None if raw is None else spec_options(raw, self.project_name)

    def _member(self, obj: object, name: str) -> Any:
        walking = self._walking
        found = walking[1] if walking is not None and walking[0] is obj else members(obj)
        return found.get(name)

    def _marked(self, obj: object, kind: type[ImplOptions] | type[SpecOptions]
                ) -> list[tuple[str, Any, Any]]:
        """(name, options, member as the object hands it out) of the members marked as ``kind``,
        in name order (as pluggy's ``dir`` walk has them), through the override point if a
        subclass overrides it."""
        found = []
        raw_members = members(obj)
        parse_name = "parse_hookimpl_opts" if kind is ImplOptions else "parse_hookspec_opts"
        overridden = getattr(type(self), parse_name) is not getattr(Lookups, parse_name)
        read = impl_options if kind is ImplOptions else spec_options
        parse = getattr(self, parse_name)
        self._walking = (obj, raw_members)
        try:
            for name, raw in sorted(raw_members.items()):
                opts = parse(obj, name) if overridden else read(raw, self.project_name)
                if opts is None:
                    continue
                value = bound(obj, name)
                if value is not None and callable(value):
                    found.append((name, kind.from_mapping(opts), value))
        finally:
            self._walking = None
        return found


    def is_registered(self, plugin: object) -> bool:
        """Whether this exact object is registered."""
        return id(plugin) in self._names

    def get_plugin(self, name: str) -> object | None:
        """The plugin registered as ``name``, or None."""
        return self._plugins.get(name)

    def get_name(self, plugin: object) -> str | None:
        """The name ``plugin`` is registered under, or None."""
        return self._names.get(id(plugin))

    def has_plugin(self, name: str) -> bool:
        """Whether a plugin is registered as ``name``."""
        return name in self._plugins

    def get_plugins(self) -> set[Any]:
        """Every registered plugin (hashable plugins only, as in pluggy)."""
        return set(self._plugins.values())

    def list_name_plugin(self) -> list[tuple[str, object]]:
        """(name, plugin) pairs in registration order."""
        return list(self._plugins.items())

    def get_hookcallers(self, plugin: object) -> list[HookCaller] | None:
        """The callers of the hooks ``plugin`` implements, in the order the hooks were made (as
        pluggy lists them), or None if it is not registered."""
        name = self._names.get(id(plugin))
        if name is None:
            return None
        implemented = self._impls[name]
        return [caller for hook, caller in self._callers.items() if hook in implemented]

    def pending_implementations(self) -> list[HookImpl]:
        """Extensions of hooks with no extension point, except optional ones."""
        return [impl for _, caller in sorted(self._callers.items()) if caller.spec is None
                for impl in caller.implementations() if not impl.opts.optionalhook]

    def check_pending(self) -> None:
        """Raise PluginValidationError if an extension has no extension point."""
        # as in pluggy, hooks whose names start with "_" are private: not checked
        pending = [i for i in self.pending_implementations() if not i.hook_name.startswith("_")]
        if not pending:
            return
        specs = [c.name for c in self._callers.values() if c.spec is not None]
        raise pending_error(pending, specs)

    def list_plugin_distinfo(self) -> list[tuple[object, Any]]:
        """(plugin, distribution) for every plugin loaded from entry points; the distribution
        also has pluggy's ``project_name``."""
        from .distributions import DistFacade  # only when asked for

        return [(plugin, DistFacade(dist)) for plugin, dist in self._distinfo]

    def list_plugin_distributions(self) -> list[tuple[object, Any]]:
        """(plugin, ``importlib.metadata`` distribution) for every plugin loaded from entry points:
        the distributions themselves, as pluggy 1.7 gives them."""
        return list(self._distinfo)
