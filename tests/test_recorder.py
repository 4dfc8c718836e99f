"""The recorder over nbplug's and pluggy's managers: nesting, outcomes, times, budget, clean-up."""

from __future__ import annotations

from typing import Any

import pluggy
import pytest

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager
from nbplug.recording.recorder import Recorder, record

extension_point, extension = ExtensionPoint("shop"), Extension("shop")


class ShopSpec:
    @extension_point
    def order(self, item: str) -> list[str]:
        """Take an order; implementations may check the stock."""

    @extension_point(firstresult=True)
    def stock(self, item: str) -> int:
        """How many are left."""


class Counter:
    @extension
    def order(self, item: str) -> str:
        return f"ordered {item}"

    @extension
    def stock(self, item: str) -> int:
        return 3


class Warehouse:
    """Answers stock first: Counter's stock implementation is then not called."""

    def __init__(self, pm: PluginManager) -> None:
        self.pm = pm

    @extension(tryfirst=True)
    def order(self, item: str) -> str:
        left = self.pm.hook.stock(item=item)
        return f"{left} {item} left"

    @extension(tryfirst=True)
    def stock(self, item: str) -> int | None:
        if item == "ghost":
            raise LookupError(f"no such item: {item}")
        return 7


class Logger:
    @extension(wrapper=True)
    def order(self, item: str) -> Any:
        result = yield
        return [*result, "logged"]


def shop() -> PluginManager:
    pm = PluginManager("shop")
    pm.add_extension_points(ShopSpec)
    pm.register(Counter(), name="counter")
    pm.register(Warehouse(pm), name="warehouse")
    pm.register(Logger(), name="logger")
    return pm


def test_hooks_calling_hooks_nest_under_the_implementation_that_made_the_call() -> None:
    pm = shop()
    with record(pm) as recording:
        assert pm.hook.order(item="tea") == ["7 tea left", "ordered tea", "logged"]
    [order] = recording.calls
    assert order.hook == "order" and order.kwargs == {"item": "'tea'"}
    assert [(s.plugin, s.kind) for s in order.steps] == [
        ("logger", "wrapper"), ("warehouse", "impl"), ("counter", "impl")]
    assert order.result == "['7 tea left', 'ordered tea', 'logged']"
    warehouse = order.steps[1]
    [stock] = warehouse.calls
    assert stock.hook == "stock" and stock.result == "7"
    assert stock.not_called() == ["counter"]  # firstresult: Warehouse answered
    assert [(depth, call.hook) for depth, call in recording.walk()] == [(0, "order"), (1, "stock")]
    assert [(depth, call.hook) for depth, call in order.walk()] == [(0, "order"), (1, "stock")]
    assert [call.hook for call in recording.path_to(stock)] == ["order", "stock"]


def test_times_nest_and_a_wrapper_has_set_up_and_teardown() -> None:
    pm = shop()
    with record(pm) as recording:
        pm.hook.order(item="tea")
    order = recording.calls[0]
    wrapper, *plain = order.steps
    assert order.start <= wrapper.start <= wrapper.setup_end <= plain[0].start  # type: ignore[operator]
    assert plain[-1].end <= wrapper.teardown_start <= wrapper.end <= order.end  # type: ignore[operator]
    assert wrapper.result == "['7 tea left', 'ordered tea', 'logged']"
    assert 0 < order.duration <= recording.duration


def test_an_implementation_error_is_recorded_and_still_raised() -> None:
    pm = shop()
    with record(pm) as recording, pytest.raises(LookupError):
        pm.hook.order(item="ghost")
    [order] = recording.calls
    [stock] = order.steps[1].calls
    assert stock.error == "LookupError: no such item: ghost"
    assert stock.steps[0].error == "LookupError: no such item: ghost"
    assert order.error == "LookupError: no such item: ghost"
    assert recording.hooks["stock"].errors == 1 and recording.hooks["order"].errors == 1


def test_stop_puts_every_function_back_and_records_nothing_more() -> None:
    pm = shop()
    originals = {id(impl): impl.function for caller in pm.hook for impl in caller.get_hookimpls()}
    recorder = Recorder(pm)
    recorder.start()
    pm.hook.order(item="tea")
    recording = recorder.stop()
    assert {id(i): i.function for c in pm.hook for i in c.get_hookimpls()} == originals
    pm.hook.order(item="tea")
    assert recording.total == 2 and len(recording.calls) == 1


