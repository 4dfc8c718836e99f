"""The design diagram drawn: SVG for the notebook, and a text form with the same content.

The SVG is styled with JupyterLab's theme variables through ``style`` attributes (SVG's own
presentation attributes do not take ``var()``): boxes on the raised surface, names in the theme's
text colour, notes and lines in its muted text colour, an extension's label on a halo of the
background so it stays readable where lines cross; a wrapper's line is dashed, an undeclared
hook's box too -- never colour alone. Every name from user code is escaped (``escape_html``:
controls written as escapes, then markup) and cut to fit its box, the whole name its ``<title>``.
"""

from __future__ import annotations

from ..designmap.snapshot import DesignMap, ProjectMap, cell_marks
from ..format import theme
from ..format.text import escape_html, text_form
from .layout import WIDTH, Box, Edge, Layout, lay_out

__all__ = ["diagram_html", "diagram_text", "project_svg"]

BACKGROUND = "var(--jp-layout-color0, #fff)"
LINE = theme.MUTED
_FONT = "font-family:var(--jp-ui-font-family,sans-serif)"


def _text(x: float, y: float, words: str, style: str, anchor: str = "start") -> str:
    """A text: ``style`` gives its ``color``, which its fill follows (so a contrast check reads
    an SVG text as it reads any other)."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'style="{_FONT};fill:currentColor;{style}">'
            f"{escape_html(words)}</text>")


def _box(box: Box) -> str:
    stroke = theme.INFO if box.kind == "host" else LINE
    dash = ";stroke-dasharray:5 3" if box.dashed else ""
    width = 2 if box.kind == "host" else 1
    parts = [
        f'<g class="nbplug-diagram-{box.kind}" data-name="{escape_html(box.name)}">',
        f"<title>{escape_html(box.name)}</title>",
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="5" '
        f'style="fill:{theme.SURFACE};stroke:{stroke};stroke-width:{width}{dash}"/>',
    ]
    if box.kind == "host":
        parts.append(_text(box.x + 10, box.y + 17, "host", f"font-size:11px;color:{theme.MUTED}"))
        strong = f"font-size:13px;font-weight:700;color:{theme.TEXT}"
        parts.append(_text(box.x + 10, box.y + 33, box.shown, strong))
        parts.append(_text(box.x + 10, box.y + 48, box.note, f"font-size:11px;color:{theme.MUTED}"))
    else:
        name = f"font-size:13px;font-weight:600;color:{theme.TEXT}"
        parts.append(_text(box.x + 10, box.y + 17, box.shown, name))
        if box.note:
            parts.append(_text(box.x + 10, box.y + 31, box.note, f"font-size:11px;color:{theme.MUTED}"))
    parts.append("</g>")
    return "".join(parts)


def _edge(edge: Edge) -> str:
    bend = (edge.x2 - edge.x1) / 2
    dash = ";stroke-dasharray:6 3" if edge.wrapper else ""
    halo = f"paint-order:stroke;stroke:{BACKGROUND};stroke-width:3px;stroke-linejoin:round"
    return (
        f'<g class="nbplug-diagram-edge" data-hook="{escape_html(edge.hook)}" '
        f'data-plugin="{escape_html(edge.plugin)}"><title>{escape_html(edge.plugin)} implements '
        f"{escape_html(edge.hook)} ({escape_html(edge.label)})</title>"
        f'<path d="M{edge.x1:.1f},{edge.y1:.1f} C{edge.x1 + bend:.1f},{edge.y1:.1f} '
        f'{edge.x2 - bend:.1f},{edge.y2:.1f} {edge.x2:.1f},{edge.y2:.1f}" '
        f'style="fill:none;stroke:{LINE};stroke-width:1.3{dash}"/>'
        + _text(edge.x1 + 5, edge.y1 - 3, edge.label, f"font-size:11px;color:{theme.TEXT};{halo}")
        + "</g>"
    )


def _host_lines(layout: Layout) -> str:
    host = layout.host
    x1, y1 = host.x + host.w, host.middle
    return "".join(
        f'<path class="nbplug-diagram-call" d="M{x1:.1f},{y1:.1f} C{x1 + 30:.1f},{y1:.1f} '
        f'{hook.x - 30:.1f},{hook.middle:.1f} {hook.x:.1f},{hook.middle:.1f}" '
        f'style="fill:none;stroke:{theme.INFO};stroke-width:1.3"/>' for hook in layout.hooks)


def project_svg(project: ProjectMap) -> str:
    """One project's diagram as an SVG element."""
    layout = lay_out(project)
    heads = (_text(8, 16, "host", f"font-size:12px;color:{theme.MUTED}")
             + _text(220, 16, "extension points (mode)", f"font-size:12px;color:{theme.MUTED}")
             + _text(560, 16, "plugins", f"font-size:12px;color:{theme.MUTED}"))
    body = "".join([_host_lines(layout), *(_edge(e) for e in layout.edges),
                    _box(layout.host), *(_box(b) for b in layout.hooks), *(_box(b) for b in layout.plugins)])
    return (
        f'<svg class="nbplug-diagram-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {layout.height:.0f}" width="100%" style="max-width:{WIDTH}px;height:auto;'
        f'display:block"><title>design diagram of {escape_html(project.project)}</title>{heads}{body}</svg>'
    )


