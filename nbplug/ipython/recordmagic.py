"""``%%record EXPR``: record every hook call the manager (or managers) ``EXPR`` names make while
the cell runs, and show the recording view under the cell.

The recorder is ``nbplug.record`` (:mod:`nbplug.recording.recorder`), one per manager: each is
opened before the cell's code runs and closed after it, also when the code fails (the view of
what was recorded is shown, then the error). The cell's code runs as IPython would run it: its
magics and shell syntax transformed (a ``%hook`` line in it is awaited), top-level ``await``
allowed (the cell transform, :mod:`.transform`, makes ``%%record`` itself awaited, so an awaiting
cell runs on the kernel's loop), its last expression shown, its tracebacks pointing at its lines.
The value of the magic is the recording view (``_.recording`` is the ``Recording``); for several
managers a :class:`RecordingViews`, one view each, shown one under the other.

Decisions: one recorder per manager, not one recorder over several managers: their hooks may
share names (two projects' ``fetch``), and a recording counts calls by hook name. The cell's
code is compiled here (``ast`` with ``PyCF_ALLOW_TOP_LEVEL_AWAIT``), not handed back to
``shell.run_cell``: a nested ``run_cell`` would count as a cell of its own (history, execution
count, events) and report the code's error itself instead of letting the magic show the
recording first. Rejected: recording the session's ``AsyncPluginManager`` -- the recorder refuses
it (its calls interleave on the loop); ``%%hook`` shows one async call's trace.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
from collections.abc import Sequence
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .._base.safetext import error_text, message_text
from ..recording.recorder import Recorder, record
from .pytestmagic import view_options

__all__ = ["RecordMagics", "RecordingViews", "record_cell"]

_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


class RecordingViews(tuple[Any, ...]):
    """The recording views of a ``%%record`` of several managers (one each, in the order named),
    shown one under the other."""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(*self)


@magics_class
class RecordMagics(Magics):
    """``%%record EXPR``: the hook calls of EXPR's managers while the cell runs."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self.last: tuple[Recorder, ...] = ()

    @magic_arguments()
    @argument("managers", nargs="+", metavar="EXPR",
              help="a Python expression naming a plugin manager (nbplug or pluggy), or several "
                   "(pm, other_pm)")
    @argument("--hook", metavar="HOOK", help="show only calls of HOOK (and the calls around them)")
    @argument("--plugin", metavar="PLUGIN", help="show only calls in which PLUGIN's extension ran")
    @view_options("show no view; the value is the Recording (a tuple of them for several managers)")
    @line_cell_magic
    def record(self, line: str, cell: str | None = None) -> Any:
        """Record every hook call of the manager(s) EXPR names while the cell runs, and show them.

        Usage:  %%record EXPR [options]
                %%record pm
                pm.hook.fetch(topic="harbor")

        EXPR is evaluated in the notebook's namespace: a PluginManager, a pluggy.PluginManager
        (pytest's config.pluginmanager), or several (%%record pm, other). The cell runs as any
        cell does (magics, top-level await, its last value shown); the recorder is open only
        while it runs and leaves nothing on the managers. The view shows the calls per hook
        with counts and times, the call tree, the timeline and the call view of any call you
        pick; the magic's value is the view (_.recording is the Recording). From Python:
        with nbplug.record(pm) as recording: ...

        A cell magic: %record? shows this help, and %record on a line of its own says so.
        """
        from .running import run_sync

        return run_sync(self.recorded(line, cell), "%%record")  # the transform awaits it instead

    async def recorded(self, line: str, cell: str | None) -> object:
        """The magic as a coroutine: what the cell transform awaits (:mod:`.running`)."""
        __tracebackhide__ = True
        return await record_cell(self, line, cell)


def _managers(value: object) -> tuple[object, ...]:
    items = tuple(value) if isinstance(value, list | tuple) else (value,)
    unique: dict[int, object] = {}
    for item in items:
        unique.setdefault(id(item), item)  # the same manager named twice is recorded once
    return tuple(unique.values())


