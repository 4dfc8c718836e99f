"""The design map as static, escaped HTML: the inspector's output and its widget's pages.

The same parts as the text form (:mod:`.text`), within the same bounds (:mod:`.page`): the
hook × plugin matrix, each hook's extension point, mode, call order and why, the plugins and the
pending extensions, each saying what it leaves out and how to see it. Inline styles only, coloured
from :mod:`..format.theme`; everything from user code goes through ``escape_html``.
"""

from __future__ import annotations

from collections.abc import Sequence

from nbplug._base.safetext import safe_str

from ..format import theme
from ..format.text import escape_html
from .page import Page
from .snapshot import Cell, DesignMap, HookEntry, ProjectMap, cell_marks, mode_words, why_this_order
from .text import (
    ALL,
    EMPTY,
    MAX_DOC,
    NOT_DECLARED,
    hook_title,
    matrix_parts,
    order_more,
    pending_more,
    plugins_more,
    summary,
)

__all__ = ["design_map_html", "project_html"]

_CSS = f"font-size:13px;line-height:1.4;color:{theme.TEXT}"
_CELL = f"border:1px solid {theme.BORDER};padding:2px 8px;text-align:left;vertical-align:top"
_MUTED = f"color:{theme.MUTED}"


def _note(text: str | None, cls: str = "nbplug-left-out") -> str:
    return f'<div class="{cls}" style="{_MUTED}">{escape_html(text)}</div>' if text else ""


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


def _matrix_html(project: ProjectMap, shown: Sequence[HookEntry], page: Page) -> str:
    columns, hooks, note = matrix_parts(project, shown, page)
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
        + _note(note)
        + '<div style="overflow-x:auto"><table class="nbplug-matrix" style="border-collapse:collapse;'
        f'margin:2px 0 8px 0"><tr><th style="{_CELL}">hook \\ plugin</th>{head}</tr>{rows}</table></div>'
    )


def _order_html(hook: HookEntry, page: Page) -> str:
    if not hook.cells:
        return f'<span style="{_MUTED}">no extensions</span>'
    cells, kept = page.cells_shown(hook)
    items = "".join(_order_step(c) for c in cells)
    return (f'<ol class="nbplug-order" style="margin:0;padding-left:2em">{items}</ol>'
            + _note(order_more(hook, len(cells), kept)))


def _order_step(cell: Cell) -> str:
    return (f'<li class="nbplug-order-step" data-plugin="{escape_html(cell.plugin)}">'
            f"{escape_html(cell.plugin)}"
            + (f" <code>{escape_html(cell.function)}</code>" if cell.specname is not None else "")
            + "".join(_mark_html(m) for m in cell_marks(cell)) + "</li>")


def _hook_html(hook: HookEntry, page: Page) -> str:
    doc = f'<div style="{_MUTED}">{escape_html(safe_str(hook.doc, MAX_DOC))}</div>' if hook.doc else ""
    undeclared = f'<span style="color:{theme.WARN}">{escape_html(NOT_DECLARED)}</span>'
    title = (f"<code>{escape_html(hook_title(hook))}</code>" if hook.signature is not None else
             f"<code>{escape_html(hook.name)}(…)</code> {undeclared}")
    return (
        f'<div class="nbplug-map-hook" data-hook="{escape_html(hook.name)}" '
        f'data-mode="{escape_html(hook.mode)}" '
        f'style="margin:6px 0;padding-left:8px;border-left:3px solid {theme.BORDER}">'
        f"<div><b>{title}</b></div>{doc}"
        f'<div class="nbplug-map-mode"><b>mode</b> {escape_html(mode_words(hook))}</div>'
        f'<div class="nbplug-map-order-head"><b>call order</b></div>{_order_html(hook, page)}'
        f'<div class="nbplug-map-why"><b>why this order</b> {escape_html(why_this_order(hook))}</div></div>'
    )


def project_html(project: ProjectMap, page: Page = ALL) -> str:
    """One project's design map as escaped HTML (the part ``page`` shows)."""
    hooks, matching = page.hooks_shown(project)
    parts = [
        f'<div class="nbplug-manager nbplug-designmap" data-project="{escape_html(project.project)}" '
        f'style="{_CSS};margin-bottom:12px">',
        f'<div class="nbplug-map-summary"><b>{escape_html(summary(project))}</b></div>',
        _note(page.scope(project, hooks, matching), "nbplug-map-scope"),
        _matrix_html(project, hooks, page),
        "".join(_hook_html(hook, page) for hook in hooks)
        or f'<div style="{_MUTED}">hooks: none yet</div>',
    ]
    plugins, kept = page.plugins_shown(project)
    if project.plugins:
        items = "".join(
            f'<li class="nbplug-plugin"><b>{escape_html(p.name)}</b> '
            f'<span style="{_MUTED}">{escape_html(p.label)}</span></li>'
            for p in plugins
        )
        parts.append(f'<div><b>plugins</b>, in registration order</div><ul style="margin:0">{items}</ul>'
                     + _note(plugins_more(len(plugins), kept)))
    else:
        parts.append("<div><b>plugins</b>: none</div>")
    pending, kept = page.pending_shown(project)
    if project.pending:
        items = "".join(
            f'<li class="nbplug-pending">{escape_html(p.plugin)} <code>{escape_html(p.function)}</code></li>'
            for p in pending
        )
        parts.append(
            f'<div style="color:{theme.ERROR}"><b>pending implementations</b> (no extension point; '
            f'check_pending() refuses them)</div><ul style="margin:0">{items}</ul>'
            + _note(pending_more(len(pending), kept))
        )
    parts.append("</div>")
    return "".join(parts)


def design_map_html(design: DesignMap, page: Page = ALL) -> str:
    """Every project's design map as static, escaped HTML (the part ``page`` shows of each)."""
    if not design.projects:
        return f'<div class="nbplug-inspector" style="{_CSS}">{escape_html(EMPTY)}</div>'
    return (f'<div class="nbplug-inspector" style="{_CSS}">'
            + f'<hr style="border:0;border-top:1px solid {theme.BORDER}">'.join(
                project_html(p, page) for p in design.projects)
            + "</div>")
