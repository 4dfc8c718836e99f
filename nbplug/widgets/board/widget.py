"""The lifespan board: a live row per lifespan (phase, uptime, its run's log, Stop), Stop-all and
the run timeline.

The board follows a LifespanGroup through ``group.subscribe``: events arrive on the kernel's
event loop thread while the kernel is idle, mark the board dirty, and a throttled redraw
(``loop.call_later``, at most ``max_redraws`` a second) copies the group's states into the widgets.
Each row shows its run's log as the group keeps it (the set-up's lines and the latest, bounded;
:mod:`.runlog`), or only the latest ``log_lines`` when given, and only widgets whose text changed
are sent, so a lifespan logging hundreds of lines a second costs the board a few small
updates a second. Many busy rows at once are held to ``max_messages`` widget messages a second:
a redraw that changed N widgets delays the next by N / max_messages seconds (100 rows logging:
two redraws a second instead of ten), so the kernel and the front end keep up.

The board decides by the group's :class:`~nbplug.lifespans.Phase` (which rows can stop, what is
a teardown step, when a run begins); the words a phase is shown in are the renderers' business
(:mod:`.text`). Its jobs are composed: :class:`~.page.BoardPage` chooses the page of lifespans
shown (50 of them, a filter by phase and name: :mod:`.page` says why), :class:`~.row.RowWidgets`
draw a place on that page, :class:`~.controls.PageControls` choose the page,
:class:`~.stopping.Stopper` runs the Stop buttons, :mod:`.timeline` draws the run, this class keeps
the teardown log and redraws. ``follow()`` subscribes without a widget (a snapshot that records a
stop's teardown); ``retire()`` freezes a live board when a later cell follows the group instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from nbplug._base.safetext import error_text
from nbplug.lifespans.events import LifespanEvent, LifespanState, Phase

from ..base.shapes import LifespanGroupLike
from ..base.throttle import Throttle
from ..base.view import View, close_tree, ipywidgets_module
from ..format.text import escape_html, phase_label
from .controls import PageControls
from .page import PAGE_SIZE, BoardPage, Selection
from .row import RowLook, RowWidgets
from .runlog import MAX_SHOWN, MIN_SHARE, row_log
from .stopping import Stopper
from .text import BoardRow, TeardownStep, board_html, board_text, legend_html, notice_html, teardown_html
from .timeline import life_bars, run_timeline_html, run_timeline_text

__all__ = ["LifespanBoard"]

_ACTIVE = frozenset({Phase.PENDING, Phase.SETTING_UP, Phase.RUNNING, Phase.STOPPING})
_STOPPABLE = frozenset({Phase.SETTING_UP, Phase.RUNNING})
_TEARDOWN = frozenset({Phase.STOPPING, Phase.STOPPED, Phase.FAILED})


class LifespanBoard(View):
    """A live board of a LifespanGroup's lifespans, with Stop buttons and a teardown log.

    ``text()`` / ``html()`` render the group as it is now; ``widget`` is the live board (built on
    first access, subscribed to the group until ``close()``). ``log_lines``: show only each
    lifespan's latest lines (None, the default: its run's whole log as the group keeps it).

    Every form shows one page of 50 lifespans (``page``), of those in ``phase`` (a phase's word
    on the board: ``running``, ``failed``...) whose names contain ``name``, and counts every
    lifespan per phase; the widget has controls for the filter and the page, and ``choose()``
    sets them from Python. The teardown log keeps the latest ``max_teardown_steps`` steps of
    its run (a page's worth: a stop of 5,000 lifespans takes 10,000) and counts the earlier ones.
    """

    def __init__(
        self,
        group: LifespanGroupLike,
        *,
        log_lines: int | None = None,
        max_redraws: float = 10.0,
        max_messages: float = 200.0,
        tick: float = 1.0,
        max_teardown_steps: int = PAGE_SIZE,
        clock: Callable[[], float] = time.monotonic,
        page: int = 1,
        phase: str | None = None,
        name: str | None = None,
    ) -> None:
        if not hasattr(group, "states") or not callable(getattr(group, "subscribe", None)):
            raise TypeError(
                f"LifespanBoard needs a LifespanGroup (with .states and .subscribe()), "
                f"got {type(group).__name__}"
            )
        if log_lines is not None and log_lines < 0:
            raise ValueError(f"log_lines must be >= 0, got {log_lines!r}")
        if max_redraws <= 0:
            raise ValueError(f"max_redraws must be a positive rate (redraws a second), got {max_redraws!r}")
        if max_messages <= 0:
            raise ValueError(
                f"max_messages must be a positive rate (widget messages a second), got {max_messages!r}"
            )
        self.group = group
        self.log_lines = log_lines
        self.tick = tick
        self.max_messages = max_messages
        self._page = BoardPage(phase, name, page)
        #: events received from the group (a cell tells by it whether anything happened)
        self.events_seen = 0
        self._min_interval = 1.0 / max_redraws
        self._clock = clock
        self._throttle = Throttle(self._redraw, self._min_interval, clock=clock)
        self._stopper = Stopper(group, lambda: self._throttle.request(self._stopper.current_loop()))
        self._teardown: deque[TeardownStep] = deque(maxlen=max_teardown_steps)
        self._steps = 0  # this run's teardown steps, the ones the deque let go included
        self._run = 1
        self._rows: list[RowWidgets] = []  # one per place on the page, reused
        self._tick_handle: asyncio.TimerHandle | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._closed = False
        self._timeline_due = True  # the timeline is redrawn on phase changes and ticks only

    # ---- the data -------------------------------------------------------------------------------

    def _row(self, state: LifespanState, now: float, share: int = MAX_SHOWN) -> BoardRow:
        uptime: float | None = None
        if state.started_at is not None:
            stopped_at = state.stopped_at if state.phase not in _ACTIVE else None
            end = now if stopped_at is None else stopped_at
            uptime = max(0.0, end - state.started_at)
        error = error_text(state.error) if state.error is not None else None
        log = row_log(state.log, latest=self.log_lines, share=share)
        return BoardRow(state.name, phase_label(state.phase), uptime, log.lines, error,
                        log.gap_at, log.note)

    @staticmethod
    def _share(count: int) -> int:
        """Log lines each of ``count`` rows may show (one output stays bounded)."""
        return max(MIN_SHARE, MAX_SHOWN // max(count, 1))

    @property
    def page(self) -> BoardPage:
        """The filter and page the board shows (``choose()`` changes it)."""
        return self._page

    def choose(self, page: int | None = None, *, phase: str | None = None,
               name: str | None = None) -> None:
        """Show ``page`` of the lifespans in ``phase`` whose names contain ``name`` (None: any);
        a new filter starts at page 1. The widget, when built, redraws at once."""
        number = page if page is not None else (
            self._page.number if (phase, name) == (self._page.phase, self._page.name) else 1)
        self._show(BoardPage(phase, name, number, self._page.size))

    def _show(self, page: BoardPage) -> None:
        self._page = page
        if self._widget is not None:
            self.refresh()

    def selection(self) -> Selection:
        """The lifespans the board shows now (this page of those the filter keeps), every one counted."""
        return self._page.select(self.group.states)

    def rows(self, selection: Selection | None = None) -> list[BoardRow]:
        """The lifespans the board shows (this page), as it shows them: name, phase, uptime, log, error."""
        now = self._clock()
        shown = (selection or self.selection()).shown
        share = self._share(len(shown))
        return [self._row(state, now, share) for state in shown]

    def _bars(self, selection: Selection | None) -> tuple[Any, float]:
        shown = (selection or self.selection()).shown
        return life_bars(self.group.states, self._clock(), {state.name for state in shown})

    def timeline_text(self, selection: Selection | None = None) -> list[str]:
        """The run timeline of the lifespans shown, as text lines (none before any set-up)."""
        return run_timeline_text(*self._bars(selection))

    def timeline_html(self, selection: Selection | None = None) -> str:
        """The run timeline of the lifespans shown, as static HTML ('' before any set-up)."""
        return run_timeline_html(*self._bars(selection))

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
    def notice(self) -> str:
        """The last problem the board itself ran into (a failed stop), or ''."""
        return self._stopper.notice

    def text(self) -> str:
        return self.forms()[0]

    def html(self) -> str:
        return self.forms()[1]

    def forms(self) -> tuple[str, str]:
        selection = self.selection()  # one reading of the group for both forms
        rows = self.rows(selection)
        heading, scope, earlier = selection.heading(), selection.scope(), self._steps - len(self._teardown)
        return (board_text(rows, self.teardown_steps, run=self._run, timeline=self.timeline_text(selection),
                           notice=self.notice, heading=heading, scope=scope, earlier_steps=earlier),
                board_html(rows, self.teardown_steps, run=self._run, timeline=self.timeline_html(selection),
                           notice=self.notice, heading=heading, scope=scope, earlier_steps=earlier))

    def follow(self) -> None:
        """Follow the group's events from now on (as the widget does), without building one: a
        snapshot shown after a stop records that stop's teardown steps."""
        if self._unsubscribe is None and not self._closed:
            self._unsubscribe = self.group.subscribe(self._on_event)
            if self._widget is not None:
                self._throttle.request(self._stopper.current_loop())

    def pause(self) -> None:
        """Draw the group as it is now and stop following it (``follow()`` resumes): a later
        cell is about to show the lifespans; this board keeps what it showed until then."""
        if self._widget is not None and not self._closed and self._unsubscribe is not None:
            self._timeline_due = True
            self._redraw()
        self._unfollow()

    def retire(self, notice: str) -> None:
        """Stop following for good and say ``notice`` (a later cell follows the group now): the
        widget keeps what it showed when paused, its Stop buttons disabled."""
        self.pause()
        self._stopper.notice = notice
        if self._widget is not None and not self._closed:
            self._notice_html.value = notice_html(notice)
            for row in self._rows:
                row.stop.disabled = True
            self._stop_all.disabled = True
            self._stop_all.button_style = ""
            self._controls.disable()
        self._closed = True

    # ---- events --------------------------------------------------------------------------------

    def _on_event(self, event: LifespanEvent) -> None:
        """The group's subscriber: note teardown steps, then ask for a throttled redraw."""
        if self._closed:
            return
        self.events_seen += 1
        if event.kind == "phase":
            self._timeline_due = True
            if event.phase in _TEARDOWN:
                error = error_text(event.error) if event.error is not None else None
                self._teardown.append(TeardownStep(event.name, phase_label(event.phase), error))
                self._steps += 1
            elif event.phase in (Phase.PENDING, Phase.SETTING_UP):
                self._new_run_if_torn_down()
        loop = self._stopper.current_loop()
        self._throttle.request(loop)
        if loop is not None and self._tick_handle is None:
            self._schedule_tick(loop)

    def _new_run_if_torn_down(self) -> None:
        """Lifespans start again: once the last run's teardown is over, begin a new log."""
        if not self._teardown or any(s.phase is Phase.STOPPING for s in self.group.states):
            return  # nothing torn down yet, or a teardown is still going on: its steps stay together
        self._teardown.clear()
        self._steps = 0
        self._run += 1

    # ---- the widget ----------------------------------------------------------------------------

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        self._title = w.HTML()
        self._title.add_class("nbplug-board-title")
        self._stop_all = w.Button(
            description="Stop all",
            icon="stop-circle",
            tooltip="tear every lifespan down, in reverse set-up order",
        )
        self._stop_all.add_class("nbplug-stop-all")
        self._stop_all.on_click(lambda _button: self.stop())
        self._controls = PageControls(w, self._page, self._show)
        self._notice_html = w.HTML()
        self._notice_html.add_class("nbplug-board-notice")
        self._rows_box = w.VBox()
        self._rows_box.add_class("nbplug-board-rows")
        self._teardown_html = w.HTML()
        self._teardown_html.add_class("nbplug-board-teardown")
        self._legend = w.HTML(value=legend_html())
        self._legend.add_class("nbplug-board-legend")
        self._timeline_html = w.HTML()
        self._timeline_html.add_class("nbplug-board-timeline")
        head = w.HBox([self._title, self._stop_all], layout=w.Layout(align_items="center"))
        box = w.VBox([head, self._controls.box, self._rows_box, self._legend, self._notice_html,
                      self._timeline_html, self._teardown_html])
        box.add_class("nbplug-board")
        self._look = RowLook(w)
        self._widget = box
        self.follow()
        self._redraw()
        loop = self._stopper.current_loop()
        if loop is not None:
            self._schedule_tick(loop)
        return box

    def refresh(self) -> None:
        """Redraw the widget now (skipping the throttle), its timeline included."""
        self._timeline_due = True
        self._throttle.flush()

    def _redraw(self) -> None:
        if self._widget is None or self._closed or self._unsubscribe is None:
            return  # no widget, or no longer following: what it shows stays
        now = self._clock()
        states = self.group.states
        selection = self._page.select(states)
        shown = selection.shown
        changed = self._controls.show(self._page, selection)
        while len(self._rows) < len(shown):
            self._rows.append(RowWidgets(self._look, self.stop_one))
        if len(self._rows_box.children) != len(shown):
            self._rows_box.children = [row.box for row in self._rows[:len(shown)]]
            changed += 1
        share = self._share(len(shown))
        changed += sum(row.show(self._row(state, now, share), stoppable=state.phase in _STOPPABLE)
                       for row, state in zip(self._rows, shown, strict=False))
        stoppable = any(s.phase in _STOPPABLE for s in states)
        parts: list[tuple[Any, str, object]] = [
            (self._title, "value", f"<b>lifespans</b>: {escape_html(selection.heading())}" if states
             else "<b>lifespans</b>: none yet"),
            (self._stop_all, "disabled", not stoppable),
            # a disabled danger button still looks red and clickable: it turns plain when disabled
            (self._stop_all, "button_style", "danger" if stoppable else ""),
            (self._notice_html, "value", notice_html(self._stopper.notice)),
            (self._teardown_html, "value", teardown_html(self.teardown_steps, run=self._run,
                                                         earlier_steps=self._steps - len(self._teardown))),
        ]
        if self._timeline_due:  # on a phase change or a tick: log lines do not move the bars
            self._timeline_due = False
            parts.append((self._timeline_html, "value", self.timeline_html(selection)))
        for widget, name, value in parts:
            if getattr(widget, name) != value:
                setattr(widget, name, value)
                changed += 1
        self._spend(changed)

    def _spend(self, messages: int) -> None:
        """Keep the widget messages a second within ``max_messages``: a redraw that changed many
        rows pushes the next one back (50 busy rows: four redraws a second, not ten)."""
        self._throttle.interval = max(self._min_interval, messages / self.max_messages)

    def _schedule_tick(self, loop: asyncio.AbstractEventLoop) -> None:
        """Refresh uptimes every ``tick`` seconds while some lifespan is active."""
        if self._closed or self._widget is None or self.tick <= 0:
            return
        if not any(s.phase in _ACTIVE for s in self.group.states):
            return
        self._tick_handle = loop.call_later(self.tick, self._on_tick, loop)

    def _on_tick(self, loop: asyncio.AbstractEventLoop) -> None:
        self._tick_handle = None
        self._timeline_due = True
        self._throttle.request(loop)
        self._schedule_tick(loop)

    # ---- stopping ------------------------------------------------------------------------------

    def stop(self, names: Sequence[str] | None = None) -> asyncio.Future[Any] | None:
        """Schedule ``group.stop(names)`` on the running loop (Stop-all when ``names`` is None).

        Returns the scheduled task (or None when no event loop can run it; the board then says so).
        Never blocks: the teardown steps show up on the board as they happen.
        """
        return self._stopper.stop(names)

    def stop_one(self, name: str) -> asyncio.Future[Any] | None:
        """The row's Stop button: tear down one lifespan."""
        return self.stop([name])

    def _unfollow(self) -> None:
        self._throttle.cancel()
        if self._tick_handle is not None:
            self._tick_handle.cancel()
            self._tick_handle = None
        if self._unsubscribe is not None:
            with contextlib.suppress(Exception):
                self._unsubscribe()
            self._unsubscribe = None

    def close(self) -> None:
        """Unsubscribe from the group, stop refreshing and close the widget."""
        self._closed = True
        self._unfollow()
        if self._widget is not None:
            close_tree(self._widget)
