"""What ``%plugin``, ``%%hook`` and ``%hook`` do, as coroutines (awaited on the shell's loop).

The magics (sync call sites) and the await path (rewritten cells) both end up here. Bad input raises
``UsageError`` (IPython shows the message alone); errors of the user's own code propagate with the
user's traceback: nbplug's frames are hidden (``__tracebackhide__``) or cut out of the chain.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from IPython.core.error import UsageError

from nbplug._base.safetext import MAX_NAME, error_text, message_text, safe_repr
from nbplug._kit.errors import HookCallError
from nbplug._kit.suggest import closest, did_you_mean
from nbplug._kit.tracing import CallTrace
from nbplug.lifespans import LifespanHelpRequested

from ..lifespans.usertraceback import user_facing
from ..session.adding import redefined
from ..session.discovery import offer_of
from ..session.errors import SessionUsageError
from ..session.notebook import NotebookSession, in_notebook_terms
from . import render
from .args import HookCall, evaluate_arguments, parse_cell, parse_line
from .callcheck import left_out_note, missing_needed
from .helptext import USAGE, topic_help
from .progress import watched_call

VERBS = ("add", "remove", "list", "start", "stop", "status", "help")

# ---------------------------------------------------------------------------------- %%hook / %hook
def view_choice(shell: Any, call: HookCall) -> tuple[str, bool]:
    """How this call is shown: the view (html, widget, text, none) and whether with its timeline
    -- the call's flags first, then ``%config PluginMagics``."""
    from .state import loaded_state

    state = loaded_state(shell)
    magics = state.magics if state is not None else None
    view = str(getattr(magics, "view", "html"))
    if call.quiet:
        view = "none"
    elif call.widget:
        view = "widget"
    return view, call.timeline or bool(getattr(magics, "timeline", False))


async def run_hook(
    session: NotebookSession, shell: Any, call: HookCall, magic: str = "%hook"
) -> object:
    """Evaluate the arguments, await the traced call, show it, return its result (or raise)."""
    __tracebackhide__ = True
    try:  # an unknown hook: refused before evaluating anything
        caller = session.find_caller(call.hook)
    except SessionUsageError as exc:
        raise UsageError(str(exc)) from None
    try:
        kwargs = await evaluate_arguments(call, shell.user_ns)
    except Exception as exc:
        raise user_facing(exc)  # noqa: B904 - the user's own error, re-raised as it is
    refusal = missing_needed(caller, call, kwargs, magic)
    if refusal is not None:
        raise UsageError(refusal)
    render.show_lines(redefined(session, shell.user_ns))  # an old plugin answering says so
    note = left_out_note(session, caller, call, kwargs, magic)
    if note is not None:
        render.show_lines([note])
    view, timeline = view_choice(shell, call)

    def interrupted(trace: CallTrace, output: Sequence[Any]) -> None:  # shown as far as it got
        session.last_trace = trace
        if view != "none":
            render.show_trace(trace, view=view, timeline=timeline, output=output, caller=caller)

    try:
        trace, output = await watched_call(caller, kwargs, capture=view != "none",
                                           interrupted=interrupted, warned=note is not None)
    except HookCallError as exc:
        raise UsageError(f"{magic} {call.hook}: {message_text(exc)}") from None
    if isinstance(trace.exception, HookCallError):
        # an argument the call left out, needed by an extension (pluggy's rule: the call was
        # warned about and went on): still the cell's input that is wrong, so say what is right
        raise UsageError(f"{magic} {call.hook}: {trace.exception}") from None
    session.last_trace = trace
    if view != "none":
        render.show_trace(trace, view=view, timeline=timeline, output=output, caller=caller)
    if trace.exception is not None:
        raise user_facing(trace.exception)
    return trace.result


async def hook_cell_command(session: NotebookSession, shell: Any, line: str, cell: str) -> object:
    """``%%hook NAME``: the body's assignments are the keyword arguments."""
    __tracebackhide__ = True
    return await run_hook(session, shell, parse_cell(line, cell), "%%hook")


