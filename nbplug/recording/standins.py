"""Stand-ins: what the recorder puts in each extension's place while it records, and takes out.

A stand-in calls the extension's own function and writes a step to the :class:`~.tape.Tape`:
its plugin, function, times, and the short repr of its result or error; a wrapper's stand-in
gives the kit a :class:`WrapperRun` that drives the wrapper's generator, so that its set-up and
teardown are timed apart and the hook calls each makes nest under it. Inside a call the budget
dropped, a stand-in only counts and times.

A stand-in takes and passes on any arguments, positional and keyword, as the kit calls the
original (pluggy 1.7 passes a defaulted parameter by keyword), returns or raises exactly what the
original did, and takes its own frame out of the traceback of an error passing through it
(:func:`~.tape.unlinked`), so that a recorded traceback is the plain one as Python, pytest and
IPython print it (``__tracebackhide__`` is kept too, for a filter that reads it); an error about
a wrapper's own mistake (it did not yield) names the wrapper, not the stand-in. To whoever
inspects it (a manager validating its extensions again when an extension point is added) it is
the original: the same generator flag, signature, names, code and warnings' line.

Decision: swap ``HookImpl.function``, which pluggy and nbplug both read when they call an
extension, and put the original back on stop (also when the recorded code failed). Rejected:
replacing pluggy's private call loop (``_multicall`` changes between versions) and registering a
wrapper plugin (a wrapper sees the whole call, not each extension).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from threading import Lock, get_ident
from time import perf_counter
from typing import Any

from .._base.safetext import error_text
from .._kit.introspection import qualname
from .model import (
    C_STEPS,
    S_CALLS,
    S_END,
    S_ERROR,
    S_RESULT,
    S_SETUP_END,
    S_TEARDOWN,
    ImplStats,
    Recording,
)
from .tape import CallRow, StepRow, Tapes, done, unlinked
from .values import MAX_VALUE, snapshot

#: an extension as a recorded call's plan lists it: (plugin, function, "wrapper" or "impl")
Planned = tuple[str, str, str]


class StandIns:
    """The stand-ins put in front of a manager's extensions (by the ``HookImpl``'s id), with the
    originals to put back."""

    def __init__(self, tapes: Tapes, recording: Recording) -> None:
        self._tapes = tapes
        self._recording = recording
        #: by the ``HookImpl``'s id: the extension, its original function, its stand-in, and its
        #: (plugin, function, kind) as its steps name it (a recorded call's plan lists these)
        self.held: dict[int, tuple[Any, Callable[..., Any], Callable[..., Any], Planned]] = {}
        #: held while stand-ins are put: two threads must not both wrap one extension
        self._lock = Lock()

    def put(self, impls: Sequence[Any]) -> None:
        """Put a stand-in in front of each of ``impls`` that has none yet."""
        held = self.held
        for impl in impls:
            if id(impl) not in held:
                with self._lock:
                    self._put_all(impls)
                return

    def _put_all(self, impls: Sequence[Any]) -> None:
        held = self.held
        for impl in impls:
            if id(impl) not in held:
                original = impl.function
                hook = str(getattr(impl, "hook_name", None) or getattr(original, "__name__", "?"))
                plugin, name = str(impl.plugin_name), qualname(original)
                self._recording.note_plugin(plugin, getattr(impl, "plugin", None))
                kind = ("legacy" if getattr(impl, "hookwrapper", False)
                        else "wrapper" if getattr(impl, "wrapper", False) else "impl")
                stand_in = make_stand_in(self._tapes, original, plugin, name,
                                         self._stats(hook, plugin), kind)
                planned = (plugin, name, "impl" if kind == "impl" else "wrapper")
                held[id(impl)] = (impl, original, stand_in, planned)
                # pluggy offers no public way to see each extension run: it reads this at each call
                impl.function = stand_in

    def take_out(self) -> None:
        """Put every original function back (unless something else replaced the stand-in since)."""
        for impl, original, stand_in, _ in self.held.values():
            if impl.function is stand_in:
                impl.function = original
        self.held.clear()

    def _stats(self, hook: str, plugin: str) -> ImplStats:
        key = (hook, plugin)
        stats = self._recording.impls.get(key)
        if stats is None:
            stats = self._recording.impls[key] = ImplStats(hook, plugin)
        return stats


def _counted(stats: ImplStats, start: float, failed: bool) -> None:
    """One more run of an extension: its time, and whether it raised."""
    stats.calls += 1
    stats.seconds += perf_counter() - start
    if failed:
        stats.errors += 1


def make_stand_in(tapes: Tapes, original: Callable[..., Any], plugin: str, name: str,
                  stats: ImplStats, kind: str) -> Callable[..., Any]:
    """The stand-in of an extension (``kind``: ``impl``, ``wrapper`` or ``legacy``). A wrapper's
    returns a :class:`WrapperRun` over the wrapper's own generator, which the kit drives as it
    would drive that generator."""
    if kind == "impl":
        return StandIn(original, tapes, plugin, name, stats)
    return WrapperStandIn(original, tapes, plugin, name, stats, kind == "legacy")


class _LooksLikeOriginal:
    """What a stand-in shows to whoever inspects it: the original's.

    A manager validates and warns by reading an extension's ``function`` — pluggy's
    ``_verify_hook`` and nbplug's validation, when an extension point added later checks the
    extensions already there: ``inspect.isgeneratorfunction`` (``__code__``'s flags), the
    warnings' file and line (``__code__``), the definition quoted in an error (``__name__``,
    ``inspect.signature``, which follows ``__wrapped__``), the marker's attributes. So every
    attribute but the stand-in's own is read from the original, and the answers are those
    without recording. Rejected: a plain function with the original's ``__name__`` copied onto
    it (its ``__code__`` is the one that runs, so a wrapper's stand-in read as no generator
    function and every warning pointed at this file); measured, the call of an object costs
    ~30 ns more than a function's, a few ms over a recorded 500-test pytest run.
    """

    __slots__ = ("__wrapped__", "_name", "_plugin", "_stats", "_tapes")

    def __init__(self, original: Callable[..., Any], tapes: Tapes, plugin: str, name: str,
                 stats: ImplStats) -> None:
        self.__wrapped__ = original
        self._tapes, self._plugin, self._name, self._stats = tapes, plugin, name, stats

    def __getattr__(self, attribute: str) -> Any:  # only what the stand-in has not itself
        if attribute == "__wrapped__":  # not set yet (copying, unpickling): not the original's
            raise AttributeError(attribute)
        return getattr(self.__wrapped__, attribute)

    def __repr__(self) -> str:
        return repr(self.__wrapped__)


class StandIn(_LooksLikeOriginal):
    """A plain extension's stand-in: calls the original with the arguments it is given and
    writes its step (inside a call the budget dropped, only counts and times it)."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        original = self.__wrapped__
        try:
            tape = self._tapes.get(get_ident())
            if tape is None or not tape.stack:  # not inside a recorded hook call
                return original(*args, **kwargs)
            stack = tape.stack
            parent = stack[-1]
            stats = self._stats
            start = perf_counter()
            if type(parent) is not CallRow:  # inside a dropped call: count and time it, keep nothing
                try:
                    return original(*args, **kwargs)
                except BaseException:
                    stats.errors += 1
                    raise
                finally:  # written out, not _counted(): the hottest path of a long recording
                    stats.calls += 1
                    stats.seconds += perf_counter() - start
            steps = parent[C_STEPS]
            at = len(steps)
            step = StepRow((self._plugin, self._name, "impl", start, start, None, None, None, None,
                            None, 0))
            steps.append(step)
            stack.append(step)
            try:
                result = original(*args, **kwargs)
            except BaseException as exc:
                stack.pop()
                step[S_END] = perf_counter()
                _counted(stats, start, True)
                step[S_ERROR] = error_text(exc, MAX_VALUE)
                steps[at] = done(step, S_CALLS)
                raise
            stack.pop()
            end = step[S_END] = perf_counter()
            stats.calls += 1
            stats.seconds += end - start
            if result is not None:  # formatted after its time is taken: not counted in it
                step[S_RESULT] = snapshot(result)
            steps[at] = tuple(step) if step[S_CALLS] is None else done(step, S_CALLS)
            return result
        except BaseException as exc:
            exc.__traceback__ = unlinked(exc.__traceback__)  # as if this frame never was
            raise


