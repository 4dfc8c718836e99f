"""The recording rendered: per-hook counts and times, the call tree and the timeline, as text and
as escaped HTML, over the calls a :class:`~.scope.Scope` picks (by hook, plugin, thread, within
one call, or the path to one).

The tree shows hooks calling hooks as nesting, each nested call marked with the plugin whose
extension made it (``[main] pytest_collection``). A filter keeps the calls that match and,
greyed, the calls around them, so a match is always seen where it happened. A large recording is
cut at ``limit`` calls, saying how many more there are. A call the tree starts at that was made
on another thread is marked with that thread (``[thread pool_0]``), in every form. The HTML tree
is made of ``<details>`` elements: browsable with no script, with nothing opened past the second
level (a filtered tree opens every call around a match, so the matches show).

Rejected: drawing every kept call (a 2,000-call tree is a megabyte of HTML that no one reads;
filtering finds a call, and the call view shows it whole).
"""

from __future__ import annotations

from nbplug._base.safetext import shorten

from ...recording.model import RecordedCall, Recording
from ..designmap.snapshot import count
from ..format import theme
from ..format.text import escape_html, format_duration, text_form
from .names import named_rows, registered_by_shown, shown_plugins
from .scope import EVERYTHING, Scope, TreeRow, tree_rows

__all__ = ["hook_table_html", "hook_table_text", "pane_html", "recording_html", "recording_text",
           "timeline_html", "timeline_text", "tree_html", "tree_text"]

#: Calls shown in a tree or timeline before it is cut.
LIMIT = 300
#: Longest argument list shown in a tree line.
MAX_ARGS = 90

_CSS = (f"font-family:var(--jp-code-font-family,monospace);font-size:12px;color:{theme.TEXT};"
        "line-height:1.4")
_MUTED = f"color:{theme.MUTED}"
_CELL = f"padding:1px 8px;border-bottom:1px solid {theme.BORDER};text-align:left"
_RIGHT = f"padding:1px 8px;border-bottom:1px solid {theme.BORDER};text-align:right"
#: The tree and the timeline scroll inside a box of their own rather than run down the notebook.
_SCROLL = "max-height:36em;overflow:auto"


def headline(recording: Recording) -> str:
    """``recording of X: 9,624 hook calls of 36 hooks in 1.20 s; 2,000 kept, 7,624 counted only``."""
    line = (f"recording of {recording.manager}: {recording.total:,} hook calls of "
            f"{count(len(recording.hooks), 'hook')} in {format_duration(recording.duration)}; "
            f"{recording.kept:,} kept in detail")
    if recording.dropped:
        line += (f", {recording.dropped:,} only counted (budget: the first "
                 f"{recording.max_calls:,} calls and {recording.min_per_hook} of every hook)")
    if recording.other_threads:
        threads = recording.threads()
        line += f"; {recording.other_threads:,} of them on other threads"
        if threads:
            line += f" ({count(len(threads), 'thread')} with calls kept)"
    return line


def call_line(call: RecordedCall) -> str:
    """``#12 pytest_runtest_makereport(item=<Function test_one>, call=…) → <TestReport …>``."""
    args = shorten(", ".join(f"{name}={value}" for name, value in call.args), MAX_ARGS)
    outcome = f"raised {call.error}" if call.error else ("" if call.result is None
                                                         else f" → {call.result}")
    if call.error:
        outcome = " " + outcome
    return f"#{call.index} {call.hook}({args}){outcome}"


def row_line(row: TreeRow) -> str:
    """A tree row's call, marked as the tree marks it: ``[runner] #12 pytest_runtest_…``, or
    ``[thread pool_0] #7 same_inner(n=0) → [0]`` for a call on another thread."""
    label = row.label
    return f"[{label}] {call_line(row.call)}" if label else call_line(row.call)


# --------------------------------------------------------------------------------------------------
# Per-hook counts and times