async def hook_line_command(session: NotebookSession, shell: Any, line: str) -> object:
    """``%hook NAME name=expr ...``: the line form, also usable as ``r = %hook ...``."""
    __tracebackhide__ = True
    return await run_hook(session, shell, parse_line(line))


# ---------------------------------------------------------------------------------- %plugin
def resolve(shell: Any, name: str) -> object:
    """Look ``name`` (or ``a.b`` attribute path) up in the user namespace; UsageError if absent."""
    head, *rest = name.split(".")
    namespace = shell.user_ns
    if not all(part.isidentifier() for part in [head, *rest]):
        raise UsageError(
            f"%plugin add: {safe_repr(name, MAX_NAME)} is not a Python name; give variable names"
        )
    if head not in namespace:
        marked = [k for k, v in namespace.items() if not k.startswith("_") and _marked(v)]
        pool = marked or [k for k in namespace if not k.startswith("_")]
        close_verb = closest(head, VERBS)
        hint = f" (or the %plugin verb {close_verb!r}?)" if close_verb is not None else ""
        raise UsageError(
            f"name {safe_repr(head, MAX_NAME)} is not defined in the notebook"
            f"{did_you_mean(head, pool)}{hint}; "
            f"objects with nbplug markers here: {', '.join(marked) or '(none)'}"
        )
    obj = namespace[head]
    for i, part in enumerate(rest):
        prefix = ".".join([head, *rest[:i]])
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError(f"{prefix} has no attribute {part!r}") from None
        except Exception as exc:  # the object's own error (a proxy outside its context)
            raise UsageError(f"reading {prefix}.{part} raised {error_text(exc)}") from None
    return obj


def _marked(value: object) -> bool:
    try:
        return not offer_of(value).empty
    except Exception:
        return False


def split_line(line: str) -> list[str]:
    """Split a ``%plugin`` line like a shell would (quotes group words)."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise UsageError(f"%plugin: cannot split {safe_repr(line, MAX_NAME)}: {exc}") from None


async def plugin_command(session: NotebookSession, shell: Any, line: str) -> None:
    """``%plugin VERB ...`` -- see :data:`USAGE`."""
    __tracebackhide__ = True
    try:
        await _plugin_command(session, shell, line)
    except SessionUsageError as exc:
        raise UsageError(exc.outcome()) from None
    except UsageError as exc:  # the line itself is wrong: refused before anything ran
        raise UsageError(f"{message_text(exc)}\nNothing was changed.") from None
    except Exception as exc:
        raise user_facing(exc)  # noqa: B904 - the user's own error, re-raised as it is


async def _plugin_command(session: NotebookSession, shell: Any, line: str) -> None:
    __tracebackhide__ = True
    words = split_line(line)
    if not words:
        render.show_lines(["usage:", USAGE])
        return
    verb, args = words[0], words[1:]
    if verb not in VERBS:
        verb, args = "add", words
    if verb == "help":
        if len(args) > 1:
            raise UsageError("%plugin help takes one topic, e.g. %plugin help start")
        try:
            render.show_lines([topic_help(args[0]) if args else USAGE])
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    elif verb == "add":
        await _add(session, shell, args)
    elif verb == "remove":
        if not args:
            raise UsageError(
                f"%plugin remove needs plugin names; added: {', '.join(session.plugins) or '(none)'}"
            )
        for name in args:  # every name checked before any is removed
            session.removable(name)
        for name in args:
            render.show_lines(await session.remove(name))
    elif verb == "list":
        _no_args("list", args)
        render.show_managers(session)
        render.show_lines(redefined(session, shell.user_ns))
    elif verb == "start":
        await _start(session, args)
    elif verb == "stop":
        board = render.following_board(session)  # this stop's steps, shown in this cell
        try:
            lines = await session.stop(args or None)
        except BaseException:
            _show_if_changed(session, board, live=False)
            raise
        render.show_lines(lines)
        render.show_board_snapshot(session, board)
    elif verb == "status":
        render.show_board(session, page=_board_page(args))


def _show_if_changed(session: NotebookSession, board: Any, *, live: bool) -> None:
    """After a start or stop raised: its board, if the lifespans changed (a set-up failed and was
    torn down); nothing when it was refused before anything ran."""
    if board is not None and board.events_seen:
        if live:
            render.show_board(session, board)
        else:
            render.show_board_snapshot(session, board)
    elif live:
        render.resume_live(session, board)
    elif board is not None:
        board.close()


async def _start(session: NotebookSession, args: list[str]) -> None:
    """``%plugin start``: its board follows from before the first set-up, so a failed set-up
    and the teardown it caused show in this cell."""
    __tracebackhide__ = True
    board = render.following_board(session, take_over=True)
    try:
        lines = await session.start(args)
    except LifespanHelpRequested as help_requested:  # --help: its text, no board
        render.resume_live(session, board)
        render.show_lines([in_notebook_terms(help_requested.text)])
        return
    except BaseException:
        _show_if_changed(session, board, live=True)
        raise
    render.show_lines(lines)
    render.show_board(session, board)


#: What ``%plugin status`` takes: the board's page and filter, in the words its text form uses.
STATUS_WORDS = ("page", "phase", "name")


def _board_page(args: list[str]) -> dict[str, Any]:
    """``page=2 phase=failed name=web`` (any of them) as the board's ``choose()`` arguments."""
    chosen: dict[str, Any] = {}
    for word in args:
        key, sep, value = word.partition("=")
        if not sep or key not in STATUS_WORDS:
            raise UsageError(f"%plugin status takes page=N, phase=PHASE and name=TEXT, got "
                             f"{safe_repr(word, MAX_NAME)} (e.g. %plugin status page=2 phase=failed)")
        if key == "page":
            if not value.isdigit() or int(value) < 1:
                raise UsageError(f"%plugin status: page counts from 1, got {safe_repr(value, MAX_NAME)}")
            chosen[key] = int(value)
        else:
            chosen[key] = value or None
    from nbplug.widgets.board.page import PHASES  # the widgets ship with nbplug

    if chosen.get("phase") not in (None, *PHASES):
        raise UsageError(f"%plugin status: phase is one of {', '.join(PHASES)}, got "
                         f"{safe_repr(chosen['phase'], MAX_NAME)}" + did_you_mean(chosen["phase"], PHASES))
    return chosen


