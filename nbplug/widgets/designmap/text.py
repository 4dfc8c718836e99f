"""The design map rendered: plain text and escaped HTML, from a :class:`~.snapshot.DesignMap`.

For each project: a hook × plugin matrix (each cell: the plugin's place in the hook's call order
and its marks), then each hook with its extension point, its mode in words, its call order and a
line saying why that order; the plugins; the implementations still pending an extension point.

Decision: the renderers read only the snapshot (see :mod:`.snapshot`), so a pluggy manager's
snapshot renders the same way. The text matrix is left out when it would be wider than a terminal
(pytest's own manager has dozens of plugins); the per-hook call orders say the same in lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from nbplug._base.safetext import safe_str

from ..format import theme
from ..format.text import escape_html, text_form
from .snapshot import Cell, DesignMap, HookEntry, ProjectMap, cell_marks, count, mode_words, why_this_order

__all__ = ["design_map_html", "design_map_text", "project_html", "project_text"]

#: Widest text matrix shown, in characters.
TEXT_MATRIX_WIDTH = 110
#: Longest doc line shown.
MAX_DOC = 160

EMPTY = "no plugin managers yet (add a plugin with %plugin add NAME)"
NOT_DECLARED = "(no extension point declared)"



def summary(project: ProjectMap) -> str:
    """``project feed: 2 extension points, 4 plugins, 1 pending implementation``."""
    declared = sum(1 for hook in project.hooks if hook.declared)
    return (
        f"project {project.project}: {count(declared, 'extension point')}, "
        f"{count(len(project.plugins), 'plugin')}, {count(len(project.pending), 'pending implementation')}"
    )


def cell_text(cell: Cell | None) -> str:
    """A matrix cell as text: ``2 tryfirst, async``, ``1 wrapper``; ``·`` where there is none."""
    if cell is None:
        return "·"
    marks = cell_marks(cell)
    return f"{cell.position} {', '.join(marks)}" if marks else str(cell.position)


def _order_line(cell: Cell) -> str:
    marks = cell_marks(cell)
    shown = f"  [{', '.join(marks)}]" if marks else ""
    function = f"  def {cell.function}" if cell.specname is not None else ""
    return f"{cell.position}. {cell.plugin}{function}{shown}"


def _matrix_text(project: ProjectMap) -> list[str]:
    columns = project.implementing_plugins()
    hooks = [hook for hook in project.hooks if hook.cells]
    if not columns or not hooks:
        return []
    head = "hook \\ plugin"
    rows = [[head, *columns]]
    rows.extend([hook.name, *(cell_text(hook.cell_of(p)) for p in columns)] for hook in hooks)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if sum(widths) + 2 * len(widths) + 4 > TEXT_MATRIX_WIDTH:
        return [f"  design map: {len(hooks)} hooks × {len(columns)} plugins, too wide for text "
                "(the call orders below say the same)"]
    lines = ["  design map (each cell: place in the hook's call order, then its marks):"]
    lines.extend("    " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in rows)
    return lines


def hook_title(hook: HookEntry) -> str:
    """The extension point's signature, or the hook's name with a note that none was declared."""
    return hook.signature if hook.signature is not None else f"{hook.name}(…)  {NOT_DECLARED}"


def _hook_text(hook: HookEntry) -> list[str]:
    lines = [f"  {hook_title(hook)}"]
    if hook.doc:
        lines.append(f"      {safe_str(hook.doc, MAX_DOC)}")
    lines.append(f"    mode:  {mode_words(hook)}")
    if hook.cells:
        lines.append("    call order:")
        lines.extend(f"      {_order_line(cell)}" for cell in hook.cells)
    else:
        lines.append("    call order: (no extensions)")
    lines.append(f"    why:   {why_this_order(hook)}")
    return lines


def project_text(project: ProjectMap) -> str:
    """One project's design map as text."""
    lines = [summary(project), *_matrix_text(project)]
    if not project.hooks:
        lines.append("  hooks: none yet")
    for hook in project.hooks:
        lines.extend(_hook_text(hook))
    lines.append("  plugins, in registration order:" if project.plugins else "  plugins: none")
    width = max((len(p.name) for p in project.plugins), default=0)
    lines.extend(f"    {p.name.ljust(width)}  {p.label}" for p in project.plugins)
    if project.pending:
        lines.append("  pending implementations (no extension point; check_pending() refuses them):")
        lines.extend(f"    {p.plugin}  {p.function}" + (f" (hook {p.hook})" if p.hook != p.function else "")
                     for p in project.pending)
    return text_form(lines)


def design_map_text(design: DesignMap) -> str:
    """Every project's design map as text."""
    if not design.projects:
        return EMPTY
    return text_form(project_text(project) for project in design.projects)


# --------------------------------------------------------------------------------------------------
# HTML

_CSS = f"font-size:13px;line-height:1.4;color:{theme.TEXT}"
_CELL = f"border:1px solid {theme.BORDER};padding:2px 8px;text-align:left;vertical-align:top"
_MUTED = f"color:{theme.MUTED}"


def _mark_html(mark: str) -> str:
    return (f'<span class="nbplug-mark nbplug-mark-{escape_html(mark)}" style="font-size:12px;'
            f'border:1px solid {theme.BORDER};border-radius:3px;padding:0 4px;margin-left:3px">'
            f"{escape_html(mark)}</span>")


