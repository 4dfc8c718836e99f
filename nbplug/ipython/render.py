"""Show what the magics did: the hook-call view, the lifespan board, the manager inspector.

The views come from ``nbplug.widgets`` (text, escaped HTML and a live widget in a kernel); if that
package cannot be imported, a plain text form is shown instead so the magics still work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from nbplug._kit.tracing import CallTrace

if TYPE_CHECKING:
    from ..session.notebook import NotebookSession


def display(obj: object) -> None:
    """``IPython.display.display`` (typed)."""
    from IPython.display import display as ipython_display

    ipython_display(obj)  # type: ignore[no-untyped-call]


def pretty(text: str) -> Any:
    """A displayable plain-text block."""
    from IPython.display import Pretty

    return Pretty(text)  # type: ignore[no-untyped-call]


def show_lines(lines: Iterable[str]) -> None:
    """Print the messages of a ``%plugin`` verb (one line each)."""
    for line in lines:
        print(line)


def _fallback_trace_text(trace: CallTrace) -> str:
    lines = [f"{trace.hook} ({trace.mode}) in {trace.duration * 1000:.2f} ms"]
    for depth, step in trace.walk():
        outcome = (
            "not called"
            if step.not_called
            else f"raised {type(step.exception).__name__}: {step.exception}"
            if step.exception is not None
            else f"-> {step.result!r}"
        )
        lines.append(
            f"{'  ' * (depth + 1)}{step.plugin_name}.{step.function} [{step.kind}] "
            f"{step.duration * 1000:.2f} ms {outcome}"
        )
    return "\n".join(lines)


async def traced_call(
    caller: Any, kwargs: dict[str, object], *, capture: bool
) -> tuple[CallTrace, list[Any]]:
    """Await the traced call; with ``capture``, what its code prints and logs is caught and given
    to the step that made it (shown in the view instead of loose above it). Returns the trace and
    the caught lines no step can be given."""
    if not capture:
        return await caller.traced(**kwargs), []
    from ..widgets.callview.capture import CallCapture

    catcher = CallCapture()
    with catcher:
        trace = await caller.traced(**kwargs)
    return trace, catcher.attach(trace)


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
    if view == "widget":
        display(shown)
        return
    from IPython.display import publish_display_data

    data = {"text/plain": shown.text()}
    if view != "text":
        data["text/html"] = shown.html()
    publish_display_data(data)  # type: ignore[no-untyped-call]


def board(session: NotebookSession) -> Any:
    """The session's one lifespan board (built once, shown by every ``start``/``status``)."""
    if session.board is None:
        try:
            from nbplug.widgets import LifespanBoard
        except ImportError:  # pragma: no cover - the widgets ship with nbplug
            states = ", ".join(f"{s.name}: {s.phase.value}" for s in session.group.states)
            return pretty(f"lifespans: {states or '(none)'}")
        session.board = LifespanBoard(session.group)
    return session.board


def show_board(session: NotebookSession) -> None:
    """Display the lifespan board (live in a kernel: it updates while the kernel idles)."""
    display(board(session))


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
    lifespans = session.lifespans
    if lifespans:
        phases = {s.name: s.phase.value for s in session.group.states}
        listed = ", ".join(f"{n} ({phases.get(n, 'not started')})" for n in lifespans)
        print(f"lifespans: {listed}")
