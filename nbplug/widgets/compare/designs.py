"""What differs between two designs: hook by hook, their modes, call orders and marks.

Two designs of one feature usually live in two projects (``design_a``, ``design_b``), so hooks
are matched by **name** and plugins by their registered name, whatever project holds them. A hook
row says, for each design, its mode and its call order with each plugin's marks; what differs is
named: ``mode``, ``order`` (the same plugins, another order, or other plugins), ``marks`` (a plugin
marked tryfirst in one design and trylast in the other), ``missing`` (a hook in one design only).

Decision: compare the design map's snapshots (:class:`~..designmap.snapshot.ProjectMap`), so any
source the design map reads -- nbplug managers, a live pluggy manager -- can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..designmap.readers import read_one
from ..designmap.snapshot import HookEntry, ProjectMap, cell_marks
from ..format.text import name_text

__all__ = ["DesignDiff", "HookDiff", "compare_designs", "order_words"]


@dataclass(frozen=True)
class HookDiff:
    """One hook in both designs (None: the design has no such hook) and what differs."""

    name: str
    left: HookEntry | None
    right: HookEntry | None
    differs: tuple[str, ...]


@dataclass(frozen=True)
class DesignDiff:
    """Two designs' hooks side by side, with what differs in sentences."""

    labels: tuple[str, str]
    projects: tuple[str, str]
    hooks: tuple[HookDiff, ...]
    summary: tuple[str, ...]


def order_words(hook: HookEntry | None) -> str:
    """``1. members  2. price_list [trylast]``; ``(no such hook)``; ``(no extensions)``."""
    if hook is None:
        return "(no such hook)"
    if not hook.cells:
        return "(no extensions)"
    return "  ".join(
        f"{cell.position}. {cell.plugin}" + (f" [{', '.join(cell_marks(cell))}]" if cell_marks(cell) else "")
        for cell in hook.cells
    )


def _marks(hook: HookEntry) -> dict[str, tuple[str, ...]]:
    return {cell.plugin: tuple(cell_marks(cell)) for cell in hook.cells}


def _hook_diff(name: str, left: HookEntry | None, right: HookEntry | None) -> HookDiff:
    if left is None or right is None:
        return HookDiff(name, left, right, ("missing",))
    differs = []
    if left.mode != right.mode:
        differs.append("mode")
    if [c.plugin for c in left.cells] != [c.plugin for c in right.cells]:
        differs.append("order")
    ours, theirs = _marks(left), _marks(right)
    if any(ours[p] != theirs[p] for p in ours.keys() & theirs.keys()):
        differs.append("marks")
    return HookDiff(name, left, right, tuple(differs))


def _sentences(labels: tuple[str, str], hooks: tuple[HookDiff, ...]) -> tuple[str, ...]:
    a, b = labels
    said = []
    for hook in hooks:
        if hook.left is None or hook.right is None:
            said.append(f"{hook.name}: only in {a if hook.right is None else b}")
            continue
        if "mode" in hook.differs:
            said.append(f"{hook.name}: {hook.left.mode} in {a}, {hook.right.mode} in {b}")
        if "order" in hook.differs:
            said.append(f"{hook.name} call order: {', '.join(c.plugin for c in hook.left.cells)} in {a}; "
                        f"{', '.join(c.plugin for c in hook.right.cells)} in {b}")
        if "marks" in hook.differs:
            ours, theirs = _marks(hook.left), _marks(hook.right)
            for plugin in [p for p in ours if p in theirs and ours[p] != theirs[p]]:
                said.append(f"{hook.name}: {plugin} is {', '.join(ours[plugin]) or 'unmarked'} in {a}, "
                            f"{', '.join(theirs[plugin]) or 'unmarked'} in {b}")
    return tuple(said)


def compare_designs(left: object, right: object, labels: tuple[str, str] | None = None) -> DesignDiff:
    """What differs between two designs (managers, pluggy managers or snapshots), hook by hook;
    ``labels`` default to the projects' names."""
    maps: tuple[ProjectMap, ProjectMap] = (read_one(left), read_one(right))
    projects = (name_text(maps[0].project), name_text(maps[1].project))
    shown = (name_text(labels[0]), name_text(labels[1])) if labels else projects
    by_name = [{h.name: h for h in m.hooks} for m in maps]
    names = [*by_name[0], *(n for n in by_name[1] if n not in by_name[0])]
    hooks = tuple(_hook_diff(name_text(n), by_name[0].get(n), by_name[1].get(n)) for n in names)
    return DesignDiff(shown, projects, hooks, _sentences(shown, hooks))
