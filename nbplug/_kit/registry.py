"""The registry both managers share: extension points, plugins, validation, order, lifecycle.

The registry decides what is registered and keeps each hook's caller up to date through the
caller's own methods; it never touches how a call runs. It gives every caller the manager's
:class:`~nbplug._kit.dispatch.Dispatch` (awaiting or not, the monitors) and, when the monitors change,
tells the callers to forget their compiled calls.

Registration is atomic (every extension is validated before anything changes) and cheap: a
plugin's members are found by :func:`nbplug._kit.introspection.members` without running its properties, each
function's signature is read once (:mod:`nbplug._kit.introspection`), and a change only marks the touched
hooks' plans stale — compiling waits for the first call. ``replace=True`` and ``unregister`` touch
only the hooks the plugins implement (each plugin's extensions are kept grouped by hook).

Decision: one registry class both managers derive from, differing only in the caller class, whether
calls are awaited and the kind check. Rejected: each hook keeping its extensions sorted as they
arrive (pluggy's insertion; fifty registrations re-sorted each hook fifty times) — the call order is
worked out once, in the plan.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .dispatch import AfterMonitor, BeforeMonitor, Dispatch
from .errors import NotRegisteredError, PluginValidationError
from .hooks import HookCaller, HookRelay
from .introspection import members, name_of, qualname
from .lookups import Lookups
from .markers import ImplOptions, SpecOptions, checked_project, projects_of, spec_options
from .records import HookImpl, HookSpec
from .result import Result
from .validation import (
    impl_error,
    keyword_only_problem,
    noself_warning,
    shown,
    spec_problem,
    sync_kind_problem,
    warn_at,
    warn_on_impl,
)

if TYPE_CHECKING:
    from .tagtrace import TagTracerSub

__all__ = ["AfterMonitor", "BeforeMonitor", "PluginManagerBase"]


def _by_hook(impls: Iterable[HookImpl]) -> dict[str, list[HookImpl]]:
    grouped: dict[str, list[HookImpl]] = {}
    for impl in impls:
        grouped.setdefault(impl.hook_name, []).append(impl)
    return grouped


class PluginManagerBase(Lookups):
    """Registration, validation, ordering and look-ups; subclasses decide how calls run."""

    _caller_class: type[HookCaller] = HookCaller
    _awaiting = False

    def __init__(self, project_name: str) -> None:
        self.project_name = checked_project(project_name)
        self.hook = HookRelay()
        self._callers: dict[str, HookCaller] = {}
        self._plugins: dict[str, object] = {}  # name -> plugin, in registration order
        self._names: dict[int, str] = {}  # id(plugin) -> name
        #: plugin name -> hook name -> the plugin's extensions of it
        self._impls: dict[str, dict[str, list[HookImpl]]] = {}
        self._seq: dict[str, int] = {}
        self._blocked: set[str] = set()
        self._counter = itertools.count()
        self._dispatch = Dispatch(self._awaiting)
        self._distinfo: list[tuple[object, Any]] = []
        self._trace: TagTracerSub | None = None
        self._walking = None

    # -- calls ----------------------------------------------------------------------------
    def add_hookcall_monitoring(self, before: BeforeMonitor, after: AfterMonitor
                                ) -> Callable[[], None]:
        """Call ``before``/``after`` around every hook call; returns a function that undoes it."""
        entry = (before, after)
        monitors = self._dispatch.monitors
        monitors.append(entry)
        self._forget_compiled_calls()

        def undo() -> None:
            if entry in monitors:
                monitors.remove(entry)
                self._forget_compiled_calls()

        return undo

    def _forget_compiled_calls(self) -> None:
        for caller in self._callers.values():
            caller.forget_compiled()

    def caller(self, spec: Callable[..., Any] | str) -> HookCaller:
        """The caller of an extension point, given its spec function or its name."""
        if isinstance(spec, str):
            name = spec
        else:
            if spec_options(spec, self.project_name) is None:
                raise ValueError(
                    f"{qualname(spec)} is not an extension point of project "
                    f"{self.project_name!r}; mark it with ExtensionPoint({self.project_name!r})"
                )
            name = name_of(spec) or ""
        found = self._callers.get(name)
        if found is None:
            from .suggest import did_you_mean  # only when the error is written

            raise LookupError(
                f"no hook named {name!r} in this manager{did_you_mean(name, self._callers)}; "
                f"add its extension point first with pm.add_extension_points(<class or module>)"
            )
        return found

    def callers(self) -> list[HookCaller]:
        """Every hook known (with a spec or with pending extensions), sorted by name."""
        return [self._callers[name] for name in sorted(self._callers)]

    # -- extension points -----------------------------------------------------------------
    def add_extension_points(self, namespace: object, *, replace: bool = False) -> int:
        """Add the extension points marked on a class, instance or module; returns how many.

        All are validated against the extensions already registered before any is added.
        Re-adding the same functions is harmless; ``replace=True`` swaps in redefined ones.
        """
        found: list[HookSpec] = []
        try:
            for name, opts, value in self._marked(namespace, SpecOptions):
                found.append(HookSpec(namespace, name, value, opts))
        except ValueError as exc:
            from .._base.safetext import message_text  # only when the error is written

            raise PluginValidationError(namespace, message_text(exc)) from None
        if not found:
            from .suggest import quoted_list  # only when the error is written

            others = projects_of(namespace) - {self.project_name}
            hint = (f"; it has extension points for project {quoted_list(sorted(others))}"
                    if others else "; mark functions with ExtensionPoint(...)")
            raise ValueError(
                f"did not find any {self.project_name!r} hooks in {namespace!r}: it marks no "
                f"extension points of project {self.project_name!r}{hint}"
            )
        new: list[HookSpec] = []
        for spec in found:
            caller = self._callers.get(spec.name)
            if caller is not None and caller.spec is not None:
                if caller.spec.function is spec.function:
                    continue
                if not replace:
                    raise ValueError(
                        f"Hook {spec.name!r} is already registered within namespace "
                        f"{caller.spec.namespace}: its extension point is already added; pass "
                        "replace=True to replace it"
                    )
            if caller is not None:
                for impl in caller.registered():
                    self._verify(impl, spec)
            new.append(spec)
        for spec in new:
            warning = noself_warning(namespace, members(namespace).get(spec.name))
            if warning is not None:
                warn_at(warning, spec.function)
            caller = self._callers.get(spec.name)
            if caller is None:
                self._new_caller(spec.name, spec)
            else:
                caller.set_spec(spec)
                warn_on_impl(caller.registered(), {spec.name: spec})
        return len(new)

    add_hookspecs = add_extension_points

    def _new_caller(self, name: str, spec: HookSpec | None) -> HookCaller:
        caller = self._caller_class(name, self._dispatch, spec)
        self._callers[name] = caller
        setattr(self.hook, name, caller)
        return caller

    # -- plugins --------------------------------------------------------------------------
    def get_canonical_name(self, plugin: object) -> str:
        """The default name of a plugin: its ``__name__``, else (none, or reading it raises) its id."""
        name = name_of(plugin)
        return name if name is not None else str(id(plugin))

    def register(self, plugin: object, name: str | None = None, *, replace: bool = False
                 ) -> str | None:
        """Register every extension of ``plugin``; returns its name, or None if the name is blocked.

        Atomic: every extension is validated before anything changes. ``replace=True``
        swaps out a plugin already registered under the name, keeping its place in call order.
        """
        if plugin is None:  # as in pluggy: registering None registers nothing
            return None
        plugin_name = name or self.get_canonical_name(plugin)
        if plugin_name in self._blocked:
            return None
        existing = self._plugins.get(plugin_name)
        if existing is not None and not replace:
            raise ValueError(
                f"Plugin name already registered: a plugin is already registered as "
                f"{plugin_name!r} ({shown(existing)}); pass "
                f"replace=True to replace it, or register this one under another name="
            )
        previous_name = self._names.get(id(plugin))
        if previous_name is not None and previous_name != plugin_name:
            raise ValueError(
                f"Plugin already registered under a different name: {shown(plugin)} is already "
                f"registered as {previous_name!r}; unregister it first "
                f"to register it as {plugin_name!r}"
            )
        seq = self._seq[plugin_name] if existing is not None else next(self._counter)
        impls = self._parse_impls(plugin, plugin_name, seq)
        for impl in impls:
            caller = self._callers.get(impl.hook_name)
            if caller is not None and caller.spec is not None:
                self._verify(impl, caller.spec)
        grouped = _by_hook(impls)
        # validated: change state
        if existing is not None:
            order = list(self._plugins)  # the replacement keeps the name's place in the listing
            self._forget(plugin_name, keep=grouped.keys())
            self._plugins[plugin_name] = plugin
            self._plugins = {name: self._plugins[name] for name in order}
        else:
            self._plugins[plugin_name] = plugin
        self._names[id(plugin)] = plugin_name
        self._impls[plugin_name] = grouped
        self._seq[plugin_name] = seq
        touched: dict[str, HookCaller] = {}
        for hook_name, group in grouped.items():
            caller = self._callers.get(hook_name) or self._new_caller(hook_name, None)
            caller.add_implementations(group)
            touched[hook_name] = caller
        for impl in impls:
            caller = touched[impl.hook_name]
            if caller.is_historic():
                caller.replay_history(impl)
        # last: where warnings are errors, the plugin is still wholly registered (and replayed to)
        warn_on_impl(impls, {name: caller.spec for name, caller in touched.items()})
        return plugin_name

    def _parse_impls(self, plugin: object, plugin_name: str, seq: int) -> list[HookImpl]:
        impls: list[HookImpl] = []
        for rank, (attr, opts, value) in enumerate(self._marked(plugin, ImplOptions)):
            impl = HookImpl(plugin, plugin_name, value, opts, opts.specname or attr, seq, rank)
            self._check_kind(impl)
            self._check_keyword_only(impl)
            impls.append(impl)
        return impls

    def _check_kind(self, impl: HookImpl) -> None:
        """Checks that need no spec: what kind of function a wrapper or an extension is."""
        problem = sync_kind_problem(impl)
        if problem is not None:
            raise self._impl_error(impl, None, problem)

    def _check_keyword_only(self, impl: HookImpl) -> None:
        """Extensions are called with positional arguments: a required keyword-only one can't be."""
        problem = keyword_only_problem(impl)
        if problem is not None:
            raise self._impl_error(impl, None, problem)

    def _impl_error(self, impl: HookImpl, spec: HookSpec | None, problem: str
                    ) -> PluginValidationError:
        if spec is None:  # kind checks run before the spec is looked up: name it if there is one
            caller = self._callers.get(impl.hook_name)
            spec = caller.spec if caller is not None else None
        return impl_error(impl, spec, problem)

    def _verify(self, impl: HookImpl, spec: HookSpec) -> None:
        """Check an extension against its extension point."""
        problem = spec_problem(impl, spec, self.project_name)
        if problem is not None:
            raise self._impl_error(impl, spec, problem)

    def _forget(self, plugin_name: str, keep: Collection[str] = ()) -> object:
        """Drop a plugin and its extensions; a hook left with neither spec nor extensions
        goes too, unless named in ``keep`` (the hooks a replacing plugin implements again)."""
        plugin = self._plugins.pop(plugin_name)
        self._names.pop(id(plugin), None)
        self._seq.pop(plugin_name, None)
        for hook_name, group in self._impls.pop(plugin_name, {}).items():
            caller = self._callers.get(hook_name)
            if caller is None:
                continue
            caller.remove_implementations(group)
            if caller.spec is None and not caller.has_implementations() and hook_name not in keep:
                del self._callers[hook_name]
                delattr(self.hook, hook_name)
        return plugin

    def unregister(self, plugin: object | None = None, name: str | None = None) -> object | None:
        """Remove a plugin (given the object or its name) and all its extensions; returns it.

        As in pluggy: a plugin that is not registered is an ``AssertionError`` (nbplug's
        ``NotRegisteredError``, a ``ValueError`` too), and a blocked name returns None. A name that
        was never registered is an error with a did-you-mean (pluggy returns None).
        """
        if name is None:
            if plugin is None:
                raise ValueError("unregister needs the plugin or its name= (one of name or "
                                 "plugin needs to be specified)")
            name = self._names.get(id(plugin))
            if name is None:
                from .suggest import quoted_list  # only when the error is written

                raise NotRegisteredError(
                    f"plugin is not registered: {shown(plugin)}; "
                    f"registered: {quoted_list(self._plugins)}")
        elif name not in self._plugins:
            if name in self._blocked:
                return None
            from .suggest import did_you_mean, quoted_list  # only when the error is written

            raise ValueError(
                f"no plugin registered as {name!r}{did_you_mean(name, self._plugins)}; "
                f"registered: {quoted_list(self._plugins)}"
            )
        elif plugin is not None and self._plugins[name] is not plugin:
            raise ValueError(  # pluggy's rule: given both, they must agree
                f"Plugin name {name!r} and plugin {shown(plugin)} do not agree: {name!r} is "
                f"registered to {shown(self._plugins[name])}, "
                f"the plugin as {self._names.get(id(plugin))!r}")
        return self._forget(name)

    def set_blocked(self, name: str) -> None:
        """Block a name: its plugin is unregistered and later registrations under it are ignored."""
        if name in self._plugins:
            self._forget(name)
        self._blocked.add(name)

    def is_blocked(self, name: str) -> bool:
        """Whether registrations under ``name`` are ignored."""
        return name in self._blocked

    def unblock(self, name: str) -> bool:
        """Allow ``name`` again; returns whether it was blocked."""
        was = name in self._blocked
        self._blocked.discard(name)
        return was

    def subset_hook_caller(self, name: str, remove_plugins: Iterable[object]) -> HookCaller:
        """A caller for hook ``name`` that leaves out the given plugins' extensions."""
        origin = self.caller(name)
        plugins = [p for p in remove_plugins if self.is_registered(p)]
        if not plugins:
            return origin
        return origin.subset(plugins)

    def load_setuptools_entrypoints(self, group: str, name: str | None = None) -> int:
        """Register plugins installed under entry-point ``group``; returns how many were loaded."""
        from .distributions import entry_points  # entry points: only when plugins are loaded from them

        count = 0
        for entry_name, load, dist in entry_points(
                group, name, lambda n: n in self._plugins or n in self._blocked):
            plugin = load()
            self.register(plugin, name=entry_name)
            self._distinfo.append((plugin, dist))
            count += 1
        return count

    # -- pluggy's tag tracer ----------------------------------------------------------------
    @property
    def trace(self) -> TagTracerSub:
        """pluggy's tag tracer (``pm.trace.root.setwriter(print)``); made on first use."""
        if self._trace is None:
            from .tagtrace import TagTracer

            self._trace = TagTracer().get("pluginmanage")
        return self._trace

    def enable_tracing(self) -> Callable[[], None]:
        """Write every hook call and its result to ``pm.trace`` (tag ``hook``), as pluggy does;
        returns a function that undoes it."""
        hooktrace = self.trace.root.get("hook")

        def before(hook_name: str, impls: Sequence[HookImpl], kwargs: dict[str, Any]) -> None:
            hooktrace.root.indent += 1
            hooktrace(hook_name, kwargs)

        def after(outcome: Result, hook_name: str, impls: Sequence[HookImpl],
                  kwargs: dict[str, Any]) -> None:
            if outcome.exception is None:
                hooktrace("finish", hook_name, "-->", outcome.get_result())
            hooktrace.root.indent -= 1

        return self.add_hookcall_monitoring(before, after)

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} {self.project_name!r}: {len(self._plugins)} plugins, "
                f"{len(self._callers)} hooks>")