def _hook_rows(recording: Recording, scope: Scope) -> list[tuple[str, int, int, float, int]]:
    """(name, calls, kept, seconds, errors) per hook in the order their first calls began (as the
    tree reads); with a plugin, that
    plugin's extensions' runs instead of the hooks' calls; with the tree started elsewhere than
    at every root (a thread, within a call, a path), the kept calls shown only (the counts of
    calls not kept are not split that way)."""
    if scope.narrowed:
        rows: dict[str, list[float]] = {}
        for row in tree_rows(recording, scope, limit=recording.kept + 1)[0]:
            if row.matched or scope.path:
                stats = rows.setdefault(row.call.hook, [0, 0.0, 0])
                stats[0] += 1
                stats[1] += row.call.duration
                stats[2] += row.call.error is not None
        return [(name, int(n), int(n), secs, int(errs)) for name, (n, secs, errs) in rows.items()]
    if scope.plugin is not None:  # impls are listed as their stand-ins were put: in hook order
        order = {hook: at for at, hook in enumerate(recording.hooks)}
        runs = [s for s in recording.impls.values()
                if s.plugin == scope.plugin and (scope.hook is None or s.hook == scope.hook)
                and s.calls]
        return [(s.hook, s.calls, -1, s.seconds, s.errors)
                for s in sorted(runs, key=lambda s: order.get(s.hook, len(order)))]
    return [(s.hook, s.calls, s.kept, s.seconds, s.errors) for s in recording.hooks.values()
            if scope.hook is None or s.hook == scope.hook]


def _table_title(recording: Recording, scope: Scope) -> str:
    plugin, where = scope.plugin and shown_plugins(recording).get(scope.plugin, scope.plugin), scope.where()
    what = f"runs of plugin {plugin}'s implementations" if plugin and not where else "calls per hook"
    return what + (f" (kept calls {where})" if where else "")


def hook_table_text(recording: Recording, scope: Scope = EVERYTHING) -> list[str]:
    rows = _hook_rows(recording, scope)
    what = _table_title(recording, scope)
    if not rows:
        return [f"{what}: none"]
    width = max(len(r[0]) for r in rows)
    lines = [f"{what}, in order of first call (time includes the calls each made):",
             f"  {'hook':<{width}}  {'calls':>7}  {'kept':>6}  {'total':>10}  {'mean':>10}  errors"]
    for name, calls, kept, seconds, errors in rows:
        kept_text = "" if kept < 0 else f"{kept:,}"
        lines.append(f"  {name:<{width}}  {calls:>7,}  {kept_text:>6}  {format_duration(seconds):>10}  "
                     f"{format_duration(seconds / calls if calls else 0):>10}  {errors or ''}")
    return lines


def hook_table_html(recording: Recording, scope: Scope = EVERYTHING) -> str:
    rows = _hook_rows(recording, scope)
    what = _table_title(recording, scope)
    if not rows:
        return f'<div style="{_MUTED}">{escape_html(what)}: none</div>'
    head = "".join(f'<th style="{_CELL if i == 0 else _RIGHT}">{h}</th>'
                   for i, h in enumerate(["hook", "calls", "kept", "total", "mean", "errors"]))
    body = []
    for name, calls, kept, seconds, errors in rows:
        err = f'<span style="color:{theme.ERROR}">{errors}</span>' if errors else ""
        cells = [f"{calls:,}", "" if kept < 0 else f"{kept:,}", format_duration(seconds),
                 format_duration(seconds / calls if calls else 0)]
        body.append(
            f'<tr class="nbplug-rec-hook" data-hook="{escape_html(name)}"><td style="{_CELL}">'
            f"<code>{escape_html(name)}</code></td>"
            + "".join(f'<td style="{_RIGHT}">{escape_html(c)}</td>' for c in cells)
            + f'<td style="{_RIGHT}">{err}</td></tr>')
    return (f'<div><b>{escape_html(what)}</b> <span style="{_MUTED}">in order of first call; time includes '
            f"the calls each made</span></div>"
            f'<table class="nbplug-rec-hooks" style="border-collapse:collapse">'
            f"<tr>{head}</tr>{''.join(body)}</table>")


# --------------------------------------------------------------------------------------------------
# The call tree


def _time_of(call: RecordedCall) -> str:
    return format_duration(call.duration)


def _tree_title(scope: Scope) -> str:
    if scope.path:
        return (f"path to #{scope.path[-1].index} (the calls it was made inside, outermost first, "
                "each marked [plugin] with the extension that made it)")
    return ("call tree (each nested call marked [plugin] with the extension that made it"
            + ("; · marks context around a match)" if scope.marks else ")"))


def _cut(limit: int, left_out: int) -> str:
    more = f"; {left_out:,} more matching calls" if left_out else ""
    return f"… cut at {limit} rows{more} (filter by hook or plugin)"


def tree_text(recording: Recording, scope: Scope = EVERYTHING, limit: int = LIMIT) -> list[str]:
    rows, left_out = tree_rows(recording, scope, limit)
    rows = named_rows(recording, rows)
    if not rows:
        return ["call tree: no call kept" + (" matches the filter" if scope.marks else "")]
    lines = [_tree_title(scope)]
    for row in rows:
        mark = "  " if row.matched or not scope.marks else "· "
        lines.append(f"  {'  ' * row.depth}{mark}{row_line(row)}  {_time_of(row.call)}")
    if left_out or len(rows) >= limit:
        lines.append(f"  {_cut(limit, left_out)}")
    return lines


