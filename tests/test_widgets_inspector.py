"""The manager inspector: extension points, call order, marks, plugins, pending; refresh; escaping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from nbplug.widgets import ManagerInspector
from tests.widgets_fixtures import EVIL


@dataclass
class Spec:
    name: str
    signature: str
    doc: str = ""


@dataclass
class Impl:
    plugin_name: str
    function: Any
    tryfirst: bool = False
    trylast: bool = False
    wrapper: bool = False
    optionalhook: bool = False
    is_async: bool = False


@dataclass
class Caller:
    name: str
    spec: Spec | None
    mode: str
    impls: list[Impl] = field(default_factory=list)

    def implementations(self) -> list[Impl]:
        return self.impls


@dataclass
class Manager:
    project_name: str
    hooks: list[Caller] = field(default_factory=list)
    plugins: list[tuple[str, object]] = field(default_factory=list)
    pending: list[Impl] = field(default_factory=list)

    def callers(self) -> list[Caller]:
        return self.hooks

    def list_name_plugin(self) -> list[tuple[str, object]]:
        return self.plugins

    def pending_implementations(self) -> list[Impl]:
        return self.pending


def fetch() -> None: ...


def manager() -> Manager:
    impls = [
        Impl("timing", fetch, wrapper=True),
        Impl("alpha", fetch, tryfirst=True, is_async=True),
        Impl("beta", fetch),
        Impl("omega", fetch, trylast=True),
    ]
    spec = Spec("fetch", "fetch(topic: str) -> str", "Fetch the news on a topic.")
    return Manager(
        "feed",
        [Caller("fetch", spec, "collecting", impls), Caller("tick", Spec("tick", "tick()"), "historic")],
        [("alpha", object()), ("beta", object())],
        [Impl("beta", fetch)],
    )


def test_text_lists_hooks_with_mode_impls_in_call_order_marks_plugins_and_pending() -> None:
    text = ManagerInspector([manager()]).text()
    assert text.splitlines()[0] == "project feed: 2 extension points, 2 plugins, 1 pending"
    assert "fetch(topic: str) -> str  [collecting]" in text
    assert "Fetch the news on a topic." in text
    order = [text.index(f"{n}. {p}") for n, p in ((1, "timing"), (2, "alpha"), (3, "beta"), (4, "omega"))]
    assert order == sorted(order)
    assert "1. timing  fetch  [wrapper]" in text
    assert "2. alpha  fetch  [tryfirst, async]" in text
    assert "4. omega  fetch  [trylast]" in text
    assert "tick()  [historic]" in text and "(no implementations)" in text
    assert "pending implementations" in text.split("plugins:")[1]


def test_html_escapes_plugin_names_docs_and_reprs() -> None:
    evil = Manager(
        EVIL,
        [Caller(EVIL, Spec(EVIL, EVIL, EVIL), "collecting", [Impl(EVIL, fetch)])],
        [(EVIL, EVIL)],
        [Impl(EVIL, fetch)],
    )
    page = ManagerInspector(evil).html()
    assert "<img" not in page and page.count("&lt;img src=x") >= 6


def test_accepts_a_mapping_and_refresh_picks_up_new_projects_and_plugins() -> None:
    managers = {"feed": manager()}
    view = ManagerInspector(managers)
    _ = view.widget
    pages = view.widget.children[1]
    assert len(pages.children) == 1 and "gamma" not in pages.children[0].value
    managers["feed"].plugins.append(("gamma", object()))
    managers["other"] = Manager("other")
    view.widget.children[0].children[0].click()  # the Refresh button
    assert len(pages.children) == 2
    assert "gamma" in pages.children[0].value and 'data-project="other"' in pages.children[1].value
    assert view._summary.value == "2 projects: feed, other"


def test_no_managers_yet_says_how_to_add_a_plugin() -> None:
    assert "%plugin add" in ManagerInspector([]).text()
    assert "%plugin add" in ManagerInspector({}).html()


def test_wrong_input_is_refused_with_what_would_be_right() -> None:
    with pytest.raises(TypeError, match="needs plugin managers"):
        ManagerInspector([object()])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="a manager, a list of managers or a"):
        ManagerInspector(42)  # type: ignore[arg-type]