def _left_out(layout: Layout) -> str:
    hooks, plugins = layout.left_out
    if not (hooks or plugins):
        return ""
    return (f"not drawn: {hooks} more hooks and {plugins} more plugins "
            "(the design map, ManagerInspector(...), lists them all)")


_LEGEND = ("each line is an extension, numbered by its place in the hook's call order (↑first: "
           "tryfirst, ↓last: trylast); a dashed line is a wrapper, a dashed box a hook with no "
           "extension point")


def diagram_html(design: DesignMap) -> str:
    """Every project's diagram, with a legend, as static HTML."""
    frame = f"{_FONT};font-size:13px;color:{theme.TEXT};max-width:100%"
    parts = [f'<div class="nbplug-diagram" style="{frame}">']
    if not design.projects:
        parts.append(f'<div style="color:{theme.MUTED}">no plugin managers yet</div>')
    for project in design.projects:
        layout = lay_out(project)
        parts.append(f'<div class="nbplug-diagram-project" style="margin:.4em 0"><b>design of '
                     f"{escape_html(project.project)}</b>{project_svg(project)}")
        note = _left_out(layout)
        if note:
            parts.append(f'<div style="color:{theme.MUTED}">{escape_html(note)}</div>')
        parts.append("</div>")
    parts.append(f'<div class="nbplug-diagram-legend" style="color:{theme.MUTED}">'
                 f"{escape_html(_LEGEND)}</div></div>")
    return "".join(parts)


def _project_lines(project: ProjectMap) -> list[str]:
    layout = lay_out(project)
    lines = [f"design of {project.project}: host {project.project} calls "
             f"{len(project.hooks)} hook{'s' * (len(project.hooks) != 1)}"]
    for hook in project.hooks[: len(layout.hooks)]:
        mode = hook.mode if hook.declared else "no extension point"
        lines.append(f"  ├─ {hook.name} ({mode})")
        for cell in hook.cells:
            marks = f" [{', '.join(cell_marks(cell))}]" if cell_marks(cell) else ""
            lines.append(f"  │    {cell.position}. {cell.plugin}{marks}")
        if not hook.cells:
            lines.append("  │    (no extensions)")
    lines.append("  plugins:")
    for box in layout.plugins:
        hooks = [h.name for h in project.hooks if h.cell_of(box.name) is not None]
        lines.append(f"    {box.name}: " + (", ".join(hooks) if hooks else box.note))
    note = _left_out(layout)
    return [*lines, *([f"  {note}"] if note else [])]


def diagram_text(design: DesignMap) -> str:
    """Every project's diagram as text: the host, its hooks with their extensions, the plugins."""
    if not design.projects:
        return "no plugin managers yet"
    lines = [line for project in design.projects for line in _project_lines(project)]
    return text_form([*lines, f"  ({_LEGEND})"])