def _no_args(verb: str, args: list[str]) -> None:
    if args:
        raise UsageError(f"%plugin {verb} takes no arguments, got {safe_repr(' '.join(args), MAX_NAME)}")


async def _add(session: NotebookSession, shell: Any, args: list[str]) -> None:
    __tracebackhide__ = True
    names: list[str] = []
    plugin_name: str | None = None
    i = 0
    while i < len(args):
        word = args[i]
        if word in ("--name", "-n"):
            if i + 1 >= len(args):
                raise UsageError("%plugin add: --name needs a value, e.g. --name weather")
            plugin_name = args[i + 1]
            i += 2
            continue
        if word.startswith("--name="):
            plugin_name = word.partition("=")[2]
        elif word.startswith("-"):
            raise UsageError(
                f"%plugin add: unknown option {safe_repr(word, MAX_NAME)}; the only option is --name PLUGIN "
                "(with one NAME). Usage: %plugin add NAME [NAME...] [--name PLUGIN]"
            )
        else:
            names.append(word)
        i += 1
    if not names:
        raise UsageError(
            "%plugin add needs the names of objects in the notebook, e.g. %plugin add Specs Weather"
        )
    if plugin_name is not None and len(names) != 1:
        raise UsageError("%plugin add: --name applies to one object; add the others separately")
    if plugin_name is not None and not plugin_name:
        raise UsageError("%plugin add: --name needs a non-empty name")
    if plugin_name is not None and (len(plugin_name) > MAX_NAME or not plugin_name.isprintable()):
        raise UsageError(
            f"%plugin add: --name {safe_repr(plugin_name, MAX_NAME)} is not a name to show: give "
            f"one line of printable text of at most {MAX_NAME} characters, e.g. --name weather"
        )
    objects = [(name, resolve(shell, name)) for name in names]  # all resolved before any change
    render.show_lines(await session.add_all(
        [(obj, plugin_name or name.rpartition(".")[2]) for name, obj in objects]
    ))