def test_the_functions_come_back_when_the_recorded_code_fails() -> None:
    pm = shop()
    originals = [impl.function for caller in pm.hook for impl in caller.get_hookimpls()]
    with pytest.raises(LookupError), record(pm):
        pm.hook.order(item="ghost")
    assert [impl.function for caller in pm.hook for impl in caller.get_hookimpls()] == originals


def test_the_budget_keeps_the_first_calls_and_a_few_of_every_hook_and_counts_the_rest() -> None:
    pm = shop()
    with record(pm, max_calls=4, min_per_hook=1) as recording:
        for _ in range(10):
            pm.hook.order(item="tea")
        pm.hook.stock(item="tea")
    # 21 calls: 10 orders each calling stock once, then one stock call
    assert recording.total == 21 and recording.hooks["order"].calls == 10
    assert recording.hooks["stock"].calls == 11
    assert recording.kept == 4 and recording.dropped == 17
    assert [call.hook for call in recording.calls] == ["order", "order"]
    assert all(len(call.steps[1].calls) == 1 for call in recording.calls)
    # statistics count every call, kept or not
    assert recording.impls[("order", "counter")].calls == 10
    assert recording.impls[("stock", "warehouse")].calls == 11


def test_a_call_inside_a_dropped_call_is_dropped_too() -> None:
    pm = shop()
    with record(pm, max_calls=0, min_per_hook=0) as recording:
        pm.hook.order(item="tea")
    assert recording.calls == [] and recording.dropped == 2
    assert recording.hooks["stock"].calls == 1


def test_find_filters_by_hook_and_by_plugin_and_names_what_was_recorded() -> None:
    pm = shop()
    with record(pm) as recording:
        pm.hook.order(item="tea")
        pm.hook.stock(item="jam")
    assert [c.hook for c in recording.find(hook="stock")] == ["stock", "stock"]
    assert [c.hook for c in recording.find(plugin="logger")] == ["order"]
    assert recording.find(hook="stock", plugin="logger") == []
    with pytest.raises(ValueError, match=r"no call of hook 'stok'.*did you mean 'stock'"):
        recording.find(hook="stok")
    with pytest.raises(ValueError, match=r"plugin 'loger'.*did you mean 'logger'"):
        recording.find(plugin="loger")


def test_as_trace_gives_the_call_view_its_steps_and_the_not_called_ones() -> None:
    pm = shop()
    with record(pm) as recording:
        pm.hook.stock(item="tea")
    trace = recording.calls[0].as_trace()
    assert trace.hook == "stock" and repr(trace.result) == "7"
    assert [(s.plugin_name, s.not_called) for s in trace.steps] == [
        ("warehouse", False), ("counter", True)]
    assert all(s.start >= 0 for s in trace.steps)


def test_refuses_what_it_cannot_record_and_says_what_would_do() -> None:
    with pytest.raises(TypeError, match=r"needs a plugin manager .*pluggy.PluginManager"):
        Recorder(object())
    with pytest.raises(TypeError, match=r"AsyncPluginManager.*traced"):
        Recorder(AsyncPluginManager("shop"))
    with pytest.raises(ValueError, match="max_calls must be a whole number"):
        Recorder(shop(), max_calls=-1)
    recorder = Recorder(shop())
    with recorder, pytest.raises(RuntimeError, match="already recording"):
        recorder.start()


# -- pluggy ---------------------------------------------------------------------------------

hookspec, hookimpl = pluggy.HookspecMarker("demo"), pluggy.HookimplMarker("demo")


class DemoSpec:
    @hookspec
    def greet(self, name: str) -> list[str]: ...


class Hello:
    @hookimpl
    def greet(self, name: str) -> str:
        return f"hello {name}"


class Shout:
    """A legacy hookwrapper that replaces the outcome with force_result."""

    @hookimpl(hookwrapper=True)
    def greet(self, name: str) -> Any:
        outcome = yield
        outcome.force_result([s.upper() for s in outcome.get_result()])


class Late:
    @hookimpl
    def greet(self, name: str) -> str:
        return "late"