def tree_html(recording: Recording, scope: Scope = EVERYTHING, limit: int = LIMIT) -> str:
    rows, left_out = tree_rows(recording, scope, limit)
    rows, registered = named_rows(recording, rows), registered_by_shown(recording)
    if not rows:
        return (f'<div style="{_MUTED}">call tree: no call kept'
                + (" matches the filter" if scope.marks else "") + "</div>")
    parts = [f'<div class="nbplug-rec-tree" style="{_SCROLL}">']
    depth = -1
    filtered = scope.marks
    for index, row in enumerate(rows):
        while depth >= row.depth:
            parts.append("</details>")
            depth -= 1
        has_children = index + 1 < len(rows) and rows[index + 1].depth > row.depth
        context = f"{_MUTED};" if filtered and not row.matched else ""  # a call around a match
        label = row.label
        # a plugin shown by what it is carries the name it is registered by (its id) on hover
        title = (f' title="registered as {escape_html(registered[row.via])}"'
                 if row.via in registered else "")
        via = f'<span style="{_MUTED}"{title}>[{escape_html(label)}]</span> ' if label else ""
        colour = theme.ERROR if row.call.error else (theme.TEXT if filtered and row.matched else "")
        look = ";".join(part for part in (
            f"color:{colour}" if colour else "",  # a match inside muted context is not muted
            "font-weight:bold" if filtered and row.matched else "") if part)
        summary = (f'{via}<span style="{look}">{escape_html(call_line(row.call))}</span> '
                   f'<span style="{_MUTED}">{escape_html(_time_of(row.call))}</span>')
        data = f'data-hook="{escape_html(row.call.hook)}" data-index="{row.call.index}"'
        if row.depth == 0 and row.call.thread is not None:
            data += f' data-thread="{escape_html(row.call.thread)}"'
        if has_children:  # opened: the first two levels, and every call around a match
            opened = " open" if row.depth < 2 or filtered else ""
            parts.append(f'<details class="nbplug-rec-call" {data}{opened} '
                         f'style="{context}margin-left:{1.2 if row.depth else 0}em">'
                         f"<summary>{summary}</summary>")
            depth = row.depth
        else:
            parts.append(f'<div class="nbplug-rec-call" {data} '
                         f'style="{context}margin-left:{1.2 if row.depth else 0}em;padding-left:1em">'
                         f"{summary}</div>")
    parts.append("</details>" * (depth + 1))
    if left_out or len(rows) >= limit:
        parts.append(f'<div style="{_MUTED}">{escape_html(_cut(limit, left_out))}</div>')
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# The timeline


def _timeline_rows(recording: Recording, scope: Scope, depth: int, limit: int
                   ) -> tuple[list[TreeRow], int]:
    rows, left_out = tree_rows(recording, scope, limit=10 * limit)
    rows = named_rows(recording, rows)
    shallow = [row for row in rows if row.depth <= depth or scope.path
               or (row.matched and (scope.hook or scope.plugin))]
    return shallow[:limit], left_out + max(0, len(shallow) - limit)


def _axis(recording: Recording, scope: Scope) -> tuple[float, float]:
    """Where the timeline's axis starts and how long it is (seconds since recording started):
    the one call every call shown was made inside, else the whole recording."""
    span = scope.span
    if span is None:
        return 0.0, max(recording.duration, 1e-9)
    return span.start, max(span.duration, 1e-9)


def _axis_words(recording: Recording, scope: Scope) -> str:
    span = scope.span
    if span is None:
        return f"{format_duration(recording.duration)} in all"
    return f"the axis spans call #{span.index}, {format_duration(span.duration)}"


def timeline_text(recording: Recording, scope: Scope = EVERYTHING, depth: int = 2,
                  limit: int = 60) -> list[str]:
    rows, left_out = _timeline_rows(recording, scope, depth, limit)
    origin, total = _axis(recording, scope)
    lines = [f"timeline (calls to depth {depth}, and every match; since recording started, "
             f"{_axis_words(recording, scope)}):"]
    width = 40
    for row in rows:
        left = int(width * min(max(row.call.start - origin, 0.0) / total, 1.0))
        size = max(1, int(width * row.call.duration / total))
        bar = " " * left + "█" * min(size, width - left) if left < width else " " * (width - 1) + "█"
        label = f"  [{row.label}]" if row.label else ""
        lines.append(f"  +{row.call.start * 1e3:9.2f} ms |{bar:<{width}}| "
                     f"{'  ' * row.depth}{row.call.hook}  {_time_of(row.call)}{label}")
    if left_out:
        lines.append(f"  … {left_out:,} more calls (filter by hook or plugin)")
    return lines


