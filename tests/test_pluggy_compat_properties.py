"""Property tests against pluggy 1.7: random plugin sets mixing legacy wrappers (``hookwrapper=True``)
with new-style ones, and calls that leave out an argument of the spec — same log, result, error,
order and warnings on nbplug's PluginManager as on pluggy's."""

from __future__ import annotations

from typing import Any

import pluggy
from compat_fixtures import recorded_warnings
from hypothesis import given, settings
from hypothesis import strategies as st
from kit_fixtures import HOOKS, PROJECT, apply_to_manager, nb_mark, operations, outcome

from nbplug import AsyncPluginManager, ExtensionPoint, PluginManager

SETTINGS = settings(max_examples=80, deadline=None)
MODES = st.sampled_from(["collecting", "firstresult"])

extension_point = ExtensionPoint(PROJECT)
pluggy_spec = pluggy.HookspecMarker(PROJECT)
pluggy_impl = pluggy.HookimplMarker(PROJECT)


class SpecsY:
    """The property hooks with a third argument ``y``, which calls may leave out."""

    @staticmethod
    @extension_point
    def collect(x: int, log: list[str], y: int) -> list[object]:
        """Collect every non-None value."""

    @staticmethod
    @extension_point(firstresult=True)
    def first(x: int, log: list[str], y: int) -> object:
        """The first non-None value."""


class PluggySpecsY:
    @staticmethod
    @pluggy_spec
    def collect(x: int, log: list[str], y: int) -> list[object]: ...

    @staticmethod
    @pluggy_spec(firstresult=True)
    def first(x: int, log: list[str], y: int) -> object: ...


def pluggy_mark(**flags: bool) -> Any:
    return pluggy_impl(**flags)


def managers(ops: list[tuple[str, Any]], hook: str) -> tuple[PluginManager, pluggy.PluginManager]:
    ours = PluginManager(PROJECT)
    ours.add_extension_points(SpecsY)
    apply_to_manager(ours, ops, hook, mark=nb_mark)
    theirs = pluggy.PluginManager(PROJECT)
    theirs.add_hookspecs(PluggySpecsY)
    apply_to_manager(theirs, ops, hook, mark=pluggy_mark)
    return ours, theirs


def observe(caller: Any, kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """(log, result, error type name, error message, warnings' first lines) of one call."""
    log: list[str] = []
    with recorded_warnings() as seen:
        result, error = outcome(lambda: caller(log=log, **kwargs))
    lines = [str(w.message).splitlines()[:3] for w in seen]
    return log, result, error, lines


def same(ours: tuple[Any, ...], theirs: tuple[Any, ...]) -> None:
    """nbplug's outcome is pluggy's: equal log and result, the same error type with pluggy's
    message inside nbplug's, and each warning's text containing pluggy's."""
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    if theirs[2] is None:
        assert ours[2] is None
    else:
        assert ours[2] is not None and ours[2][0].__name__ == theirs[2][0].__name__
        assert theirs[2][1] in ours[2][1]
    assert len(ours[3]) == len(theirs[3])
    for our_lines, their_lines in zip(ours[3], theirs[3], strict=True):
        if their_lines[0].startswith("A plugin raised"):  # the legacy teardown warning: verbatim
            assert our_lines == their_lines
        else:
            assert their_lines[0] in our_lines[0]


@SETTINGS
@given(ops=operations(allow_replace=False, legacy=True), mode=MODES, x=st.integers(0, 5))
def test_legacy_and_new_style_wrappers_match_pluggy(ops: list[tuple[str, Any]], mode: str,
                                                    x: int) -> None:
    hook = HOOKS[mode]
    ours, theirs = managers(ops, hook)
    same(observe(getattr(ours.hook, hook), {"x": x, "y": 1}),
         observe(getattr(theirs.hook, hook), {"x": x, "y": 1}))
    assert [(i.plugin_name, i.hookwrapper, i.wrapper) for i in getattr(ours.hook, hook).get_hookimpls()
            ] == [(i.plugin_name, i.hookwrapper, i.wrapper)
                  for i in getattr(theirs.hook, hook).get_hookimpls()]


@SETTINGS
@given(ops=operations(allow_replace=False, legacy=True, needy=True), mode=MODES,
       x=st.integers(0, 5), leave_out_y=st.booleans())
def test_calls_with_missing_arguments_match_pluggy(ops: list[tuple[str, Any]], mode: str, x: int,
                                                   leave_out_y: bool) -> None:
    hook = HOOKS[mode]
    ours, theirs = managers(ops, hook)
    kwargs = {"x": x} if leave_out_y else {"x": x, "y": 2}
    same(observe(getattr(ours.hook, hook), kwargs), observe(getattr(theirs.hook, hook), kwargs))
    # the traced interpreter agrees with the compiled call
    log: list[str] = []
    with recorded_warnings():
        trace = getattr(ours.hook, hook).traced(log=log, **kwargs)
        compiled = observe(getattr(ours.hook, hook), kwargs)
    error = None if trace.exception is None else (type(trace.exception), str(trace.exception))
    assert (log, trace.result, error) == compiled[:3]


@SETTINGS
@given(ops=operations(allow_replace=False, legacy=True, needy=True), mode=MODES,
       x=st.integers(0, 5), leave_out_y=st.booleans())
async def test_async_manager_matches_pluggy_on_sync_plugins(ops: list[tuple[str, Any]], mode: str,
                                                            x: int, leave_out_y: bool) -> None:
    hook = HOOKS[mode]
    _, theirs = managers(ops, hook)
    apm = AsyncPluginManager(PROJECT)
    apm.add_extension_points(SpecsY)
    apply_to_manager(apm, ops, hook, mark=nb_mark)
    kwargs = {"x": x} if leave_out_y else {"x": x, "y": 2}
    log: list[str] = []
    with recorded_warnings() as seen:
        try:
            result, error = await getattr(apm.hook, hook)(log=log, **kwargs), None
        except Exception as exc:
            result, error = None, (type(exc), str(exc))
    ours = (log, result, error, [str(w.message).splitlines()[:3] for w in seen])
    same(ours, observe(getattr(theirs.hook, hook), kwargs))
