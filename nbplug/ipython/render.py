"""Show what the magics did: the hook-call view, the lifespan board, the manager inspector.

The views come from ``nbplug.widgets`` (text, escaped HTML and a live widget in a kernel); if that
package cannot be imported, a plain text form is shown instead so the magics still work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nbplug._base.safetext import MAX_NAME, error_text, safe_repr, safe_str
from nbplug._kit.tracing import CallTrace

if TYPE_CHECKING:
    from ..session.notebook import NotebookSession


#: The display a hook call going on in the background replaces with its view when it ends (a
#: synchronous call site while the loop runs: the cell is over by then, and a new output of it
#: would be dropped by the front end; an update of a display the cell made still arrives).
background_view: ContextVar[Any] = ContextVar("nbplug_background_view", default=None)

#: Lifespans named on ``%plugin list``'s "lifespans:" line; the rest are counted (the line stays
#: a few KB with 5,000 of them, as the design map above it stays bounded).
MAX_LISTED = 50


def show_background_note(what: str) -> Any:
    """Say that ``what`` goes on in the background: in a kernel as a display its view or lines
    replace later (returned, a :class:`BackgroundNote`), elsewhere on stderr (None returned).

    Displayed in a kernel: a front end drops new outputs of a cell that has finished but applies
    updates of a display the cell made; and printed, the note would be taken into the call's own
    output, since the call's capture of printed lines is active while it waits."""
    import sys

    from IPython.core.getipython import get_ipython

    note = (
        f"nbplug: {what} was called from synchronous code (%autoawait off, or inside a def) while "
        "the event loop runs, so it cannot be awaited here; it continues as a background task (the "
        "value returned: `await` it for the result). A hook call's view replaces this line when "
        "it ends. With %autoawait on, magics at the top level of a cell are awaited in the cell."
    )
    if getattr(get_ipython(), "kernel", None) is None:
        print(note, file=sys.stderr)
        return None
    from IPython.display import display as ipython_display

    return BackgroundNote(ipython_display(pretty(note), display_id=True))  # type: ignore[no-untyped-call]


@dataclass
class BackgroundNote:
    """The display saying a magic goes on in the background, and the lines it showed since:
    a ``%plugin`` verb's lines replace the note as they come, a hook call's view replaces it."""

    handle: Any
    lines: list[str] = field(default_factory=list)


def display(obj: object) -> None:
    """``IPython.display.display`` (typed)."""
    from IPython.display import display as ipython_display

    ipython_display(obj)  # type: ignore[no-untyped-call]


def pretty(text: str) -> Any:
    """A displayable plain-text block."""
    from IPython.display import Pretty

    return Pretty(text)  # type: ignore[no-untyped-call]


def show_lines(lines: Iterable[str]) -> None:
    """Print the messages of a ``%plugin`` verb (one line each); going on in the background,
    show them in place of the note (see :func:`show_background_note`)."""
    note = background_view.get()
    if note is None:
        for line in lines:
            print(line)
        return
    note.lines.extend(lines)
    note.handle.update(pretty("\n".join(note.lines)))


def _fallback_trace_text(trace: CallTrace) -> str:
    lines = [f"{trace.hook} ({trace.mode}) in {trace.duration * 1000:.2f} ms"]
    for depth, step in trace.walk():
        outcome = (
            "not called"
            if step.not_called
            else f"raised {error_text(step.exception)}"
            if step.exception is not None
            else f"-> {safe_repr(step.result)}"
        )
        lines.append(
            f"{'  ' * (depth + 1)}{step.plugin_name}.{step.function} [{step.kind}] "
            f"{step.duration * 1000:.2f} ms {outcome}"
        )
    return "\n".join(lines)


def show_trace(
    trace: CallTrace,
    *,
    view: str = "html",
    timeline: bool = False,
    output: Sequence[Any] = (),
    caller: Any = None,
) -> None:
    """Display what one hook call did, extension by extension.

    ``view="html"`` (the default) publishes the view's static forms (text and escaped HTML): a
    trace does not change after the call, and building a live widget for every call would cost
    several times the call itself. ``"widget"`` shows the live widget (with its timeline toggle)
    where possible, ``"text"`` the text form alone.
    """
    try:
        from nbplug.widgets import HookCallView

        from ..widgets.callview.widget import order_reason
    except ImportError:  # pragma: no cover - the widgets ship with nbplug
        display(pretty(_fallback_trace_text(trace)))
        return
    why = order_reason(caller, trace) if caller is not None else None
    shown = HookCallView(trace, timeline=timeline, output=output, why=why)
    note = background_view.get()
    if view == "widget":
        display(shown) if note is None else note.handle.update(shown)
        return
    from IPython.display import publish_display_data

    data = {"text/plain": shown.text()}
    if view != "text":
        data["text/html"] = shown.html()
    if note is None:
        publish_display_data(data)  # type: ignore[no-untyped-call]
    else:
        publish_display_data(  # type: ignore[no-untyped-call]
            data, transient={"display_id": note.handle.display_id}, update=True)


