"""A recorded system does what it does unrecorded: the same arguments reach each extension, the same
results and exceptions come out, the same frames show in a traceback filtered the way pytest and
IPython filter (``__tracebackhide__``), and nothing is left on the manager afterwards.

Each scenario runs on a fresh pluggy manager and a fresh nbplug manager of the same pluggy-marked
plugins, once plain and once recorded, and the two runs are compared.
"""

from __future__ import annotations

import os
import threading
import traceback
import tracemalloc
from collections.abc import Callable, Generator
from types import TracebackType
from typing import Any

import pluggy
import pytest

import nbplug
import nbplug.recording
from nbplug import record

hookspec = pluggy.HookspecMarker("same")
hookimpl = pluggy.HookimplMarker("same")
PLUGGY_DIR = os.path.dirname(pluggy.__file__)

KITS: dict[str, Callable[[], Any]] = {
    "pluggy": lambda: pluggy.PluginManager("same"),
    "nbplug": lambda: nbplug.PluginManager("same"),
}


class Specs:
    @hookspec
    def same_greet(self, name: str, punctuation: str = "!") -> list[str]:
        """Greet ``name``."""

    @hookspec
    def same_fail(self, value: int) -> None:
        """Raise."""


class Defaulted:
    """Takes a defaulted parameter: pluggy 1.7 passes it by keyword on every call that has it."""

    @hookimpl
    def same_greet(self, name: str, punctuation: str = ".") -> str:
        return f"hello {name}{punctuation}"


class WrapsDefaulted:
    @hookimpl(wrapper=True)
    def same_greet(self, name: str, punctuation: str = ".") -> Generator[None, Any, Any]:
        result = yield
        return [*result, f"wrapped{punctuation}"]


class LegacyDefaulted:
    @hookimpl(hookwrapper=True)
    def same_greet(self, name: str, punctuation: str = ".") -> Generator[None, Any, None]:
        outcome = yield
        outcome.force_result([*outcome.get_result(), f"legacy{punctuation}"])


class Fails:
    @hookimpl
    def same_fail(self, value: int) -> None:
        raise ValueError(f"bad value {value}")


class WrapsFailure:
    @hookimpl(wrapper=True)
    def same_fail(self, value: int) -> Generator[None, Any, Any]:
        return (yield)


class LegacyWrapsFailure:
    @hookimpl(hookwrapper=True)
    def same_fail(self, value: int) -> Generator[None, Any, None]:
        yield


def manager(kit: str, *plugins: object) -> Any:
    pm = KITS[kit]()
    pm.add_hookspecs(Specs)
    for plugin in plugins:
        pm.register(plugin)
    return pm


def shown_frames(tb: TracebackType | None) -> list[tuple[str, str]]:
    """(file, function) of each frame a traceback shows once frames that hide themselves
    (``__tracebackhide__`` in their locals or globals, as pytest and IPython honour) are left out,
    and pluggy's own frames (pytest leaves those out too)."""
    shown = []
    for frame, _ in traceback.walk_tb(tb):
        hidden = frame.f_locals.get("__tracebackhide__", frame.f_globals.get("__tracebackhide__"))
        if hidden or frame.f_code.co_filename.startswith(PLUGGY_DIR):
            continue
        shown.append((os.path.basename(frame.f_code.co_filename), frame.f_code.co_name))
    return shown


def run(call: Callable[[], Any]) -> tuple[Any, str | None, list[tuple[str, str]]]:
    """What a call gave: its value, or its error's text and the frames its traceback shows."""
    try:
        return call(), None, []
    except Exception as exc:  # compared, whatever it is
        return None, f"{type(exc).__name__}: {exc}", shown_frames(exc.__traceback__)


@pytest.mark.parametrize("kit", sorted(KITS))
@pytest.mark.parametrize("plugins", [
    (Defaulted(),), (Defaulted(), WrapsDefaulted()), (Defaulted(), LegacyDefaulted()),
], ids=["plain", "wrapper", "legacy-wrapper"])
def test_extensions_taking_keywords_get_them_and_the_call_gives_the_same_result(
        kit: str, plugins: tuple[object, ...]) -> None:
    pm = manager(kit, *plugins)
    plain = run(lambda: pm.hook.same_greet(name="ada", punctuation="?"))
    with record(pm) as recording:
        recorded = run(lambda: pm.hook.same_greet(name="ada", punctuation="?"))
    assert recorded == plain
    assert plain[0] is not None and "hello ada?" in plain[0]
    (call,) = recording.calls
    assert [step.plugin for step in call.steps] == [
        pm.get_name(plugin) for plugin in reversed(plugins)]
    assert call.result is not None and "hello ada?" in call.result


