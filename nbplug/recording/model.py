"""A recording: the hook calls a manager made while a ``Recorder`` was open, as plain data.

A recorded call holds its hook's name, its arguments, its outcome and its times; its steps are
the extensions that ran (wrappers and plain ones, in call order), and each step holds the
hook calls it made in turn — so hooks calling hooks read as nesting. Every value is kept as a
short repr taken at the moment it was seen (:mod:`nbplug.recording.values`), never as a
reference: a pytest report is changed by later wrappers (the recording must show it as each
extension returned it), and references would keep every item and report of a large run
alive. Rejected: keeping the objects.

Memory is bounded by the recorder's budget (see ``Recorder``): at most ``max_calls`` calls are
kept in detail, plus the first ``min_per_hook`` calls of every hook, so that the rare calls of a
long run (``pytest_sessionfinish``) are still there. Every call, kept or not, is counted in the
per-hook and per-extension statistics, which are bounded by the number of hooks and plugins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .._kit.tracing import CallTrace

__all__ = ["HookStats", "ImplStats", "RecordedCall", "RecordedStep", "Recording", "ReprText"]


class ReprText(str):
    """A value's repr as it was recorded; its own repr is the text itself (views show it as is)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _shown(text: str | None) -> ReprText | None:
    return None if text is None else ReprText(text)


# A finished call or step is stored as a plain tuple (the layouts below), which the garbage
# collector stops tracking once it has seen one: a recording of ten thousand calls then costs
# pytest's own gc.collect() (run at every session end) nothing. Rejected: objects with __slots__,
# which stay tracked and made recording a 500-test run 1.7x as slow, most of it in the collector.
# RecordedCall and RecordedStep are read-only views over these tuples, built when looked at.
#: call: hook, args ((name, repr), ...), start, end, planned ((plugin, function, kind) of each
#: extension, in call order), index, result, error, steps, calls (made outside any step, or None),
#: thread (None: the recording's own), mode (the hook's: collecting, firstresult, ...), threaded
#: (a pipeline's threaded argument, read from its caller; else None), dropped
C_HOOK, C_ARGS, C_START, C_END, C_PLANNED, C_INDEX, C_RESULT, C_ERROR, C_STEPS, C_CALLS, C_THREAD, \
    C_MODE, C_THREADED, C_DROPPED = range(14)
#: step: plugin, function, kind, start, end, setup_end, teardown_start, result, error, calls, dropped
S_PLUGIN, S_FUNCTION, S_KIND, S_START, S_END, S_SETUP_END, S_TEARDOWN, S_RESULT, S_ERROR, S_CALLS, \
    S_DROPPED = range(11)


class _RowView:
    """What a recorded step and a recorded call share: a read-only view over one row tuple, with
    its times in seconds since the recording started; each subclass names where in its row the
    start, end, result, error and dropped count stand."""

    __slots__ = ("_origin", "_row")
    _START: ClassVar[int]
    _END: ClassVar[int]
    _RESULT: ClassVar[int]
    _ERROR: ClassVar[int]
    _DROPPED: ClassVar[int]

    def __init__(self, row: Sequence[Any], origin: float) -> None:
        self._row = row
        self._origin = origin

    @property
    def result(self) -> ReprText | None:
        """The result's repr (None: returned None)."""
        return _shown(self._row[self._RESULT])

    @property
    def error(self) -> str | None:
        """'Type: message' of what it raised, or None."""
        error: str | None = self._row[self._ERROR]
        return error

    @property
    def dropped(self) -> int:
        """Nested calls the budget left out."""
        return int(self._row[self._DROPPED])

    @property
    def start(self) -> float:
        return float(self._row[self._START]) - self._origin

    @property
    def end(self) -> float:
        return float(self._row[self._END]) - self._origin

    @property
    def duration(self) -> float:
        return max(0.0, float(self._row[self._END]) - float(self._row[self._START]))