class WrapperStandIn(_LooksLikeOriginal):
    """A wrapper's stand-in (new-style or ``legacy``): returns a :class:`WrapperRun` over the
    wrapper's own generator (inside a dropped call, a generator that only counts and times)."""

    __slots__ = ("_legacy",)

    def __init__(self, original: Callable[..., Any], tapes: Tapes, plugin: str, name: str,
                 stats: ImplStats, legacy: bool) -> None:
        super().__init__(original, tapes, plugin, name, stats)
        self._legacy = legacy

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        original = self.__wrapped__
        try:
            tape = self._tapes.get(get_ident())
            if tape is None or not tape.stack:  # not inside a recorded hook call
                return original(*args, **kwargs)
            stack = tape.stack
            parent = stack[-1]
            start = perf_counter()
            gen = original(*args, **kwargs)  # a generator: nothing of the wrapper runs yet
            if type(parent) is not CallRow:  # inside a dropped call: count and time it
                return _counted_run(gen, self._stats, start)
            steps = parent[C_STEPS]
            step = StepRow((self._plugin, self._name, "wrapper", start, start, None, None, None,
                            None, None, 0))
            steps.append(step)
            return WrapperRun(gen, self._stats, start, step, (steps, len(steps) - 1),
                              self._legacy, stack)
        except BaseException as exc:
            exc.__traceback__ = unlinked(exc.__traceback__)  # as if this frame never was
            raise


