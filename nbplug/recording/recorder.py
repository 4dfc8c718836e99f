"""The recorder: capture every hook call a plugin manager makes while it is open.

Works over nbplug's ``PluginManager`` and over a live ``pluggy.PluginManager`` (pytest's
``config.pluginmanager``) through what both offer publicly: ``add_hookcall_monitoring`` marks
where each hook call starts and ends (with its arguments and outcome), ``pm.hook`` and each
caller's ``get_hookimpls()`` give the implementations, and each implementation's public
``function`` attribute is swapped, while recording, for a shim that times the run and takes its
result or error (restored on stop, also when the recorded code failed). pluggy is never imported:
the recorder reads whatever manager it is given.

Decisions, and what was rejected:

* Shimming ``HookImpl.function`` instead of replacing pluggy's private call loop
  (``_inner_hookexec`` / ``_multicall`` change between versions) or registering a wrapper plugin
  (a wrapper sees the whole call, not each implementation). pluggy reads ``function`` at every
  call, so implementations registered during the run (pytest's conftest.py files) are shimmed at
  their first call; nbplug compiles ``function`` into its call plans, so there only the
  implementations present when recording starts are recorded step by step.
* A budget, not a ring buffer: the first ``max_calls`` calls are kept whole (a call is kept only
  if the call around it is), and so are the first ``min_per_hook`` calls of every hook, so a long
  run still shows its start, its end and one of everything. A ring buffer would keep the end and
  lose how the run began.
* Only the thread that opened the recorder is recorded; calls on other threads are counted.
* ``AsyncPluginManager`` is refused: its calls interleave on the event loop, so nesting by a
  stack would be wrong. ``await caller.traced(...)`` traces one async call.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from threading import get_ident
from time import perf_counter
from typing import Any

from .._kit.introspection import qualname
from .model import (
    C_CALLS,
    C_END,
    C_ERROR,
    C_RESULT,
    C_START,
    C_STEPS,
    S_CALLS,
    S_END,
    S_ERROR,
    S_RESULT,
    S_SETUP_END,
    S_START,
    S_TEARDOWN,
    HookStats,
    ImplStats,
    Recording,
    error_text,
    snapshot,
)

__all__ = ["Recorder", "record"]

#: Default budget: calls kept in detail, and calls of each hook kept even past it.
MAX_CALLS = 2_000
MIN_PER_HOOK = 5


class _Dropped:
    """Stack entry for a call that is counted but not kept: everything inside it is dropped."""

    __slots__ = ()


class _CallRow(list[Any]):
    """A call being recorded (the layout of nbplug.recording.model's call tuple); a tuple when done."""

    __slots__ = ()


class _StepRow(list[Any]):
    """A step being recorded (the layout of nbplug.recording.model's step tuple); a tuple when done."""

    __slots__ = ()


_DROPPED = _Dropped()
_Entry = _CallRow | _StepRow | _Dropped
_Place = tuple[list[Any], int]


def _nested(parent: _CallRow | _StepRow) -> list[Any]:
    """The list a nested call made inside ``parent`` goes into (made on first use)."""
    index = C_CALLS if isinstance(parent, _CallRow) else S_CALLS
    found: list[Any] | None = parent[index]
    if found is None:
        found = parent[index] = []
    return found


def _done(row: list[Any], calls_at: int) -> tuple[Any, ...]:
    """A finished row as the tuple the recording keeps."""
    nested = row[calls_at]
    if nested is not None:
        row[calls_at] = tuple(nested)
    return tuple(row)


def _manager_label(manager: object) -> str:
    project = getattr(manager, "project_name", None)
    kind = f"{type(manager).__module__.split('.')[0]}.{type(manager).__name__}"
    return f"{kind} {project!r}" if project else kind


def _callers(manager: Any) -> list[Any]:
    """Every hook caller of a pluggy or nbplug manager, read from ``pm.hook``."""
    return [value for value in vars(manager.hook).values() if hasattr(value, "get_hookimpls")]


def _is_wrapper(impl: Any) -> bool:
    return bool(getattr(impl, "wrapper", False) or getattr(impl, "hookwrapper", False))


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
                raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
        self.manager = manager
        self.recording = Recording(_manager_label(manager), max_calls, min_per_hook)
        self._stack: list[_Entry] = []
        self._starts: list[float] = []
        self._places: list[_Place] = []
        self._shimmed: dict[int, tuple[Any, Callable[..., Any], Callable[..., Any]]] = {}
        self._undo: Callable[[], None] | None = None
        self._thread = 0
        self._index = 0
        self._kept_total = 0
        self._kept: dict[str, int] = {}

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
        if not self.recording.origin:
            self.recording.origin = perf_counter()
        self._resumed = perf_counter()
        for caller in _callers(self.manager):
            self._shim_all(caller.get_hookimpls())
        self._undo = self.manager.add_hookcall_monitoring(self._before, self._after)
        return self.recording

    def stop(self) -> Recording:
        """Stop recording and put every implementation's function back; returns the recording."""
        if self._undo is None:
            return self.recording
        self.recording.duration += perf_counter() - self._resumed
        for impl, original, shim in self._shimmed.values():
            if impl.function is shim:
                impl.function = original
        self._shimmed.clear()
        undo, self._undo = self._undo, None
        undo()  # after the functions are back: nbplug recompiles its plans here
        return self.recording

    def __enter__(self) -> Recording:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- hook calls ----------------------------------------------------------------------------
    def _before(self, hook: str, impls: Sequence[Any], kwargs: dict[str, Any]) -> None:
        if get_ident() != self._thread:
            self.recording.other_threads += 1
            return
        shimmed = self._shimmed
        for impl in impls:
            if id(impl) not in shimmed:
                self._shim_all(impls)
                break
        stack = self._stack
        parent = stack[-1] if stack else None
        self._index += 1
        if isinstance(parent, _Dropped) or (
                self._kept_total >= self.recording.max_calls
                and self._kept.get(hook, 0) >= self.recording.min_per_hook):
            if parent is not None and not isinstance(parent, _Dropped):
                parent[-1] += 1  # C_DROPPED / S_DROPPED: the last field of both
            stack.append(_DROPPED)
            self._starts.append(perf_counter())
            return
        self._kept[hook] = self._kept.get(hook, 0) + 1
        self._kept_total += 1
        row = _CallRow((hook, tuple([(name, snapshot(value)) for name, value in kwargs.items()]),
                        0.0, 0.0, tuple([impl.plugin_name for impl in reversed(impls)]),
                        self._index, None, None, [], None, 0))
        container: list[Any] = self.recording.rows if parent is None else _nested(parent)
        container.append(row)
        self._places.append((container, len(container) - 1))
        stack.append(row)
        row[C_START] = now = perf_counter()
        self._starts.append(now)

    def _after(self, outcome: Any, hook: str, impls: Sequence[Any], kwargs: dict[str, Any]) -> None:
        if get_ident() != self._thread:
            return
        now = perf_counter()
        if not self._stack:  # monitoring began inside this call: nothing to match
            return
        entry = self._stack.pop()
        started = self._starts.pop()
        stats = self.recording.hooks.get(hook)
        if stats is None:
            stats = self.recording.hooks[hook] = HookStats(hook)
        stats.calls += 1
        stats.seconds += now - started
        error = outcome.exception
        if error is not None:
            stats.errors += 1
        if entry is _DROPPED or not isinstance(entry, _CallRow):
            return
        stats.kept += 1
        entry[C_END] = now
        if error is not None:
            entry[C_ERROR] = error_text(error)
        else:
            value = outcome.get_result()
            if value is not None:
                entry[C_RESULT] = snapshot(value)
        entry[C_STEPS] = tuple(entry[C_STEPS])
        container, index = self._places.pop()
        container[index] = _done(entry, C_CALLS)

    # -- implementations -----------------------------------------------------------------------
    def _shim_all(self, impls: Sequence[Any]) -> None:
        shimmed = self._shimmed
        for impl in impls:
            if id(impl) not in shimmed:
                original = impl.function
                hook = str(getattr(impl, "hook_name", None) or getattr(original, "__name__", "?"))
                shim = self._shim(impl, original, hook)
                shimmed[id(impl)] = (impl, original, shim)
                impl.function = shim

    def _stats(self, hook: str, plugin: str) -> ImplStats:
        key = (hook, plugin)
        stats = self.recording.impls.get(key)
        if stats is None:
            stats = self.recording.impls[key] = ImplStats(hook, plugin)
        return stats

    def _shim(self, impl: Any, original: Callable[..., Any], hook: str) -> Callable[..., Any]:
        plugin = str(impl.plugin_name)
        name = qualname(original)
        stats = self._stats(hook, plugin)
        if _is_wrapper(impl):
            legacy = bool(getattr(impl, "hookwrapper", False))
            return self._wrapper_shim(original, plugin, name, stats, legacy)
        recorder = self
        stack = self._stack

        def shim(*args: Any) -> Any:
            if not stack or get_ident() != recorder._thread:
                return original(*args)
            parent = stack[-1]
            start = perf_counter()
            if type(parent) is not _CallRow:  # inside a dropped call: time it, keep nothing
                try:
                    return original(*args)
                except BaseException:
                    stats.errors += 1
                    raise
                finally:
                    stats.calls += 1
                    stats.seconds += perf_counter() - start
            steps = parent[C_STEPS]
            at = len(steps)
            step = _StepRow((plugin, name, "impl", start, start, None, None, None, None, None, 0))
            steps.append(step)
            stack.append(step)
            try:
                result = original(*args)
            except BaseException as exc:
                stats.errors += 1
                step[S_ERROR] = error_text(exc)
                raise
            else:
                if result is not None:
                    step[S_RESULT] = snapshot(result)
                return result
            finally:
                stack.pop()
                step[S_END] = end = perf_counter()
                stats.calls += 1
                stats.seconds += end - start
                steps[at] = _done(step, S_CALLS)

        shim.__wrapped__ = original  # type: ignore[attr-defined]
        return shim

    def _wrapper_shim(self, original: Callable[..., Any], plugin: str, name: str,
                      stats: ImplStats, legacy: bool) -> Callable[..., Any]:
        """A generator shim that drives the wrapper by hand, so that its set-up and teardown are
        timed apart and the calls each makes nest under it; a legacy (``hookwrapper``) wrapper's
        recorded result is what it left in the outcome it was sent."""
        recorder = self
        stack = self._stack

        def wrapper_shim(*args: Any) -> Generator[Any, Any, Any]:
            if not stack or get_ident() != recorder._thread:
                return (yield from original(*args))
            parent = stack[-1]
            start = perf_counter()
            if type(parent) is not _CallRow:  # inside a dropped call: time it, keep nothing
                try:
                    return (yield from original(*args))
                except BaseException:
                    stats.errors += 1
                    raise
                finally:
                    stats.calls += 1
                    stats.seconds += perf_counter() - start
            steps = parent[C_STEPS]
            at = len(steps)
            entry = _StepRow((plugin, name, "wrapper", start, start, None, None, None, None, None, 0))
            steps.append(entry)
            gen = original(*args)
            stack.append(entry)
            try:
                value = next(gen)
            except StopIteration as stop:
                _finish(entry, steps, at, stats, legacy, None, stop.value)
                return stop.value
            except BaseException as exc:
                _finish(entry, steps, at, stats, legacy, exc)
                raise
            finally:
                stack.pop()
            entry[S_SETUP_END] = perf_counter()
            while True:
                thrown: BaseException | None = None
                received: Any = None
                try:
                    received = yield value
                except GeneratorExit:
                    gen.close()
                    _finish(entry, steps, at, stats, legacy, None)
                    raise
                except BaseException as exc:
                    thrown = exc
                entry[S_TEARDOWN] = perf_counter()
                stack.append(entry)
                try:
                    value = gen.throw(thrown) if thrown is not None else gen.send(received)
                except StopIteration as stop:
                    _finish(entry, steps, at, stats, legacy, None, stop.value, received)
                    return stop.value
                except BaseException as exc:
                    _finish(entry, steps, at, stats, legacy, exc)
                    raise
                finally:
                    stack.pop()

        wrapper_shim.__wrapped__ = original  # type: ignore[attr-defined]
        return wrapper_shim


def _finish(entry: _StepRow, steps: list[Any], at: int, stats: ImplStats, legacy: bool,
            error: BaseException | None, value: Any = None, received: Any = None) -> None:
    """A recorded wrapper has finished: time it, take its outcome, and keep its step as a tuple
    (a legacy wrapper's outcome is what it left in the Result it was sent)."""
    end = perf_counter()
    stats.calls += 1
    stats.seconds += end - entry[S_START]
    entry[S_END] = end
    if error is not None:
        stats.errors += 1  # the wrapper raised
    elif legacy and received is not None:
        error = received.exception
        value = received.get_result() if error is None else None
    if error is not None:
        entry[S_ERROR] = error_text(error)
    elif value is not None:
        entry[S_RESULT] = snapshot(value)
    steps[at] = _done(entry, S_CALLS)


def record(manager: Any, *, max_calls: int = MAX_CALLS, min_per_hook: int = MIN_PER_HOOK) -> Recorder:
    """``with record(pm) as recording: ...``: a Recorder over ``manager`` (see Recorder)."""
    return Recorder(manager, max_calls=max_calls, min_per_hook=min_per_hook)
