"""The exercises notebook and its checks: a right and a wrong answer to each exercise.

The checks (nbplug.widgets.exercises) are tested on small designs here, and the notebook in a real
kernel with each answer set put in place of the exercise cells (one kernel per set); its stored,
unsolved state runs with test_notebooks.py's other notebooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from exercise_answers import RIGHT, RIGHT_CLAIMS, WRONG, WRONG_CLAIMS
from test_notebooks import CELL_TIMEOUT, NOTEBOOK_DIR, load_runner

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug.lifespans import LifespanContext, lifespan
from nbplug.widgets.exercises import (
    Feedback,
    check_lifespans,
    check_order,
    check_stops_early,
    check_wrapper,
)

NOTEBOOK = NOTEBOOK_DIR / "06_exercises.ipynb"
point, extension = ExtensionPoint("exercise"), Extension("exercise")


class Spec:
    @point
    def greet(self, name: str) -> str:
        """Greet."""

    @point(firstresult=True)
    def price(self, item: str) -> float | None:
        """A price."""


def manager(*plugins: tuple[str, object]) -> PluginManager:
    pm = PluginManager("exercise")
    pm.add_extension_points(Spec)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return pm


class Plain:
    @extension
    def greet(self, name: str) -> str:
        return "plain"


class First:
    @extension(tryfirst=True)
    def greet(self, name: str) -> str:
        return "first"


def test_order_is_done_when_the_first_answers_first() -> None:
    done = check_order(manager(("first", First()), ("plain", Plain())).hook.greet,
                       first="first", then="plain", name="Ada")
    assert done.done and "first answered first (call order: first, plain)" in done.did
    assert "hint" not in done.words_text()
    wrong = check_order(manager(("plain", Plain()), ("first", First())).hook.greet,
                        first="plain", then="first", name="Ada")
    assert not wrong.done and "first answered first" in wrong.did and "tryfirst" in wrong.hint
    assert wrong.words_text().splitlines()[0] == "Exercise · ✗ not yet"


def test_order_says_who_did_not_answer() -> None:
    feedback = check_order(manager(("plain", Plain())).hook.greet, first="ghost", then="plain",
                           name="Ada")
    assert not feedback.done and feedback.did == "ghost did not answer this call (call order: plain)"


class Menu:
    @extension
    def price(self, item: str) -> float | None:
        return {"cake": 4.5}.get(item)


def wrapper(body: Any) -> object:
    class Tax:
        @extension(wrapper=True)
        def price(self, item: str) -> Any:
            result = yield
            return body(result)

    return Tax()


def test_wrapper_is_done_when_its_result_is_the_call_s() -> None:
    right = check_wrapper(manager(("menu", Menu()), ("tax", wrapper(lambda r: r * 1.2))).hook.price,
                          wrapper="tax", expected=5.4, item="cake")
    assert right.done, right.text()  # 5.3999999999999995 is 5.4
    unchanged = check_wrapper(manager(("menu", Menu()), ("tax", wrapper(lambda r: r))).hook.price,
                              wrapper="tax", expected=5.4, item="cake")
    assert not unchanged.done
    assert unchanged.did == "tax received 4.5, returned it unchanged; the call returned 4.5"
    missing = check_wrapper(manager(("menu", Menu())).hook.price, wrapper="tax", expected=5.4, item="cake")
    assert not missing.done and missing.did == "tax is not a wrapper of this call"


def test_the_wrapper_hints_name_the_section_of_notebook_5_that_has_one() -> None:
    import re

    import nbformat

    unchanged = check_wrapper(manager(("menu", Menu()), ("tax", wrapper(lambda r: r))).hook.price,
                              wrapper="tax", expected=5.4, item="cake")
    missing = check_wrapper(manager(("menu", Menu())).hook.price, wrapper="tax", expected=5.4, item="cake")
    nb = nbformat.read(NOTEBOOK_DIR / "05_how_pytests_plugins_work.ipynb", as_version=4)
    headings = {match[1]: match[2].replace("`", "") for cell in nb.cells if cell.cell_type == "markdown"
                for match in re.finditer(r"^## (\d\.\d+) (.+)$", cell.source, re.M)}
    for feedback in (unchanged, missing):
        named = re.search(r"notebook 5, (\d\.\d+) ([^)]+)\)", feedback.hint)
        assert named is not None, feedback.hint
        assert headings.get(named[1]) == named[2] == "A conftest.py plugin that changes a report"
    wrapped = next(cell.source for cell in nb.cells
                   if cell.cell_type == "code" and "@pytest.hookimpl(wrapper=True)" in cell.source)
    section = [c for c in nb.cells if c.cell_type == "markdown" and "## 5.4 " in c.source]
    assert section and nb.cells.index(section[0]) < [c.source for c in nb.cells].index(wrapped)


def test_a_raising_attempt_is_feedback_not_an_error() -> None:
    broken = check_wrapper(manager(("menu", Menu()), ("tax", wrapper(lambda r: r * "x"))).hook.price,
                           wrapper="tax", expected=5.4, item="cake")
    assert not broken.done and broken.did.startswith("the call raised TypeError: can't multiply")


class Card:
    @extension(tryfirst=True)
    def price(self, item: str) -> float | None:
        return 1.0


def test_stops_early_needs_firstresult_and_the_right_answer() -> None:
    right = check_stops_early(manager(("menu", Menu()), ("card", Card())).hook.price,
                              answers="card", skipped="menu", item="cake")
    assert right.done and "called: card; not called: menu; the call returned 1.0" in right.did
    wrong = check_stops_early(manager(("menu", Menu()), ("card", Card())).hook.price,
                              answers="menu", skipped="card", item="cake")
    assert not wrong.done and wrong.hint.startswith("the call stops at the first answer that is not "
                                                    "None: menu must be asked before card;")
    collecting = PluginManager("exercise")
    collecting.add_extension_points(Spec)  # greet is collecting: every extension is called
    collecting.register(Plain(), name="plain")
    collecting.register(First(), name="first")
    feedback = check_stops_early(collecting.hook.greet, answers="first", skipped="plain", name="Ada")
    assert not feedback.done and "is collecting; called: first, plain" in feedback.did
    assert "mode is an option" in feedback.hint


@lifespan
async def used(ctx: LifespanContext) -> Any:
    ctx.log.info("open")
    yield
    ctx.log.info("closed")


@lifespan(depends_on=("used",))
async def user(ctx: LifespanContext) -> Any:
    yield


@lifespan
async def careless(ctx: LifespanContext) -> Any:
    yield


async def test_lifespans_done_when_set_up_after_and_torn_down_before() -> None:
    right = await check_lifespans(user, used, needs=("user", "used"))
    assert right.done and right.did == "set up: used, user; torn down: user, used"
    assert right.happened == ("used: open", "used: closed")
    assert "used: open → used: closed" in right.text() and "lifespans: 2" in right.text()
    assert right.widget.children[1].value == right.shown.html()  # as it ended: no Stop buttons
    wrong = await check_lifespans(careless, used, needs=("careless", "used"))
    assert not wrong.done and wrong.did == "set up: careless, used; torn down: used, careless"


async def test_lifespans_that_cannot_start_are_told_why() -> None:
    feedback = await check_lifespans(user, needs=("user", "used"))
    assert not feedback.done and "did not start: LifespanDependencyError" in feedback.did


def test_feedback_forms_carry_the_same_words_escaped() -> None:
    feedback = Feedback("Exercise <1>", False, "a < b", "b > a", "try <b>")
    assert feedback.text() == feedback.words_text() == (
        "Exercise <1> · ✗ not yet\n  asked:       a < b\n  your design: b > a\n  hint:        try <b>")
    page = feedback.html()
    assert "Exercise &lt;1&gt;" in page and "try &lt;b&gt;" in page and "<b>" not in page.replace(
        "<b>Exercise", "").replace("<b style", "")
    assert [child.value for child in feedback.widget.children] == [feedback.words_html()]


def run_with(answers: dict[str, str], claims: dict[str, str]) -> Any:
    runner = load_runner()
    nb = runner.execute(NOTEBOOK, timeout=CELL_TIMEOUT, checks=claims, sources=answers)
    assert runner.errors(nb) == [], runner.transcript(nb)
    return nb


@pytest.mark.kernel
@pytest.mark.parametrize(("answers", "claims"), [(RIGHT, RIGHT_CLAIMS), (WRONG, WRONG_CLAIMS)],
                         ids=["right", "wrong"])
def test_the_exercises_notebook_answers(answers: dict[str, str], claims: dict[str, str]) -> None:
    nb = run_with(answers, claims)
    shown = [output.data["text/plain"] for cell in nb.cells if str(cell.get("id")).endswith("-check")
             for output in cell.outputs if output.output_type == "execute_result"]
    verdict = "✓ done" if answers is RIGHT else "✗ not yet"
    assert [text.splitlines()[0] for text in shown] == [f"Exercise {n} · {verdict}" for n in range(1, 5)]


def test_the_answers_replace_the_exercise_cells() -> None:
    import nbformat

    cells = {cell.get("id") for cell in nbformat.read(NOTEBOOK, as_version=4).cells}
    assert set(RIGHT) == set(WRONG) == {f"06-ex{n}" for n in range(1, 5)} <= cells
    assert Path(NOTEBOOK).exists()
