"""The call view's text and HTML forms: nesting, moments, reasons, pipeline values, output, timeline.

Traces come from real calls on nbplug's managers (the shapes a user makes), plus hand-built ones
where a test needs exact times (the timeline's µs honesty).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace

import pytest

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager
from nbplug._kit.tracing import CallTrace, TraceStep
from nbplug.widgets import HookCallView, call_view
from nbplug.widgets.callview.model import build_call_model, step_label
from nbplug.widgets.callview.timeline import nice_ticks
from nbplug.widgets.callview.widget import trace_html, trace_text
from nbplug.widgets.format import theme
from tests.widgets_fixtures import EVIL

spec = ExtensionPoint("forms")
ext = Extension("forms")


class Specs:
    @spec(firstresult=True)
    def price(self, item: str) -> float | None:  # type: ignore[empty-body]
        """The first plugin that knows the price answers."""

    @spec(pipeline=True)
    def total(self, amount: float, customer: str) -> float:  # type: ignore[empty-body]
        """Each plugin adjusts the amount."""

    @spec
    def greet(self, name: str) -> str:  # type: ignore[empty-body]
        """Everyone says hello."""


class Catalogue:
    @ext
    def price(self, item: str) -> float | None:
        return {"tea": 3.0}.get(item)


class Sale:
    @ext(tryfirst=True)
    def price(self, item: str) -> float | None:
        print(f"sale: looking up {item}")
        return 2.0 if item == "tea" else None


class Audit:
    @ext(wrapper=True)
    def price(self, item: str) -> Iterator[None]:
        print("audit: before")
        result = yield
        logging.getLogger("forms.audit").warning("%s costs %s", item, result)
        return result


class InCents:
    @ext(wrapper=True)
    def price(self, item: str) -> Iterator[None]:
        result = yield
        return None if result is None else round(result * 100)  # type: ignore[operator]


class Loyalty:
    @ext(tryfirst=True)
    def total(self, amount: float, customer: str) -> float | None:
        return amount - 5 if customer == "Ada" else None


class Tax:
    @ext
    def total(self, amount: float) -> float:
        return round(amount * 1.2, 2)


class Broken:
    @ext
    def total(self, amount: float) -> float:
        raise LookupError("no tax rate")


class Flatten:
    @ext
    def greet(self, name: str) -> str:
        return EVIL + name


def shop() -> PluginManager:
    pm = PluginManager("forms")
    pm.add_extension_points(Specs)
    for plugin in (Catalogue(), Sale(), Audit(), InCents()):
        pm.register(plugin, name=type(plugin).__name__.lower())
    return pm


def times_stripped(text: str) -> str:
    return re.sub(r"\s+\d+(\.\d+)? (µs|ms|s)\b", " T", text)


def test_text_nests_wrappers_with_their_before_and_after_around_what_they_wrap() -> None:
    view = call_view(shop().hook.price, item="tea")
    lines = view.text().splitlines()
    assert lines[0].startswith("hook price(item='tea')")
    assert lines[1].startswith("  firstresult: the first extension to return something other than None")
    assert lines[2] == "  why this order: incents, audit wrap the call (wrapper), outermost first: " \
        "incents, audit: registered last runs first; sale moved up by tryfirst; catalogue unmarked"
    assert "2 extensions, 2 wrappers; result → 200" in lines[3]
    body = [times_stripped(line).rstrip() for line in lines[4:]]
    assert body == [
        "  incents (InCents.price)  wrapper T",
        "  ├ before yield T",
        "  │ audit (Audit.price)  wrapper T",
        "  │ ├ before yield T",
        "  │ │   print: audit: before",
        "  │ │ sale (Sale.price)  → 2.0 T",
        "  │ │   print: sale: looking up tea",
        "  │ │ catalogue (Catalogue.price)  not called — firstresult answered by sale",
        "  │ └ after yield: received 2.0, returned it unchanged T",
        "  │     log: WARNING forms.audit: tea costs 2.0",
        "  └ after yield: received 2.0, returned 200 T",
    ]


def test_text_times_stand_in_one_right_aligned_column_without_wrapping() -> None:
    text = call_view(shop().hook.price, item="tea").text()
    timed = [line for line in text.splitlines()[4:] if re.search(r"\d (µs|ms)$", line)]
    assert len(timed) == 7  # 2 wrappers, their 4 moments, the extension that ran
    assert len({len(line) for line in timed}) == 1, timed  # one right edge
    assert all(re.search(r"\S  +\d+\.\d+ (µs|ms)$", line) for line in timed)


def test_pipeline_steps_show_the_value_received_and_a_raise_stops_the_rest() -> None:
    pm = PluginManager("forms")
    pm.add_extension_points(Specs)
    for plugin in (Tax(), Loyalty()):
        pm.register(plugin, name=type(plugin).__name__.lower())
    text = times_stripped(trace_text(pm.hook.total.traced(amount=50.0, customer="Bob")))
    assert "loyalty (Loyalty.total)  received 50.0 → None (the value stays 50.0) T" in text
    assert "tax (Tax.total)  received 50.0 → 60.0 T" in text
    pm.register(Broken(), name="broken")  # registered last: runs before tax, after tryfirst loyalty
    trace = pm.hook.total.traced(amount=50.0, customer="Ada")
    text = times_stripped(trace_text(trace))
    assert "loyalty (Loyalty.total)  received 50.0 → 45.0 T" in text
    assert "broken (Broken.total)  received 45.0 raised LookupError: no tax rate T" in text
    assert "tax (Tax.total)  not called — broken raised" in text
    assert "result raised LookupError: no tax rate" in text
    page = trace_html(trace)
    assert page.count('class="nbplug-reason"') == 1 and "not called — broken raised" in page


def test_a_wrapper_that_raises_before_yield_says_nothing_inside_ran() -> None:
    class Gate:
        @ext(wrapper=True)
        def price(self, item: str) -> Iterator[None]:
            raise PermissionError("closed")
            yield

    pm = shop()
    pm.register(Gate(), name="gate")
    text = trace_text(pm.hook.price.traced(item="tea"))
    assert "gate (Gate.price)  wrapper  raised before yield: PermissionError: closed" in text
    assert "(nothing inside ran: the wrapper raised before its yield)" in text
    assert "result raised PermissionError: closed" in text


def test_names_are_not_repeated_when_the_function_already_says_the_plugin() -> None:
    assert step_label("Flatten", "Flatten.check") == "Flatten.check"
    assert step_label("flatten", "Flatten.check") == "flatten (Flatten.check)"
    pm = PluginManager("forms")
    pm.add_extension_points(Specs)
    pm.register(Flatten(), name="Flatten")
    text = trace_text(pm.hook.greet.traced(name="x"))
    assert "Flatten.greet  → " in text and "Flatten Flatten" not in text


def test_html_nests_escapes_and_keeps_times_on_one_line() -> None:
    pm = shop()
    pm.register(Flatten(), name=EVIL)
    page = call_view(pm.hook.price, item="tea").html()
    assert "<th" not in page and "<table" not in page  # no headers over ragged cells
    # wrappers are boxes: the extensions sit inside the inner wrapper's box
    assert re.search(r'nbplug-step-wrapper[^>]*data-depth="0".*nbplug-step-wrapper[^>]*data-depth="1"'
                     r'.*nbplug-step-extension[^>]*data-depth="2"', page)
    assert page.count('class="nbplug-moment nbplug-moment-before"') == 2
    assert page.count('class="nbplug-moment nbplug-moment-after"') == 2
    assert "received 2.0, returned 200" in page
    assert "not called — firstresult answered by sale" in page
    assert 'data-stream="stdout"' in page and "sale: looking up tea" in page
    times = re.findall(r'<span class="nbplug-time" style="([^"]*)">', page)
    assert times and all("white-space:nowrap" in style for style in times)
    assert all("column-gap:1.25em" in row for row in re.findall(r'class="nbplug-row" style="([^"]*)"', page))
    greet = trace_html(pm.hook.greet.traced(name=EVIL), timeline=True)
    assert "<img" not in greet and "&lt;img src=x" in greet


def test_html_colours_are_jupyterlab_theme_variables() -> None:
    page = call_view(shop().hook.price, item="tea", timeline=True).html()
    colours = re.findall(r"(?:color|background|border(?:-\w+)?):\s*([^;\"]+)", page)
    assert colours
    for value in colours:
        for hex_colour in re.findall(r"#[0-9a-fA-F]{3,6}", value):
            assert re.search(f", ?{hex_colour}\\)", value), value  # only as var(--jp-…, fallback)
    assert theme.TEXT in page and theme.MUTED in page
    assert theme.ERROR not in call_view(shop().hook.price, item="tea").html()
    failed = trace_html(CallTrace("x", "collecting", {}, [], exception=KeyError("k")))
    assert theme.ERROR in failed


def _hand_trace() -> CallTrace:
    """A 12 µs call: a wrapper with no code before yield, one quick extension."""
    inner = TraceStep("quick", "Quick.fetch", "impl", 4e-6, 7e-6, result="a")
    wrapper = TraceStep("timing", "Timing.fetch", "wrapper", 0.0, 12e-6, result=["a"],
                        setup_end=3e-6, teardown_start=9e-6, children=[inner])
    return CallTrace("fetch", "collecting", {"topic": "x"}, [wrapper], result=["a"], duration=12e-6)


def test_timeline_has_a_legend_an_axis_and_marks_for_moments_at_us_scale() -> None:
    page = trace_html(_hand_trace(), timeline=True)
    legend = page.split('class="nbplug-tl-legend"')[1]
    for words in ("before yield", "an extension ran", "raised", "after yield", "waiting at its yield"):
        assert words in legend
    ticks = re.findall(r'class="nbplug-tl-tick"[^>]*>([^<]*)<', page)
    assert ticks == ["0 µs", "5 µs", "10 µs"]
    # the wrapper's before and after are marks at their moments, not bars stretched by overhead
    assert 'class="nbplug-tl-mark nbplug-tl-before"' in page
    assert 'class="nbplug-tl-mark nbplug-tl-after"' in page
    assert 'class="nbplug-tl-before"' not in page
    # the extension's bar is exactly as long as it ran: 3 of 12 µs
    assert re.search(r'class="nbplug-tl-ran"[^>]*left:33\.333%;width:max\(25\.000%,2px\)', page)
    text = trace_text(_hand_trace(), timeline=True)
    events = text.split("timeline (µs since the call started):")[1].splitlines()[1:]
    assert [(e.split()[2], e.split()[-2]) for e in events] == [
        ("before", "timing"), ("ran", "quick"), ("after", "timing")]
    assert events[1].split()[0] == "4.0"


def test_a_slow_moment_is_drawn_as_a_bar() -> None:
    trace = _hand_trace()
    step = trace.steps[0]
    step.setup_end, step.teardown_start, step.end = 0.002, 0.0021, 0.0022
    step.children[0].start, step.children[0].end = 0.00201, 0.00209
    trace.duration = 0.0022
    page = trace_html(trace, timeline=True)
    assert 'class="nbplug-tl-before"' in page and "nbplug-tl-mark nbplug-tl-after" in page


@pytest.mark.parametrize(("total", "ticks"), [(12e-6, [0, 5e-6, 10e-6]), (0.3, [0, 0.1, 0.2, 0.3]),
                                              (0.09, [0, 0.02, 0.04, 0.06, 0.08]), (0.0, [0.0])])
def test_nice_ticks_are_round(total: float, ticks: list[float]) -> None:
    assert nice_ticks(total) == pytest.approx(ticks)


def test_why_this_order_is_shown_when_the_view_is_made_from_the_hook() -> None:
    page = call_view(shop().hook.price, item="tea").html()
    assert '<div class="nbplug-why"' in page and "sale moved up by tryfirst" in page
    assert "why this order" not in trace_text(shop().hook.price.traced(item="tea"))  # a bare trace


def test_a_plain_trace_record_without_the_newer_fields_still_renders() -> None:
    step = SimpleNamespace(  # what a recorder might keep: the contract's attributes only
        plugin_name="double", function="double", kind="impl", start=1e-6, end=2e-6, result=2.0,
        exception=None, setup_end=None, teardown_start=None, children=[], not_called=False,
    )
    record = SimpleNamespace(hook="total", mode="pipeline", kwargs={"amount": 1.0}, steps=[step],
                             result=2.0, exception=None, duration=1e-5)
    text = HookCallView(record).text()
    assert "double  received 1.0 → 2.0" in text
    assert build_call_model(record).extensions == 1


async def test_async_call_view_keeps_the_calls_output_and_leaves_a_background_tasks_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Slow:
        @ext
        async def greet(self, name: str) -> str:
            print(f"slow: greeting {name}")
            await asyncio.sleep(0.05)
            return f"hi {name}"

    class Timing:
        @ext(wrapper=True)
        async def greet(self, name: str) -> AsyncIterator[None]:
            print("timing: start")
            yield
            print("timing: end")

    pm = AsyncPluginManager("forms")
    pm.add_extension_points(Specs)
    pm.register(Slow(), name="slow")
    pm.register(Timing(), name="timing")

    async def chatter() -> None:
        for _ in range(20):
            print("background tick")
            await asyncio.sleep(0.005)

    background = asyncio.ensure_future(chatter())
    view = await call_view(pm.hook.greet, name="Ada")
    await background
    text = view.text()
    assert "background tick" not in text
    lines = [times_stripped(line).rstrip() for line in text.splitlines()[4:]]
    assert lines == [
        "  timing (Timing.greet)  wrapper T",
        "  ├ before yield T",
        "  │   print: timing: start",
        "  │ slow (Slow.greet)  → 'hi Ada' T",
        "  │   print: slow: greeting Ada",
        "  └ after yield: received ['hi Ada'], returned it unchanged T",
        "      print: timing: end",
    ]
    assert capsys.readouterr().out.count("background tick") == 20


def test_call_view_refuses_what_is_not_a_hook() -> None:
    with pytest.raises(TypeError, match=r"call_view needs a hook \(pm.hook.NAME"):
        call_view(print, item="x")


def test_a_wrappers_lines_before_and_after_its_yield_stay_apart() -> None:
    class Loud:
        @ext(wrapper=True)
        def price(self, item: str) -> Iterator[None]:
            print("loud: looking")
            result = yield
            print(f"loud: found {result}")
            return result

    pm = PluginManager("forms")
    pm.add_extension_points(Specs)
    pm.register(Catalogue(), name="catalogue")
    pm.register(Loud(), name="loud")
    (node,) = call_view(pm.hook.price, item="tea").model.nodes
    assert node.before is not None and node.after is not None
    assert [line.text for line in node.before.output] == ["loud: looking"]
    assert [line.text for line in node.after.output] == ["loud: found 3.0"]


def test_a_hook_with_no_extensions_says_so() -> None:
    trace = CallTrace("fetch", "firstresult", {}, [], result=None, duration=0.0)
    assert "(no extensions: nothing answers this hook yet)" in trace_text(trace)
    assert "(no extensions: nothing answers this hook yet)" in trace_html(trace)
    assert "0 extensions; result → None" in trace_text(trace)


def test_code_that_reaches_past_write_still_finds_the_real_streams_attributes() -> None:
    import sys

    seen: dict[str, object] = {}

    class Peek:
        @ext
        def greet(self, name: str) -> str:
            seen["buffer"] = sys.stdout.buffer
            seen["encoding"] = sys.stdout.encoding
            sys.stderr.write("to stderr\n")
            return name

    pm = PluginManager("forms")
    pm.add_extension_points(Specs)
    pm.register(Peek(), name="peek")
    original = sys.stdout
    (node,) = call_view(pm.hook.greet, name="x").model.nodes
    assert sys.stdout is original  # put back
    assert seen["buffer"] is getattr(original, "buffer", None) and seen["encoding"]
    assert [(line.stream, line.text) for line in node.output] == [("stderr", "to stderr")]


def test_the_readme_shows_what_call_view_prints_for_its_example() -> None:
    import contextlib
    import io
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = re.search(r"^## Example\n+```python\n(.*?)^```", readme, re.M | re.S)
    shown = re.search(r"^## Seeing a call\n.*?```python\n(.*?)^```\n+```text\n(.*?)^```", readme,
                      re.M | re.S)
    assert example and shown
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(example.group(1), "README.md", "exec"), namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(shown.group(1), "README.md", "exec"), namespace)

    def untimed(text: str) -> list[str]:
        return [re.sub(r"\s+(\d+(\.\d+)? (µs|ms)|…)$", "", line) for line in text.splitlines()]

    assert untimed(printed.getvalue()) == untimed(shown.group(2))