class RecordedStep(_RowView):
    """One extension (or wrapper) inside a recorded call; times in seconds since the
    recording started. ``calls`` are the hook calls the extension made while it ran."""

    __slots__ = ()
    _START, _END, _RESULT, _ERROR, _DROPPED = S_START, S_END, S_RESULT, S_ERROR, S_DROPPED

    plugin = property(lambda self: str(self._row[S_PLUGIN]), doc="The plugin's registered name.")
    function = property(lambda self: str(self._row[S_FUNCTION]), doc="The function's qualified name.")
    kind = property(lambda self: str(self._row[S_KIND]), doc="'wrapper' or 'impl'.")

    @property
    def setup_end(self) -> float | None:
        value = self._row[S_SETUP_END]
        return None if value is None else float(value) - self._origin

    @property
    def teardown_start(self) -> float | None:
        value = self._row[S_TEARDOWN]
        return None if value is None else float(value) - self._origin

    @property
    def calls(self) -> list[RecordedCall]:
        return [RecordedCall(row, self._origin) for row in self._row[S_CALLS] or ()]

    def __repr__(self) -> str:
        outcome = f"raised {self.error}" if self.error else f"-> {self.result!r}"
        return f"<RecordedStep {self.kind} {self.plugin} {outcome}>"


class RecordedCall(_RowView):
    """One hook call: its arguments (name, repr) in call order, outcome, times, steps.

    ``planned`` names the plugins whose extensions the hook had, in call order, so a step
    that did not run (after a firstresult answer) shows as not called. ``calls`` holds nested
    calls made outside any recorded step (by an extension registered too late to record).
    ``mode`` is the hook's (``collecting``, ``firstresult``, ``historic``, ``pipeline``).
    """

    __slots__ = ()
    _START, _END, _RESULT, _ERROR, _DROPPED = C_START, C_END, C_RESULT, C_ERROR, C_DROPPED

    hook = property(lambda self: str(self._row[C_HOOK]), doc="The hook's name.")
    args = property(lambda self: tuple((name, ReprText(text)) for name, text in self._row[C_ARGS]),
                    doc="(name, repr) of each argument.")
    planned = property(lambda self: tuple(entry[0] for entry in self._row[C_PLANNED]),
                       doc="Plugins, in call order.")
    mode = property(lambda self: str(self._row[C_MODE]), doc="The hook's mode.")
    pipeline_arg = property(lambda self: self._row[C_THREADED],
                            doc="A pipeline's threaded argument (the spec's first); else None.")
    index = property(lambda self: int(self._row[C_INDEX]),
                     doc="The call's number in the recording, counting dropped ones.")
    thread = property(lambda self: self._row[C_THREAD],
                      doc="The name of the thread it was made on; None: the thread that recorded.")

    @property
    def steps(self) -> list[RecordedStep]:
        return [RecordedStep(row, self._origin) for row in self._row[C_STEPS]]

    @property
    def calls(self) -> list[RecordedCall]:
        return [RecordedCall(row, self._origin) for row in self._row[C_CALLS] or ()]

    @property
    def kwargs(self) -> dict[str, ReprText]:
        """The arguments as a mapping of name to recorded repr."""
        return dict(self.args)

    def children(self) -> Iterator[RecordedCall]:
        """The hook calls made inside this one, in call order."""
        for step in self._row[C_STEPS]:
            for row in step[S_CALLS] or ():
                yield RecordedCall(row, self._origin)
        for row in self._row[C_CALLS] or ():
            yield RecordedCall(row, self._origin)

    def walk(self) -> Iterator[tuple[int, RecordedCall]]:
        """This call and every kept call made inside it, with depth (0: this one), in call order."""
        yield 0, self
        for child in self.children():
            for depth, call in child.walk():
                yield depth + 1, call

    def not_called(self) -> list[str]:
        """Plugins whose extension the call had but did not run (firstresult answered)."""
        return [plugin for plugin, _, _ in self._left()]

    def _left(self) -> list[tuple[str, str, str]]:
        """(plugin, function, kind) of each extension the call had but did not run."""
        left = list(self._row[C_PLANNED])
        for step in self._row[C_STEPS]:
            ran = step[S_PLUGIN:S_KIND + 1]
            if ran in left:
                left.remove(ran)
        return left

    def as_trace(self, plugin_names: Mapping[str, str] | None = None) -> CallTrace:
        """This call as a ``CallTrace`` (times since the call started), for the call view, shaped
        as the kit's own: each wrapper holds what it wrapped (the steps after it, which pluggy and
        nbplug both run inside every wrapper before them), and the extensions not called sit
        where they would have run -- unless a wrapper raised before its ``yield``, when nothing
        further was to run. ``plugin_names``: the name to show for a plugin's registered name
        (the recording view's, as the design map names plugins)."""
        from .._kit.tracing import CallTrace, TraceStep

        names = plugin_names or {}
        zero = self.start
        steps: list[TraceStep] = []
        sink, reached = steps, True  # where the next step goes; whether the plain ones were reached
        for step in self.steps:
            made = TraceStep(
                plugin_name=names.get(step.plugin, step.plugin), function=step.function,
                kind="wrapper" if step.kind == "wrapper" else "impl",
                start=step.start - zero, end=step.end - zero,
                result=step.result, exception=_recorded_error(step.error),
                setup_end=None if step.setup_end is None else step.setup_end - zero,
                teardown_start=None if step.teardown_start is None else step.teardown_start - zero,
            )
            sink.append(made)
            if made.kind == "wrapper":
                if made.setup_end is None:
                    reached = False
                else:
                    sink = made.children
        if reached:
            sink += [TraceStep(plugin_name=names.get(plugin, plugin), function=function, kind="impl",
                               not_called=True)
                     for plugin, function, kind in self._left() if kind == "impl"]
        return CallTrace(hook=self.hook, mode=self.mode, kwargs=self.kwargs, steps=steps,
                         result=self.result, exception=_recorded_error(self.error),
                         duration=self.duration, pipeline_arg=self.pipeline_arg)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordedCall) and other._row is self._row

    def __hash__(self) -> int:
        return id(self._row)

    def __repr__(self) -> str:
        return f"<RecordedCall #{self.index} {self.hook} {len(self._row[C_STEPS])} steps>"


