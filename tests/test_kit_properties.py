"""Property tests: call order and results of random plugin sets against a reference model, against
pluggy 1.7 itself, and traced calls against compiled calls."""

from __future__ import annotations

from typing import Any

import pluggy
from hypothesis import given, settings
from hypothesis import strategies as st
from kit_fixtures import (
    HOOKS,
    PROJECT,
    Model,
    PluggySpecs,
    Specs,
    apply_to_manager,
    operations,
    outcome,
    pluggy_impl,
)

from nbplug import PluginManager

SETTINGS = settings(max_examples=60, deadline=None)
MODES = st.sampled_from(sorted(HOOKS))
X = st.integers(0, 5)

def pluggy_mark(**flags: bool) -> Any:
    return pluggy_impl(**flags)


def nbplug_manager(ops: list[tuple[str, Any]], hook: str) -> PluginManager:
    pm = PluginManager(PROJECT)
    pm.add_extension_points(Specs)
    apply_to_manager(pm, ops, hook)
    return pm


def run(caller: Any, x: int) -> tuple[list[str], object, tuple[type, str] | None]:
    log: list[str] = []
    result, error = outcome(lambda: caller(x=x, log=log))
    return log, result, error


@SETTINGS
@given(ops=operations(), mode=MODES, x=X)
def test_call_matches_reference_model(ops: list[tuple[str, Any]], mode: str, x: int) -> None:
    hook = HOOKS[mode]
    model = Model()
    for op in ops:
        model.apply(op)
    pm = nbplug_manager(ops, hook)
    assert run(getattr(pm.hook, hook), x) == model.expect(mode, x)
    expected_order = [e.name for e in model.ordered(True) + model.ordered(False)]
    assert [i.plugin_name for i in getattr(pm.hook, hook).implementations()] == expected_order


@SETTINGS
@given(ops=operations(allow_replace=False), mode=st.sampled_from(["collecting", "firstresult"]),
       x=X)
def test_call_matches_pluggy(ops: list[tuple[str, Any]], mode: str, x: int) -> None:
    hook = HOOKS[mode]
    ours = nbplug_manager(ops, hook)
    theirs = pluggy.PluginManager(PROJECT)
    theirs.add_hookspecs(PluggySpecs)
    apply_to_manager(theirs, ops, hook, mark=pluggy_mark)
    assert run(getattr(ours.hook, hook), x) == run(getattr(theirs.hook, hook), x)
    assert [i.plugin_name for i in getattr(ours.hook, hook).get_hookimpls()] == [
        i.plugin_name for i in getattr(theirs.hook, hook).get_hookimpls()]


@SETTINGS
@given(ops=operations(), mode=MODES, x=X)
def test_traced_equals_compiled(ops: list[tuple[str, Any]], mode: str, x: int) -> None:
    hook = HOOKS[mode]
    caller = getattr(nbplug_manager(ops, hook).hook, hook)
    compiled = run(caller, x)
    log: list[str] = []
    trace = caller.traced(x=x, log=log)
    error = None if trace.exception is None else (type(trace.exception), str(trace.exception))
    assert (log, trace.result, error) == compiled
    # every implementation is listed in call order; those called are exactly those that logged
    impls = trace.implementations()
    assert [s.plugin_name for s in impls] == [i.plugin_name for i in caller.implementations()
                                              if not i.wrapper]
    assert [s.plugin_name for s in impls if not s.not_called] == [
        entry for entry in log if not entry.endswith(("<", ">"))]
    wrappers = [s for _, s in trace.walk() if s.kind == "wrapper"]
    assert [s.plugin_name for s in wrappers] == [i.plugin_name for i in caller.implementations()
                                                 if i.wrapper]
    assert all(s.duration >= 0 for _, s in trace.walk())
