"""Every HTML form escapes control, bidi and zero-width characters, as the text forms do.

U+202E (right-to-left override) reorders what the reader sees after it: a plugin named
``"evil\\u202egnp.exe"`` reads as ``evilexe.png``; U+200B (zero width space) makes two names that
look the same differ. The HTML forms write them as escapes (``\\u202e``), so a reader sees them.
"""

from __future__ import annotations

import pytest

from nbplug import PluginManager
from nbplug.widgets import HookCallView, LifespanBoard, ManagerInspector, call_view
from nbplug.widgets.board.text import BoardRow, TeardownStep, board_html
from tests.widgets_fixtures import Phase, ScriptedGroup, part, parts, shop_extension, shop_manager

BIDI = "sale\u202egnp.exe"
ZERO_WIDTH = "ta\u200bx"
RAW = ("\u202e", "\u200b")

class Plain:
    @shop_extension
    def price(self, item: str) -> float:
        return 1.0


class Marked:
    @shop_extension(tryfirst=True)
    def price(self, item: str) -> float | None:
        return None


def shop() -> PluginManager:
    return shop_manager({BIDI: Plain(), ZERO_WIDTH: Marked()})


def assert_escaped(page: str) -> None:
    assert not any(char in page for char in RAW), "a raw bidi or zero-width character in the HTML"
    assert "\\u202e" in page and "\\u200b" in page


def test_the_call_views_why_this_order_line_and_steps_escape_bidi_and_zero_width() -> None:
    view = call_view(shop().hook.price, item="tea")
    assert isinstance(view, HookCallView)
    why = view.html().split('class="nbplug-why"')[1].split("</div>")[0]
    assert_escaped(why)
    assert_escaped(view.html())
    assert_escaped(HookCallView(view.trace, timeline=True).html())


def test_the_design_maps_html_escapes_names() -> None:
    assert_escaped(ManagerInspector(shop()).html())


@pytest.mark.parametrize("where", ["row", "teardown"])
def test_the_boards_html_escapes_names(where: str) -> None:
    rows = [BoardRow(BIDI if where == "row" else "a", "running", 1.0, (ZERO_WIDTH,), None)]
    steps = [TeardownStep(BIDI, "stopped", ZERO_WIDTH)] if where == "teardown" else []
    page = board_html(rows, steps)
    if where == "teardown":
        assert not any(char in page for char in RAW) and "\\u202e" in page
    else:
        assert_escaped(page)


def test_the_live_boards_row_escapes_its_name() -> None:
    group = ScriptedGroup(lambda: 0.0)
    board = LifespanBoard(group)
    _ = board.widget
    group.start(BIDI)
    group.log(BIDI, ZERO_WIDTH)
    group.set_phase(BIDI, Phase.FAILED, RuntimeError(ZERO_WIDTH))
    board.refresh()
    row = parts(board.widget, "nbplug-board-row")[0]
    assert_escaped(part(row, "nbplug-row-name").value + part(row, "nbplug-row-log").value)
    assert_escaped(part(board.widget, "nbplug-board-teardown").value)
    board.close()
