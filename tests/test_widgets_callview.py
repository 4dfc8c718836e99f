"""The hook-call view's widget (timeline toggle) and the throttle that paces the board."""

from __future__ import annotations

import asyncio
import re

import pytest

from nbplug._kit.tracing import CallTrace, TraceStep
from nbplug.widgets import HookCallView
from nbplug.widgets.base.throttle import Throttle
from tests.widgets_fixtures import EVIL


def trace() -> CallTrace:
    inner = TraceStep(EVIL, "Evil.fetch", "impl", 0.0002, 0.0003, result=EVIL)
    wrapper = TraceStep(
        "timing",
        "Timing.fetch",
        "wrapper",
        0.0001,
        0.0005,
        result=[EVIL],
        setup_end=0.00015,
        teardown_start=0.0004,
        children=[inner],
    )
    return CallTrace("fetch", "collecting", {"topic": "x"}, [wrapper], result=[EVIL], duration=0.0006)


def test_widget_body_is_the_escaped_html_and_the_toggle_adds_the_timeline() -> None:
    view = HookCallView(trace())
    body = view.widget.children[1]
    assert body.value == view.html()
    assert "nbplug-timeline" not in body.value and "<img" not in body.value
    toggle = view.widget.children[0]
    toggle.value = True  # as a click in the browser would
    assert view.timeline is True
    assert "nbplug-timeline-row" in body.value and "<img" not in body.value
    assert "timeline (µs since the call started)" in view.text()
    view.timeline = False
    assert toggle.value is False and "nbplug-timeline" not in body.value


def test_timeline_form_starts_with_the_timeline() -> None:
    view = HookCallView(trace(), timeline=True)
    assert "nbplug-timeline-row" in view.html()
    assert view.step_count == 2


def test_not_a_trace_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"needs a CallTrace \(from caller.traced"):
        HookCallView({"hook": "fetch"})  # type: ignore[arg-type]


async def test_throttle_spaces_runs_by_the_interval() -> None:
    now = [0.0]
    runs: list[float] = []
    throttle = Throttle(lambda: runs.append(now[0]), 0.1, clock=lambda: now[0])
    throttle.request()
    throttle.request()
    await asyncio.sleep(0)
    assert runs == [0.0] and throttle.requests == 2
    now[0] = 0.04
    throttle.request()
    handle = throttle._handle
    assert isinstance(handle, asyncio.TimerHandle)
    loop = asyncio.get_running_loop()
    assert handle.when() - loop.time() == pytest.approx(0.06, abs=0.02)
    throttle.flush()
    assert runs == [0.0, 0.04] and not throttle.pending


def test_throttle_without_a_loop_runs_at_once_and_rejects_negative_intervals() -> None:
    runs: list[int] = []
    throttle = Throttle(lambda: runs.append(1))
    throttle.request()
    assert runs == [1]
    with pytest.raises(ValueError, match=">= 0 seconds"):
        Throttle(lambda: None, -1)


# ---- with real traced calls ------------------------------------------------------------------------

from collections.abc import AsyncIterator, Iterator  # noqa: E402
from typing import Any  # noqa: E402

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager  # noqa: E402

spec = ExtensionPoint("callview")
impl = Extension("callview")


class Specs:
    @spec
    def fetch(self, topic: str) -> str:  # type: ignore[empty-body]
        """Fetch a topic."""


class Outer:
    @impl(wrapper=True)
    def fetch(self, topic: str) -> Iterator[None]:
        result = yield
        return result


class AsyncOuter:
    @impl(wrapper=True)
    async def fetch(self, topic: str) -> AsyncIterator[None]:
        yield


class Good:
    @impl
    def fetch(self, topic: str) -> str:
        return EVIL + topic


class Bad:
    @impl(trylast=True)
    def fetch(self, topic: str) -> str:
        raise LookupError(f"no {topic}")


def register(pm: Any, wrapper: object) -> None:
    pm.add_extension_points(Specs)
    pm.register(wrapper, name="outer")
    pm.register(Good(), name="good")
    pm.register(Bad(), name="bad")


def check_view(trace: Any) -> None:
    view = HookCallView(trace, timeline=True)
    text = view.text()
    rows = [line.strip(" │").split()[0] for line in text.splitlines()[3:] if re.match(r"  [│ ]*\w", line)]
    assert rows[:3] == ["outer", "good", "bad"]  # the wrapper, then what it wraps in call order
    assert "│ bad (Bad.fetch)  raised LookupError: no harbor" in text
    assert f"│ good (Good.fetch)  → '{EVIL}harbor'" in text
    assert "└ after yield: received the error LookupError: no harbor" in text
    page = view.html()
    assert "<img" not in page and page.count('class="nbplug-step ') == 3
    assert page.count('nbplug-step-extension nbplug-') == 2
    assert page.count('data-depth="1"') == 2  # the extensions nest inside the wrapper
    assert view.step_count == 3


def test_a_real_sync_trace_renders_wrapper_nesting_results_and_errors() -> None:
    pm = PluginManager("callview")
    register(pm, Outer())
    check_view(pm.caller("fetch").traced(topic="harbor"))


async def test_a_real_async_trace_renders_the_same_way() -> None:
    pm = AsyncPluginManager("callview")
    register(pm, AsyncOuter())
    check_view(await pm.caller("fetch").traced(topic="harbor"))
