"""The recording view: what a ``Recorder`` saw, browsable and filterable, with the call view of
any one call.

``RecordingView(recording, hook=..., plugin=..., thread=..., within=..., path_to=...)`` has the
text form (terminal IPython, nbconvert), the escaped HTML form (per-hook counts and times, the
call tree, the timeline) and a live widget: a hook, a plugin and a thread drop-down filter the
table, the tree and the timeline (the thread one only when calls were made on other threads: they
are roots of their own, so a thread picks roots; the table then counts that thread's kept calls),
and picking a call from the list shows it in the call view (``HookCallView`` over the call's
``as_trace()``: the same view ``%%hook`` shows). ``within`` and ``path_to`` are given when the
view is made and stay: ``within`` keeps the drop-downs (they filter inside that call),
``path_to`` greys them out (a path is one answer, not a tree to filter) and opens the call view
on the call the path leads to. A bad value is refused saying what was wrong and what would do.
Which calls each form shows is :mod:`.scope`'s; the renderers are in :mod:`.text`; the recording
is plain data (:mod:`nbplug.recording.model`), so the view never touches the manager that was
recorded.
"""

from __future__ import annotations

from typing import Any

from ...recording.model import RecordedCall, Recording
from ..base.view import View, ipywidgets_module
from ..callview.widget import HookCallView
from ..format.text import escape_html
from .names import named_rows, registered_name, shown_plugins
from .scope import OWN_THREAD, Scope, on_thread, tree_rows
from .text import (
    LIMIT,
    call_line,
    headline,
    hook_table_html,
    pane_html,
    recording_html,
    recording_text,
    row_line,
    timeline_html,
    tree_html,
)

__all__ = ["RecordingView"]

#: Calls offered in the widget's list of calls to open.
PICK_LIMIT = 200
_ALL = "(all)"


