"""The design map as text, from a :class:`~.snapshot.DesignMap`; the words the HTML form
(:mod:`.html`) shares with it.

For each project: what the page left out, a hook × plugin matrix (each cell: the plugin's place in
the hook's call order and its marks), then each hook with its extension point, its docstring's
first paragraph, its mode in words, its call order and a line saying why that order; the plugins;
the extensions still pending an extension point. A plugin registered without a name is
shown as its class or module (:meth:`~.snapshot.ProjectMap.names`), never by its id.

Decision: the renderers read only the snapshot (see :mod:`.snapshot`), so a pluggy manager's
snapshot renders the same way, and only the part a :class:`~.page.Page` shows (bounded, whatever
the design's size). The text matrix is left out when it would be wider than a terminal (pytest's
own manager has dozens of plugins); the per-hook call orders say the same in lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nbplug._base.safetext import safe_str, shorten

from ..format.text import text_form
from .page import Page, more
from .snapshot import Cell, DesignMap, HookEntry, ProjectMap, cell_marks, count, mode_words, why_this_order

__all__ = ["design_map_text", "matrix_parts", "project_text"]

Names = Mapping[str, str]

#: Widest text matrix shown, in characters.
TEXT_MATRIX_WIDTH = 110
#: Longest doc shown (a first paragraph).
MAX_DOC = 300
#: Longest signature shown.
MAX_SIGNATURE = 300
#: What a rendering shows unless told otherwise: the first page, within the bounds.
ALL = Page()

EMPTY = "no plugin managers yet (add a plugin with %plugin add NAME)"
NOT_DECLARED = "(no extension point declared)"



def summary(project: ProjectMap) -> str:
    """``project feed: 2 extension points, 4 plugins, 1 pending extension``."""
    declared = sum(1 for hook in project.hooks if hook.declared)
    return (
        f"project {project.project}: {count(declared, 'extension point')}, "
        f"{count(len(project.plugins), 'plugin')}, {count(len(project.pending), 'pending extension')}"
    )


def cell_text(cells: Sequence[Cell]) -> str:
    """A matrix cell as text: ``2 tryfirst, async``, ``1 wrapper``, ``1, 3`` (one plugin's two
    extensions); ``·`` where there is none."""
    if not cells:
        return "·"
    marks = list(dict.fromkeys(mark for cell in cells for mark in cell_marks(cell)))
    where = ", ".join(str(cell.position) for cell in cells)
    return f"{where} {', '.join(marks)}" if marks else where


def shows_function(hook: HookEntry, cell: Cell) -> bool:
    """Whether a call-order step names its function: set by ``specname``, or one of several
    extensions its plugin has of the hook."""
    return cell.specname is not None or len(hook.cells_of(cell.plugin)) > 1


def _order_line(hook: HookEntry, cell: Cell, names: Names) -> str:
    marks = cell_marks(cell)
    shown = f"  [{', '.join(marks)}]" if marks else ""
    function = f"  def {cell.function}" if shows_function(hook, cell) else ""
    return f"{cell.position}. {names.get(cell.plugin, cell.plugin)}{function}{shown}"


def matrix_parts(project: ProjectMap, shown: Sequence[HookEntry], page: Page
                  ) -> tuple[list[str], list[HookEntry], str | None]:
    """The matrix's columns and rows within the bounds, and a line saying what they leave out."""
    columns, all_columns = page.columns(project, shown)
    with_cells = [hook for hook in shown if hook.cells]
    hooks = with_cells[:page.matrix_hooks]
    cut = []
    if len(columns) < all_columns:
        cut.append(f"the first {len(columns):,} of {all_columns:,} plugins")
    if len(hooks) < len(with_cells):
        cut.append(f"the first {len(hooks):,} of these {len(with_cells):,} hooks")
    note = ("matrix of " + " and ".join(cut) + " (plugin='NAME' or hook='NAME' shows fewer)"
            if cut else None)
    return columns, hooks, note


