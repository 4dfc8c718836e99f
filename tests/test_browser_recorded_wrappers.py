"""A recorded pluggy call's view in JupyterLab (Debian's Chromium, 1400 px, light and dark theme):
each wrapper box holds exactly what it wrapped.

Two recordings, both of pluggy managers nbplug did not build: pytest's ``pytest_runtest_makereport``
(its wrappers plus a conftest.py wrapper, as notebook 05 records it) and the shop design of
tests/test_widgets_recorded_calls.py (new-style and legacy wrappers, a firstresult answer, an
extension that raises). What the boxes
must hold comes from pluggy itself, not from nbplug: the kernel prints each hook's
``get_hookimpls()`` in call order (pluggy runs them last to first), and a wrapper wraps every
implementation called after it. The page must show that tree as nested ``.nbplug-step`` elements
and, in its geometry, each inner box inside its wrapper's rectangle, indented, between the wrapper's
"before yield" and "after yield" lines; every text at WCAG AA in both themes. Screenshots:
``recorded-{light,dark}-callview-N.png`` in the run's screenshot folder.

Rejected: taking the expected nesting from the recording (``call.steps``) -- the test would then
check nbplug against itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.browser.contrast import AA, measure
from tests.browser.jlab import PANEL, chromium_page, open_and_run_all
from tests.browser.lab import Lab, lab_for_test
from tests.browser.shots import screenshot_dir, shoot_views
from tests.browser.themes import LIGHT, THEMES, switch_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CALLVIEW = ".nbplug-callview:not(.nbplug-callview .nbplug-callview)"

#: Each hook's implementations in pluggy's call order, as (plugin name, is a wrapper), printed as
#: one JSON line after ``EXPECTED``.
ORDER = '''\
import json

def pluggy_order(pm, hook):
    impls = reversed(getattr(pm.hook, hook).get_hookimpls())  # pluggy calls the last one first
    return [(pm.get_name(i.plugin), bool(i.wrapper or i.hookwrapper)) for i in impls]
'''

PYTEST = '''\
import pathlib, tempfile, textwrap
from nbplug.recording.pytest_run import run_pytest
from nbplug.widgets import RecordingView

folder = pathlib.Path(tempfile.mkdtemp(prefix="nbplug-recorded-"))
(folder / "test_shop.py").write_text("def test_total():\\n    assert 3.0 + 4.5 == 7.5\\n")
(folder / "conftest.py").write_text(textwrap.dedent("""
    import pytest

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(item, call):
        report = yield
        return report
"""))
run = run_pytest([str(folder)], ["-q"],
                 read_design=lambda pm: pluggy_order(pm, "pytest_runtest_makereport"))
assert run.passed, run.output
print("EXPECTED", json.dumps(run.design))
made = next(c for c in run.recording.find(hook="pytest_runtest_makereport")
            if "when='call'" in c.kwargs["call"])
RecordingView(run.recording).call_view(made.index)
'''

#: The shop design of tests/test_widgets_recorded_calls.py on a pluggy manager, two calls recorded.
SHOP = f'''\
import sys
sys.path.insert(0, {str(ROOT)!r})
import pluggy
from nbplug import record
from tests.test_widgets_recorded_calls import build

shop = build(pluggy.PluginManager("shop"))
with record(shop) as bought:
    shop.hook.price(item="tea")
    shop.hook.labels(item="ghost")
print("EXPECTED", json.dumps(pluggy_order(shop, "price")))
print("EXPECTED", json.dumps(pluggy_order(shop, "labels")))
shop_view = RecordingView(bought)
'''

SHOW = ["shop_view.call_view(bought.calls[0].index)", "shop_view.call_view(bought.calls[1].index)"]

#: The view's steps as a tree: [plugin, kind, children] -- read from the DOM nesting alone.
TREE_JS = """view => {
    const tree = step => [
        step.dataset.label.replace(/ \\([^()]*\\)$/, ''),
        step.classList.contains('nbplug-step-wrapper') ? 'wrapper' : 'extension',
        [...step.querySelectorAll(':scope > .nbplug-wrapped > .nbplug-step')].map(tree),
    ];
    return [...view.querySelectorAll('.nbplug-steps > .nbplug-step')].map(tree);
}"""

#: Where each wrapper's box fails to hold what it wrapped, as words (empty: every box holds it).
GEOMETRY_JS = """view => {
    const problems = [];
    const box = e => e.getBoundingClientRect();
    for (const wrapper of view.querySelectorAll('.nbplug-step-wrapper')) {
        const name = wrapper.dataset.label;
        const outer = box(wrapper.querySelector(':scope > .nbplug-wrapped'));
        const own = box(wrapper.querySelector(':scope > .nbplug-row .nbplug-name'));
        const before = wrapper.querySelector(':scope > .nbplug-wrapped > .nbplug-moment-before');
        const after = wrapper.querySelector(':scope > .nbplug-wrapped > .nbplug-moment-after');
        const inner = [...wrapper.querySelectorAll(':scope > .nbplug-wrapped > .nbplug-step')];
        if (!before || !after) problems.push(`${name}: no before/after yield line`);
        for (const step of inner) {
            const r = box(step), label = step.dataset.label;
            if (r.left < outer.left + 8 || r.right > outer.right + 1 || r.top < outer.top - 1
                || r.bottom > outer.bottom + 1)
                problems.push(`${label} sticks out of ${name}'s box: ${JSON.stringify([r, outer])}`);
            if (box(step.querySelector(':scope > .nbplug-row .nbplug-name')).left < own.left + 10)
                problems.push(`${label} is not indented under ${name}`);
            if (before && r.top < box(before).bottom - 1)
                problems.push(`${label} above ${name}'s before yield`);
            if (after && r.bottom > box(after).top + 1)
                problems.push(`${label} below ${name}'s after yield`);
        }
    }
    return problems;
}"""


def expected_tree(order: list[tuple[str, bool]]) -> list[Any]:
    """pluggy's call order as boxes: a wrapper holds everything called after it."""
    if not order:
        return []
    (plugin, wrapper), rest = order[0], order[1:]
    if wrapper:
        return [[plugin, "wrapper", expected_tree(rest)]]
    return [[plugin, "extension", []], *expected_tree(rest)]


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in (ORDER, PYTEST, SHOP, *SHOW)]
    nbformat.write(nb, str(tmp_path / "recorded.ipynb"))
    (tmp_path / "lab").mkdir()
    with lab_for_test(tmp_path / "lab", [tmp_path / "recorded.ipynb"]) as server:
        yield server