def _open(magics: RecordMagics, expr: str, max_calls: int) -> list[Recorder]:
    shell: Any = magics.shell
    try:
        value = eval(expr, shell.user_global_ns, shell.user_ns)  # the user's own expression
    except Exception as exc:
        raise UsageError(f"%%record {expr}: {error_text(exc)}") from None
    try:
        recorders = [record(manager, max_calls=max_calls) for manager in _managers(value)]
    except (TypeError, ValueError) as exc:
        raise UsageError(f"%%record {expr}: {message_text(exc)}") from None
    if not recorders:
        raise UsageError(f"%%record {expr}: names no plugin manager (an empty sequence)")
    return recorders


async def _run(shell: Any, head: str, cell: str) -> object:
    """Run ``cell`` as IPython runs a cell; return its last expression's value (None: none)."""
    __tracebackhide__ = True
    source = shell.transform_cell(cell)
    tree = ast.parse(source)
    ast.increment_lineno(tree, 1)  # the cell's line numbers: line 1 is the %%record line
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    # IPython's own compiler cache: it keeps the source in linecache, so tracebacks show its lines
    filename = shell.compile.cache(f"{head}\n{source}", shell.execution_count, raw_code=cell)
    namespace = (shell.user_global_ns, shell.user_ns)
    body = compile(tree, filename, "exec", flags=_FLAGS, dont_inherit=True)
    outcome = eval(body, *namespace)
    if body.co_flags & inspect.CO_COROUTINE:
        await outcome
    if last is None:
        return None
    expression = compile(ast.Expression(last.value), filename, "eval", flags=_FLAGS, dont_inherit=True)
    value = eval(expression, *namespace)
    if expression.co_flags & inspect.CO_COROUTINE:
        value = await value
    return value


def _views(recorders: Sequence[Recorder], hook: str | None, plugin: str | None) -> Any:
    from ..widgets.recording.widget import RecordingView

    try:
        views = [RecordingView(r.recording, hook=hook, plugin=plugin) for r in recorders]
    except ValueError as exc:  # a filter naming nothing recorded
        raise UsageError(f"%%record: {message_text(exc)}") from None
    return views[0] if len(views) == 1 else RecordingViews(views)


async def record_cell(magics: RecordMagics, line: str, cell: str | None) -> object:
    """What ``%%record LINE`` does with the cell ``cell`` (awaited by the cell transform)."""
    __tracebackhide__ = True
    from IPython.display import display

    if cell is None:
        raise UsageError(f"%record is a cell magic: start a cell with %%record {line.strip() or 'EXPR'}"
                         " and put the code to record under it")
    try:
        args = parse_argstring(magics.record, line)
    except ValueError as exc:  # an unclosed quote
        raise UsageError(f"%%record: {message_text(exc)}") from None
    if args.max_calls < 0:
        raise UsageError(f"%%record: --max-calls must be 0 or more, got {args.max_calls}")
    expr = " ".join(args.managers)
    recorders = _open(magics, expr, args.max_calls)
    magics.last = tuple(recorders)
    started: list[Recorder] = []
    try:
        for recorder in recorders:
            recorder.start()
            started.append(recorder)
        value = await _run(magics.shell, f"%%record {line}".rstrip(), cell)
    except BaseException:
        for recorder in reversed(started):
            recorder.stop()
        if started and not args.quiet:
            with contextlib.suppress(UsageError):  # a filter's typo must not hide the code's error
                display(_views(recorders, args.hook, args.plugin))  # what was recorded, then the error
        raise
    for recorder in reversed(started):
        recorder.stop()
    if value is not None:
        display(value)  # the cell's own last value, as IPython would have shown it
    if args.quiet:
        recordings = tuple(r.recording for r in recorders)
        return recordings[0] if len(recordings) == 1 else recordings
    views = _views(recorders, args.hook, args.plugin)
    if args.text:
        print(views.text() if len(recorders) == 1 else "\n\n".join(v.text() for v in views))
        return None
    return views