@pytest.mark.parametrize("kit", sorted(KITS))
@pytest.mark.parametrize("plugins", [(Fails(),), (Fails(), WrapsFailure())],
                         ids=["plain", "through-a-wrapper"])
def test_an_error_comes_out_the_same_and_its_traceback_shows_the_same_frames(
        kit: str, plugins: tuple[object, ...]) -> None:
    pm = manager(kit, *plugins)
    plain = run(lambda: pm.hook.same_fail(value=3))
    with record(pm):
        recorded = run(lambda: pm.hook.same_fail(value=3))
    assert plain[1] == "ValueError: bad value 3"
    assert recorded[1] == plain[1]
    assert recorded[2] == plain[2]  # no frame of the recorder shows
    assert ("test_recorder_unchanged.py", "same_fail") in plain[2]


def formatted(pm: Any) -> str:
    """``traceback.format_exception`` of the error ``same_fail`` raises (always from this line)."""
    try:
        pm.hook.same_fail(value=3)
    except ValueError as exc:
        return "".join(traceback.format_exception(exc))
    raise AssertionError("same_fail did not raise")


def kit_frames_left_out(text: str) -> str:
    """A formatted traceback without the entries of nbplug's own kit, whose monitored calls take
    another path than its compiled ones (the recorder's frames are not the kit's: they stay)."""
    kit = os.path.join(os.path.dirname(nbplug.__file__), "_kit")
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("  File "):
            skipping = kit in line or '"<nbplug hook' in line
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("kit", sorted(KITS))
@pytest.mark.parametrize("plugins", [(Fails(),), (Fails(), WrapsFailure()),
                                     (Fails(), LegacyWrapsFailure(), WrapsFailure())],
                         ids=["plain", "through-a-wrapper", "through-both-kinds-of-wrapper"])
def test_a_recorded_traceback_reads_as_the_plain_one_unfiltered(
        kit: str, plugins: tuple[object, ...]) -> None:
    """As Python prints it (no ``__tracebackhide__`` filter): on pluggy the very same text; on
    nbplug the same once the kit's own entries are left out. No frame of the recorder shows."""
    pm = manager(kit, *plugins)
    formatted(pm)  # the first call compiles nbplug's: compare later ones
    plain = formatted(pm)
    with record(pm) as recording:
        recorded = formatted(pm)
    assert recording.calls[0].error == "ValueError: bad value 3"
    recorder = os.path.dirname(nbplug.recording.__file__)
    assert recorder not in recorded
    assert "test_recorder_unchanged.py\", line" in recorded and "in same_fail" in recorded
    if kit == "pluggy":
        assert recorded == plain
    else:
        assert kit_frames_left_out(recorded) == kit_frames_left_out(plain)


@pytest.mark.parametrize("kit", sorted(KITS))
def test_nothing_is_left_on_the_manager_or_its_extensions_afterwards(kit: str) -> None:
    pm = manager(kit, Defaulted(), WrapsDefaulted(), LegacyDefaulted(), Fails())

    def state() -> list[Any]:
        impls = [impl for caller in (pm.hook.same_greet, pm.hook.same_fail)
                 for impl in caller.get_hookimpls()]
        return [sorted(vars(pm)), [(impl, impl.function) for impl in impls],
                [sorted(getattr(impl, "__dict__", ())) for impl in impls]]

    before = state()
    with record(pm):
        pm.hook.same_greet(name="ada")
        pm.register(Defaulted(), name="late")  # given its stand-in at its first call
        pm.hook.same_greet(name="bob")
        with pytest.raises(ValueError):
            pm.hook.same_fail(value=1)
    pm.unregister(name="late")
    assert state() == before
    assert pm.hook.same_greet(name="cy") == run(
        lambda: manager(kit, Defaulted(), WrapsDefaulted(), LegacyDefaulted()).hook.same_greet(
            name="cy"))[0]


