"""The recorder: capture every hook call a plugin manager makes while it is open.

Works over nbplug's ``PluginManager`` and over a live ``pluggy.PluginManager`` (pytest's
``config.pluginmanager``). Where each hook call starts and ends (with its arguments and outcome)
is seen by nbplug's ``add_hookcall_monitoring``, and on pluggy by one function of the recorder's
put in the place of the manager's ``_inner_hookexec`` (the attribute pluggy's own
``add_hookcall_monitoring`` wraps); ``pm.hook`` and each caller's ``get_hookimpls()`` give the
extensions, and each extension's public ``function`` attribute is swapped, while recording, for a
stand-in that times the run and takes its result or error (restored on stop, also when the
recorded code failed). pluggy is never imported: the recorder reads whatever manager it is given.

Decisions, and what was rejected:

* Shimming ``HookImpl.function`` instead of replacing pluggy's private call loop
  (``_multicall`` changes between versions) or registering a wrapper plugin (a wrapper sees
  the whole call, not each extension). Extensions registered during the run (pytest's
  conftest.py files) are shimmed at their first call, seen by the recorder before they run:
  pluggy reads ``function`` at every call, and nbplug compiles a monitored plan only once its
  monitors have seen the call. A stand-in reads as its original to any inspection (the
  manager's own validation of a later extension point among them; see ``standins``).
* On pluggy, not its ``add_hookcall_monitoring``: that puts two frames of pluggy's into every
  traceback (``traced_hookexec`` and its ``lambda``; only pytest's filter drops them) and builds a
  ``Result`` per call. The recorder's own function takes its frame out of an error's traceback
  as every stand-in does (see :func:`~.tape.unlinked`), so a recorded traceback is the plain one,
  as Python prints it; the attribute's signature ``(name, impls, kwargs, firstresult)`` is
  pluggy's since 1.0.
* A budget, not a ring buffer: the first ``max_calls`` calls are kept whole (a call is kept only
  if the call around it is), and so are the first ``min_per_hook`` calls of every hook, so a long
  run still shows its start, its end and one of everything. A ring buffer would keep the end and
  lose how the run began.
* Every thread is recorded, each on a tape of its own: a call made on another thread (a worker
  of a pool, a connection's thread) is a root of the recording labelled with the thread's name,
  with its arguments, results and nesting, within the same budget. Counters shared by threads
  are plain ``+=`` on ints and floats (one bytecode step apart under the GIL); what must not race
  (a new hook's statistics, a root's place, a new extension's stand-in) is made under a lock.
* ``AsyncPluginManager`` is refused: its calls interleave on the event loop, so nesting by a
  stack would be wrong. ``await caller.traced(...)`` traces one async call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from threading import Lock, current_thread, get_ident
from time import perf_counter
from typing import Any

from .._base.safetext import error_text, safe_repr
from .model import (
    C_CALLS,
    C_END,
    C_ERROR,
    C_RESULT,
    C_START,
    C_STEPS,
    HookStats,
    Recording,
)
from .standins import StandIns
from .tape import DROPPED, CallRow, Dropped, Tape, Tapes, done, nested, unlinked
from .values import MAX_VALUE, snapshot

__all__ = ["Recorder", "record"]

#: Default budget: calls kept in detail, and calls of each hook kept even past it.
MAX_CALLS = 2_000
MIN_PER_HOOK = 5


def _manager_label(manager: object) -> str:
    project = getattr(manager, "project_name", None)
    kind = f"{type(manager).__module__.split('.')[0]}.{type(manager).__name__}"
    return f"{kind} {project!r}" if project else kind


def _callers(manager: Any) -> list[Any]:
    """Every hook caller of a pluggy or nbplug manager, read from ``pm.hook``."""
    return [value for value in vars(manager.hook).values() if hasattr(value, "get_hookimpls")]


class Recorder:
    """Record the hook calls of ``manager`` between ``start()`` and ``stop()`` (or in a ``with``).

    ``max_calls`` calls are kept in detail (each about 1 KB: the call, its steps and the reprs of
    its arguments and results, each cut to 120 characters), plus the first ``min_per_hook`` calls
    of every hook; every call is counted in ``recording.hooks`` and ``recording.impls``. So the
    recording of any run holds at most ``max_calls + min_per_hook × hooks`` calls.
    """

    def __init__(self, manager: Any, *, max_calls: int = MAX_CALLS,
                 min_per_hook: int = MIN_PER_HOOK) -> None:
        missing = [name for name in ("add_hookcall_monitoring", "hook", "list_name_plugin")
                   if not hasattr(manager, name)]
        if missing:
            raise TypeError(
                f"Recorder needs a plugin manager (nbplug.PluginManager or pluggy.PluginManager, "
                f"e.g. pytest's config.pluginmanager); {type(manager).__name__} has no "
                f"{', '.join(missing)}"
            )
        from .._kit.aio import AsyncPluginManager

        if isinstance(manager, AsyncPluginManager):
            raise TypeError(
                "Recorder records synchronous managers only: an AsyncPluginManager's calls "
                "interleave on the event loop; trace one call with await pm.hook.NAME.traced(...)"
            )
        for name, value in (("max_calls", max_calls), ("min_per_hook", min_per_hook)):
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, got {safe_repr(value)}")
        self.manager = manager
        self.recording = Recording(_manager_label(manager), max_calls, min_per_hook)
        self._tapes: Tapes = {}
        self._thread = 0
        self._lock = Lock()
        self._stand_ins = StandIns(self._tapes, self.recording)
        self._undo: Callable[[], None] | None = None
        self._index = 0
        self._kept_total = 0
        self._kept: dict[str, int] = {}
        self._modes: dict[str, tuple[str, str | None]] = {}  # each hook's mode, threaded argument

    # -- opening and closing -----------------------------------------------------------------
    @property
    def recording_now(self) -> bool:
        """Whether the recorder is open."""
        return self._undo is not None

    def start(self) -> Recording:
        """Start recording; returns the recording, which fills as calls are made."""
        if self._undo is not None:
            raise RuntimeError("this recorder is already recording; stop() it first")
        self._thread = get_ident()
        self._tapes.clear()
        if not self.recording.origin:
            self.recording.origin = perf_counter()
        self._resumed = perf_counter()
        self._note_plugins()
        for caller in _callers(self.manager):
            self._stand_ins.put(caller.get_hookimpls())
        inner = getattr(self.manager, "_inner_hookexec", None)
        if inner is None or not callable(inner):  # nbplug's manager: its monitors leave no frame
            self._undo = self.manager.add_hookcall_monitoring(self._before, self._after)
        else:
            self._undo = self._put_hookexec(inner)
        return self.recording

    def stop(self) -> Recording:
        """Stop recording and put every extension's function back; returns the recording."""
        if self._undo is None:
            return self.recording
        self.recording.duration += perf_counter() - self._resumed
        self._note_plugins()  # those registered since (a plugin given a stand-in is noted then)
        self._stand_ins.take_out()
        undo, self._undo = self._undo, None
        undo()  # after the functions are back: nbplug recompiles its plans here
        return self.recording

    def _note_plugins(self) -> None:
        """Note what each registered plugin is (see Recording.plugin_kinds), in the manager's
        registration order, then those unregistered since they were noted: a view numbers two
        unnamed plugins of one class in that order, as the design map does."""
        kinds = self.recording.plugin_kinds
        names = []
        for name, plugin in self.manager.list_name_plugin():
            self.recording.note_plugin(str(name), plugin)
            names.append(str(name))
        ordered = {name: kinds[name] for name in names if name in kinds}
        ordered.update(kinds)  # the rest keep their order after them
        kinds.clear()
        kinds.update(ordered)

    def __enter__(self) -> Recording:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- hook calls ----------------------------------------------------------------------------
    def _before(self, hook: str, impls: Sequence[Any], kwargs: dict[str, Any]) -> None:
        ident = get_ident()
        tape = self._tapes.get(ident)
        if tape is None:
            tape = self._tapes[ident] = Tape(None)
        if not tape.stack and ident != self._thread:  # a root on another thread: name it
            tape.label = current_thread().name
        if tape.label is not None:  # made on another thread, kept or not
            self.recording.other_threads += 1
        held = self._stand_ins.held
        if not all(map(held.__contains__, map(id, impls))):
            self._stand_ins.put(impls)  # registered since (pluggy reads function at each call)
        stack = tape.stack
        parent = stack[-1] if stack else None
        self._index += 1
        if hook not in self.recording.hooks:  # listed as its first call begins, not ends
            self._hook_stats(hook)
        if isinstance(parent, Dropped) or (
                self._kept_total >= self.recording.max_calls
                and self._kept.get(hook, 0) >= self.recording.min_per_hook):
            if parent is not None and not isinstance(parent, Dropped):
                parent[-1] += 1  # C_DROPPED / S_DROPPED: the last field of both
            stack.append(DROPPED)
            tape.starts.append(perf_counter())
            return
        self._kept[hook] = self._kept.get(hook, 0) + 1
        self._kept_total += 1
        mode, threaded = self._modes.get(hook) or self._mode_of(hook)
        planned = tuple([held[id(impl)][3] for impl in reversed(impls)])
        row = CallRow((hook, tuple([(name, snapshot(value)) for name, value in kwargs.items()]),
                       0.0, 0.0, planned, self._index, None, None, [], None, tape.label, mode,
                       threaded, 0))
        if parent is None:
            with self._lock:  # one list holds every thread's roots
                container: list[Any] = self.recording.rows
                container.append(row)
                tape.places.append((container, len(container) - 1))
        else:
            container = nested(parent)
            container.append(row)
            tape.places.append((container, len(container) - 1))
        stack.append(row)
        row[C_START] = now = perf_counter()
        tape.starts.append(now)

    def _mode_of(self, hook: str) -> tuple[str, str | None]:
        """The mode of ``hook`` and, for a pipeline, its threaded argument, read once from its
        caller: nbplug's says both (the threaded one is the first of its ``argnames()``, not
        guessed from the order a call gives its keywords in); pluggy's spec options hold the
        mode (no spec: collecting; pluggy has no pipelines)."""
        caller = getattr(self.manager.hook, hook, None)
        mode = getattr(caller, "mode", None)
        threaded = None
        if not isinstance(mode, str):
            opts = getattr(getattr(caller, "spec", None), "opts", None) or {}
            mode = ("historic" if opts.get("historic") else
                    "firstresult" if opts.get("firstresult") else "collecting")
        elif mode == "pipeline" and caller is not None:
            names = caller.argnames()  # nbplug's caller: the spec's arguments, in order
            threaded = str(names[0]) if names else None
        self._modes[hook] = mode, threaded
        return mode, threaded

    def _put_hookexec(self, inner: Callable[..., Any]) -> Callable[[], None]:
        """Watch a pluggy manager's calls in place of its ``_inner_hookexec``; returns the undo.

        A call inside a dropped one (most calls of a long run) takes the short way: counted and
        timed here, without the monitors' bookkeeping."""
        manager, tapes, held, recording = self.manager, self._tapes, self._stand_ins.held, self.recording
        hooks = recording.hooks
        before: Callable[..., None] = self._before
        ended: Callable[..., None] = self._ended
        hook_stats: Callable[[str], Any] = self._hook_stats

        def recorded_hookexec(hook: str, impls: Sequence[Any], kwargs: dict[str, Any],
                              firstresult: bool) -> Any:
            __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
            tape = tapes.get(get_ident())
            if tape is None or not tape.stack or tape.stack[-1] is not DROPPED \
                    or not all(map(held.__contains__, map(id, impls))):
                before(hook, impls, kwargs)
                try:
                    result = inner(hook, impls, kwargs, firstresult)
                except BaseException as exc:
                    ended(hook, exc, None)
                    exc.__traceback__ = unlinked(exc.__traceback__)  # as if this frame never was
                    raise
                ended(hook, None, result)
                return result
            stack = tape.stack
            stack.append(DROPPED)
            self._index += 1
            if tape.label is not None:  # a dropped call on another thread counts there too
                recording.other_threads += 1
            stats = hooks.get(hook) or hook_stats(hook)  # listed as its first call begins
            start = perf_counter()
            try:
                return inner(hook, impls, kwargs, firstresult)
            except BaseException as exc:
                stats.errors += 1
                exc.__traceback__ = unlinked(exc.__traceback__)
                raise
            finally:
                stack.pop()
                stats.calls += 1
                stats.seconds += perf_counter() - start

        # pluggy's add_hookcall_monitoring wraps this same attribute, but with two frames of its
        # own that every traceback then shows (only pytest's filter drops them); this has none
        manager._inner_hookexec = recorded_hookexec

        def undo() -> None:
            if manager._inner_hookexec is recorded_hookexec:
                manager._inner_hookexec = inner
            else:  # another monitor wrapped this since: leave its chain, let this pass through
                nonlocal before, ended, hook_stats
                before, ended, hook_stats = _ignored, _ignored, _ignored
                tapes.clear()

        return undo

    def _hook_stats(self, hook: str) -> HookStats:
        """The statistics of ``hook``, made as its first call begins: ``recording.hooks`` (and
        the per-hook table) lists hooks in the order their first calls began, as the tree reads
        (made as a call ended, a hook calling another was listed after it)."""
        stats = self.recording.hooks.get(hook)
        if stats is None:
            with self._lock:
                stats = self.recording.hooks.setdefault(hook, HookStats(hook))
        return stats

    def _after(self, outcome: Any, hook: str, impls: Sequence[Any], kwargs: dict[str, Any]) -> None:
        error = outcome.exception
        self._ended(hook, error, None if error is not None else outcome.get_result())

    def _ended(self, hook: str, error: BaseException | None, value: Any) -> None:
        """A hook call ended, raising ``error`` or giving ``value``: count it, and keep its row."""
        tape = self._tapes.get(get_ident())
        now = perf_counter()
        if tape is None or not tape.stack:  # monitoring began inside this call: nothing to match
            return
        entry = tape.stack.pop()
        started = tape.starts.pop()
        stats = self.recording.hooks.get(hook) or self._hook_stats(hook)
        stats.calls += 1
        stats.seconds += now - started
        if error is not None:
            stats.errors += 1
        if type(entry) is not CallRow:
            return
        stats.kept += 1
        entry[C_END] = now
        if error is not None:
            entry[C_ERROR] = error_text(error, MAX_VALUE)
        elif value is not None:
            entry[C_RESULT] = snapshot(value)
        entry[C_STEPS] = tuple(entry[C_STEPS])
        container, index = tape.places.pop()
        container[index] = done(entry, C_CALLS)


def _ignored(*args: Any) -> None:
    """What an undone recorder's hook-call watcher does when it could not be taken out."""

def record(manager: Any, *, max_calls: int = MAX_CALLS, min_per_hook: int = MIN_PER_HOOK) -> Recorder:
    """``with record(pm) as recording: ...``: a Recorder over ``manager`` (see Recorder)."""
    return Recorder(manager, max_calls=max_calls, min_per_hook=min_per_hook)