def _originals(attribute: str) -> property:
    """The original's ``attribute``, read through the stand-in."""
    return property(lambda stand_in: getattr(stand_in.__wrapped__, attribute, None))


# A class's own __module__ and __doc__ (strings in its __dict__) answer before __getattr__ is
# asked: on each stand-in class they are the original's instead (the classes then show none).
for _stand_in_class in (StandIn, WrapperStandIn):
    for _attribute in ("__module__", "__doc__"):
        setattr(_stand_in_class, _attribute, _originals(_attribute))


def _counted_run(gen: Any, stats: ImplStats, start: float) -> Generator[Any, Any, Any]:
    """A wrapper's run inside a dropped call, delegated with ``yield from`` (a WrapperRun would
    cost a method call per resume on the hottest path of a long recording): only counted and
    timed. (So only there an error about the wrapper's own mistake names this generator.)"""
    __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
    try:
        return (yield from gen)
    except BaseException as exc:
        stats.errors += 1
        exc.__traceback__ = unlinked(exc.__traceback__)  # as if this frame never was
        raise
    finally:  # written out, not _counted(): the hottest path of a long recording
        stats.calls += 1
        stats.seconds += perf_counter() - start


class WrapperRun:
    """One run of a recorded wrapper: the kit (pluggy's loop or nbplug's plan) sends to it and
    throws into it as into the wrapper's generator, and it passes each on, timing the set-up and
    the teardown apart, keeping the wrapper's step on the stack while it runs (so the calls it
    makes nest under it) and its outcome when it ends (a legacy wrapper's: what it left in the
    outcome it was sent). Any other attribute is the generator's own (``gi_code``: pluggy names
    a wrapper that did not yield by it), so errors about the wrapper name the wrapper."""

    __slots__ = ("_ended", "_entry", "_gen", "_legacy", "_place", "_received", "_stack", "_start",
                 "_started", "_stats")

    def __init__(self, gen: Any, stats: ImplStats, start: float, entry: StepRow,
                 place: tuple[list[Any], int], legacy: bool, stack: list[Any]) -> None:
        self._gen, self._stats, self._start, self._legacy = gen, stats, start, legacy
        self._entry, self._place, self._stack = entry, place, stack  # the step, where it goes
        self._started = self._ended = False
        self._received: Any = None

    def __iter__(self) -> WrapperRun:
        return self

    # send() does the work: the kit's last resume (its StopIteration) then crosses one frame of
    # the recorder's, not two. Each method takes its own frame out of the traceback of an error
    # passing through it, as the stand-in does (see tape.unlinked): it shows the wrapper.
    def __next__(self) -> Any:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        try:
            return self.send(None)
        except BaseException as exc:
            exc.__traceback__ = unlinked(exc.__traceback__)
            raise

    def throw(self, error: Any, *more: Any) -> Any:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        try:
            return self.send(None, (error, *more))
        except BaseException as exc:
            exc.__traceback__ = unlinked(exc.__traceback__)
            raise

    def send(self, value: Any, thrown: tuple[Any, ...] | None = None) -> Any:
        """Pass ``value`` on (or throw ``thrown`` in), timing the set-up (up to the first yield)
        and the teardown (from the next resume) apart."""
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        entry, stack = self._entry, self._stack
        if self._started:
            entry[S_TEARDOWN] = perf_counter()
        if thrown is None:
            self._received = value
        stack.append(entry)
        try:
            yielded = self._gen.send(value) if thrown is None else self._gen.throw(*thrown)
        except StopIteration as stop:
            stack.pop()
            self._finish(None, stop.value)
            raise  # (the kit takes it: no traceback of it is shown, none to clean)
        except BaseException as exc:
            stack.pop()
            self._finish(exc)
            exc.__traceback__ = unlinked(exc.__traceback__)
            raise
        stack.pop()
        if not self._started:
            entry[S_SETUP_END] = perf_counter()
            self._started = True
        return yielded

    def close(self) -> None:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        try:
            self._gen.close()
        except BaseException as exc:
            exc.__traceback__ = unlinked(exc.__traceback__)
            raise
        finally:
            if not self._ended:
                self._finish(None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gen, name)

    def _finish(self, error: BaseException | None, value: Any = None) -> None:
        """The wrapper has ended: count and time it, take its outcome and keep its step as a tuple."""
        self._ended = True
        entry, stats = self._entry, self._stats
        end = entry[S_END] = perf_counter()
        stats.calls += 1
        stats.seconds += end - self._start
        if error is not None:
            stats.errors += 1
        received = self._received
        if error is None and self._legacy and received is not None:
            error = received.exception
            value = received.get_result() if error is None else None
        if error is not None:
            entry[S_ERROR] = error_text(error, MAX_VALUE)
        elif value is not None:
            entry[S_RESULT] = snapshot(value)
        steps, at = self._place
        steps[at] = done(entry, S_CALLS)
