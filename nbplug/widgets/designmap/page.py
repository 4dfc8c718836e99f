"""Which part of a design map one rendering shows: a filter, a page of hooks, and the bounds that
keep every published output small whatever the design's size.

Jupyter drops an output past its IOPub data-rate limit (1 MB/s by default), and the design map of
500 hooks x 50 plugins drawn whole is 8.8 MB of HTML. Decision: bound by counts -- hooks a page,
entries of a call order, matrix rows and columns, plugins, pending extensions -- with every name
cut where it is read (``readers``), so the counts bound the bytes (a few hundred kilobytes at
most), and a count is what a reader can act on: the view says what it left out and how to see it
(``page=2``, ``hook="NAME"``, ``plugin="NAME"``). Rejected: a byte budget (it cuts a table
mid-row and cannot say what is missing in words one can act on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .snapshot import Cell, HookEntry, PendingEntry, PluginEntry, ProjectMap

__all__ = ["Page", "more"]


@dataclass(frozen=True)
class Page:
    """A filter (names containing ``hook`` / ``plugin``), a page number and the bounds."""

    hook: str | None = None
    plugin: str | None = None
    number: int = 1
    hooks: int = 60  # hooks detailed a page
    order: int = 15  # entries of one hook's call order
    matrix_hooks: int = 30
    matrix_plugins: int = 20
    plugins: int = 150
    pending: int = 60

    def __post_init__(self) -> None:
        if not isinstance(self.number, int) or self.number < 1:
            raise ValueError(f"page counts from 1; got {self.number!r}")

    def keeps_plugin(self, name: str) -> bool:
        """Whether the plugin filter keeps ``name``."""
        return self.plugin is None or self.plugin in name

    def matching_hooks(self, project: ProjectMap) -> list[HookEntry]:
        """The hooks the filter keeps (with a plugin filter: the hooks that plugin implements)."""
        return [h for h in project.hooks if (self.hook is None or self.hook in h.name)
                and (self.plugin is None or any(self.keeps_plugin(c.plugin) for c in h.cells))]

    def hooks_shown(self, project: ProjectMap) -> tuple[list[HookEntry], int]:
        """This page's hooks, and how many the filter keeps in all."""
        matching = self.matching_hooks(project)
        first = (self.number - 1) * self.hooks
        return matching[first:first + self.hooks], len(matching)

    def cells_shown(self, hook: HookEntry) -> tuple[list[Cell], int]:
        """The entries of ``hook``'s call order shown, and how many the filter keeps in all."""
        cells = [c for c in hook.cells if self.keeps_plugin(c.plugin)]
        return cells[:self.order], len(cells)

    def columns(self, project: ProjectMap) -> tuple[list[str], int]:
        """The matrix's plugin columns shown, and how many the filter keeps."""
        kept = [p for p in project.implementing_plugins() if self.keeps_plugin(p)]
        return kept[:self.matrix_plugins], len(kept)

    def plugins_shown(self, project: ProjectMap) -> tuple[list[PluginEntry], int]:
        kept = [p for p in project.plugins if self.keeps_plugin(p.name)]
        return kept[:self.plugins], len(kept)

    def pending_shown(self, project: ProjectMap) -> tuple[list[PendingEntry], int]:
        kept = [p for p in project.pending if self.keeps_plugin(p.plugin)]
        return kept[:self.pending], len(kept)

    def scope(self, project: ProjectMap, shown: Sequence[HookEntry], matching: int) -> str | None:
        """One line saying which hooks this rendering shows, when that is not all of them."""
        filters = [f"{what} names containing {value!r}" for what, value in
                   (("hook", self.hook), ("plugin", self.plugin)) if value is not None]
        if not filters and matching == len(shown):
            return None
        kept = f"{matching:,} of {len(project.hooks):,} hooks" if filters else f"{matching:,} hooks"
        line = f"filter: {', '.join(filters)}: {kept}" if filters else f"{kept}"
        if shown:
            first = (self.number - 1) * self.hooks + 1
            pages = -(-matching // self.hooks)
            line += f"; showing {first:,}–{first + len(shown) - 1:,} (page {self.number} of {pages})"
            after = matching - (first + len(shown) - 1)
            if after:
                line += f"; page={self.number + 1} shows the next {min(self.hooks, after):,}"
        elif matching:
            line += f"; page {self.number} is past the last"
        return line + "; hook='NAME' or plugin='NAME' shows fewer"


def more(left: int, what: str, how: str) -> str:
    """``… 4,970 more plugins (plugin='NAME' shows one)``."""
    return f"… {left:,} more {what} ({how})"