_ERROR_CLASSES: dict[str, type[Exception]] = {}


def _recorded_error(text: str | None) -> BaseException | None:
    """An exception standing for a recorded error: its class bears the original's name, so a view
    shows ``AssertionError: ...`` although only the text was kept."""
    if text is None:
        return None
    name, _, message = text.partition(": ")
    if not name.isidentifier():
        name, message = "Error", text
    cls = _ERROR_CLASSES.get(name)
    if cls is None:
        cls = _ERROR_CLASSES[name] = type(name, (Exception,), {"__module__": "nbplug.recording"})
    return cls(message)


@dataclass
class HookStats:
    """Every call of one hook while recording, kept or not: how many, how long, how many failed."""

    hook: str
    calls: int = 0
    kept: int = 0
    seconds: float = 0.0
    errors: int = 0

    @property
    def dropped(self) -> int:
        return self.calls - self.kept

    @property
    def mean(self) -> float:
        return self.seconds / self.calls if self.calls else 0.0


@dataclass
class ImplStats:
    """Every run of one plugin's extension of one hook while recording."""

    hook: str
    plugin: str
    calls: int = 0
    seconds: float = 0.0
    errors: int = 0


@dataclass
class Recording:
    """What a ``Recorder`` saw: the kept calls as a tree, and statistics over every call."""

    manager: str
    max_calls: int
    min_per_hook: int
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # the top-level calls' tuples
    origin: float = 0.0  # perf_counter() when recording started
    hooks: dict[str, HookStats] = field(default_factory=dict)  # as their first calls began
    impls: dict[tuple[str, str], ImplStats] = field(default_factory=dict)
    duration: float = 0.0
    #: hook calls made on threads other than the one that opened the recorder, kept or only
    #: counted (each is also in ``hooks``; the kept ones are roots labelled with their thread)
    other_threads: int = 0
    #: each plugin the manager held while recording, by its registered name (registration order):
    #: what it is -- its class or module, never the plugin, which the recording does not keep
    #: alive -- and whether it was registered without a name (then named by its id), so that a
    #: view names it as the design map does (``PytestPluginManager``, not ``140476274636624``)
    plugin_kinds: dict[str, tuple[object, bool]] = field(default_factory=dict)

    def note_plugin(self, name: str, plugin: object) -> None:
        """Keep what the plugin registered as ``name`` is (once per name)."""
        if name not in self.plugin_kinds and plugin is not None:
            # type(), not isinstance(): a plugin's __class__ may be anything
            kind = plugin if issubclass(type(plugin), type | ModuleType) else type(plugin)
            self.plugin_kinds[name] = (kind, name == str(id(plugin)))

    @property
    def calls(self) -> list[RecordedCall]:
        """The top-level calls (made outside any other recorded hook call), in call order."""
        return [RecordedCall(row, self.origin) for row in self.rows]

    @property
    def total(self) -> int:
        """Every hook call made while recording, on every thread."""
        return sum(stats.calls for stats in self.hooks.values())

    @property
    def kept(self) -> int:
        return sum(stats.kept for stats in self.hooks.values())

    @property
    def dropped(self) -> int:
        """Calls counted but not kept in detail (over budget, or inside a call not kept)."""
        return self.total - self.kept

    def walk(self) -> Iterator[tuple[int, RecordedCall]]:
        """Every kept call with its nesting depth, depth-first in call order."""

        def visit(calls: Iterable[RecordedCall], depth: int) -> Iterator[tuple[int, RecordedCall]]:
            for call in calls:
                yield depth, call
                yield from visit(call.children(), depth + 1)

        return visit(self.calls, 0)

    def path_to(self, call: RecordedCall) -> list[RecordedCall]:
        """The calls ``call`` was made inside, outermost first, ending with ``call`` itself."""
        path: list[RecordedCall] = []
        for depth, seen in self.walk():
            del path[depth:]
            path.append(seen)
            if seen == call:
                return path
        raise LookupError(f"{call!r} is not a call of this recording")

    def find(self, hook: str | None = None, plugin: str | None = None) -> list[RecordedCall]:
        """Kept calls of ``hook`` (any hook if None) in which ``plugin``'s extension ran."""
        self.check_names(hook, plugin)
        return [call for _, call in self.walk() if matches(call, hook, plugin)]

    def threads(self) -> list[str]:
        """Names of the other threads whose calls were kept, in order of their first kept call."""
        return list(dict.fromkeys(call.thread for call in self.calls if call.thread is not None))

    def plugins(self) -> list[str]:
        """Names of the plugins whose extensions ran, in order of first run."""
        return list(dict.fromkeys(plugin for _, plugin in self.impls))

    def check_names(self, hook: str | None, plugin: str | None) -> None:
        """Raise ValueError naming what was recorded if ``hook`` or ``plugin`` never ran."""
        from .._kit.suggest import did_you_mean, quoted_list

        if hook is not None and hook not in self.hooks:
            raise ValueError(f"no call of hook {hook!r} was recorded{did_you_mean(hook, self.hooks)}; "
                             f"recorded hooks: {quoted_list(self.hooks)}")
        plugins = self.plugins()
        if plugin is not None and plugin not in plugins:
            raise ValueError(f"no extension of plugin {plugin!r} ran while recording"
                             f"{did_you_mean(plugin, plugins)}; plugins that ran: {quoted_list(plugins)}")

    def __repr__(self) -> str:
        return (f"<Recording of {self.manager}: {self.total} hook calls, {self.kept} kept, "
                f"{self.dropped} dropped, {len(self.hooks)} hooks>")


def matches(call: RecordedCall, hook: str | None, plugin: str | None) -> bool:
    """Whether ``call`` is of ``hook`` (None: any) and ``plugin``'s extension ran in it."""
    if hook is not None and call.hook != hook:
        return False
    return plugin is None or any(step.plugin == plugin for step in call.steps)
