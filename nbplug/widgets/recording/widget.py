"""The recording view: what a ``Recorder`` saw, browsable and filterable, with the call view of
any one call.

``RecordingView(recording, hook=..., plugin=..., thread=...)`` has the text form (terminal
IPython, nbconvert), the escaped HTML form (per-hook counts and times, the call tree, the
timeline) and a live widget: a hook, a plugin and a thread drop-down filter the table, the tree
and the timeline (the thread one only when calls were made on other threads: they are roots of
their own, so a thread picks roots; the table then counts that thread's kept calls), and
picking a call from the list shows it in the call view (``HookCallView`` over the call's
``as_trace()``: the same view ``%%hook`` shows).
The renderers are in :mod:`.text`; the recording is plain data (:mod:`nbplug.recording.model`),
so the view never touches the manager that was recorded.
"""

from __future__ import annotations

from typing import Any

from ...recording.model import RecordedCall, Recording
from ..base.view import View, ipywidgets_module
from ..callview.widget import HookCallView
from ..format.text import escape_html
from .text import (
    LIMIT,
    OWN_THREAD,
    call_line,
    headline,
    hook_table_html,
    pane_html,
    recording_html,
    recording_text,
    timeline_html,
    tree_html,
    tree_rows,
)

__all__ = ["RecordingView"]

#: Calls offered in the widget's list of calls to open.
PICK_LIMIT = 200
_ALL = "(all)"


class RecordingView(View):
    """Shows a Recording: text, escaped HTML, or a live widget with filters and a call view."""

    #: ``thread=OWN_THREAD`` shows the calls of the thread that opened the recorder.
    OWN_THREAD = OWN_THREAD

    def __init__(self, recording: Recording, *, hook: str | None = None, plugin: str | None = None,
                 limit: int = LIMIT, thread: str | None = None) -> None:
        if not isinstance(recording, Recording):
            raise TypeError(
                "RecordingView needs a Recording (from `with nbplug.record(pm) as recording:` or "
                f"run_pytest(...).recording); got {type(recording).__name__}"
            )
        recording.check_names(hook, plugin)
        threads = [OWN_THREAD, *recording.threads()]
        if thread is not None and thread not in threads:
            raise ValueError(f"no call on thread {thread!r} was kept; threads: "
                             + ", ".join(repr(name) for name in threads))
        self.thread = thread
        self.recording = recording
        self.hook = hook
        self.plugin = plugin
        self.limit = limit

    def filtered(self, hook: str | None = None, plugin: str | None = None,
                 thread: str | None = None) -> RecordingView:
        """The same recording seen through another filter."""
        return RecordingView(self.recording, hook=hook, plugin=plugin, limit=self.limit,
                             thread=thread)

    def calls(self) -> list[RecordedCall]:
        """The kept calls that match the filter, in call order."""
        if self.thread is None:
            return self.recording.find(self.hook, self.plugin)
        rows, _ = tree_rows(self.recording, self.hook, self.plugin, self.recording.kept + 1,
                            thread=self.thread)
        return [row.call for row in rows if row.matched]

    def call(self, index: int) -> RecordedCall:
        """The kept call numbered ``index`` (the ``#n`` the views show)."""
        for _, call in self.recording.walk():
            if call.index == index:
                return call
        raise LookupError(
            f"no kept call #{index} in this recording (calls are numbered 1 to "
            f"{self.recording.total:,}; {self.recording.dropped:,} were only counted)"
        )

    def call_view(self, index: int) -> HookCallView:
        """The call view of call ``#index``."""
        return HookCallView(self.call(index).as_trace())

    def text(self) -> str:
        return recording_text(self.recording, self.hook, self.plugin, self.limit, thread=self.thread)

    def html(self) -> str:
        return recording_html(self.recording, self.hook, self.plugin, self.limit, thread=self.thread)

    # -- the live widget -------------------------------------------------------------------------
    def _panes(self) -> tuple[str, str, str]:
        rec, hook, plugin, thread = self.recording, self.hook, self.plugin, self.thread
        return (pane_html(hook_table_html(rec, hook, plugin, thread=thread)),
                pane_html(tree_html(rec, hook, plugin, self.limit, thread=thread)),
                pane_html(timeline_html(rec, hook, plugin, thread=thread)))

    def _options(self) -> list[tuple[str, int]]:
        rows, _ = tree_rows(self.recording, self.hook, self.plugin, limit=10 * PICK_LIMIT,
                            thread=self.thread)
        picked = [row.call for row in rows if row.matched][:PICK_LIMIT]
        return [(call_line(call)[:110], call.index) for call in picked]

    def _redraw(self) -> None:
        table, tree, timeline = self._panes()
        self._table.value, self._tree.value, self._timeline.value = table, tree, timeline
        options = self._options()
        self._pick.options = options
        self._pick.value = options[0][1] if options else None
        self._show_call()

    def _show_call(self) -> None:
        index = self._pick.value
        self._call.value = ("" if index is None else HookCallView(self.call(index).as_trace()).html())

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        hooks = [_ALL, *self.recording.hooks]
        plugins = [_ALL, *sorted(self.recording.plugins())]
        self._hook_pick = w.Dropdown(options=hooks, value=self.hook or _ALL, description="hook")
        self._plugin_pick = w.Dropdown(options=plugins, value=self.plugin or _ALL, description="plugin")
        self._thread_pick = w.Dropdown(options=[_ALL, OWN_THREAD, *self.recording.threads()],
                                       value=self.thread or _ALL, description="thread")
        self._pick = w.Select(options=[], rows=8, description="call",
                              layout=w.Layout(width="100%"))
        self._table, self._tree, self._timeline, self._call = (w.HTML() for _ in range(4))
        tabs = w.Tab(children=[self._table, self._tree, self._timeline])
        for i, title in enumerate(["per hook", "call tree", "timeline"]):
            tabs.set_title(i, title)

        def on_filter(_change: dict[str, Any]) -> None:
            self.hook = None if self._hook_pick.value == _ALL else self._hook_pick.value
            self.plugin = None if self._plugin_pick.value == _ALL else self._plugin_pick.value
            self.thread = None if self._thread_pick.value == _ALL else self._thread_pick.value
            self._redraw()

        self._hook_pick.observe(on_filter, names="value")
        self._plugin_pick.observe(on_filter, names="value")
        self._thread_pick.observe(on_filter, names="value")
        self._pick.observe(lambda _change: self._show_call(), names="value")
        head = w.HTML(value=f"<b>{escape_html(headline(self.recording))}</b>")
        threads = [self._thread_pick] if self.recording.threads() else []
        box = w.VBox([head, w.HBox([self._hook_pick, self._plugin_pick, *threads]), tabs, self._pick,
                      self._call])
        box.add_class("nbplug-recording-view")
        self._redraw()
        return box