def test_a_live_pluggy_manager_is_recorded_through_its_public_api() -> None:
    pm = pluggy.PluginManager("demo")
    pm.add_hookspecs(DemoSpec)
    pm.register(Hello(), name="hello")
    pm.register(Shout(), name="shout")
    with record(pm) as recording:
        assert pm.hook.greet(name="ada") == ["HELLO ADA"]
        pm.register(Late(), name="late")  # registered while recording: recorded from its first call
        assert pm.hook.greet(name="bob") == ["LATE", "HELLO BOB"]
    first, second = recording.calls
    assert [(s.plugin, s.kind, s.result) for s in first.steps] == [
        ("shout", "wrapper", "['HELLO ADA']"), ("hello", "impl", "'hello ada'")]
    assert first.result == "['HELLO ADA']"
    assert [s.plugin for s in second.steps] == ["shout", "late", "hello"]
    assert recording.manager == "pluggy.PluginManager 'demo'"
    assert all(not hasattr(impl.function, "__wrapped__") for impl in pm.hook.greet.get_hookimpls())


class Broken:
    @hookimpl
    def greet(self, name: str) -> str:
        raise ValueError(f"cannot greet {name}")


class Watch:
    """A legacy hookwrapper that only looks at the outcome."""

    @hookimpl(hookwrapper=True)
    def greet(self, name: str) -> Any:
        yield


def test_a_legacy_wrapper_shows_the_error_it_was_sent_and_the_call_raises() -> None:
    pm = pluggy.PluginManager("demo")
    pm.add_hookspecs(DemoSpec)
    pm.register(Broken(), name="broken")
    pm.register(Watch(), name="watch")
    with record(pm) as recording, pytest.raises(ValueError, match="cannot greet ada"):
        pm.hook.greet(name="ada")
    [call] = recording.calls
    wrapper, impl = call.steps
    assert impl.error == wrapper.error == call.error == "ValueError: cannot greet ada"
    assert recording.impls[("greet", "broken")].errors == 1
    assert recording.impls[("greet", "watch")].errors == 0  # it saw the error; it did not raise


class LongRepr:
    """An object whose repr opens with its type and closes with the field a reader looks for."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"<LongRepr {self.path!r} outcome='failed'>"


@pytest.mark.parametrize("depth", [1, 10, 100])
def test_a_long_value_keeps_its_start_and_its_end_whatever_its_length(depth: int) -> None:
    pm = PluginManager("demo")

    class Spec:
        @ExtensionPoint("demo")
        def report(self) -> Any: ...

    class Plugin:
        @Extension("demo")
        def report(self) -> Any:
            return LongRepr("/deep" * depth + "/test_x.py::test_y")

    pm.add_extension_points(Spec)
    pm.register(Plugin())
    with record(pm) as recording:
        pm.hook.report()
    [call] = recording.calls
    kept = str(call.steps[0].result)
    assert len(kept) <= 120
    assert kept.startswith("<LongRepr '/deep") and kept.endswith("outcome='failed'>")


# -- a pipeline's threaded argument ----------------------------------------------------------------


def test_a_recorded_pipeline_names_its_threaded_argument_from_its_caller_not_the_calls_order() -> None:
    """The call gives the threaded value second (``extra=`` first): the recording still names
    ``value`` (the spec's first parameter), and its call view shows each extension receiving the
    value threaded through, as the kit's own trace of the same call does."""
    from nbplug.widgets.callview.model import build_call_model

    point, ext = ExtensionPoint("pipe"), Extension("pipe")

    class Specs:
        @point(pipeline=True)
        def refine(self, value: int, extra: int) -> int: ...

    class Double:
        @ext
        def refine(self, value: int, extra: int) -> int:
            return value * 2

    class AddExtra:
        @ext
        def refine(self, value: int, extra: int) -> int:
            return value + extra

    pm = PluginManager("pipe")
    pm.add_extension_points(Specs)
    pm.register(Double(), name="double")
    pm.register(AddExtra(), name="add")
    with record(pm) as recording:
        assert pm.hook.refine(extra=1, value=10) == 22
    (call,) = recording.calls
    assert call.pipeline_arg == "value" and list(call.kwargs) == ["extra", "value"]
    recorded = build_call_model(call.as_trace())
    own = build_call_model(pm.hook.refine.traced(extra=1, value=10))
    assert [node.received for node in recorded.nodes] == ["10", "11"]
    assert [node.received for node in recorded.nodes] == [node.received for node in own.nodes]
    assert recorded.mode_words == own.mode_words
