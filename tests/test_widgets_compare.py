"""Comparisons as views: two calls, two designs, two timelines -- what differs marked and named,
the same content in the text and the HTML forms, user names escaped."""

from __future__ import annotations

import asyncio

import pytest

from nbplug.widgets import CallComparison, DesignComparison, TimelineComparison, traced_concurrently
from tests.compare_fixtures import designs, slow_feed
from tests.widgets_fixtures import EVIL, shop_extension, shop_manager

LABELS = ("design A", "design B")


def tea_traces() -> tuple[object, object]:
    a, b = designs()
    return (a.caller("price").traced(item="tea", customer="Ada"),
            b.caller("price").traced(amount=0.0, item="tea", customer="Ada"))


def test_two_calls_name_what_differs_in_mode_order_and_who_answered() -> None:
    view = CallComparison(*tea_traces(), labels=LABELS)
    rows = {row.plugin: row for row in view.diff.rows}
    assert list(rows) == ["members", "price_list"]
    assert rows["members"].left.position == 1 and rows["members"].right.position == 2
    assert set(rows["price_list"].differs) >= {"order", "answered"}
    assert rows["price_list"].left.status == "not called" and rows["price_list"].right.answered
    summary = "\n".join(view.diff.summary)
    assert "mode: firstresult in design A, pipeline in design B" in summary
    assert "price_list runs 2nd in design A, 1st in design B" in summary
    assert "who answered: members in design A; members, price_list in design B" in summary
    assert "result:" not in summary  # both give Ada 2.7
    for form in (view.text(), view.html()):
        assert "design A" in form and "design B" in form
        assert "who answered" in form and "≠" in form
        assert "not called — firstresult answered by members" in form


def test_the_same_call_twice_differs_in_nothing() -> None:
    a, _ = designs()
    first = a.caller("price").traced(item="tea", customer="Bob")
    second = a.caller("price").traced(item="tea", customer="Bob")
    view = CallComparison(first, second)
    assert view.diff.same and all(not row.differs for row in view.diff.rows)
    assert "nothing differs" in view.text() and "nothing differs" in view.html()


def test_an_error_in_one_call_is_a_differing_result() -> None:
    a, _ = designs()
    ok = a.caller("price").traced(item="tea", customer="Bob")
    failed = a.caller("price").traced(item="pie", customer="Bob")
    view = CallComparison(ok, failed, labels=("tea", "pie"))
    assert any(line.startswith("result: → 3.0 in tea; raised KeyError") for line in view.diff.summary)


def test_the_html_shares_its_width_and_shows_both_call_views_labelled() -> None:
    html = CallComparison(*tea_traces(), labels=LABELS).html()
    assert "table-layout:fixed;width:100%" in html and "overflow-wrap:anywhere" in html
    assert html.count('class="nbplug-callview"') == 2
    assert html.count('class="nbplug-compare-label"') >= 4  # over the table and over each view
    assert "flex-wrap:wrap" in html  # narrower than two columns: one under the other


def test_two_designs_hook_by_hook() -> None:
    a, b = designs()
    view = DesignComparison(a, b, labels=LABELS)
    (price,) = view.diff.hooks
    assert price.differs == ("mode", "order", "marks")
    assert "price: price_list is trylast in design A, tryfirst in design B" in view.diff.summary
    text = view.text()
    assert "firstresult: 1. members  2. price_list [trylast]" in text
    assert "pipeline: 1. price_list [tryfirst]  2. members" in text
    assert "price_list is trylast in design A" in view.html()
    assert DesignComparison(a, b).diff.labels == ("design_a", "design_b")  # the projects by default


def test_a_hook_in_one_design_only_is_named() -> None:
    a, _ = designs()
    view = DesignComparison(a, slow_feed())
    assert [(h.name, h.differs) for h in view.diff.hooks] == [
        ("price", ("missing",)), ("fetch", ("missing",))]
    assert view.diff.summary == ("price: only in design_a", "fetch: only in feed")
    assert "(no such hook)" in view.text()


def test_user_names_are_escaped_in_both_comparisons() -> None:
    class Evil:
        @shop_extension
        def price(self, item: str) -> float:
            return 1.0

    plain, evil = shop_manager({"fine": Evil()}), shop_manager({EVIL + "\u202e": Evil()})
    calls = CallComparison(plain.caller("price").traced(item="x"), evil.caller("price").traced(item="x"),
                           labels=(EVIL, "\u202eB"))
    design = DesignComparison(plain, evil, labels=(EVIL, "b"))
    for html in (calls.html(), design.html()):
        assert "<img" not in html and "\u202e" not in html
    for text in (calls.text(), design.text()):
        assert "\u202e" not in text and "\\u202e" in text


def test_sequential_and_concurrent_calls_on_one_time_axis() -> None:
    async def both() -> tuple[object, object]:
        pm = slow_feed()
        return await pm.hook.fetch.traced(topic="x"), await traced_concurrently(pm.hook.fetch, topic="x")

    sequential, concurrent = asyncio.run(both())
    assert concurrent.result == sequential.result == ["c", "b", "a"]  # type: ignore[attr-defined]
    view = TimelineComparison(sequential, concurrent, labels=("one at a time", "concurrently"))
    one, together = view.lanes
    assert not one.overlapping and together.overlapping
    assert together.duration < one.duration / 2
    text = view.text()
    assert "one at a time: fetch(topic='x')" in text and "extensions overlapped" in text
    bars = [line for line in text.splitlines() if "█" in line]
    assert len(bars) == 6
    starts = [line.index("█") for line in bars]
    assert starts[0] < starts[1] < starts[2]  # one after the other
    assert starts[3] == starts[4] == starts[5] == starts[0]  # all at once, on the same scale
    html = view.html()
    assert html.count('class="nbplug-lane-bar nbplug-lane-extension"') == 6
    assert html.count('class="nbplug-lane"') == 2 and "one at a time" in html


def test_traced_concurrently_refuses_what_call_concurrently_refuses() -> None:
    a, _ = designs()
    with pytest.raises(TypeError, match="AsyncPluginManager"):
        asyncio.run(traced_concurrently(a.hook.price, item="tea"))
    with pytest.raises(TypeError, match="call views"):
        CallComparison(object(), object())