def timeline_html(recording: Recording, scope: Scope = EVERYTHING, depth: int = 2,
                  limit: int = 120) -> str:
    rows, left_out = _timeline_rows(recording, scope, depth, limit)
    origin, total = _axis(recording, scope)

    def pct(t: float) -> float:
        return 100.0 * min(max(t - origin, 0.0), total) / total

    parts = [f'<div><b>timeline</b> <span style="{_MUTED}">calls to depth {depth} and every match, '
             f"on one axis: {escape_html(_axis_words(recording, scope))}</span></div>",
             f'<div style="{_SCROLL}"><table class="nbplug-rec-timeline" '
             'style="border-collapse:collapse;width:100%">']
    for row in rows:
        call = row.call
        color = theme.ERROR if call.error else (theme.tone("brand") if row.matched
                                                else theme.MUTED)
        left, width = pct(call.start), max(pct(call.end) - pct(call.start), 0.3)
        title = f"{call.hook}: {format_duration(call.duration)} at +{call.start * 1e3:.2f} ms"
        label = (f' <span style="{_MUTED}">[{escape_html(row.label)}]</span>' if row.label else "")
        parts.append(
            f'<tr class="nbplug-rec-bar" data-hook="{escape_html(call.hook)}">'
            f'<td style="padding-left:{0.3 + 1.0 * row.depth}em;white-space:nowrap">'
            f"{escape_html(call.hook)}{label}</td>"
            f'<td style="width:65%"><div style="position:relative;height:1.1em;'
            f'border-left:1px solid {theme.BORDER}">'
            f'<span title="{escape_html(title)}" style="position:absolute;left:{left:.2f}%;'
            f'width:{width:.2f}%;top:2px;bottom:2px;background:{color}"></span></div></td>'
            f'<td style="{_RIGHT};{_MUTED}">{escape_html(format_duration(call.duration))}</td></tr>')
    parts.append("</table></div>")
    start = format_duration(origin) if scope.span is not None else "0 ms"
    parts.append(f'<div style="{_MUTED}">{escape_html(start)} … '
                 f"{escape_html(format_duration(origin + total if scope.span else recording.duration))}"
                 + (f"; {left_out:,} more calls (filter by hook or plugin)" if left_out else "")
                 + "</div>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# All of it


def _words(recording: Recording, scope: Scope) -> list[tuple[str, str]]:
    """The filters as the view says them: a plugin by the name the views show it by."""
    shown = shown_plugins(recording)
    return [(name, shown.get(value, value) if name == "plugin" else value)
            for name, value in scope.words()]


def recording_text(recording: Recording, scope: Scope = EVERYTHING, limit: int = LIMIT) -> str:
    """The recording as text: headline, calls per hook, call tree (and the filter, if any)."""
    lines = [headline(recording)]
    if said := _words(recording, scope):
        lines.append("filter: " + ", ".join(f"{name} {value}" for name, value in said))
    lines += hook_table_text(recording, scope)
    lines += tree_text(recording, scope, limit)
    return text_form(lines)


def pane_html(body: str) -> str:
    """One part of the recording (the table, the tree, the timeline) alone, in the recording's
    frame and font (the live widget shows each part in a tab of its own)."""
    return f'<div class="nbplug-recording" style="{_CSS}">{body}</div>'


def recording_html(recording: Recording, scope: Scope = EVERYTHING, limit: int = LIMIT, *,
                   timeline: bool = True) -> str:
    """The recording as static, escaped HTML: headline, calls per hook, call tree, timeline."""
    filt = ""
    if said := _words(recording, scope):
        filt = ('<div class="nbplug-rec-filter">filter: '
                + ", ".join(f"{name} <code>{escape_html(value)}</code>" for name, value in said)
                + "</div>")
    parts = [f'<div class="nbplug-recording" style="{_CSS}">',
             f'<div class="nbplug-rec-headline"><b>{escape_html(headline(recording))}</b></div>', filt,
             hook_table_html(recording, scope),
             f'<div style="margin-top:6px"><b>{"path" if scope.path else "call tree"}</b> '
             f'<span style="{_MUTED}">nested calls marked [plugin] with the extension that made '
             "them</span></div>",
             tree_html(recording, scope, limit)]
    if timeline:
        parts.append(timeline_html(recording, scope))
    parts.append("</div>")
    return "".join(parts)
