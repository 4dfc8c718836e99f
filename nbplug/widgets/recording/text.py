"""The recording rendered: per-hook counts and times, the call tree and the timeline, as text and
as escaped HTML, filtered by hook and by plugin.

The tree shows hooks calling hooks as nesting, each nested call marked with the plugin whose
extension made it (``[main] pytest_collection``). A filter keeps the calls that match and,
greyed, the calls around them, so a match is always seen where it happened. A large recording is
cut at ``limit`` calls, saying how many more there are. The HTML tree is made of ``<details>``
elements: browsable with no script, with nothing opened past the second level (a filtered tree
opens every call around a match, so the matches show).

Rejected: drawing every kept call (a 2,000-call tree is a megabyte of HTML that no one reads;
filtering finds a call, and the call view shows it whole).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from nbplug._base.safetext import shorten

from ...recording.model import RecordedCall, Recording, matches
from ..designmap.snapshot import count
from ..format import theme
from ..format.text import escape_html, format_duration, text_form

__all__ = ["OWN_THREAD", "TreeRow", "hook_table_html", "hook_table_text", "pane_html", "recording_html",
           "recording_text",
           "timeline_html", "timeline_text", "tree_html", "tree_rows", "tree_text"]

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
    if recording.threads():
        line += f"; calls on {count(len(recording.threads()), 'other thread')} among them"
    return line


#: The ``thread=`` that picks the calls of the thread that opened the recorder.
OWN_THREAD = "(recording thread)"


def on_thread(call: RecordedCall, thread: str | None) -> bool:
    """Whether a root call was made on ``thread`` (None: any thread; OWN_THREAD: the recorder's)."""
    return thread is None or call.thread == (None if thread == OWN_THREAD else thread)


def call_line(call: RecordedCall) -> str:
    """``#12 pytest_runtest_makereport(item=<Function test_one>, call=…) → <TestReport …>``."""
    args = shorten(", ".join(f"{name}={value}" for name, value in call.args), MAX_ARGS)
    outcome = f"raised {call.error}" if call.error else ("" if call.result is None
                                                         else f" → {call.result}")
    if call.error:
        outcome = " " + outcome
    return f"#{call.index} {call.hook}({args}){outcome}"


# --------------------------------------------------------------------------------------------------
# Per-hook counts and times


def _hook_rows(recording: Recording, hook: str | None, plugin: str | None, thread: str | None = None
               ) -> list[tuple[str, int, int, float, int]]:
    """(name, calls, kept, seconds, errors) per hook in order of first call; with a plugin, that
    plugin's extensions' runs instead of the hooks' calls; with a thread, its kept calls only
    (the counts of calls not kept are not split by thread)."""
    if thread is not None:
        rows: dict[str, list[float]] = {}
        for row in tree_rows(recording, hook, plugin, limit=recording.kept + 1, thread=thread)[0]:
            if row.matched:
                stats = rows.setdefault(row.call.hook, [0, 0.0, 0])
                stats[0] += 1
                stats[1] += row.call.duration
                stats[2] += row.call.error is not None
        return [(name, int(n), int(n), secs, int(errs)) for name, (n, secs, errs) in rows.items()]
    if plugin is not None:
        return [(s.hook, s.calls, -1, s.seconds, s.errors) for s in recording.impls.values()
                if s.plugin == plugin and (hook is None or s.hook == hook) and s.calls]
    return [(s.hook, s.calls, s.kept, s.seconds, s.errors) for s in recording.hooks.values()
            if hook is None or s.hook == hook]


def _table_title(plugin: str | None, thread: str | None) -> str:
    what = f"runs of plugin {plugin}'s implementations" if plugin else "calls per hook"
    return what + (f" (kept calls on thread {thread})" if thread is not None else "")


def hook_table_text(recording: Recording, hook: str | None = None, plugin: str | None = None,
                    *, thread: str | None = None) -> list[str]:
    rows = _hook_rows(recording, hook, plugin, thread)
    what = _table_title(plugin, thread)
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


def hook_table_html(recording: Recording, hook: str | None = None, plugin: str | None = None,
                    *, thread: str | None = None) -> str:
    rows = _hook_rows(recording, hook, plugin, thread)
    what = _table_title(plugin, thread)
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


@dataclass(frozen=True)
class TreeRow:
    """One line of the tree: a call at a depth, the plugin that made it, and whether it matched
    the filter (a non-matching row is context: a call around a match)."""

    depth: int
    call: RecordedCall
    via: str | None
    matched: bool


def _children_via(call: RecordedCall) -> Iterator[tuple[RecordedCall, str | None]]:
    for step in call.steps:
        for child in step.calls:
            yield child, step.plugin
    for child in call.calls:
        yield child, None


def tree_rows(recording: Recording, hook: str | None = None, plugin: str | None = None,
              limit: int = LIMIT, *, thread: str | None = None) -> tuple[list[TreeRow], int]:
    """The rows of the (filtered) tree, at most ``limit``, and how many matching calls were left out."""
    rows: list[TreeRow] = []
    left_out = 0
    filtered = hook is not None or plugin is not None

    def visit(calls: Iterable[tuple[RecordedCall, str | None]], depth: int) -> bool:
        nonlocal left_out
        found = False
        for call, via in calls:
            hit = matches(call, hook, plugin)
            at = len(rows)
            if len(rows) < limit:
                rows.append(TreeRow(depth, call, via, hit))
            elif hit:
                left_out += 1
            inner = visit(_children_via(call), depth + 1)
            if filtered and not (hit or inner) and at < len(rows):
                del rows[at:]  # nothing here matches: prune the branch
            found = found or hit or inner
        return found

    visit(((call, None) for call in recording.calls if on_thread(call, thread)), 0)
    return rows, left_out


def _time_of(call: RecordedCall) -> str:
    return format_duration(call.duration)


def tree_text(recording: Recording, hook: str | None = None, plugin: str | None = None,
              limit: int = LIMIT, *, thread: str | None = None) -> list[str]:
    rows, left_out = tree_rows(recording, hook, plugin, limit, thread=thread)
    if not rows:
        return ["call tree: no call kept" + (" matches the filter" if hook or plugin else "")]
    lines = ["call tree (each nested call marked [plugin] with the extension that made it"
             + ("; · marks context around a match)" if hook or plugin else ")")]
    for row in rows:
        via = f"[{row.via}] " if row.via else ""
        mark = "  " if row.matched or not (hook or plugin) else "· "
        lines.append(f"  {'  ' * row.depth}{mark}{via}{call_line(row.call)}  {_time_of(row.call)}")
    if left_out or len(rows) >= limit:
        lines.append(f"  … cut at {limit} rows" + (f"; {left_out:,} more matching calls" if left_out
                                                   else "") + " (filter by hook or plugin)")
    return lines


def tree_html(recording: Recording, hook: str | None = None, plugin: str | None = None,
              limit: int = LIMIT, *, thread: str | None = None) -> str:
    rows, left_out = tree_rows(recording, hook, plugin, limit, thread=thread)
    if not rows:
        return (f'<div style="{_MUTED}">call tree: no call kept'
                + (" matches the filter" if hook or plugin else "") + "</div>")
    parts = [f'<div class="nbplug-rec-tree" style="{_SCROLL}">']
    depth = -1
    for index, row in enumerate(rows):
        while depth >= row.depth:
            parts.append("</details>")
            depth -= 1
        has_children = index + 1 < len(rows) and rows[index + 1].depth > row.depth
        filtered = bool(hook or plugin)
        context = f"{_MUTED};" if filtered and not row.matched else ""  # a call around a match
        via = f'<span style="{_MUTED}">[{escape_html(row.via)}]</span> ' if row.via else ""
        colour = theme.ERROR if row.call.error else (theme.TEXT if filtered and row.matched else "")
        look = ";".join(part for part in (
            f"color:{colour}" if colour else "",  # a match inside muted context is not muted
            "font-weight:bold" if filtered and row.matched else "") if part)
        summary = (f'{via}<span style="{look}">{escape_html(call_line(row.call))}</span> '
                   f'<span style="{_MUTED}">{escape_html(_time_of(row.call))}</span>')
        data = f'data-hook="{escape_html(row.call.hook)}" data-index="{row.call.index}"'
        if has_children:  # opened: the first two levels, and every call around a match
            opened = " open" if row.depth < 2 or (hook or plugin) else ""
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
        more = f"; {left_out:,} more matching calls" if left_out else ""
        parts.append(f'<div style="{_MUTED}">… cut at {limit} rows{more} (filter by hook or plugin)</div>')
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# The timeline


def _timeline_rows(recording: Recording, hook: str | None, plugin: str | None, depth: int,
                   limit: int, thread: str | None) -> tuple[list[TreeRow], int]:
    rows, left_out = tree_rows(recording, hook, plugin, limit=10 * limit, thread=thread)
    shallow = [row for row in rows if row.depth <= depth or (row.matched and (hook or plugin))]
    return shallow[:limit], left_out + max(0, len(shallow) - limit)


def timeline_text(recording: Recording, hook: str | None = None, plugin: str | None = None,
                  depth: int = 2, limit: int = 60, *, thread: str | None = None) -> list[str]:
    rows, left_out = _timeline_rows(recording, hook, plugin, depth, limit, thread)
    total = max(recording.duration, 1e-9)
    lines = [f"timeline (calls to depth {depth}, and every match; since recording started, "
             f"{format_duration(recording.duration)} in all):"]
    width = 40
    for row in rows:
        left = int(width * min(row.call.start / total, 1.0))
        size = max(1, int(width * row.call.duration / total))
        bar = " " * left + "█" * min(size, width - left) if left < width else " " * (width - 1) + "█"
        lines.append(f"  +{row.call.start * 1e3:9.2f} ms |{bar:<{width}}| "
                     f"{'  ' * row.depth}{row.call.hook}  {_time_of(row.call)}")
    if left_out:
        lines.append(f"  … {left_out:,} more calls (filter by hook or plugin)")
    return lines


def timeline_html(recording: Recording, hook: str | None = None, plugin: str | None = None,
                  depth: int = 2, limit: int = 120, *, thread: str | None = None) -> str:
    rows, left_out = _timeline_rows(recording, hook, plugin, depth, limit, thread)
    total = max(recording.duration, 1e-9)

    def pct(t: float) -> float:
        return 100.0 * min(max(t, 0.0), total) / total

    parts = [f'<div><b>timeline</b> <span style="{_MUTED}">calls to depth {depth} and every match, '
             f"on one axis of {escape_html(format_duration(recording.duration))}</span></div>",
             f'<div style="{_SCROLL}"><table class="nbplug-rec-timeline" '
             'style="border-collapse:collapse;width:100%">']
    for row in rows:
        call = row.call
        color = theme.ERROR if call.error else (theme.tone("brand") if row.matched
                                                else theme.MUTED)
        left, width = pct(call.start), max(pct(call.end) - pct(call.start), 0.3)
        title = f"{call.hook}: {format_duration(call.duration)} at +{call.start * 1e3:.2f} ms"
        parts.append(
            f'<tr class="nbplug-rec-bar" data-hook="{escape_html(call.hook)}">'
            f'<td style="padding-left:{0.3 + 1.0 * row.depth}em;white-space:nowrap">'
            f"{escape_html(call.hook)}</td>"
            f'<td style="width:65%"><div style="position:relative;height:1.1em;'
            f'border-left:1px solid {theme.BORDER}">'
            f'<span title="{escape_html(title)}" style="position:absolute;left:{left:.2f}%;'
            f'width:{width:.2f}%;top:2px;bottom:2px;background:{color}"></span></div></td>'
            f'<td style="{_RIGHT};{_MUTED}">{escape_html(format_duration(call.duration))}</td></tr>')
    parts.append("</table></div>")
    parts.append(f'<div style="{_MUTED}">0 ms … {escape_html(format_duration(recording.duration))}'
                 + (f"; {left_out:,} more calls (filter by hook or plugin)" if left_out else "")
                 + "</div>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# All of it


def recording_text(recording: Recording, hook: str | None = None, plugin: str | None = None,
                   limit: int = LIMIT, *, thread: str | None = None) -> str:
    """The recording as text: headline, calls per hook, call tree (and the filter, if any)."""
    lines = [headline(recording)]
    filters = (("hook", hook), ("plugin", plugin), ("thread", thread))
    if hook or plugin or thread:
        lines.append("filter: " + ", ".join(f"{k} {v}" for k, v in filters if v))
    lines += hook_table_text(recording, hook, plugin, thread=thread)
    lines += tree_text(recording, hook, plugin, limit, thread=thread)
    return text_form(lines)


def pane_html(body: str) -> str:
    """One part of the recording (the table, the tree, the timeline) alone, in the recording's
    frame and font (the live widget shows each part in a tab of its own)."""
    return f'<div class="nbplug-recording" style="{_CSS}">{body}</div>'


def recording_html(recording: Recording, hook: str | None = None, plugin: str | None = None,
                   limit: int = LIMIT, *, timeline: bool = True, thread: str | None = None) -> str:
    """The recording as static, escaped HTML: headline, calls per hook, call tree, timeline."""
    filt = ""
    if hook or plugin or thread:
        filt = ('<div class="nbplug-rec-filter">filter: '
                + ", ".join(f"{k} <code>{escape_html(v)}</code>"
                            for k, v in (("hook", hook), ("plugin", plugin), ("thread", thread)) if v)
                + "</div>")
    parts = [f'<div class="nbplug-recording" style="{_CSS}">',
             f'<div class="nbplug-rec-headline"><b>{escape_html(headline(recording))}</b></div>', filt,
             hook_table_html(recording, hook, plugin, thread=thread),
             '<div style="margin-top:6px"><b>call tree</b> '
             f'<span style="{_MUTED}">nested calls marked [plugin] with the extension that made '
             "them</span></div>",
             tree_html(recording, hook, plugin, limit, thread=thread)]
    if timeline:
        parts.append(timeline_html(recording, hook, plugin, thread=thread))
    parts.append("</div>")
    return "".join(parts)
