"""Plugins installed as entry points: finding and loading them, and the distributions they came from.

Decision: both of pluggy 1.7's views of the loaded distributions. ``list_plugin_distributions()``
gives the ``importlib.metadata`` distributions themselves; ``list_plugin_distinfo()`` hands out each
wrapped in a :class:`DistFacade` that also has the ``project_name`` attribute of the old
``pkg_resources`` API (pytest's header line reads it). Rejected: facades from both (pluggy 1.7 gives
the distributions unwrapped, and code written for it may check their type) and dropping
``list_plugin_distinfo`` (pluggy keeps it). This module, and with it ``importlib.metadata``, is
imported only by ``load_setuptools_entrypoints`` and ``list_plugin_distinfo``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


class DistFacade:
    """An installed distribution, with ``project_name`` (its metadata's Name) added."""

    __slots__ = ("_dist",)

    def __init__(self, dist: Any) -> None:
        self._dist = dist

    @property
    def project_name(self) -> str:
        """The distribution's name as its metadata gives it (``pkg_resources``' attribute)."""
        name: str = self._dist.metadata["name"]
        return name

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dist, name)

    def __dir__(self) -> list[str]:
        return sorted({*dir(self._dist), "_dist", "project_name"})  # pluggy's DistFacade lists both

    def __repr__(self) -> str:
        return f"<DistFacade {self._dist!r}>"


def entry_points(group: str, name: str | None,
                 skip: Callable[[str], bool]) -> Iterator[tuple[str, Callable[[], object], Any]]:
    """(entry point name, its loader, its distribution) of every installed entry point of
    ``group`` (only ``name`` if given) whose name ``skip`` does not refuse."""
    from importlib import metadata

    for dist in list(metadata.distributions()):
        for entry in dist.entry_points:
            if entry.group != group or (name is not None and entry.name != name) or skip(entry.name):
                continue
            yield entry.name, entry.load, dist
