"""The running of a magic: what a rewritten cell awaits, and the synchronous call sites.

:func:`run_magic` is what the cell transform (:mod:`.transform`) makes a top-level ``%%hook``,
``%hook`` or ``%plugin`` call await: it runs the magic's coroutine (:mod:`.commands`) on the
shell's running loop under the interrupt model, makes tracebacks through the cell show the magic
as written, and keeps a call view's result from being shown twice.

Calls the transform leaves alone reach the magic synchronously: :func:`run_sync` runs them on
IPython's asyncio loop when no loop is running in this thread; with the loop running it steps the
coroutine at once (most ``%plugin`` verbs never wait) and lets one that must wait go on as a task
of the running loop. The documented ``nest_asyncio2`` fallback (:func:`enable_nested_fallback`)
is opt-in and serves synchronous call sites only. Rejected: patching asyncio for every cell
(``nest_asyncio`` process-wide), which a kernel's other tasks and libraries do not expect.
"""

from __future__ import annotations

import asyncio
import inspect
import linecache
import threading
from collections.abc import Coroutine, Generator
from typing import Any, TypeVar

from IPython.core.error import UsageError

from nbplug._base.loops import running_loop
from nbplug._base.safetext import error_text

from .errorview import stand_in
from .transform import EXTENSION_MAGICS, awaited_call

T = TypeVar("T")

_nested_fallback = False


def show_magic_in_tracebacks(frame: Any, call: str, magic: str) -> None:
    """Make tracebacks through the cell's line show the magic the user wrote, not our call.

    IPython keeps the *transformed* cell in ``linecache`` for its tracebacks, so an error would
    show ``(await __import__('nbplug.ipython.running', ...).run_magic(...))``; the cell's line
    is rewritten there (only there: the code that runs is unchanged) to ``%hook fetch x=1`` or
    ``%%hook fetch``.
    """
    if frame is None:
        return
    # linecache.cache itself: IPython shows the line it cached there and offers no public setter
    entry: tuple[Any, ...] | None = linecache.cache.get(frame.f_code.co_filename)
    if entry is None or len(entry) != 4 or not isinstance(entry[2], list):
        return  # not a cell IPython compiled (or a lazily loaded file)
    lines: list[str] = entry[2]
    index = frame.f_lineno - 1
    if 0 <= index < len(lines) and call in lines[index]:
        lines[index] = lines[index].replace(call, magic)


def result_shows_as_out(shell: Any, kind: str, line: str) -> bool:
    """Whether a hook call ending a cell should show its result as ``Out[n]``: when no call view
    shows it (``-q``, ``%config PluginMagics.view = "none"``), when asked to
    (``PluginMagics.show_result``), and in terminal IPython, whose ``Out[n]:`` prompt would
    otherwise stand empty."""
    from .args import display_flags
    from .state import loaded_state

    if getattr(shell, "kernel", None) is None:
        return True
    state = loaded_state(shell)
    magics = state.magics if state is not None else None
    flags = display_flags(line, "%%hook" if kind == "cell" else "%hook")
    if bool(getattr(magics, "show_result", False)) or "quiet" in flags:
        return True
    return "widget" not in flags and getattr(magics, "view", "html") == "none"


def hide_out(shell: Any, value: object) -> None:
    """Keep ``value`` from being shown again as this cell's ``Out[n]`` while it still becomes the
    cell's value (``_``, ``Out[n]``, the execution result): for this cell only, IPython's display
    formatter is told that ``value`` showed itself (a one-object printer, removed after the cell).
    Rejected: ending the cell with ``;`` -- IPython then drops the value, not only its display."""
    if value is None:
        return
    # a formatter's printers go by type or by object id (its configurable singleton_printers);
    # by id is the one that picks this value and no other
    printers = shell.display_formatter.ipython_display_formatter.singleton_printers
    key = id(value)
    printers[key] = _shown_already

    def forget(*_: object) -> None:
        if printers.get(key) is _shown_already:
            del printers[key]
        shell.events.unregister("post_run_cell", forget)

    shell.events.register("post_run_cell", forget)


