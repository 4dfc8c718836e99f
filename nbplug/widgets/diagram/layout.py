"""Where the design diagram puts things: three columns -- the host (the project that calls its hooks),
its extension points, the plugins -- and a line for each extension.

Each extension's line leaves its hook at a slot of its own (the hook's box is as tall as its
extensions need), labelled with its place in the call order and its marks, and ends at the plugin,
so a plugin implementing several hooks gathers their lines. Plugins stand in the order their first
line leaves the hooks (call order, hook by hook), so lines cross as little as they can. Past
:data:`MAX_HOOKS` hooks or :data:`MAX_PLUGINS` plugins the diagram draws the first ones and says
how many it left out (pytest's design has over fifty hooks; the design map lists them all).

Decision: compute the layout as plain numbers apart from the SVG, so it can be tested (no two boxes
overlap, every line ends on its plugin) without parsing a drawing. Rejected: a graph layout library
(a dependency for three columns) and a force layout, which moves on every redraw.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbplug._base.safetext import shorten

from ..designmap.snapshot import Cell, HookEntry, ProjectMap, cell_marks
from ..format.text import name_text

__all__ = ["MAX_HOOKS", "MAX_PLUGINS", "WIDTH", "Box", "Edge", "Layout", "lay_out", "mark_letters"]

WIDTH = 760
MAX_HOOKS = 60
MAX_PLUGINS = 40
#: Longest name drawn in a box (the whole name is the box's tooltip).
MAX_LABEL = 26
HOST_X, HOST_W = 8, 150
HOOK_X, HOOK_W = 220, 210
PLUGIN_X, PLUGIN_W = 560, 192
SLOT = 16
PAD = 12
TOP = 30

_LETTERS = {"wrapper": "wrapper", "hookwrapper": "hookwrapper", "tryfirst": "↑first", "trylast": "↓last"}


def mark_letters(cell: Cell) -> str:
    """The label of an extension's line: ``1``, ``2 ↓last``, ``1 wrapper``."""
    marks = [_LETTERS[m] for m in cell_marks(cell) if m in _LETTERS]
    return " ".join([str(cell.position), *marks])


@dataclass(frozen=True)
class Box:
    """A box: what it is (host, hook, plugin), its name (whole and as drawn), where, its note."""

    kind: str
    name: str
    shown: str
    x: float
    y: float
    w: float
    h: float
    note: str = ""
    dashed: bool = False

    @property
    def middle(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Edge:
    """A line from a hook's slot to a plugin: an extension, labelled with its place and marks."""

    hook: str
    plugin: str
    label: str
    x1: float
    y1: float
    x2: float
    y2: float
    wrapper: bool


@dataclass(frozen=True)
class Layout:
    """One project's diagram: its boxes, its lines, its height and what it left out."""

    project: str
    host: Box
    hooks: tuple[Box, ...]
    plugins: tuple[Box, ...]
    edges: tuple[Edge, ...]
    height: float
    left_out: tuple[int, int]  # hooks, plugins not drawn


def _shown(name: str) -> str:
    return shorten(name_text(name), MAX_LABEL)


def _hook_box(hook: HookEntry, y: float) -> Box:
    h = max(40.0, SLOT * len(hook.cells) + 12)
    note = hook.mode if hook.declared else "no extension point"
    if not hook.cells:
        note += ", no extensions"
    return Box("hook", hook.name, _shown(hook.name), HOOK_X, y, HOOK_W, h, note, not hook.declared)


def lay_out(project: ProjectMap) -> Layout:
    """The diagram of one project."""
    hooks = project.hooks[:MAX_HOOKS]
    seen = [cell.plugin for hook in hooks for cell in hook.cells]
    used = list(dict.fromkeys([*seen, *project.implementing_plugins()]))  # lines cross least
    idle = [p.name for p in project.plugins if p.name not in used]
    names = [*used, *idle][:MAX_PLUGINS]
    y = float(TOP)
    hook_boxes = []
    for hook in hooks:
        box = _hook_box(hook, y)
        hook_boxes.append(box)
        y += box.h + PAD
    hooks_bottom = y
    step = max(36.0 + PAD, (hooks_bottom - TOP) / max(len(names), 1))
    plugin_boxes = tuple(
        Box("plugin", name, _shown(name), PLUGIN_X, TOP + i * step, PLUGIN_W, 36.0,
            "" if name in used else "implements none of these")
        for i, name in enumerate(names))
    height = max(hooks_bottom, TOP + len(names) * step, TOP + 60.0) + 8
    where = {box.name: box for box in plugin_boxes}
    edges = []
    for hook, box in zip(hooks, hook_boxes, strict=True):
        for k, cell in enumerate(hook.cells):
            target = where.get(cell.plugin)
            if target is None:
                continue
            slot_y = box.y + 6 + SLOT * k + SLOT / 2
            edges.append(Edge(hook.name, cell.plugin, mark_letters(cell), box.x + box.w, slot_y,
                              target.x, target.middle, cell.wraps))
    host_h = 56.0
    host = Box("host", project.project, _shown(project.project), HOST_X,
               max(TOP, (hooks_bottom + TOP) / 2 - host_h / 2 - PAD / 2), HOST_W, host_h,
               f"calls {len(project.hooks)} hook{'s' * (len(project.hooks) != 1)}")
    left_out = (len(project.hooks) - len(hooks), len(used) + len(idle) - len(names))
    return Layout(project.project, host, tuple(hook_boxes), plugin_boxes, tuple(edges), height, left_out)
