"""The design map as static, escaped HTML that fits a notebook: the inspector's output and its
widget's pages, within the bounds of a :class:`~.page.Page`, coloured from :mod:`..format.theme`.

Each hook is one line: its name and mode, then its call order as numbered steps (each plugin with
its marks) that wrap within the output's width; the line opens to the extension point's
signature, its docstring's first paragraph, the mode in words and why this order. The hook ×
plugin matrix stands above them when it fits (about 900 px, a notebook's output at 1,400 px);
a wider one is folded, to open on request in a box of its own that scrolls sideways. Inline
styles only; everything from user code goes through ``escape_html``.

Decision: the call-order lines are the map, the matrix an extra for designs it fits. pytest's
design is 48 hooks with extensions × 38 plugins: as a matrix about 4,600 px wide (and mostly
empty cells), as call-order lines about a screen and a half with nothing to scroll sideways.
Rejected: the matrix transposed (38 plugin rows × 48 hook columns is as wide), and a matrix
grouped by plugin (pytest's plugins share hooks too unevenly for groups to narrow it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    cell_text,
    hook_title,
    matrix_parts,
    order_more,
    pending_more,
    plugin_words,
    plugins_more,
    shows_function,
    summary,
)

__all__ = ["design_map_html", "project_html"]

#: The widest matrix drawn open, in pixels (a notebook's output is about 1,000 px at 1,400).
MATRIX_WIDTH = 900
#: Hooks shown open (signature, docs, mode, why); more are one line each, to click open.
OPEN_HOOKS = 8
#: Plugins listed open; more are behind a click.
OPEN_PLUGINS = 12

_CSS = f"font-size:13px;line-height:1.4;color:{theme.TEXT};overflow-wrap:anywhere"
_CELL = f"border:1px solid {theme.BORDER};padding:2px 8px;text-align:left;vertical-align:top"
_MUTED = f"color:{theme.MUTED}"


def _note(text: str | None, cls: str = "nbplug-left-out") -> str:
    return f'<div class="{cls}" style="{_MUTED}">{escape_html(text)}</div>' if text else ""


def _mark_html(mark: str) -> str:
    return (f'<span class="nbplug-mark nbplug-mark-{escape_html(mark)}" style="font-size:12px;'
            f'border:1px solid {theme.BORDER};border-radius:3px;padding:0 4px;margin-left:3px">'
            f"{escape_html(mark)}</span>")


def _cell_html(hook: HookEntry, plugin: str) -> str:
    cells = hook.cells_of(plugin)
    if not cells:
        return f'<td class="nbplug-cell nbplug-cell-empty" style="{_CELL};{_MUTED}">·</td>'
    marks = list(dict.fromkeys(mark for cell in cells for mark in cell_marks(cell)))
    function = "".join(f' <code title="the function implementing {escape_html(hook.name)}">'
                       f"{escape_html(cell.function)}</code>" for cell in cells
                       if shows_function(hook, cell))
    where = " ".join(str(cell.position) for cell in cells)
    return (
        f'<td class="nbplug-cell" data-plugin="{escape_html(plugin)}" data-position="{where}" '
        f'data-marks="{escape_html(" ".join(marks))}" style="{_CELL}">'
        f'<b class="nbplug-position" title="place in the call order">{escape_html(where)}</b>'
        f"{function}{''.join(_mark_html(m) for m in marks)}</td>"
    )


def matrix_width(hooks: Sequence[HookEntry], columns: Sequence[str], names: Mapping[str, str]) -> int:
    """About how wide a matrix is, in pixels (13 px text: about 7.5 px a character)."""
    name = max((len(hook.name) + len(hook.mode) + 2 for hook in hooks), default=0)
    widths = [max([len(names.get(p, p)), *(len(cell_text(h.cells_of(p))) for h in hooks)])
              for p in columns]
    return int(7.5 * (name + sum(widths))) + 18 * (len(columns) + 1)


def _matrix_html(project: ProjectMap, shown: Sequence[HookEntry], page: Page) -> str:
    columns, hooks, note = matrix_parts(project, shown, page)
    if not columns or not hooks:
        return ""
    names = project.names()
    head = "".join(f'<th scope="col" style="{_CELL}" title="{escape_html(p)}">'
                   f"{escape_html(names.get(p, p))}</th>" for p in columns)
    rows = "".join(
        f'<tr class="nbplug-matrix-row" data-hook="{escape_html(hook.name)}">'
        f'<th scope="row" style="{_CELL}"><code>{escape_html(hook.name)}</code> '
        f'<span style="{_MUTED};font-weight:normal">'
        f'{escape_html(hook.mode if hook.declared else "undeclared")}'
        f"</span></th>{''.join(_cell_html(hook, p) for p in columns)}</tr>"
        for hook in hooks
    )
    table = ('<table class="nbplug-matrix" style="border-collapse:collapse;margin:2px 0 8px 0">'
             f'<tr><th style="{_CELL}">hook \\ plugin</th>{head}</tr>{rows}</table>')
    caption = "hook × plugin; each cell gives the plugin's place in the hook's call order, then its marks"
    if matrix_width(hooks, columns, names) <= MATRIX_WIDTH:
        return (f'<div class="nbplug-matrix-caption" style="{_MUTED};margin-top:4px">design map: '
                f"{caption}</div>{_note(note)}{table}")
    return (f'<details class="nbplug-matrix-wide" style="margin-top:4px"><summary style="cursor:pointer;'
            f'{_MUTED}">the hook × plugin matrix ({len(hooks)} × {len(columns)}: wider than the '
            f"notebook, it scrolls sideways)</summary><div style=\"{_MUTED}\">{caption}</div>{_note(note)}"
            f'<div style="overflow-x:auto">{table}</div></details>')


def _function_html(hook: HookEntry, cell: Cell) -> str:
    """A step's function, when it names one: after the hook's name, only what follows it
    (``…_convert_async_functions_to_subclass``), the whole name in its tooltip."""
    shown = cell.function
    if shown.startswith(hook.name) and len(shown) > len(hook.name) + 1:
        shown = "…" + shown[len(hook.name):]
    return (f' <code class="nbplug-step-function" title="{escape_html(cell.function)}" '
            f'style="display:inline-block;max-width:40ch;overflow:hidden;text-overflow:ellipsis;'
            f'vertical-align:bottom">{escape_html(shown)}</code>')


def _step_html(hook: HookEntry, cell: Cell, names: Mapping[str, str]) -> str:
    # a chip: one line, never broken inside (the map's overflow-wrap:anywhere cut a long
    # function name over two lines); the call order wraps between chips instead
    return (
        f'<li class="nbplug-order-step" data-plugin="{escape_html(cell.plugin)}" '
        f'title="{escape_html(cell.plugin)}" '
        f'style="border:1px solid {theme.BORDER};border-radius:3px;padding:0 4px;white-space:nowrap;'
        f'max-width:100%;overflow:hidden">'
        f'<span style="{_MUTED}">{cell.position}</span> {escape_html(names.get(cell.plugin, cell.plugin))}'
        + (_function_html(hook, cell) if shows_function(hook, cell) else "")
        + "".join(_mark_html(m) for m in cell_marks(cell)) + "</li>"
    )


def _order_html(hook: HookEntry, page: Page, names: Mapping[str, str], name_width: float) -> str:
    if not hook.cells:
        return f'<span style="{_MUTED}">no extensions</span>'
    cells, kept = page.cells_shown(hook, names)
    steps = "".join(_step_html(hook, cell, names) for cell in cells)
    left = order_more(hook, len(cells), kept)
    if left:
        steps += f'<li style="{_MUTED};list-style:none">{escape_html(left)}</li>'
    return ('<ol class="nbplug-order" style="display:inline-flex;flex-wrap:wrap;gap:2px 4px;'
            "list-style:none;margin:0;padding:0;vertical-align:top;"
            f'max-width:calc(100% - {name_width + 1.5:.1f}em)">{steps}</ol>')


def _hook_html(hook: HookEntry, page: Page, names: Mapping[str, str], name_width: float,
               opened: bool) -> str:
    doc = f'<div style="{_MUTED}">{escape_html(safe_str(hook.doc, MAX_DOC))}</div>' if hook.doc else ""
    undeclared = f'<span style="color:{theme.WARN}">{escape_html(NOT_DECLARED)}</span>'
    title = (f'<code style="white-space:pre-wrap">{escape_html(hook_title(hook))}</code>'
             if hook.signature is not None else f"<code>{escape_html(hook.name)}(…)</code> {undeclared}")
    mode = hook.mode if hook.declared else "undeclared"
    return (
        f'<details class="nbplug-map-hook" data-hook="{escape_html(hook.name)}" '
        f'data-mode="{escape_html(hook.mode)}"{" open" if opened else ""} style="margin:2px 0">'
        f'<summary style="cursor:pointer"><span style="display:inline-block;min-width:{name_width:.1f}em;'
        f'vertical-align:top"><code><b>{escape_html(hook.name)}</b></code> '
        f'<span style="{_MUTED}">{escape_html(mode)}</span></span> '
        f"{_order_html(hook, page, names, name_width)}</summary>"
        f'<div style="margin:2px 0 6px 1.2em;padding-left:8px;border-left:3px solid {theme.BORDER}">'
        f"<div><b>{title}</b></div>{doc}"
        f'<div class="nbplug-map-mode"><b>mode</b> {escape_html(mode_words(hook))}</div>'
        f'<div class="nbplug-map-why"><b>why this order</b> '
        f"{escape_html(why_this_order(hook, names))}</div></div></details>"
    )


def _hooks_html(project: ProjectMap, hooks: Sequence[HookEntry], page: Page) -> str:
    if not hooks:
        return f'<div style="{_MUTED}">hooks: none yet</div>' if not project.hooks else ""
    names = project.names()
    opened = len(hooks) <= OPEN_HOOKS
    # the name column: a code character is about 0.62 em, a text one 0.5 em; at most 26 em
    width = min(26.0, max(0.62 * len(h.name) + 0.5 * len(h.mode) + 0.8 for h in hooks))
    caption = "each hook with its call order" + (
        "" if opened else "; click a hook for its extension point, docs, mode and why this order")
    return (f'<div class="nbplug-map-hooks"><div style="{_MUTED};margin-top:4px">{caption}</div>'
            + "".join(_hook_html(hook, page, names, width, opened) for hook in hooks) + "</div>")


def _plugins_html(project: ProjectMap, page: Page) -> str:
    if not project.plugins:
        return "<div><b>plugins</b>: none</div>"
    plugins, kept = page.plugins_shown(project)
    names = project.names()
    items = "".join(
        f'<li class="nbplug-plugin" data-plugin="{escape_html(p.name)}" title="{escape_html(p.name)}">'
        f'<b>{escape_html(name)}</b> <span style="{_MUTED}">{escape_html(label)}</span></li>'
        for p in plugins for name, label in (plugin_words(names, p.name, p.label, with_id=False),)
    )
    few = len(plugins) <= OPEN_PLUGINS
    columns = "" if few else ";column-width:24em"  # a long list flows in columns
    return (f'<details class="nbplug-map-plugins"{" open" if few else ""}><summary style="cursor:pointer">'
            f"<b>plugins</b>, in registration order ({kept:,})</summary>"
            f'<ul style="margin:0{columns}">{items}</ul>'
            f"{_note(plugins_more(len(plugins), kept))}</details>")


def project_html(project: ProjectMap, page: Page = ALL) -> str:
    """One project's design map as escaped HTML (the part ``page`` shows)."""
    hooks, matching = page.hooks_shown(project)
    names = project.names()
    page = page.sized_for(hooks, names)
    parts = [
        f'<div class="nbplug-manager nbplug-designmap" data-project="{escape_html(project.project)}" '
        f'style="{_CSS};margin-bottom:12px">',
        f'<div class="nbplug-map-summary"><b>{escape_html(summary(project))}</b></div>',
        _note(page.left_out(project), "nbplug-map-left-out"),
        _note(page.scope(project, hooks, matching), "nbplug-map-scope"),
        _matrix_html(project, hooks, page), _hooks_html(project, hooks, page), _plugins_html(project, page),
    ]
    pending, kept = page.pending_shown(project)
    if project.pending:
        items = "".join(
            f'<li class="nbplug-pending">{escape_html(names.get(p.plugin, p.plugin))} '
            f"<code>{escape_html(p.function)}</code></li>" for p in pending
        )
        parts.append(
            f'<div style="color:{theme.ERROR}"><b>pending extensions</b> (no extension point; '
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