def _shown_already(value: object) -> None:
    """The one-object printer of :func:`hide_out`: the call view showed it; show nothing."""


async def run_magic(
    kind: str, name: str, line: str, cell: str | None = None, *, ends_cell: bool = False
) -> object:
    """What the rewritten cell awaits: run one of our magics as a coroutine on the running loop."""
    __tracebackhide__ = True
    from IPython.core.getipython import get_ipython

    from .state import loaded_state

    shell = get_ipython()
    state = loaded_state(shell) if shell is not None else None
    if shell is None or state is None:  # not loaded (any more): behave exactly like IPython
        if shell is None:
            raise UsageError(f"%{name} needs a running IPython shell")
        if kind == "cell":
            return shell.run_cell_magic(name, line, cell or "")  # type: ignore[no-untyped-call]
        return shell.run_line_magic(name, line)
    args = (name, line) if cell is None else (name, line, cell)
    shown = f"%{name} {line}".rstrip() if kind == "line" else f"%%{name} {line}".rstrip()
    caller = frame.f_back if (frame := inspect.currentframe()) is not None else None
    show_magic_in_tracebacks(caller, awaited_call(kind, args, ends_cell=ends_cell), shown)
    try:
        value = await interruptible(
            _dispatch(state, shell, kind, name, line, cell), state.session.group
        )
    except BaseException as exc:  # (any type: a BaseException's str may raise too)
        replacement = stand_in(exc)  # a message that cannot be formatted would leave no reply
        if replacement is None:
            raise
        raise replacement from None
    if ends_cell and name == "hook" and not result_shows_as_out(shell, kind, line):
        hide_out(shell, value)
    return value


async def _dispatch(
    state: Any, shell: Any, kind: str, name: str, line: str, cell: str | None
) -> object:
    __tracebackhide__ = True
    from . import commands

    if name in EXTENSION_MAGICS:
        await state.session.aclose()
        shell.run_line_magic(name, line)
        return None
    if name == "plugin":
        await commands.plugin_command(state.session, shell, line)
        return None
    if name == "record":
        return await state.record_magics.recorded(line, cell)
    if kind == "cell":
        return await commands.hook_cell_command(state.session, shell, line, cell or "")
    return await commands.hook_line_command(state.session, shell, line)


async def interruptible(coro: Coroutine[Any, Any, T], group: Any = None) -> T:
    """Await a magic's coroutine under the interrupt model (README: "Ctrl-C always wins").

    The same in a kernel and in terminal IPython: a Ctrl-C while the call awaits cancels it (a
    further one, while a teardown runs, cuts that teardown short: see ``LifespanGroup``); one that
    lands in synchronous user code (an extension, a set-up) raises KeyboardInterrupt there,
    where Python would. Either way the call ends with a KeyboardInterrupt showing the user's frames
    only, saying which teardowns of ``group`` (the session's lifespans) were cut short.
    ipykernel's own handler (which cancels the cell once, then ignores further interrupts) is set
    aside meanwhile and restored afterwards.
    """
    __tracebackhide__ = True
    from nbplug.lifespans.interrupts import interrupt_handler

    from ..lifespans.usertraceback import is_library, user_facing
    from .progress import cut_after_user

    task = asyncio.current_task()
    if task is None or threading.current_thread() is not threading.main_thread():
        return await coro
    loop = asyncio.get_running_loop()

    def on_interrupt(count: int, raised_into: asyncio.Task[Any] | None) -> None:
        if raised_into is None and not task.done():
            task.cancel()

    with interrupt_handler(loop, on_interrupt, task) as handler:
        try:
            return await coro
        except asyncio.CancelledError as exc:
            if not handler.count:
                raise
            while task.uncancel():
                pass
            # shown where the user's code was waiting when the Ctrl-C came (its frames only)
            where = cut_after_user(user_facing(exc).__traceback__, is_library)
            raise KeyboardInterrupt(_what_was_cut(group)).with_traceback(where) from None
        except KeyboardInterrupt as exc:
            if not exc.args and (cut := _what_was_cut(group)):
                exc.args = (cut,)
            raise user_facing(exc) from None