def _cell_html(hook: HookEntry, plugin: str) -> str:
    cell = hook.cell_of(plugin)
    if cell is None:
        return f'<td class="nbplug-cell nbplug-cell-empty" style="{_CELL};{_MUTED}">·</td>'
    marks = cell_marks(cell)
    function = (f' <code title="the function implementing {escape_html(hook.name)}">'
                f"{escape_html(cell.function)}</code>" if cell.specname is not None else "")
    return (
        f'<td class="nbplug-cell" data-plugin="{escape_html(plugin)}" data-position="{cell.position}" '
        f'data-marks="{escape_html(" ".join(marks))}" style="{_CELL}">'
        f'<b class="nbplug-position" title="place in the call order">{cell.position}</b>'
        f"{function}{''.join(_mark_html(m) for m in marks)}</td>"
    )


def _matrix_html(project: ProjectMap) -> str:
    columns = project.implementing_plugins()
    hooks = [hook for hook in project.hooks if hook.cells]
    if not columns or not hooks:
        return ""
    head = "".join(f'<th scope="col" style="{_CELL}">{escape_html(p)}</th>' for p in columns)
    rows = "".join(
        f'<tr class="nbplug-matrix-row" data-hook="{escape_html(hook.name)}">'
        f'<th scope="row" style="{_CELL}"><code>{escape_html(hook.name)}</code> '
        f'<span style="{_MUTED};font-weight:normal">'
        f'{escape_html(hook.mode if hook.declared else "undeclared")}'
        f"</span></th>{''.join(_cell_html(hook, p) for p in columns)}</tr>"
        for hook in hooks
    )
    return (
        f'<div class="nbplug-matrix-caption" style="{_MUTED};margin-top:4px">design map: hook × plugin; '
        "each cell gives the plugin's place in the hook's call order, then its marks</div>"
        '<div style="overflow-x:auto"><table class="nbplug-matrix" style="border-collapse:collapse;'
        f'margin:2px 0 8px 0"><tr><th style="{_CELL}">hook \\ plugin</th>{head}</tr>{rows}</table></div>'
    )


def _order_html(cells: Sequence[Cell]) -> str:
    if not cells:
        return f'<span style="{_MUTED}">no extensions</span>'
    items = "".join(
        f'<li class="nbplug-order-step" data-plugin="{escape_html(c.plugin)}">{escape_html(c.plugin)}'
        + (f" <code>{escape_html(c.function)}</code>" if c.specname is not None else "")
        + "".join(_mark_html(m) for m in cell_marks(c))
        + "</li>"
        for c in cells
    )
    return f'<ol class="nbplug-order" style="margin:0;padding-left:2em">{items}</ol>'


def _hook_html(hook: HookEntry) -> str:
    doc = f'<div style="{_MUTED}">{escape_html(safe_str(hook.doc, MAX_DOC))}</div>' if hook.doc else ""
    undeclared = f'<span style="color:{theme.WARN}">{escape_html(NOT_DECLARED)}</span>'
    title = (f"<code>{escape_html(hook.signature)}</code>" if hook.signature is not None else
             f"<code>{escape_html(hook.name)}(…)</code> {undeclared}")
    return (
        f'<div class="nbplug-map-hook" data-hook="{escape_html(hook.name)}" '
        f'data-mode="{escape_html(hook.mode)}" '
        f'style="margin:6px 0;padding-left:8px;border-left:3px solid {theme.BORDER}">'
        f"<div><b>{title}</b></div>{doc}"
        f'<div class="nbplug-map-mode"><b>mode</b> {escape_html(mode_words(hook))}</div>'
        f'<div class="nbplug-map-order-head"><b>call order</b></div>{_order_html(hook.cells)}'
        f'<div class="nbplug-map-why"><b>why this order</b> {escape_html(why_this_order(hook))}</div></div>'
    )


def project_html(project: ProjectMap) -> str:
    """One project's design map as escaped HTML."""
    parts = [
        f'<div class="nbplug-manager nbplug-designmap" data-project="{escape_html(project.project)}" '
        f'style="{_CSS};margin-bottom:12px">',
        f'<div class="nbplug-map-summary"><b>{escape_html(summary(project))}</b></div>',
        _matrix_html(project),
        "".join(_hook_html(hook) for hook in project.hooks)
        or f'<div style="{_MUTED}">hooks: none yet</div>',
    ]
    if project.plugins:
        items = "".join(
            f'<li class="nbplug-plugin"><b>{escape_html(p.name)}</b> '
            f'<span style="{_MUTED}">{escape_html(p.label)}</span></li>'
            for p in project.plugins
        )
        parts.append(f'<div><b>plugins</b>, in registration order</div><ul style="margin:0">{items}</ul>')
    else:
        parts.append("<div><b>plugins</b>: none</div>")
    if project.pending:
        items = "".join(
            f'<li class="nbplug-pending">{escape_html(p.plugin)} <code>{escape_html(p.function)}</code></li>'
            for p in project.pending
        )
        parts.append(
            f'<div style="color:{theme.ERROR}"><b>pending implementations</b> (no extension point; '
            f'check_pending() refuses them)</div><ul style="margin:0">{items}</ul>'
        )
    parts.append("</div>")
    return "".join(parts)


def design_map_html(design: DesignMap) -> str:
    """Every project's design map as static, escaped HTML."""
    if not design.projects:
        return f'<div class="nbplug-inspector" style="{_CSS}">{escape_html(EMPTY)}</div>'
    return (f'<div class="nbplug-inspector" style="{_CSS}">'
            + f'<hr style="border:0;border-top:1px solid {theme.BORDER}">'.join(
                project_html(p) for p in design.projects)
            + "</div>")
