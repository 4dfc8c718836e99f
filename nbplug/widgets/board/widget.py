"""The lifespan board: a live row per lifespan (phase, uptime, recent log, Stop) and Stop-all.

The board follows a LifespanGroup through ``group.subscribe``: events arrive on the kernel's
event loop thread while the kernel is idle, mark the board dirty, and a throttled redraw
(``loop.call_later``, at most ``max_redraws`` a second) copies the group's states into the widgets.
Only the last ``log_lines`` lines of each lifespan are read and shown, and only widgets whose text
changed are sent, so a lifespan logging hundreds of lines a second costs the board a few small
updates a second. Many busy rows at once are held to ``max_messages`` widget messages a second:
a redraw that changed N widgets delays the next by N / max_messages seconds (100 rows logging:
two redraws a second instead of ten), so the kernel and the front end keep up.
Stop buttons schedule ``group.stop([...])`` as a task on the running loop and return at once;
the teardown steps then appear one by one as their events arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from nbplug._base.loops import running_loop

from ..base.shapes import LifespanEventLike, LifespanGroupLike
from ..base.throttle import Throttle
from ..base.view import View, ipywidgets_module
from ..format import theme
from ..format.text import format_error, format_uptime, last_lines, phase_label
from .text import (
    FONT,
    BoardRow,
    TeardownStep,
    board_html,
    board_text,
    error_html,
    legend_html,
    log_html,
    phase_badge_html,
    teardown_html,
)

__all__ = ["LifespanBoard"]

_ACTIVE = frozenset({"pending", "set-up", "running", "stopping"})
_STOPPABLE = frozenset({"set-up", "running"})
_TEARDOWN = frozenset({"stopping", "stopped", "failed"})


class _Row:
    """The widgets of one board row."""

    def __init__(self, w: Any, name: str, on_stop: Callable[[str], object]) -> None:
        self.name_html = w.HTML(layout=w.Layout(width="auto", max_width="12em"))
        self.name_html.add_class("nbplug-row-name")
        self.phase = w.HTML(layout=w.Layout(width="6em"))
        self.phase.add_class("nbplug-row-phase")
        self.uptime = w.HTML(layout=w.Layout(width="7em"))
        self.uptime.add_class("nbplug-row-uptime")
        self.log = w.HTML(layout=w.Layout(flex="1 1 auto", min_width="12em"))
        self.log.add_class("nbplug-row-log")
        self.stop = w.Button(
            description="Stop",
            icon="stop",
            tooltip=f"tear down lifespan {name!r}",
            layout=w.Layout(width="5.5em", height="24px", margin="0 0 0 8px"),
        )
        self.stop.add_class("nbplug-row-stop")
        self.stop.on_click(lambda _button: on_stop(name))
        # the Stop button sits right after the name it stops, in a column of its own width
        self.head = w.HBox([self.name_html, self.stop],
                           layout=w.Layout(width="17em", align_items="center"))
        self.head.add_class("nbplug-row-head")
        self.box = w.HBox(
            [self.head, self.phase, self.uptime, self.log],
            layout=w.Layout(align_items="flex-start", border_bottom=f"1px solid {theme.BORDER}"),
        )
        self.box.add_class("nbplug-board-row")

    def show(self, row: BoardRow) -> int:
        """Show ``row``; return how many widgets changed (each change is one widget message)."""
        changed = 0
        for widget, name, value in (
            (self.name_html, "value", f"<b>{html.escape(row.name)}</b>"),
            (self.phase, "value", phase_badge_html(row.phase)),
            (self.uptime, "value", "" if row.uptime is None else html.escape(format_uptime(row.uptime))),
            (self.log, "value", error_html(row.error) + log_html(row.log)),
            (self.stop, "disabled", row.phase not in _STOPPABLE),
        ):
            if getattr(widget, name) != value:
                setattr(widget, name, value)
                changed += 1
        return changed


class LifespanBoard(View):
    """A live board of a LifespanGroup's lifespans, with Stop buttons and a teardown log.

    ``text()`` / ``html()`` render the group as it is now; ``widget`` is the live board (built on
    first access, subscribed to the group until ``close()``).
    """

    def __init__(
        self,
        group: LifespanGroupLike,
        *,
        log_lines: int = 5,
        max_redraws: float = 10.0,
        max_messages: float = 200.0,
        tick: float = 1.0,
        max_teardown_steps: int = 200,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not hasattr(group, "states") or not callable(getattr(group, "subscribe", None)):
            raise TypeError(
                f"LifespanBoard needs a LifespanGroup (with .states and .subscribe()), "
                f"got {type(group).__name__}"
            )
        if log_lines < 0:
            raise ValueError(f"log_lines must be >= 0, got {log_lines!r}")
        if max_redraws <= 0:
            raise ValueError(f"max_redraws must be a positive rate (redraws a second), got {max_redraws!r}")
        if max_messages <= 0:
            raise ValueError(
                f"max_messages must be a positive rate (widget messages a second), got {max_messages!r}"
            )
        self._min_interval = 1.0 / max_redraws
        self.max_messages = max_messages
        self.messages = 0
        self.group = group
        self.log_lines = log_lines
        self.tick = tick
        self._clock = clock
        self._throttle = Throttle(self._redraw, 1.0 / max_redraws, clock=clock)
        self._teardown: deque[TeardownStep] = deque(maxlen=max_teardown_steps)
        self._run = 1
        self._stopped_at: dict[str, float] = {}
        self._rows: dict[str, _Row] = {}
        self._tasks: set[asyncio.Future[Any]] = set()
        self._notice = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tick_handle: asyncio.TimerHandle | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._closed = False
        self.events_seen = 0

    # ---- the data -------------------------------------------------------------------------------

    def rows(self) -> list[BoardRow]:
        """A snapshot of every lifespan as the board shows it: name, phase, uptime, log, error."""
        now = self._clock()
        rows = []
        for state in self.group.states:
            phase = phase_label(state.phase)
            uptime: float | None = None
            if state.started_at is not None:
                stopped_at = getattr(state, "stopped_at", None)  # the real LifespanState has it
                if phase in _ACTIVE:
                    end = now
                elif isinstance(stopped_at, float):
                    end = stopped_at
                else:
                    end = self._stopped_at.get(state.name, now)
                uptime = max(0.0, end - state.started_at)
            error = format_error(state.error) if state.error is not None else None
            rows.append(BoardRow(state.name, phase, uptime, last_lines(state.log, self.log_lines), error))
        return rows

    @property
    def teardown_steps(self) -> list[TeardownStep]:
        """The teardown steps of the current run, in the order they happened."""
        return list(self._teardown)

    @property
    def run(self) -> int:
        """Which run the teardown log shows: 1, then one more each time lifespans start again
        after a teardown (the log is cleared then, so it never mixes runs)."""
        return self._run

    @property
    def redraws(self) -> int:
        """How many times the live widget was redrawn (a burst of events costs one redraw)."""
        return self._throttle.runs

    @property
    def redraw_interval(self) -> float:
        """Seconds the next redraw waits at least: 1 / max_redraws, longer after a big redraw."""
        return self._throttle.interval

    @property
    def redraw_pending(self) -> bool:
        """Whether a throttled redraw is scheduled."""
        return self._throttle.pending

    @property
    def ticking(self) -> bool:
        """Whether the once-a-second uptime refresh is scheduled (only while something runs)."""
        return self._tick_handle is not None

    def text(self) -> str:
        return board_text(self.rows(), self.teardown_steps, run=self._run)

    def html(self) -> str:
        return board_html(self.rows(), self.teardown_steps, run=self._run)

    # ---- events --------------------------------------------------------------------------------

    def _on_event(self, event: LifespanEventLike) -> None:
        """The group's subscriber: note teardown steps, then ask for a throttled redraw."""
        if self._closed:
            return
        self.events_seen += 1
        if event.kind == "phase":
            phase = phase_label(event.phase)
            if phase in _TEARDOWN:
                error = format_error(event.error) if event.error is not None else None
                self._teardown.append(TeardownStep(event.name, phase, error))
                if phase != "stopping":
                    self._stopped_at.setdefault(event.name, self._clock())
            elif phase in ("pending", "set-up"):
                self._stopped_at.pop(event.name, None)
                self._new_run_if_torn_down()
        loop = self._current_loop()
        self._throttle.request(loop)
        if loop is not None and self._tick_handle is None:
            self._schedule_tick(loop)

    def _new_run_if_torn_down(self) -> None:
        """Lifespans start again: once the last run's teardown is over, begin a new log."""
        if not self._teardown:
            return
        if any(phase_label(s.phase) == "stopping" for s in self.group.states):
            return  # a teardown is still going on: its steps stay together
        self._teardown.clear()
        self._run += 1

    def _current_loop(self) -> asyncio.AbstractEventLoop | None:
        running = running_loop()
        if running is not None:
            self._loop = running
        return running

    # ---- the widget ----------------------------------------------------------------------------

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        self._title = w.HTML()
        self._title.add_class("nbplug-board-title")
        self._stop_all = w.Button(
            description="Stop all",
            icon="stop-circle",
            button_style="danger",
            tooltip="tear every lifespan down, in reverse set-up order",
        )
        self._stop_all.add_class("nbplug-stop-all")
        self._stop_all.on_click(lambda _button: self.stop())
        self._notice_html = w.HTML()
        self._notice_html.add_class("nbplug-board-notice")
        self._rows_box = w.VBox()
        self._rows_box.add_class("nbplug-board-rows")
        self._teardown_html = w.HTML()
        self._teardown_html.add_class("nbplug-board-teardown")
        self._legend = w.HTML(value=legend_html())
        self._legend.add_class("nbplug-board-legend")
        box = w.VBox(
            [
                w.HBox([self._title, self._stop_all], layout=w.Layout(align_items="center")),
                self._rows_box,
                self._legend,
                self._notice_html,
                self._teardown_html,
            ]
        )
        box.add_class("nbplug-board")
        self._w = w
        self._widget = box
        self._unsubscribe = self.group.subscribe(self._on_event)
        self._redraw()
        loop = self._current_loop()
        if loop is not None:
            self._schedule_tick(loop)
        return box

    def refresh(self) -> None:
        """Redraw the widget now (skipping the throttle)."""
        self._throttle.flush()

    def _redraw(self) -> None:
        if self._widget is None or self._closed:
            return
        rows = self.rows()
        if [r.name for r in rows] != list(self._rows):
            known = self._rows
            self._rows = {r.name: known.get(r.name) or _Row(self._w, r.name, self.stop_one) for r in rows}
            self._rows_box.children = [row.box for row in self._rows.values()]
        changed = sum(self._rows[row.name].show(row) for row in rows)
        self._spend(changed)
        running = sum(1 for r in rows if r.phase == "running")
        self._title.value = (
            f"<b>lifespans</b>: {len(rows)} ({running} running)" if rows else "<b>lifespans</b>: none yet"
        )
        self._stop_all.disabled = not any(r.phase in _STOPPABLE for r in rows)
        self._notice_html.value = (
            f'<span style="{FONT};color:{theme.ERROR}">{html.escape(self._notice)}</span>'
            if self._notice else ""
        )
        self._teardown_html.value = teardown_html(self.teardown_steps, run=self._run)

    def _spend(self, messages: int) -> None:
        """Keep the widget messages a second within ``max_messages``: a redraw that changed many
        rows pushes the next one back (100 busy rows: two redraws a second, not ten)."""
        self.messages += messages
        self._throttle.interval = max(self._min_interval, messages / self.max_messages)

    def _schedule_tick(self, loop: asyncio.AbstractEventLoop) -> None:
        """Refresh uptimes every ``tick`` seconds while some lifespan is active."""
        if self._closed or self._widget is None or self.tick <= 0:
            return
        if not any(phase_label(s.phase) in _ACTIVE for s in self.group.states):
            return
        self._tick_handle = loop.call_later(self.tick, self._on_tick, loop)

    def _on_tick(self, loop: asyncio.AbstractEventLoop) -> None:
        self._tick_handle = None
        self._throttle.request(loop)
        self._schedule_tick(loop)

    # ---- stopping ------------------------------------------------------------------------------

    def stop(self, names: Sequence[str] | None = None) -> asyncio.Future[Any] | None:
        """Schedule ``group.stop(names)`` on the running loop (Stop-all when ``names`` is None).

        Returns the scheduled task (or None when no event loop can run it; the board then says so).
        Never blocks: the teardown steps show up on the board as they happen.
        """
        coro = self.group.stop(list(names) if names is not None else None)
        return self._spawn(coro, "stop " + (", ".join(names) if names else "all"))

    def stop_one(self, name: str) -> asyncio.Future[Any] | None:
        """The row's Stop button: tear down one lifespan."""
        return self.stop([name])

    def _spawn(self, awaitable: Any, what: str) -> asyncio.Future[Any] | None:
        loop = self._loop
        running = self._current_loop()
        if running is not None:
            future: asyncio.Future[Any] = asyncio.ensure_future(awaitable)
        elif loop is not None and loop.is_running() and not loop.is_closed():
            future = asyncio.wrap_future(
                asyncio.run_coroutine_threadsafe(_as_coro(awaitable), loop), loop=loop
            )
        else:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            self._set_notice(f"cannot {what}: no running event loop; use `await group.stop()`")
            return None
        self._notice = ""
        self._tasks.add(future)
        future.add_done_callback(lambda f: self._stop_done(f, what))
        return future

    def _stop_done(self, future: asyncio.Future[Any], what: str) -> None:
        self._tasks.discard(future)
        if future.cancelled():
            self._set_notice(f"{what}: cancelled")
        elif future.exception() is not None:
            exc = future.exception()
            assert exc is not None
            self._set_notice(f"{what} failed: {format_error(exc)}")
        else:
            self._throttle.request(self._current_loop())

    def _set_notice(self, notice: str) -> None:
        self._notice = notice
        self._throttle.request(self._current_loop())

    @property
    def notice(self) -> str:
        """The last problem the board itself ran into (a failed stop), or ''."""
        return self._notice

    def close(self) -> None:
        """Unsubscribe from the group, stop refreshing and close the widget."""
        self._closed = True
        self._throttle.cancel()
        if self._tick_handle is not None:
            self._tick_handle.cancel()
            self._tick_handle = None
        if self._unsubscribe is not None:
            with contextlib.suppress(Exception):
                self._unsubscribe()
            self._unsubscribe = None
        if self._widget is not None:
            _close_tree(self._widget)


async def _as_coro(awaitable: Any) -> Any:
    """Wrap any awaitable in a coroutine (run_coroutine_threadsafe accepts only coroutines)."""
    return await awaitable


def _close_tree(widget: Any) -> None:
    """Close a widget and every widget inside it (their comms too)."""
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()