def _what_was_cut(group: Any) -> str:
    """Words for the teardowns an interrupt cut short (taken from the group's kept errors)."""
    from nbplug.lifespans import LifespanInterrupted

    if group is None:
        return ""
    errors = group.take_errors()
    cut = [e.name for e in errors if isinstance(e, LifespanInterrupted)]
    others = [e for e in errors if not isinstance(e, LifespanInterrupted)]
    words = []
    if cut:
        words.append(f"cut short the teardown of {', '.join(map(repr, cut))} (marked failed)")
    words.extend(error_text(e) for e in others)
    return "; ".join(words)


def enable_nested_fallback() -> None:
    """Opt into ``nest_asyncio2`` for synchronous call sites only (patches the running loop).

    Off by default: it patches asyncio process-wide. Use it only when a hook must be called from
    synchronous code (a ``def``) while the kernel's loop is running; top-level calls never need it.
    """
    global _nested_fallback
    try:
        import nest_asyncio2  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            "the nested-loop fallback needs nest-asyncio2: pip install 'nbplug[fallback]'"
        ) from exc
    _nested_fallback = True


class _Resume:
    """Continue, inside a Task, a coroutine :func:`run_sync` stepped once by hand.

    ``yield from`` cannot take over a coroutine already started: the Task must first be handed
    what the first step awaited, then every value and exception goes on to the coroutine."""

    def __init__(self, coro: Coroutine[Any, Any, Any], pending: Any) -> None:
        self._coro = coro
        self._pending = pending

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, pending = self._coro, self._pending
        while True:
            try:
                sent = yield pending
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:
                try:
                    pending = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    pending = coro.send(sent)
                except StopIteration as stop:
                    return stop.value


async def _continue(coro: Coroutine[Any, Any, T], pending: Any) -> T:
    __tracebackhide__ = True
    result: T = await _Resume(coro, pending)
    return result


def run_sync(coro: Coroutine[Any, Any, T], what: str, group: Any = None) -> T | asyncio.Task[T]:
    """Run a magic's coroutine from a synchronous call site (see the module docstring).

    With no loop running in this thread, it runs to completion on IPython's asyncio loop, under
    the same interrupt model as an awaited magic (``group``: the session's lifespans). With the
    loop running (a kernel cell the await path did not rewrite, e.g. the cell that also ran
    ``%load_ext nbplug``), it is stepped at once: most ``%plugin`` verbs finish without waiting
    and return as usual; one that must wait continues as a task on the running loop, which is
    returned (``await`` it for the result) with a note saying so, which a hook call's view
    replaces when the call ends.
    """
    __tracebackhide__ = True
    running = running_loop()
    if running is None:
        from IPython.core.async_helpers import get_asyncio_loop

        loop: asyncio.AbstractEventLoop = get_asyncio_loop()  # type: ignore[no-untyped-call]
        return loop.run_until_complete(interruptible(coro, group))
    if _nested_fallback:
        import nest_asyncio2

        nest_asyncio2.apply(running)
        return running.run_until_complete(coro)
    try:  # the first step by hand: Python 3.11 has no eager task start (3.12's eager_start)
        pending = coro.send(None)
    except StopIteration as stop:
        result: T = stop.value
        return result
    except KeyboardInterrupt as exc:  # the kernel's Ctrl-C in the user's synchronous code
        from ..lifespans.usertraceback import user_facing

        raise user_facing(exc)  # noqa: B904 - the user's own interrupt, shown in their frames
    from .render import background_view, show_background_note

    token = background_view.set(show_background_note(what))
    try:  # the task's context is a copy of this one: its view replaces the note
        return running.create_task(_continue(coro, pending), name=f"nbplug {what}")
    finally:
        background_view.reset(token)
