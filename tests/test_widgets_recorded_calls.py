"""A recorded call is drawn like the kit's own: each wrapper (new-style and legacy) a box around
exactly what it wrapped, with its before and after ``yield`` as moments.

One design, marked with pluggy's markers, is called three ways: traced on an nbplug manager (the
kit's own trace), recorded on a pluggy manager, and recorded on an nbplug manager. The call view's
model and its text form must agree, times aside."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Generator
from typing import Any

import pluggy
import pytest

from nbplug import PluginManager, record
from nbplug._kit.tracing import CallTrace
from nbplug.widgets import HookCallView, RecordingView

spec, impl = pluggy.HookspecMarker("shop"), pluggy.HookimplMarker("shop")


class Spec:
    @spec(firstresult=True)
    def price(self, item: str) -> float:
        """A price: the first answer wins."""

    @spec
    def labels(self, item: str) -> list[str]:
        """Every label of an item."""


class Sale:
    @impl
    def price(self, item: str) -> float | None:
        return None

    @impl
    def labels(self, item: str) -> str:
        if item == "ghost":
            raise LookupError(f"no such item: {item}")
        return "sale"


class Catalogue:
    @impl
    def price(self, item: str) -> float:
        return 10.0

    @impl
    def labels(self, item: str) -> str:
        return "catalogue"


class Never:
    @impl(trylast=True)
    def price(self, item: str) -> float:
        return 99.0


class Outer:
    """A new-style wrapper, outermost (tryfirst): passes the price on; turns a labels error into
    a fallback."""

    @impl(wrapper=True, tryfirst=True)
    def price(self, item: str) -> Generator[None, Any, Any]:
        result = yield
        return result

    @impl(wrapper=True, tryfirst=True)
    def labels(self, item: str) -> Generator[None, Any, Any]:
        try:
            return (yield)
        except LookupError:
            return ["unknown"]


class Doubler:
    """A legacy wrapper: doubles the price in the outcome; reads the labels' outcome."""

    @impl(hookwrapper=True)
    def price(self, item: str) -> Generator[None, Any, None]:
        outcome = yield
        outcome.force_result(outcome.get_result() * 2)

    @impl(hookwrapper=True)
    def labels(self, item: str) -> Generator[None, Any, None]:
        yield


class Gate:
    """A wrapper inside the others that refuses one item before its yield."""

    @impl(wrapper=True)
    def labels(self, item: str) -> Generator[None, Any, Any]:
        if item == "closed":
            raise PermissionError("the shop is closed")
        return (yield)


def build(pm: Any) -> Any:
    (pm.add_hookspecs if isinstance(pm, pluggy.PluginManager) else pm.add_extension_points)(Spec)
    for plugin in (Never(), Catalogue(), Sale(), Gate(), Doubler(), Outer()):
        pm.register(plugin, name=type(plugin).__name__.lower())
    return pm


def kit_trace(hook: str, item: str) -> CallTrace:
    pm = build(PluginManager("shop"))
    trace: CallTrace = getattr(pm.hook, hook).traced(item=item)
    return trace


def recorded_trace(manager: Callable[[str], Any], hook: str, item: str) -> CallTrace:
    pm = build(manager("shop"))
    # an error the design means is suppressed: the recorded trace shows it
    with record(pm) as recording, contextlib.suppress(Exception):
        getattr(pm.hook, hook)(item=item)
    [call] = recording.calls
    return call.as_trace()


def shape(trace: CallTrace) -> list[tuple[Any, ...]]:
    """The call view model's nodes with depth, what each is and says (times left out)."""
    model = HookCallView(trace).model
    return [(depth, node.kind, node.label, node.status, node.outcome, node.note,
             node.before and node.before.words, node.after and node.after.words)
            for depth, node in model.walk()]


_TIME = re.compile(r"\s+\d[\d.,]* (µs|ms|s)$")


def text_without_times(trace: CallTrace) -> list[str]:
    return [_TIME.sub("", line.rstrip()) for line in HookCallView(trace).text().splitlines()]


CALLS = [("price", "tea"), ("labels", "tea"), ("labels", "ghost"), ("labels", "closed")]
RECORDED = {"pluggy": pluggy.PluginManager, "nbplug": PluginManager}


@pytest.mark.parametrize("hook, item", CALLS)
@pytest.mark.parametrize("manager", list(RECORDED))
def test_a_recorded_call_nests_as_the_kits_own_trace(manager: str, hook: str, item: str) -> None:
    own = kit_trace(hook, item)
    recorded = recorded_trace(RECORDED[manager], hook, item)
    assert shape(recorded) == shape(own)
    assert text_without_times(recorded) == text_without_times(own)


def test_each_wrapper_is_a_box_around_what_it_wrapped() -> None:
    trace = recorded_trace(pluggy.PluginManager, "price", "tea")
    assert shape(trace) == [
        (0, "wrapper", "outer (Outer.price)", "returned", "", None, "",
         "received 20.0, returned it unchanged"),
        (1, "wrapper", "doubler (Doubler.price)", "returned", "", None, "",
         "received 10.0, returned 20.0"),
        (2, "extension", "sale (Sale.price)", "none", "→ None", None, None, None),
        (2, "extension", "catalogue (Catalogue.price)", "returned", "→ 10.0", None, None, None),
        (2, "extension", "never (Never.price)", "not called",
         "not called — firstresult answered by catalogue", None, None, None),
    ]
    model = HookCallView(trace).model
    assert model.mode == "firstresult" and (model.extensions, model.wrappers) == (3, 2)
    # the moments of a wrapper come before and after all it wraps
    outer = model.nodes[0]
    assert outer.before is not None and outer.after is not None
    inner_times = [node.at for _, node in model.walk()[1:] if node.at is not None]
    assert outer.before.at <= min(inner_times) and outer.after.at >= max(inner_times)


def test_a_wrapper_that_raised_before_its_yield_holds_nothing_and_nothing_ran_after_it() -> None:
    trace = recorded_trace(pluggy.PluginManager, "labels", "closed")
    rows = shape(trace)
    assert [row[:3] for row in rows] == [
        (0, "wrapper", "outer (Outer.labels)"),
        (1, "wrapper", "doubler (Doubler.labels)"),
        (2, "wrapper", "gate (Gate.labels)"),
    ]
    assert rows[2][4] == "raised before yield: PermissionError: the shop is closed"
    assert rows[1][7] == "received the error PermissionError: the shop is closed, raised " \
                         "PermissionError: the shop is closed"


def test_the_recording_views_call_view_is_nested() -> None:
    pm = build(pluggy.PluginManager("shop"))
    with record(pm) as recording:
        pm.hook.labels(item="ghost")
    view = RecordingView(recording).call_view(recording.calls[0].index)
    text = view.text()
    assert "│ │ │ sale (Sale.labels)  raised LookupError: no such item: ghost" in text
    assert "└ after yield: received the error LookupError: no such item: ghost, returned ['unknown']" \
        in text
    html = view.html()
    # the extensions' rows sit inside the wrappers' boxes in the HTML form too
    outer = html.index("outer (Outer.labels)")
    assert outer < html.index("sale (Sale.labels)") < html.rindex("after yield")