def _matrix_text(project: ProjectMap, shown: Sequence[HookEntry], page: Page) -> list[str]:
    columns, hooks, note = matrix_parts(project, shown, page)
    if not columns or not hooks:
        return []
    head = "hook \\ plugin"
    names = project.names()
    rows = [[head, *(names.get(p, p) for p in columns)]]
    rows.extend([hook.name, *(cell_text(hook.cells_of(p)) for p in columns)] for hook in hooks)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if sum(widths) + 2 * len(widths) + 4 > TEXT_MATRIX_WIDTH:
        return [f"  design map: {len(hooks)} hooks × {len(columns)} plugins, too wide for text "
                "(the call orders below say the same)"]
    lines = ["  design map (each cell: place in the hook's call order, then its marks):"]
    lines += [f"    {note}"] if note else []
    lines.extend("    " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in rows)
    return lines


def hook_title(hook: HookEntry) -> str:
    """The extension point's signature, or the hook's name with a note that none was declared."""
    if hook.signature is None:
        return f"{hook.name}(…)  {NOT_DECLARED}"
    return shorten(hook.signature, MAX_SIGNATURE)


def order_more(hook: HookEntry, shown: int, kept: int) -> str | None:
    """What a bounded call order leaves out (None: nothing)."""
    if shown == kept:
        return None
    return more(kept - shown, "in the call order", "plugin='NAME' shows where one plugin runs")


def _hook_text(hook: HookEntry, page: Page, names: Names) -> list[str]:
    lines = [f"  {hook_title(hook)}"]
    if hook.doc:
        lines.append(f"      {safe_str(hook.doc, MAX_DOC)}")
    lines.append(f"    mode:  {mode_words(hook)}")
    cells, kept = page.cells_shown(hook, names)
    if hook.cells:
        lines.append("    call order:")
        lines.extend(f"      {_order_line(hook, cell, names)}" for cell in cells)
        left = order_more(hook, len(cells), kept)
        lines += [f"      {left}"] if left else []
    else:
        lines.append("    call order: (no extensions)")
    lines.append(f"    why:   {why_this_order(hook, names)}")
    return lines


def plugin_words(names: Names, name: str, label: str, *, with_id: bool = True) -> tuple[str, str]:
    """A plugin as the plugins list shows it: the name shown, and what it is (saying so when it
    was registered without a name; ``with_id``: and its name then, its id)."""
    shown = names.get(name, name)
    if shown == name:
        return shown, label
    return shown, f"{label}, registered without a name" + (f" ({name})" if with_id else "")


def plugins_more(shown: int, kept: int) -> str | None:
    return None if shown == kept else more(kept - shown, "plugins", "plugin='NAME' shows one")


def pending_more(shown: int, kept: int) -> str | None:
    return None if shown == kept else more(kept - shown, "pending", "plugin='NAME' shows one's")


def project_text(project: ProjectMap, page: Page = ALL) -> str:
    """One project's design map as text (the part ``page`` shows)."""
    hooks, matching = page.hooks_shown(project)
    names = project.names()
    page = page.sized_for(hooks, names)
    notes = [note for note in (page.left_out(project), page.scope(project, hooks, matching)) if note]
    lines = [summary(project), *(f"  {note}" for note in notes), *_matrix_text(project, hooks, page)]
    if not project.hooks:
        lines.append("  hooks: none yet")
    for hook in hooks:
        lines.extend(_hook_text(hook, page, names))
    plugins, kept = page.plugins_shown(project)
    lines.append("  plugins, in registration order:" if project.plugins else "  plugins: none")
    rows = [plugin_words(names, p.name, p.label) for p in plugins]
    width = max((len(name) for name, _ in rows), default=0)
    lines.extend(f"    {name.ljust(width)}  {label}" for name, label in rows)
    lines += [f"    {left}"] if (left := plugins_more(len(plugins), kept)) else []
    pending, kept = page.pending_shown(project)
    if project.pending:
        lines.append("  pending extensions (no extension point; check_pending() refuses them):")
        lines.extend(f"    {names.get(p.plugin, p.plugin)}  {p.function}"
                     + (f" (hook {p.hook})" if p.hook != p.function else "") for p in pending)
        lines += [f"    {left}"] if (left := pending_more(len(pending), kept)) else []
    return text_form(lines)


def design_map_text(design: DesignMap, page: Page = ALL) -> str:
    """Every project's design map as text (the part ``page`` shows of each)."""
    if not design.projects:
        return EMPTY
    return text_form(project_text(project, page) for project in design.projects)
