"""The notebook session: the session-wide async managers, the lifespan group, the plugins added.

One :class:`NotebookSession` per shell. Managers are made on demand, one per project name found on
the markers of what is added (``AsyncPluginManager("feed")`` for ``ExtensionPoint("feed")``), so no
configuration is needed. Every ``%plugin``/``%%hook`` operation is a method here, reachable from
Python too: ``s = nbplug.ipython.get_session(); await s.add(Weather); await s.call("fetch", ...)``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nbplug._base.loops import running_loop
from nbplug._kit.aio import AsyncHookCaller, AsyncPluginManager
from nbplug._kit.suggest import did_you_mean
from nbplug._kit.tracing import CallTrace

from .adding import AddedPlugin
from .errors import SessionUsageError

if TYPE_CHECKING:
    from nbplug.lifespans import LifespanGroup, LifespanSpec

log = logging.getLogger("nbplug.ipython")


def names_list(names: Sequence[str]) -> str:
    """``a, b, c`` or ``(none)``."""
    return ", ".join(names) if names else "(none)"


class NotebookSession:
    """The session-wide state behind the magics: managers by project, lifespans, the last trace."""

    def __init__(self) -> None:
        from nbplug.lifespans import LifespanGroup

        self._managers: dict[str, AsyncPluginManager] = {}
        # INFO: in a notebook the lifespan board is where ctx.log lines are read, so it records
        # them even though the kernel's root logger is at WARNING.
        self.group: LifespanGroup = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
        self.plugins: dict[str, AddedPlugin] = {}
        self.last_trace: CallTrace | None = None
        #: The loop the lifespans run on (recorded when they start), for teardown at exit.
        self.loop: asyncio.AbstractEventLoop | None = None
        #: The live LifespanBoard of the latest ``%plugin start``/``status`` cell (each shows its own).
        self.board: Any = None

    def __repr__(self) -> str:
        return (
            f"<NotebookSession projects={sorted(self._managers)} plugins={list(self.plugins)} "
            f"lifespans={self.group.names}>"
        )

    # ------------------------------------------------------------------------------ managers
    def manager_for(self, project: str) -> AsyncPluginManager:
        """The session's manager for ``project``, made on first use."""
        manager = self._managers.get(project)
        if manager is None:
            manager = self._managers[project] = AsyncPluginManager(project)
            if self.group.manager is None:
                self.group.manager = manager  # what lifespans see as ctx.manager
        return manager

    @property
    def managers(self) -> list[AsyncPluginManager]:
        """Every manager of the session, in the order the projects appeared."""
        return list(self._managers.values())

    @property
    def lifespans(self) -> dict[str, LifespanSpec]:
        """Every lifespan that can be started, by name."""
        found: dict[str, LifespanSpec] = {}
        for entry in self.plugins.values():
            found.update(entry.lifespans)
        return found

    def hook_names(self) -> list[str]:
        """Every hook name (qualified ``project.hook`` when two projects share a name)."""
        counts: dict[str, int] = {}
        for manager in self._managers.values():
            for caller in manager.callers():
                counts[caller.name] = counts.get(caller.name, 0) + 1
        names: list[str] = []
        for manager in self._managers.values():
            for caller in manager.callers():
                short = caller.name
                names.append(short if counts[short] == 1 else f"{manager.project_name}.{short}")
        return names

    def find_caller(self, hook: str) -> AsyncHookCaller:
        """The caller of ``hook`` (``name`` or ``project.name``); SessionUsageError with did-you-mean."""
        project, _, name = hook.rpartition(".")
        if project:
            manager = self._managers.get(project)
            if manager is None:
                raise SessionUsageError(
                    f"no project named {project!r}{did_you_mean(project, list(self._managers))}; "
                    f"projects in this session: {names_list(list(self._managers))}"
                )
            managers = [manager]
        else:
            managers = list(self._managers.values())
        found = [
            (m.project_name, caller) for m in managers for caller in m.callers() if caller.name == name
        ]
        if len(found) == 1:
            caller = found[0][1]
            assert isinstance(caller, AsyncHookCaller)
            return caller
        if len(found) > 1:
            options = [f"{project}.{name}" for project, _ in found]
            raise SessionUsageError(
                f"hook {name!r} exists in several projects; name one: {names_list(options)}"
            )
        known = self.hook_names()
        if not known:
            raise SessionUsageError(
                f"no hook named {hook!r}: no extension points or plugins have been added yet; "
                "add a spec class first, e.g. %plugin add Specs"
            )
        raise SessionUsageError(
            f"no hook named {hook!r}{did_you_mean(hook, known)}; known hooks: {names_list(known)}"
        )

    # ------------------------------------------------------------------------------ plugins
    async def add(self, obj: object, name: str | None = None) -> list[str]:
        """Add a class (instantiated), instance, module, spec class or lifespan function.

        Atomic, and a replacement is clean: see :func:`.adding.add_plugin`. Returns what was done,
        as lines for the user (saying what was torn down).
        """
        from .adding import add_plugin

        return await add_plugin(self, obj, name)

    async def add_all(self, objects: Sequence[tuple[object, str | None]]) -> list[str]:
        """Add several ``(object, name)`` as one change: all are checked, then all go in, or
        none does (see :func:`.adding.add_plugins`). Returns what was done, as lines."""
        from .adding import add_plugins

        return await add_plugins(self, objects)

    def removable(self, name: str) -> AddedPlugin:
        """The entry ``remove(name)`` would remove; SessionUsageError saying why it cannot."""
        entry = self.plugins.get(name)
        if entry is None:
            raise SessionUsageError(
                f"no plugin named {name!r}{did_you_mean(name, list(self.plugins))}; "
                f"added: {names_list(list(self.plugins))}"
            )
        if entry.spec_projects and not (entry.impl_projects or entry.lifespans):
            raise SessionUsageError(
                f"{name!r} only provides extension points, which a manager cannot drop; to change "
                f"them, redefine the class and add it again (%plugin add {name})"
            )
        return entry

    async def remove(self, name: str) -> list[str]:
        """Remove a plugin: tear down its running lifespans, unregister its extensions."""
        entry = self.removable(name)
        messages = await self.stop_entry_lifespans(entry, "removed")
        for project in entry.impl_projects:
            manager = self._managers[project]
            if manager.has_plugin(name):
                manager.unregister(name=name)
        del self.plugins[name]
        messages.append(f"removed {name!r}")
        return messages

    # ------------------------------------------------------------------------------ lifespans
    async def stop_entry_lifespans(self, entry: AddedPlugin, why: str) -> list[str]:
        """Stop the active lifespans (every instance) of ``entry``; says which, ``why``."""
        from nbplug.lifespans import lifespan_of

        active = [s.name for s in self.group.states
                  if lifespan_of(s.name) in entry.lifespans and s.phase.is_active]
        if not active:
            return []
        await self.group.stop(active)
        return [f"stopped lifespan{'s' * (len(active) != 1)} {', '.join(active)} of the {why} "
                f"plugin {entry.name!r}"]

    async def start(self, argv: Sequence[str] | str) -> list[str]:
        """Start lifespans with the chained syntax: ``countdown --from 3 echo --immediately``.

        A name given more than once starts another instance of it (``ticker``, ``ticker#2``);
        ``ticker#3`` names an instance outright, to start one beside those running.
        """
        import shlex

        from nbplug.lifespans import (
            LifespanError,
            LifespanHelpRequested,
            LifespanUsageError,
            Phase,
            parse_invocations,
            resolve_params,
        )
        from nbplug.lifespans.order import setup_order

        if isinstance(argv, str):
            argv = shlex.split(argv)
        available = self.lifespans
        if not available:
            raise SessionUsageError(
                "no lifespans have been added; add a @lifespan function or a plugin with lifespan "
                "methods first (%plugin add NAME)"
            )
        if not argv:
            raise SessionUsageError(
                "name the lifespans to start, with their options: %plugin start NAME [OPTIONS] "
                f"[NAME [OPTIONS]]...; available: {names_list(list(available))}"
            )
        try:  # (LifespanHelpRequested, for --help, goes to the caller: it shows exc.text)
            invocations = parse_invocations(available, list(argv))
        except LifespanHelpRequested:
            raise
        except LifespanUsageError as exc:
            raise SessionUsageError(in_notebook_terms(str(exc))) from None
        for spec, _params in invocations:
            if spec.name in self.group.names and self.group.state(spec.name).phase.is_active:
                raise SessionUsageError(
                    f"lifespan {spec.name!r} is already "
                    f"{self.group.state(spec.name).phase.value}; stop it first "
                    f"(%plugin stop {spec.name})"
                )
        try:  # every invocation checked before any is queued: options, then dependencies
            for spec, params in invocations:
                resolve_params(spec, params)
            running = [s.name for s in self.group.states if s.phase is Phase.RUNNING]
            setup_order([spec.name for spec, _ in invocations],
                        {spec.name: spec.depends_on for spec, _ in invocations}, running)
        except LifespanUsageError as exc:
            raise SessionUsageError(in_notebook_terms(str(exc))) from None
        for spec, params in invocations:
            self.group.add(spec, params)
        self.loop = asyncio.get_running_loop()
        try:
            started = await self.group.start()
        except LifespanError as exc:  # written wrong (no yield, yield 42): torn down again
            raise SessionUsageError(
                str(exc), changed="what this start had set up was torn down again"
            ) from None
        return [f"started {', '.join(started)}"] if started else []

    async def stop(self, names: Sequence[str] | None = None) -> list[str]:
        """Stop the named lifespans (and their dependents), or all, in reverse set-up order."""
        if names:
            for name in names:
                if name not in self.group.names:
                    known = self.group.names
                    raise SessionUsageError(
                        f"no lifespan named {name!r} has been started{did_you_mean(name, known)}; "
                        f"started: {names_list(known)}"
                    )
        from nbplug.lifespans import LifespanError

        active = [s.name for s in self.group.states if s.phase.is_active]
        try:
            await self.group.stop(list(names) if names else None)
        except LifespanError as exc:  # written wrong (yielded twice): found at its teardown
            raise SessionUsageError(str(exc), changed="the lifespans were stopped") from None
        stopped = [n for n in active if not self.group.state(n).phase.is_active]
        return [f"stopped {', '.join(reversed(stopped))}"] if stopped else ["nothing was running"]

    # ------------------------------------------------------------------------------ calls
    async def trace(self, hook: str, kwargs: Mapping[str, object]) -> CallTrace:
        """Await a hook call and return its trace (extensions' errors are in the trace)."""
        caller = self.find_caller(hook)
        trace = await caller.traced(**kwargs)
        self.last_trace = trace
        return trace

    async def call(self, hook: str, /, **kwargs: object) -> object:
        """Await a hook call from Python and return its result (raising what it raised)."""
        return (await self.trace(hook, kwargs)).get_result()

    # ------------------------------------------------------------------------------ closing
    async def aclose(self) -> None:
        """Tear down every running lifespan, in reverse set-up order."""
        if self.group.running:
            await self.group.stop()

    def close_blocking(self, timeout: float = 30.0, logger: logging.Logger | None = None) -> None:
        """Tear down the lifespans from synchronous code (atexit, unload): on their own loop.

        The loop is run until the teardown is done if it is stopped (interpreter exit; see
        :mod:`.closing`: past ``timeout`` seconds the teardown running then is cut short and
        named in ``logger``'s log), or the teardown is handed to it if it runs in another thread; if it
        runs in *this* thread (a synchronous ``%unload_ext`` inside a kernel cell), the
        teardown is scheduled and runs right after.
        """
        if not self.group.running:
            return
        loop = self.loop
        if loop is None or loop.is_closed():
            log.warning("nbplug: the lifespans' event loop is closed; their teardown cannot run")
            return
        if not loop.is_running():
            from .closing import run_to_end

            run_to_end(loop, self.aclose(), self.group, timeout, logger)
            return
        if running_loop() is loop:
            loop.create_task(self.aclose(), name="nbplug-teardown")
            return
        asyncio.run_coroutine_threadsafe(self.aclose(), loop).result(timeout)


def in_notebook_terms(text: str) -> str:
    """The lifespans' usage texts speak of the CLI (``nbplug run``); here it is ``%plugin start``."""
    return text.replace("nbplug run", "%plugin start")
