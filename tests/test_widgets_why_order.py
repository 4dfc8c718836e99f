"""The call view's "why this order" line speaks of the call that ran: an extension that registers
a plugin during the call does not make the line name a plugin that never ran."""

from __future__ import annotations

import pytest
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell

from nbplug import PluginManager
from nbplug.widgets.callview.widget import order_reason
from tests.widgets_fixtures import shop_extension, shop_manager

__all__ = ["shell"]

class Late:
    @shop_extension(tryfirst=True)
    def price(self, item: str) -> float:
        return 0.0


class Plain:
    @shop_extension
    def price(self, item: str) -> float:
        return 1.0


def shop() -> PluginManager:
    class Recruiter:
        @shop_extension
        def price(self, item: str) -> float:
            pm.register(Late(), name="latecomer")  # joins during the call: it never runs in it
            return 2.0

    pm = shop_manager({"plain": Plain(), "recruiter": Recruiter()})
    return pm


def test_the_reason_read_with_the_trace_names_only_the_extensions_that_ran() -> None:
    pm = shop()
    trace = pm.hook.price.traced(item="tea")
    assert [s.plugin_name for s in trace.steps] == ["recruiter", "plain"]
    why = order_reason(pm.hook.price, trace)
    assert why is not None and "latecomer" not in why
    assert why == "recruiter, plain: registered last runs first"
    assert "latecomer" in (order_reason(pm.hook.price) or "")  # the hook as it is now


RECRUITER = """
class Latecomer:
    @extension(tryfirst=True)
    def fetch(self, topic):
        return "late"

class Recruiter:
    @extension
    def fetch(self, topic):
        from nbplug.ipython import get_session
        get_session().manager_for("feed").register(Latecomer(), name="latecomer")
        return "recruited"
"""


def test_the_hook_cells_why_line_is_the_order_the_call_ran_in(
    shell: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run(SPECS_AND_PLUGINS + RECRUITER)
    shell.run("%plugin add Specs Weather Recruiter")
    capsys.readouterr()
    assert shell.run("%%hook fetch\ntopic = 'x'\n") == ["recruited", "weather[x]"]
    why = [line for line in capsys.readouterr().out.splitlines() if "why this order" in line]
    assert why == ["  why this order: Recruiter, Weather: registered last runs first"]