# -- calls on other threads ------------------------------------------------------------------------


class Pooled:
    """Calls ``same_fail``'s neighbour hook from worker threads, as a connection pool would."""

    def __init__(self, pm: Any) -> None:
        self.pm = pm

    @hookimpl
    def same_greet(self, name: str) -> str:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="pool") as pool:
            answers = list(pool.map(lambda n: self.pm.hook.same_inner(n=n), range(6)))
        return f"{name}: {answers}"


class InnerSpecs:
    @hookspec
    def same_inner(self, n: int) -> list[int]:
        """Called on worker threads; calls another hook there."""

    @hookspec
    def same_leaf(self, n: int) -> int:
        """The innermost call."""


class Inner:
    def __init__(self, pm: Any) -> None:
        self.pm = pm

    @hookimpl
    def same_inner(self, n: int) -> int:
        return sum(self.pm.hook.same_leaf(n=n))

    @hookimpl
    def same_leaf(self, n: int) -> int:
        return n * 10


def pooled_manager(kit: str) -> Any:
    """A manager of ``kit`` whose ``same_greet`` calls ``same_inner`` from a pool of threads."""
    pm = KITS[kit]()
    pm.add_hookspecs(Specs)
    pm.add_hookspecs(InnerSpecs)
    pm.register(Pooled(pm), name="pooled")
    pm.register(Inner(pm), name="inner")
    return pm