def cell_views(page: Any) -> list[Any]:
    """The notebook's call views, one per cell that shows one, in cell order (each brought into
    view first: the notebook draws outputs as they are reached)."""
    cells = page.locator(f"{PANEL} .jp-CodeCell")
    found = []
    for index in range(cells.count()):
        cells.nth(index).scroll_into_view_if_needed()
        view = cells.nth(index).locator(CALLVIEW)
        if view.count():
            found.append(view.first)
    return found


def expected_orders(page: Any) -> list[list[tuple[str, bool]]]:
    """The orders the kernel printed, read cell by cell, each brought into view first: JupyterLab
    drops the outputs of cells scrolled out of view, so a read of the whole page finds none."""
    cells = page.locator(f"{PANEL} .jp-CodeCell")
    printed: list[str] = []
    for index in range(cells.count()):
        cells.nth(index).scroll_into_view_if_needed()
        printed += cells.nth(index).locator(".jp-OutputArea-output").all_inner_texts()
    lines = [line for text in printed for line in text.splitlines() if line.startswith("EXPECTED ")]
    return [[(name, wrapper) for name, wrapper in json.loads(line.removeprefix("EXPECTED "))]
            for line in lines]


def test_each_recorded_wrapper_box_holds_what_it_wrapped(lab: Lab) -> None:
    shots = screenshot_dir()
    try:
        with chromium_page() as (page, errors):
            open_and_run_all(page, lab, "recorded.ipynb", shots=shots, timeout=180)
            views = cell_views(page)
            orders = expected_orders(page)
            assert len(views) == len(orders) == 3, (len(views), orders)
            pytest_order = [plugin for plugin, _ in orders[0]]
            assert {"runner", "skipping"} <= set(pytest_order), pytest_order
            assert any(name.endswith("conftest.py") for name in pytest_order), pytest_order
            for view, order in zip(views, orders, strict=True):
                view.scroll_into_view_if_needed()
                assert view.evaluate(TREE_JS) == expected_tree(order)
                assert view.evaluate(GEOMETRY_JS) == []
            # pluggy's order as this test reads it: the shop's price is outer > doubler > sale,
            # catalogue, never (not called: firstresult); its labels outer > doubler > gate > ...
            assert expected_tree(orders[1]) == [["outer", "wrapper", [["doubler", "wrapper", [
                ["sale", "extension", []], ["catalogue", "extension", []],
                ["never", "extension", []]]]]]]
            assert expected_tree(orders[2])[0][2][0][2][0][:2] == ["gate", "wrapper"]
            for theme in THEMES:
                switch_theme(page, theme)
                tag = theme.split()[-1].lower()
                low = [f"{tag}: {m}" for m in measure(page, f"{PANEL} {CALLVIEW}") if m.ratio < AA]
                assert not low, "\n".join(low)
                for view in views:  # the geometry holds in either theme
                    assert view.evaluate(GEOMETRY_JS) == []
                written = shoot_views(page, shots, f"recorded-{tag}", selector=f"{PANEL} {CALLVIEW}")
                assert len(written) == 3
            switch_theme(page, LIGHT)
            assert not errors, errors
    finally:
        lab.shutdown_kernels()
