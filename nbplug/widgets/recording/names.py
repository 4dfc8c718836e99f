"""How the recorded views name a plugin: as the design map does.

pluggy and nbplug name a plugin registered without a name by its id (``140476274636624``); the
design map shows what it is instead (``PytestPluginManager``, numbered when two would look
alike), and so do the recording's table, tree, filters and call views. Decision: the recording
keeps what each plugin is (:attr:`~nbplug.recording.model.Recording.plugin_kinds`) and these
names come from the design map's own :func:`~..designmap.labels.readable_names`. Rejected: a
labelling of the recording's own (two views of one system would name a plugin two ways), and
the recording keeping the plugins (it would keep a finished pytest run's config and session
alive).
"""

from __future__ import annotations

from dataclasses import replace

from ...recording.model import Recording
from ..designmap.labels import readable_names
from .scope import TreeRow

__all__ = ["named_rows", "registered_by_shown", "registered_name", "shown_plugins"]


def shown_plugins(recording: Recording) -> dict[str, str]:
    """The name each plugin is shown by, by its registered name (a name the recording did not
    note is shown as it is: look it up with ``.get(name, name)``)."""
    kinds = recording.plugin_kinds
    return readable_names([(name, kind) for name, (kind, _) in kinds.items()],
                          unnamed={name for name, (_, unnamed) in kinds.items() if unnamed})


def registered_name(recording: Recording, plugin: str | None) -> str | None:
    """The registered name of the plugin a filter asks for by the name it is shown by (as the
    views show it); any other name as it is given."""
    if plugin is None or plugin in recording.plugins():
        return plugin
    found = [name for name, shown in shown_plugins(recording).items() if shown == plugin]
    return found[0] if len(found) == 1 else plugin


def named_rows(recording: Recording, rows: list[TreeRow]) -> list[TreeRow]:
    """Tree rows with the plugin that made each call named as the views show it."""
    shown = shown_plugins(recording)
    return [row if row.via is None or shown.get(row.via, row.via) == row.via
            else replace(row, via=shown[row.via]) for row in rows]


def registered_by_shown(recording: Recording) -> dict[str, str]:
    """The registered name of each plugin the views show by another name (an unnamed plugin's
    id, by what it is): unambiguous, since a shown name is never another plugin's name."""
    return {shown: name for name, shown in shown_plugins(recording).items() if shown != name}
