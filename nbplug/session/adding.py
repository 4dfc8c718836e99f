"""Adding a plugin to the notebook session, atomically: check everything, then change, or undo.

``%plugin add`` (and ``NotebookSession.add``) run :func:`add_plugin`. Decision: a change is made in
the order in which a refusal can still be undone -- the plugin is first checked on its own in
scratch managers (:func:`.discovery.check_alone`), its extensions registered with the projects it
brings no extension points for (each registration is atomic, and a replaced plugin is put back in
its place on a later refusal), then its extension points, then its remaining extensions; a
replaced plugin's lifespans are torn down only once the replacement is in. Rejected: tearing the
old plugin down first (a refused replacement would leave it half gone) and validating against
copies of the session's managers (a manager's extension points cannot be copied faithfully).

Several objects in one command (``%plugin add A B``) are one change: all are checked (each alone,
then together in one set of scratch managers) before any goes in, a refusal while installing
takes out the ones installed before it, and replaced lifespans are torn down only after the last
is in. Rejected: adding them one by one and reporting the ones kept (a refused B would
leave A in).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from nbplug._base.safetext import message_text, own_name, safe_attr, type_name

from .discovery import (
    check_alone,
    check_together,
    describe,
    function_namespace,
    instantiate,
    no_markers_message,
    offer_of,
    skipped_message,
)
from .errors import SessionUsageError

if TYPE_CHECKING:
    from nbplug._kit.aio import AsyncPluginManager
    from nbplug.lifespans import LifespanSpec


@dataclass
class AddedPlugin:
    """One thing added with ``%plugin add``: what the user gave and what was made of it."""

    name: str
    source: object
    plugin: object | None = None  # registered with the managers of impl_projects
    spec_projects: tuple[str, ...] = ()
    impl_projects: tuple[str, ...] = ()
    lifespans: dict[str, LifespanSpec] = field(default_factory=dict)
    #: members that could not be read when it was added, each ``name (Error: message)``; the
    #: add's message names the first few (``discovery.skipped_message``)
    skipped: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """What it provides, in words: ``extension points, extensions, lifespans``."""
        parts = []
        if self.spec_projects:
            parts.append("extension points")
        if self.impl_projects:
            parts.append("extensions")
        if self.lifespans:
            parts.append("lifespans" if len(self.lifespans) > 1 else "lifespan")
        return ", ".join(parts)


class AddTarget(Protocol):
    """What adding needs of the session it adds to: its plugins, its managers, and the teardown
    of a plugin's lifespans. A Protocol, not :class:`.notebook.NotebookSession` itself: the
    session calls adding, so adding importing the session would be an import cycle."""

    plugins: dict[str, AddedPlugin]

    def manager_for(self, project: str) -> AsyncPluginManager: ...

    async def stop_entry_lifespans(self, entry: AddedPlugin, why: str) -> list[str]: ...


def default_name(obj: object) -> str:
    """The name a plugin gets without ``--name``: its ``__name__``'s last part, else its type's."""
    name = own_name(obj)
    if name is not None:
        return name.rpartition(".")[2]
    return type_name(obj).lower()


@dataclass
class PreparedAdd:
    """One plugin checked and ready to go in: what :func:`prepare` made, :func:`install` applies."""

    entry: AddedPlugin
    old: AddedPlugin | None
    spec_source: object
    added_specs: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


async def add_plugin(session: AddTarget, obj: object, name: str | None = None) -> list[str]:
    """Add a class (instantiated), instance, module, spec class or lifespan function.

    Atomic: everything is checked first (markers, lifespans, the extension points and
    extensions on their own), then the extensions of projects it brings no extension points
    for are registered (each registration is validated before it changes anything), then its
    extension points and the rest; a refusal on the way puts back what was there. An entry of
    the same name is replaced cleanly: its extensions are swapped for the new ones
    (keeping their place in call order), and only then are its running lifespans torn down
    -- so a refused replacement leaves the old plugin running. Returns what was done, as
    lines for the user (saying what was torn down).
    """
    return await add_plugins(session, [(obj, name)])


async def add_plugins(
    session: AddTarget, objects: Sequence[tuple[object, str | None]]
) -> list[str]:
    """Add several objects as one change: all go in, or none does.

    Every object is checked first -- two of one name refused, each on its own as
    :func:`add_plugin` checks it, then against the others of the same command
    (:func:`check_batch`) -- and only then are they
    installed, in order; a refusal while installing takes out the ones installed before it.
    Replaced plugins' lifespans are torn down only once all are in.
    """
    named = [(obj, name or default_name(obj)) for obj, name in objects]
    seen: set[str] = set()
    for _, name in named:
        if name in seen:
            raise SessionUsageError(
                f"cannot add {name!r}: this command names it twice; name each plugin once "
                f"(or give one another name: %plugin add OBJECT --name OTHER)"
            )
        seen.add(name)
    messages: list[str] = []
    prepared: list[PreparedAdd] = []
    for obj, name in named:
        ready = prepare(session, obj, name)
        if isinstance(ready, str):
            messages.append(ready)
        else:
            prepared.append(ready)
    check_batch(prepared)
    installed: list[PreparedAdd] = []
    for ready in prepared:
        try:
            install(session, ready)
        except SessionUsageError as exc:
            for earlier in reversed(installed):
                uninstall(session, earlier)
            spec_adders = [p.entry.name for p in installed if any(p.added_specs.values())]
            if spec_adders:
                kept = f"the extension points of {', '.join(map(repr, spec_adders))} were added"
                exc.changed = f"{exc.changed}; {kept}" if exc.changed else kept
            raise
        installed.append(ready)
    for ready in installed:
        messages += ready.messages
        if ready.old is not None:
            messages += await session.stop_entry_lifespans(ready.old, "replaced")
        messages.append(summary(ready))
    return messages


def prepare(session: AddTarget, obj: object, name: str | None) -> PreparedAdd | str:
    """Check ``obj`` on its own and make its entry, changing nothing; a str when it is already in."""
    name = name or default_name(obj)
    offer = offer_of(obj)
    if offer.empty:
        raise SessionUsageError(no_markers_message(name, obj))
    old = session.plugins.get(name)
    if old is not None and old.source is obj:
        return f"{name!r} is already added ({old.kind}); nothing changed"
    entry = AddedPlugin(name, obj, spec_projects=offer.spec_projects,
                        impl_projects=offer.impl_projects, skipped=offer.skipped)
    instance: object | None = None
    if inspect.isclass(obj) and (offer.impl_projects or offer.has_lifespans):
        instance = instantiate(obj, name)  # may raise the user's own error from __init__
    elif inspect.isfunction(obj) or inspect.ismethod(obj):
        instance = function_namespace(obj) if (offer.impl_projects or offer.spec_projects) else None
    elif not inspect.isclass(obj):
        instance = obj
    if offer.impl_projects:
        entry.plugin = instance
    if offer.has_lifespans:
        entry.lifespans = lifespans_of(session, obj, instance, name)
    spec_source = obj if not (inspect.isfunction(obj) or inspect.ismethod(obj)) else instance
    check_alone(entry, spec_source)
    skipped = skipped_message(name, offer)
    return PreparedAdd(entry, old, spec_source, messages=[skipped] if skipped else [])


def check_batch(prepared: Sequence[PreparedAdd]) -> None:
    """Refuse objects of one command that clash with each other (a lifespan defined twice,
    extensions that do not fit another one's extension points), before any goes in."""
    if len(prepared) < 2:
        return
    lifespan_owners: dict[str, str] = {}
    for ready in prepared:
        entry = ready.entry
        for lifespan_name in entry.lifespans:
            owner = lifespan_owners.setdefault(lifespan_name, entry.name)
            if owner != entry.name:
                raise SessionUsageError(
                    f"cannot add {entry.name!r}: it defines lifespan {lifespan_name!r}, which "
                    f"{owner!r} of the same command defines too; rename one with @lifespan(name=...)"
                )
    check_together([(ready.entry, ready.spec_source) for ready in prepared])


def install(session: AddTarget, ready: PreparedAdd) -> None:
    """Put a prepared plugin into the session's managers; refused, it puts back what was there."""
    entry, old = ready.entry, ready.old
    without_specs = [p for p in entry.impl_projects if p not in entry.spec_projects]
    register(session, entry, old, without_specs)
    try:
        ready.added_specs = add_specs(session, entry, ready.spec_source, ready.messages)
    except SessionUsageError:
        unregister(session, entry, old, without_specs)
        raise
    try:
        register(session, entry, old, [p for p in entry.impl_projects if p in entry.spec_projects])
    except SessionUsageError as exc:
        unregister(session, entry, old, without_specs)
        if any(ready.added_specs.values()):
            exc.changed = f"the extension points of {entry.name!r} were added"
        raise
    drop_old_projects(session, entry, old)
    session.plugins[entry.name] = entry  # a replacement keeps its place, as in the call order


def uninstall(session: AddTarget, ready: PreparedAdd) -> None:
    """Undo :func:`install` of a plugin whose lifespans have not started: put the old one back.

    Extension points that went in stay (a manager cannot drop them); the caller says so.
    """
    entry, old = ready.entry, ready.old
    unregister(session, entry, old, entry.impl_projects)
    if old is None:
        del session.plugins[entry.name]
        return
    for project in old.impl_projects:
        manager = session.manager_for(project)
        if project not in entry.impl_projects and not manager.has_plugin(old.name):
            manager.register(old.plugin, name=old.name)
    session.plugins[entry.name] = old


def summary(ready: PreparedAdd) -> str:
    """The line saying what adding ``ready`` did."""
    entry = ready.entry
    verb = "replaced" if ready.old is not None else "added"
    what = [f"{count} extension point{'s' * (count != 1)} ({project})"
            for project, count in ready.added_specs.items() if count]
    if entry.impl_projects:
        what.append(f"extensions ({', '.join(entry.impl_projects)})")
    if entry.lifespans:
        what.append(f"lifespan{'s' * (len(entry.lifespans) != 1)} "
                    f"{', '.join(entry.lifespans)}")
    if not what:
        what.append("extension points unchanged")
    return f"{verb} {entry.name!r} ({describe(entry.source)}): {'; '.join(what)}"


def lifespans_of(
    session: AddTarget, obj: object, instance: object | None, name: str
) -> dict[str, LifespanSpec]:
    """The lifespans ``obj`` defines; refused when one clashes with another plugin's."""
    from nbplug.lifespans import find_lifespans

    target = obj if (inspect.isfunction(obj) or inspect.ismethod(obj)) else instance
    try:
        found = find_lifespans(target)
    except ValueError as exc:
        raise SessionUsageError(f"{name!r}: {message_text(exc)}") from None
    for lifespan_name in found:
        for other in session.plugins.values():
            if other.name != name and lifespan_name in other.lifespans:
                raise SessionUsageError(
                    f"{name!r} defines lifespan {lifespan_name!r}, which plugin {other.name!r} "
                    f"already provides; remove that one first (%plugin remove {other.name}) "
                    f"or give this one another name with @lifespan(name=...)"
                )
    return found


def add_specs(
    session: AddTarget, entry: AddedPlugin, source: object, messages: list[str]
) -> dict[str, int]:
    """Add (or swap in redefined) extension points of ``source``.

    A redefined extension point may no longer fit a plugin added earlier (re-running a cell
    that redefines both the specs and the plugin adds the specs first): such plugins are
    unregistered while the new extension points go in, then registered again; one that still
    does not fit stays out, with a message saying why and what to do.
    """
    from nbplug._kit.errors import PluginValidationError

    added: dict[str, int] = {}
    for project in entry.spec_projects:
        manager = session.manager_for(project)
        detached: list[AddedPlugin] = []
        while True:
            try:
                added[project] = manager.add_extension_points(source, replace=True)
                break
            except PluginValidationError as exc:
                culprit = next((e for e in session.plugins.values()
                                if e.plugin is exc.plugin and e not in detached), None)
                if culprit is None or not manager.is_registered(exc.plugin):
                    for other in detached:
                        manager.register(other.plugin, name=other.name)
                    raise SessionUsageError(
                        f"cannot add the extension points of {entry.name!r}: {message_text(exc)}"
                    ) from None
                manager.unregister(name=culprit.name)
                detached.append(culprit)
        for other in detached:
            try:
                manager.register(other.plugin, name=other.name)
            except PluginValidationError as exc:
                messages.append(
                    f"plugin {other.name!r} does not fit the redefined extension points and "
                    f"was unregistered from {project!r}: {message_text(exc)}\n  fix it and add it again "
                    f"(%plugin add {other.name})"
                )
    return added


def register(
    session: AddTarget, entry: AddedPlugin, old: AddedPlugin | None, projects: Sequence[str]
) -> None:
    """Register the entry's plugin with the managers of ``projects``, replacing ``old``; all
    or nothing."""
    from nbplug._kit.errors import PluginValidationError

    done: list[str] = []
    try:
        for project in projects:
            session.manager_for(project).register(entry.plugin, name=entry.name, replace=True)
            done.append(project)
    except (PluginValidationError, ValueError) as exc:
        unregister(session, entry, old, done)
        kept = f"; {old.name!r} stays as it was" if old is not None else ""
        raise SessionUsageError(f"cannot add {entry.name!r}: {message_text(exc)}{kept}") from None


def unregister(
    session: AddTarget, entry: AddedPlugin, old: AddedPlugin | None, projects: Sequence[str]
) -> None:
    """Undo :func:`register` for ``projects``: put back what was there."""
    for project in projects:
        manager = session.manager_for(project)
        if old is not None and old.plugin is not None and project in old.impl_projects:
            manager.register(old.plugin, name=old.name, replace=True)  # keeps its place
        elif manager.has_plugin(entry.name):
            manager.unregister(name=entry.name)


def drop_old_projects(session: AddTarget, entry: AddedPlugin, old: AddedPlugin | None) -> None:
    """Unregister the replaced plugin from the projects the new one no longer implements."""
    if old is not None:
        for project in old.impl_projects:
            manager = session.manager_for(project)
            if project not in entry.impl_projects and manager.has_plugin(old.name):
                manager.unregister(name=old.name)


#: Redefined plugins named one line each with every hook call; past them a count (5,000 plugins
#: redefined at once would otherwise print ~900 KB with each call).
MAX_REDEFINED_NOTES = 20


def redefined(session: AddTarget, namespace: Mapping[str, object]) -> list[str]:
    """A line for each added class or function that the notebook has defined again since: the
    plugin still runs the old one, and the line names the ``%plugin add`` that would take the
    new one. Decision: say so rather than swap it in unasked (instantiating a class runs its
    ``__init__``, and a half-edited class may not be meant to go in yet). The first
    :data:`MAX_REDEFINED_NOTES` are said, the rest counted: the notes come with every hook call."""
    lines: list[str] = []
    more = 0
    for entry in session.plugins.values():
        source = entry.source
        if not (inspect.isclass(source) or inspect.isfunction(source)):
            continue
        variable = own_name(source)
        if variable is None:
            continue
        now = namespace.get(variable)
        if now is None or now is source or type(now) is not type(source):
            continue
        if (own_name(now, "__qualname__"), safe_attr(now, "__module__")) != (
                own_name(source, "__qualname__"), safe_attr(source, "__module__")):
            continue
        if offer_of(now).empty:
            continue
        if len(lines) == MAX_REDEFINED_NOTES:
            more += 1
            continue
        named = "" if entry.name == variable else f" --name {entry.name}"
        lines.append(f"note: {variable} was defined again after %plugin add; plugin "
                     f"{entry.name!r} still runs the old one -- %plugin add {variable}{named} "
                     "takes the new one")
    if more:
        lines.append(f"note: … and {more:,} more plugins defined again after %plugin add still run "
                     "their old classes or functions (%plugin add NAME takes the new one)")
    return lines