class RecordingView(View):
    """Shows a Recording: text, escaped HTML, or a live widget with filters and a call view.

    ``hook`` and ``plugin`` keep the calls that match (and the calls around them, greyed);
    ``thread`` the calls made on one thread (a name from ``recording.threads()``, or
    ``RecordingView.OWN_THREAD``); ``within=CALL`` only the calls made inside one call (and it);
    ``path_to=CALL`` only the chain of calls from a root down to one call -- the call where a test
    failed, and what it was called inside. A call is a ``RecordedCall`` of the recording or its
    number (the ``#n`` the views show)."""

    #: ``thread=OWN_THREAD`` shows the calls of the thread that opened the recorder.
    OWN_THREAD = OWN_THREAD

    def __init__(self, recording: Recording, *, hook: str | None = None, plugin: str | None = None,
                 limit: int = LIMIT, thread: str | None = None,
                 within: RecordedCall | int | None = None,
                 path_to: RecordedCall | int | None = None) -> None:
        if not isinstance(recording, Recording):
            raise TypeError(
                "RecordingView needs a Recording (from `with nbplug.record(pm) as recording:` or "
                f"run_pytest(...).recording); got {type(recording).__name__}"
            )
        self.recording = recording
        plugin = registered_name(recording, plugin)  # also by the name the views show it by
        recording.check_names(hook, plugin)
        threads = [OWN_THREAD, *recording.threads()]
        if thread is not None and thread not in threads:
            raise ValueError(f"no call on thread {thread!r} was kept; threads: "
                             + ", ".join(repr(name) for name in threads))
        inside = None if within is None else self._kept_call("within", within)
        target = None if path_to is None else self._kept_call("path_to", path_to)
        if target is not None:
            others = [f"{name}={value!r}" for name, value in (
                ("hook", hook), ("plugin", plugin), ("thread", thread),
                ("within", within)) if value is not None]
            if others:
                raise ValueError(
                    f"path_to={path_to!r} shows the one chain of calls down to call "
                    f"#{target.index} and takes no other filter (got {', '.join(others)}); to "
                    f"filter the calls made inside one call, give within=N with hook= or plugin=")
        if inside is not None and thread is not None and not on_thread(inside, thread):
            made_on = inside.thread or OWN_THREAD
            raise ValueError(f"within={within!r}: call #{inside.index} was made on thread "
                             f"{made_on!r}, not {thread!r}; give thread={made_on!r} or no thread")
        self.thread = thread
        self.hook = hook
        self.plugin = plugin
        self.limit = limit
        self.within = inside
        self.path_to = target

    def _kept_call(self, name: str, value: object) -> RecordedCall:
        """The kept call ``value`` names for the filter ``name`` (a RecordedCall or its number)."""
        if isinstance(value, RecordedCall):
            try:
                self.recording.path_to(value)
            except LookupError:
                raise ValueError(f"{name}={value!r} is a call of another recording; give a call "
                                 "of this one, or its number (the #n its views show)") from None
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} takes a RecordedCall or a call's number (the #n the views "
                            f"show, e.g. {name}=12); got {type(value).__name__} {value!r}")
        try:
            return self.call(value)
        except LookupError as exc:
            raise ValueError(f"{name}={value}: {exc}") from None

    @property
    def scope(self) -> Scope:
        """What the view shows (see :class:`~.scope.Scope`)."""
        path = () if self.path_to is None else tuple(self.recording.path_to(self.path_to))
        return Scope(self.hook, self.plugin, self.thread, self.within, path)

    def filtered(self, hook: str | None = None, plugin: str | None = None,
                 thread: str | None = None, *, within: RecordedCall | int | None = None,
                 path_to: RecordedCall | int | None = None) -> RecordingView:
        """The same recording seen through another filter."""
        return RecordingView(self.recording, hook=hook, plugin=plugin, limit=self.limit,
                             thread=thread, within=within, path_to=path_to)

    def calls(self) -> list[RecordedCall]:
        """The kept calls the view shows that match its filter, in call order (for ``path_to``,
        the chain, outermost first)."""
        scope = self.scope
        if not scope.narrowed:
            return self.recording.find(self.hook, self.plugin)
        rows, _ = tree_rows(self.recording, scope, self.recording.kept + 1)
        return [row.call for row in rows if row.matched or scope.path]

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
        """The call view of call ``#index`` (naming its thread when it was made on another)."""
        call = self.call(index)
        return HookCallView(call.as_trace(shown_plugins(self.recording)), thread=call.thread)

    def text(self) -> str:
        return recording_text(self.recording, self.scope, self.limit)

    def html(self) -> str:
        return recording_html(self.recording, self.scope, self.limit)

    # -- the live widget -------------------------------------------------------------------------
    def _panes(self) -> tuple[str, str, str]:
        rec, scope = self.recording, self.scope
        return (pane_html(hook_table_html(rec, scope)),
                pane_html(tree_html(rec, scope, self.limit)),
                pane_html(timeline_html(rec, scope)))

    def _options(self) -> list[tuple[str, int]]:
        scope = self.scope
        rows, _ = tree_rows(self.recording, scope, limit=10 * PICK_LIMIT)
        picked = named_rows(self.recording, [row for row in rows if row.matched or scope.path][:PICK_LIMIT])
        return [(row_line(row)[:110], row.call.index) for row in picked]

    def _redraw(self) -> None:
        table, tree, timeline = self._panes()
        self._table.value, self._tree.value, self._timeline.value = table, tree, timeline
        options = self._options()
        self._pick.options = options
        # a path opens on the call it leads to; else the first call listed
        self._pick.value = (options[-1][1] if options and self.path_to is not None
                            else options[0][1] if options else None)
        self._show_call()

    def _show_call(self) -> None:
        index = self._pick.value
        self._call.value = ("" if index is None else self.call_view(index).html())

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        hooks = [_ALL, *self.recording.hooks]
        shown = shown_plugins(self.recording)
        plugins = [(_ALL, _ALL), *sorted((shown.get(name, name), name)
                                         for name in self.recording.plugins())]
        pathed = self.path_to is not None  # a path takes no other filter: the controls stay still
        self._hook_pick = w.Dropdown(options=hooks, value=self.hook or _ALL, description="hook",
                                     disabled=pathed)
        self._plugin_pick = w.Dropdown(options=plugins, value=self.plugin or _ALL,
                                       description="plugin", disabled=pathed)
        self._thread_pick = w.Dropdown(options=[_ALL, OWN_THREAD, *self.recording.threads()],
                                       value=self.thread or _ALL, description="thread")
        self._pick = w.Select(options=[], rows=8, description="call",
                              layout=w.Layout(width="100%"))
        self._table, self._tree, self._timeline, self._call = (w.HTML() for _ in range(4))
        tabs = w.Tab(children=[self._table, self._tree, self._timeline])
        for i, title in enumerate(["per hook", "path" if pathed else "call tree", "timeline"]):
            tabs.set_title(i, title)
        if pathed or self.within is not None:
            tabs.selected_index = 1  # a view of one call is about its tree, not the counts

        def on_filter(_change: dict[str, Any]) -> None:
            self.hook = None if self._hook_pick.value == _ALL else self._hook_pick.value
            self.plugin = None if self._plugin_pick.value == _ALL else self._plugin_pick.value
            self.thread = None if self._thread_pick.value == _ALL else self._thread_pick.value
            self._redraw()

        self._hook_pick.observe(on_filter, names="value")
        self._plugin_pick.observe(on_filter, names="value")
        self._thread_pick.observe(on_filter, names="value")
        self._pick.observe(lambda _change: self._show_call(), names="value")
        anchor = self.path_to or self.within  # the one call the view is about, if any
        where = self.scope.where() if anchor is not None else ""
        head = w.HTML(value=f"<b>{escape_html(headline(self.recording))}</b>"
                      + (f"<div>calls {escape_html(where)}: "
                         f"<code>{escape_html(call_line(anchor))}</code></div>"
                         if anchor is not None else ""))
        # a thread picks roots: not offered inside one call or on a path, which lie on one thread
        threads = [self._thread_pick] if self.recording.threads() and not where else []
        box = w.VBox([head, w.HBox([self._hook_pick, self._plugin_pick, *threads]), tabs, self._pick,
                      self._call])
        box.add_class("nbplug-recording-view")
        self._redraw()
        return box