@pytest.mark.parametrize("kit", sorted(KITS))
def test_calls_on_other_threads_are_recorded_as_roots_labelled_with_their_thread(kit: str) -> None:
    pm = pooled_manager(kit)
    seen: dict[str, int] = {}
    elsewhere = []  # a call pluggy's own monitor saw on a thread other than this one
    here = threading.get_ident()

    def before(hook: str, impls: Any, kwargs: Any) -> None:
        seen[hook] = seen.get(hook, 0) + 1
        if threading.get_ident() != here:
            elsewhere.append(hook)

    undo = pm.add_hookcall_monitoring(before, lambda outcome, hook, impls, kwargs: None)
    plain = pm.hook.same_greet(name="ada")
    with record(pm) as recording:
        recorded = pm.hook.same_greet(name="ada")
    undo()
    assert recorded == plain == ["ada: [[0], [10], [20], [30], [40], [50]]"]
    assert {hook: stats.calls for hook, stats in recording.hooks.items()} == {
        hook: count // 2 for hook, count in seen.items()}  # seen counts the plain run too
    assert recording.other_threads == len(elsewhere) // 2 == 12  # 6 same_inner, 6 same_leaf
    greet, *pooled = recording.calls
    assert greet.hook == "same_greet" and greet.thread is None
    assert len(pooled) == 6
    for call in pooled:
        assert call.hook == "same_inner"
        assert call.thread is not None and call.thread.startswith("pool")
        (leaf,) = call.children()
        assert leaf.hook == "same_leaf" and leaf.thread == call.thread
        assert leaf.result == f"[{10 * int(call.kwargs['n'])}]"
        assert call.result == leaf.result  # [sum of the leaf's results]
    assert sorted(recording.threads()) == sorted({call.thread for call in pooled})


@pytest.mark.parametrize("kit", sorted(KITS))
def test_calls_on_other_threads_are_counted_when_the_budget_keeps_none(kit: str) -> None:
    pm = pooled_manager(kit)
    with record(pm, max_calls=1, min_per_hook=0) as recording:
        pm.hook.same_greet(name="ada")
    assert [call.hook for call in recording.calls] == ["same_greet"] and recording.threads() == []
    assert recording.other_threads == 12 and recording.total == 13


# -- values: formatted bounded, once -----------------------------------------------------------


class CountsReprs:
    """A value whose ``__repr__`` counts how often it is taken."""

    taken = 0

    def __repr__(self) -> str:
        CountsReprs.taken += 1
        return "<CountsReprs>"


class ValueSpecs:
    @hookspec
    def same_values(self, big: Any) -> Any:
        """Takes and gives back big values."""


class GivesBack:
    @hookimpl
    def same_values(self, big: Any) -> Any:
        return big


def test_big_values_are_formatted_bounded_and_each_seen_value_once() -> None:
    """A megabyte string or a million-item list inside a small container is never written out
    whole, and an object's own __repr__ is taken once per place it is seen (argument, step
    result, call result)."""
    pm = nbplug.PluginManager("same")
    pm.add_hookspecs(ValueSpecs)
    pm.register(GivesBack())
    huge = "x" * 1_000_000
    values = [huge, (huge, 1), {"k": [0] * 1_000_000}, [[[[["deep"]]]]], 10 ** 5000]
    with record(pm) as recording:
        tracemalloc.start()
        for value in values:
            pm.hook.same_values(big=value)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        CountsReprs.taken = 0
        pm.hook.same_values(big=CountsReprs())
    texts = [text for call in recording.calls for text in (call.kwargs["big"], call.result,
                                                             call.steps[0].result)]
    assert all(text is not None and len(text) <= 120 for text in texts), [len(t or "") for t in texts]
    assert "'xxx" in recording.calls[0].kwargs["big"]
    assert recording.calls[4].kwargs["big"].startswith("<int")  # Python refuses its repr: said so
    assert peak < 200_000  # no value was written out whole (one would take a megabyte)
    assert CountsReprs.taken == 3  # the argument, the step's result, the call's result: once each


class ExitsInRepr:
    """A value whose ``__repr__`` raises something that is not an Exception."""

    def __repr__(self) -> str:
        raise SystemExit("repr of a broken object")


class Unordered:
    """A dict key whose ordering raises something that is not an Exception (reprlib sorts keys)."""

    def __lt__(self, other: object) -> bool:
        raise SystemExit("no order")

    def __repr__(self) -> str:
        return "Unordered()"


def test_a_value_whose_repr_raises_any_base_exception_is_recorded_and_returned_unchanged() -> None:
    from nbplug.widgets import HookCallView

    pm = nbplug.PluginManager("same")
    pm.add_hookspecs(ValueSpecs)
    pm.register(GivesBack())
    exits, bad = ExitsInRepr(), {Unordered(): 1, Unordered(): 2}
    with record(pm) as recording:
        assert pm.hook.same_values(big=exits) == [exits]  # the system sees no difference
        assert pm.hook.same_values(big=[exits]) == [[exits]]
    assert recording.calls[0].kwargs["big"] == "<ExitsInRepr object; repr() raised SystemExit>"
    assert "repr() raised SystemExit" in recording.calls[1].kwargs["big"]
    view = HookCallView(pm.hook.same_values.traced(big=bad)).text()  # the call view's own values
    assert "big=<unrepresentable dict>" in view, view


# -- a wrapper's own mistakes are told the same ----------------------------------------------------


class NoYield:
    @hookimpl(wrapper=True)
    def same_fail(self, value: int) -> Generator[None, Any, Any]:
        if value > 100:
            yield
        return None


class TwoYields:
    @hookimpl(wrapper=True)
    def same_fail(self, value: int) -> Generator[None, Any, Any]:
        yield
        yield


class LegacyNoYield:
    @hookimpl(hookwrapper=True)
    def same_fail(self, value: int) -> Generator[None, Any, None]:
        if value > 100:
            yield


class LegacyTwoYields:
    @hookimpl(hookwrapper=True)
    def same_fail(self, value: int) -> Generator[None, Any, None]:
        yield
        yield


@pytest.mark.parametrize("kit", sorted(KITS))
@pytest.mark.parametrize("plugin", [NoYield(), TwoYields(), LegacyNoYield(), LegacyTwoYields()],
                         ids=["no-yield", "two-yields", "legacy-no-yield", "legacy-two-yields"])
def test_a_wrapper_that_breaks_the_rules_gets_the_same_error_recorded(kit: str, plugin: object) -> None:
    """The kit names the wrapper's own function and line (pluggy: ``wrap_controller at 'name'
    file:line``), not the recorder's stand-in."""
    pm = manager(kit, plugin)
    plain = run(lambda: pm.hook.same_fail(value=1))
    with record(pm):
        recorded = run(lambda: pm.hook.same_fail(value=1))
    assert plain[1] is not None and "test_recorder_unchanged.py" in plain[1]
    assert recorded[1] == plain[1]