#: What a live board says when a later cell's board follows the lifespans instead.
HANDED_OVER = "no longer live: a later cell's board follows the lifespans from here on"


def following_board(session: NotebookSession, *, take_over: bool = False) -> Any:
    """A new board of the session's lifespans that follows their events from now on (so it holds
    the teardown steps of what this cell does), for this cell alone. ``take_over``: it is to
    become the live board, so the live one up the page pauses now (what this cell does shows
    here, not there) until :func:`show_board` retires it -- or :func:`resume_live` resumes it."""
    try:
        from nbplug.widgets import LifespanBoard
    except ImportError:  # pragma: no cover - the widgets ship with nbplug
        return None
    if take_over and session.board is not None:
        session.board.pause()
    board = LifespanBoard(session.group)
    board.follow()
    return board


def resume_live(session: NotebookSession, board: Any) -> None:
    """A cell that was to take the live board over changed nothing: the live one goes on."""
    if board is not None:
        board.close()
    if session.board is not None:
        session.board.follow()


def _fallback_board(session: NotebookSession) -> Any:  # pragma: no cover - widgets ship with nbplug
    states = ", ".join(f"{s.name}: {s.phase.value}" for s in session.group.states)
    return pretty(f"lifespans: {states or '(none)'}")


def show_board(session: NotebookSession, board: Any = None, *, page: dict[str, Any] | None = None) -> None:
    """Display ``board`` (a new one when None) live in this cell: it updates while the kernel
    idles. The session keeps one live board: the one shown before it says it is no longer live.
    ``page``: the page and filter it shows (``LifespanBoard.choose``'s arguments)."""
    board = board if board is not None else following_board(session, take_over=True)
    if board is None:  # pragma: no cover - the widgets ship with nbplug
        display(_fallback_board(session))
        return
    if page:
        board.choose(**page)
    previous, session.board = session.board, board
    if previous is not None and previous is not board:
        previous.retire(HANDED_OVER)
    display(board)


def show_board_snapshot(session: NotebookSession, board: Any) -> None:
    """Display the lifespans' state now, as it will stay (text and escaped HTML): what a stop
    did, shown in its own cell; ``board`` stops following the group."""
    if board is None:  # pragma: no cover - the widgets ship with nbplug
        display(_fallback_board(session))
        return
    from IPython.display import publish_display_data

    publish_display_data({"text/plain": board.text(), "text/html": board.html()})  # type: ignore[no-untyped-call]
    board.close()


def show_managers(session: NotebookSession) -> None:
    """Display the managers' extension points, extensions and plugins, and the lifespans."""
    try:
        from nbplug.widgets import ManagerInspector
    except ImportError:  # pragma: no cover - the widgets ship with nbplug
        display(pretty("\n".join(repr(m) for m in session.managers)))
    else:
        if session.managers:
            display(ManagerInspector(session.managers))
        else:
            print("no extension points or plugins added yet (%plugin add NAME)")
    lifespans = list(session.lifespans)
    if lifespans:
        phases = {s.name: s.phase.value for s in session.group.states}
        print(lifespans_line(lifespans, phases))


def lifespans_line(names: Sequence[str], phases: dict[str, str]) -> str:
    """``lifespans: countdown (running), echo (not started)``: the first :data:`MAX_LISTED`
    named with their phase, the rest counted, with where to see every one."""
    listed = ", ".join(f"{safe_str(n, MAX_NAME)} ({phases.get(n, 'not started')})"
                       for n in names[:MAX_LISTED])
    left = len(names) - MAX_LISTED
    if left <= 0:
        return f"lifespans: {listed}"
    return (f"lifespans ({len(names):,}): {listed}, … {left:,} more not listed "
            "(get_session().lifespans names every one; %plugin status shows their board)")
