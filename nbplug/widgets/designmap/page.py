"""Which part of a design map one rendering shows: a filter, a page of hooks, and the bounds that
keep every published output small whatever the design's size.

Jupyter drops an output past its IOPub data-rate limit (1 MB/s by default), and the design map of
500 hooks x 50 plugins drawn whole is 8.8 MB of HTML. Decision: bound by counts -- hooks a page,
entries of a call order, matrix rows and columns, plugins, pending extensions -- with every name
cut where it is read (``readers``), so the counts bound the bytes (a few hundred kilobytes at
most), and a count is what a reader can act on: the view says what it left out and how to see it
(``page=2``, ``hook="NAME"``, ``plugin="NAME"``). Rejected: a byte budget (it cuts a table
mid-row and cannot say what is missing in words one can act on).

By default a page holds the hooks that have extensions (pytest declares 55 hooks, 7 of them
without any) and says how many it left out; ``all=True`` adds them. A call order shows its first
15 entries, and the whole order when its hook is asked for by name or ``all=True`` (within a
page's bound: ``Page.sized_for``). A plugin filter also matches
the name shown for a plugin registered without a name (its class or module: ``labels``), and a
filter that matches nothing is an error with a did-you-mean (:func:`check`), not an empty map.
The snapshot itself stays whole: a page is applied when rendering, never when reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..._kit.suggest import did_you_mean
from ..format.text import escape_html
from .snapshot import Cell, DesignMap, HookEntry, PendingEntry, PluginEntry, ProjectMap, count

__all__ = ["Page", "check", "more"]


@dataclass(frozen=True)
class Page:
    """A filter (names containing ``hook`` / ``plugin``), a page number and the bounds."""

    hook: str | None = None
    plugin: str | None = None
    number: int = 1
    hooks: int = 60  # hooks detailed a page
    order: int = 15  # entries of one hook's call order (unless asked for: see sized_for)
    asked_order: int = 3_000  # what a page's call orders may cost when asked for (sized_for)
    matrix_hooks: int = 30
    matrix_plugins: int = 20
    plugins: int = 150
    pending: int = 60
    all: bool = False  # hooks without extensions too
    how: str = "all=True"  # what turns ``all`` on where the map is shown (%pytest: --all)

    def __post_init__(self) -> None:
        if not isinstance(self.number, int) or self.number < 1:
            raise ValueError(f"page counts from 1; got {self.number!r}")

    def keeps_plugin(self, name: str, names: Mapping[str, str] | None = None) -> bool:
        """Whether the plugin filter keeps ``name`` (or the name shown for it, from ``names``)."""
        return self.plugin is None or self.plugin in name or self.plugin in (names or {}).get(name, "")

    def matching_hooks(self, project: ProjectMap) -> list[HookEntry]:
        """The hooks the filter keeps (with a plugin filter: the hooks that plugin implements;
        with none, unless ``all``: the hooks that have extensions)."""
        names = project.names()
        every = self.all or self.hook is not None or self.plugin is not None
        return [h for h in project.hooks if (self.hook is None or self.hook in h.name)
                and (self.plugin is None or any(self.keeps_plugin(c.plugin, names) for c in h.cells))
                and (every or h.cells)]

    def left_out(self, project: ProjectMap) -> str | None:
        """The line saying how many hooks without extensions were left out (None: none were)."""
        if self.all or self.hook is not None or self.plugin is not None:
            return None
        without = sum(1 for hook in project.hooks if not hook.cells)
        if not without:
            return None
        return (f"{count(len(project.hooks) - without, 'hook')} with extensions shown; "
                f"{count(without, 'hook')} without any left out ({self.how} shows them)")

    def hooks_shown(self, project: ProjectMap) -> tuple[list[HookEntry], int]:
        """This page's hooks, and how many the filter keeps in all."""
        matching = self.matching_hooks(project)
        first = (self.number - 1) * self.hooks
        return matching[first:first + self.hooks], len(matching)

    def sized_for(self, hooks: Sequence[HookEntry], names: Mapping[str, str]) -> Page:
        """This page as it renders ``hooks``: ``order`` entries of each call order, unless a
        hook was asked for by name or every hook was (``all``) -- then each hook's whole call
        order (pytest's ``pytest_addoption`` has 24 extensions) while the page's entries cost
        at most ``asked_order`` (an entry costs 1, and 1 more for each 50 characters of its
        escaped name: the names make its bytes); past that, each hook an equal share, never
        fewer than ``order``. So the map stays under 2 MB at any scale: 500 hooks x 50
        plugins whole, 1.43 MB; one hook of 5,000 extensions, its first 3,000."""
        if self.hook is None and not self.all:
            return self
        cells = [c for hook in hooks for c in hook.cells if self.keeps_plugin(c.plugin, names)]
        if not cells:
            return self
        cost = sum(1 + len(escape_html(names.get(c.plugin, c.plugin))) // 50 for c in cells)
        if cost <= self.asked_order:
            return replace(self, order=max(self.order, max(len(hook.cells) for hook in hooks)))
        share = self.asked_order * len(cells) // cost // len(hooks)
        return replace(self, order=max(self.order, share))

    def cells_shown(self, hook: HookEntry, names: Mapping[str, str] | None = None
                    ) -> tuple[list[Cell], int]:
        """The entries of ``hook``'s call order shown, and how many the filter keeps in all."""
        cells = [c for c in hook.cells if self.keeps_plugin(c.plugin, names)]
        return cells[:self.order], len(cells)

    def columns(self, project: ProjectMap, shown: Sequence[HookEntry] | None = None
                ) -> tuple[list[str], int]:
        """The matrix's plugin columns shown (those extending a hook in ``shown``, when given),
        and how many the filter keeps."""
        names = project.names()
        used = None if shown is None else {c.plugin for hook in shown for c in hook.cells}
        kept = [p for p in project.implementing_plugins()
                if self.keeps_plugin(p, names) and (used is None or p in used)]
        return kept[:self.matrix_plugins], len(kept)

    def plugins_shown(self, project: ProjectMap) -> tuple[list[PluginEntry], int]:
        names = project.names()
        kept = [p for p in project.plugins if self.keeps_plugin(p.name, names)]
        return kept[:self.plugins], len(kept)

    def pending_shown(self, project: ProjectMap) -> tuple[list[PendingEntry], int]:
        names = project.names()
        kept = [p for p in project.pending if self.keeps_plugin(p.plugin, names)]
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


def check(design: DesignMap, page: Page) -> None:
    """Refuse a filter that no project's hook or plugin matches (ValueError, with a did-you-mean)."""
    if not design.projects:
        return
    if page.hook is not None and not any(page.hook in hook.name for project in design.projects
                                         for hook in project.hooks):
        hooks = {hook.name for project in design.projects for hook in project.hooks}
        raise ValueError(f"no hook name contains {page.hook!r} in the design map"
                         + did_you_mean(page.hook, hooks))
    if page.plugin is not None and not any(page.keeps_plugin(name, project.names())
                                           for project in design.projects for name in project.names()):
        names = {name for project in design.projects for pair in project.names().items() for name in pair}
        raise ValueError(f"no plugin name contains {page.plugin!r} in the design map"
                         + did_you_mean(page.plugin, names))
