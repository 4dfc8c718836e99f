"""The exercises' checks: each makes the student's design do its job, then says what it did.

A check calls the hook (or runs the lifespans) of the attempt itself, reads the call's trace (or
the group's phase changes), and returns a :class:`~.feedback.Feedback` over the call view (or the
board) of that run. The words are made from what happened -- the call order, who answered, who was
not called, what a wrapper received and returned, which lifespan was set up and torn down when --
so a wrong answer is told what its design did, not only that it is wrong. A check never raises for
the attempt's sake: an error in the student's code becomes feedback too.

Rejected: comparing the student's source with a solution (many right answers look different), and
checks that trust a student's own log lines (the trace and the group's events cannot be mistyped).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Sequence
from typing import Any

from ..._base.safetext import error_text, safe_repr
from ...lifespans import LifespanGroup
from ..base.shapes import walk_steps
from ..board.widget import LifespanBoard
from ..callview.capture import call_view
from ..callview.widget import HookCallView
from .feedback import Feedback

__all__ = ["check_lifespans", "check_order", "check_stops_early", "check_wrapper"]


def _call(hook: Callable[..., Any], kwargs: dict[str, Any]) -> HookCallView:
    view = call_view(hook, **kwargs)
    if not isinstance(view, HookCallView):  # an async manager's hook: its view is awaited
        raise TypeError("the exercises' checks call a PluginManager's hooks (not an async one's)")
    return view


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "nobody"


def _ran(view: HookCallView) -> list[str]:
    """The plain extensions of the call that ran, by plugin name, in call order."""
    return [step.plugin_name for _, step in walk_steps(view.trace.steps)
            if step.kind == "impl" and not step.not_called]


def _failed(view: HookCallView) -> str | None:
    """What the call raised, in words, or None."""
    error = view.trace.exception
    return None if error is None else f"the call raised {error_text(error)}"


def check_order(hook: Callable[..., Any], first: str, then: str, *, exercise: str = "Exercise",
                **kwargs: Any) -> Feedback:
    """Call ``hook(**kwargs)``: did plugin ``first``'s extension run before ``then``'s?"""
    view = _call(hook, kwargs)
    asked = f"{first} answers before {then}"
    ran = _ran(view)
    missing = [name for name in (first, then) if name not in ran]
    hint = ("a plain extension runs by its marks first (tryfirst, none, trylast), and only then "
            "by registration (the plugin registered last runs first)")
    if error := _failed(view):
        return Feedback(exercise, False, asked, error, hint, view)
    if missing:
        did = f"{_names(missing)} did not answer this call (call order: {_names(ran)})"
        return Feedback(exercise, False, asked, did, f"register both plugins; {hint}", view)
    done = ran.index(first) < ran.index(then)
    did = f"{ran[0]} answered first (call order: {_names(ran)})"
    if view.model.why:
        did += f"; why: {view.model.why}"
    return Feedback(exercise, done, asked, did, hint, view)


#: The section of notebook 5 where a real wrapper (a conftest.py plugin's) changes a result.
WRAPPER_SECTION = "5.4 A conftest.py plugin that changes a report"


def check_wrapper(hook: Callable[..., Any], wrapper: str, expected: object, *,
                  exercise: str = "Exercise", **kwargs: Any) -> Feedback:
    """Call ``hook(**kwargs)``: did wrapper ``wrapper`` make the call return ``expected``?"""
    view = _call(hook, kwargs)
    asked = f"the call returns {safe_repr(expected)}, changed by the wrapper {wrapper}"
    hint = ("what a wrapper returns after its `result = yield` becomes the call's result (notebook 1, "
            f"Wrappers; pytest's own reports changed so in notebook 5, {WRAPPER_SECTION})")
    if error := _failed(view):
        return Feedback(exercise, False, asked, error, hint, view)
    node = next((n for _, n in view.model.walk() if n.kind == "wrapper"
                 and n.label.split()[0] == wrapper), None)
    if node is None:
        did = f"{wrapper} is not a wrapper of this call"
        return Feedback(exercise, False, asked, did, "mark its extension wrapper=True, and "
                        f"register the plugin (one that is: notebook 5, {WRAPPER_SECTION})", view)
    result = view.trace.result
    after = node.after.words if node.after is not None else "ran"
    did = f"{wrapper} {after}; the call returned {safe_repr(result)}"
    return Feedback(exercise, _same(result, expected), asked, did, hint, view)


def _same(result: object, expected: object) -> bool:
    """Equal, or (for floats) equal up to rounding: ``4.5 * 1.2`` is 5.4 to a student."""
    if isinstance(result, float) and isinstance(expected, float):
        return math.isclose(result, expected, rel_tol=1e-9)
    return result == expected


def check_stops_early(hook: Callable[..., Any], answers: str, skipped: str, *,
                      exercise: str = "Exercise", **kwargs: Any) -> Feedback:
    """Call ``hook(**kwargs)``: did ``answers`` give the result, ``skipped`` never being called?"""
    view = _call(hook, kwargs)
    trace = view.trace
    asked = f"{answers} answers and the call stops there: {skipped} is not called"
    hint = ("an extension point's mode is an option where it is declared (notebook 1, Mode 2): "
            "one mode stops at the first answer that is not None")
    if error := _failed(view):
        return Feedback(exercise, False, asked, error, hint, view)
    ran = _ran(view)
    if trace.mode == "firstresult" and ran[-1:] != [answers]:
        hint = (f"the call stops at the first answer that is not None: {answers} must be asked "
                f"before {_names(ran)}; the order of calls decides who is asked first")
    not_called = [s.plugin_name for _, s in walk_steps(trace.steps) if s.not_called]
    did = f"the extension point is {trace.mode}; called: {_names(ran)}"
    if not_called:
        did += f"; not called: {_names(not_called)}"
    did += f"; the call returned {safe_repr(trace.result)}"
    done = trace.mode == "firstresult" and skipped in not_called and ran[-1:] == [answers]
    return Feedback(exercise, done, asked, did, hint, view)


async def check_lifespans(*lifespans: Callable[..., Any], needs: tuple[str, str],
                          exercise: str = "Exercise", run_for: float = 0.05) -> Feedback:
    """Run ``lifespans`` in a new group (added in the order given), then stop it.

    ``needs = (user, used)``: asked that ``used`` is set up before ``user`` and torn down after
    it. The feedback shows the group's board of that run.
    """
    user, used = needs
    group = LifespanGroup(log_level=logging.INFO)  # their info lines tell the story
    board = LifespanBoard(group)
    events: list[tuple[str, str]] = []
    logged: list[str] = []

    def follow(event: Any) -> None:
        if event.kind == "phase":
            events.append((event.name, event.phase.value))
        else:  # a log line, named by its lifespan unless it names itself
            named = event.message.startswith(event.name)
            logged.append(event.message if named else f"{event.name}: {event.message}")

    group.subscribe(follow)
    asked = f"{used} is set up before {user} and torn down after it ({user} needs {used})"
    hint = "a lifespan names the lifespans it needs where it is declared: look at @lifespan's options"
    try:
        for function in lifespans:
            group.add(function)
        await group.start()
        await asyncio.sleep(run_for)
    except Exception as error:  # the attempt's error is the feedback, not a crash
        did = f"the lifespans did not start: {error_text(error)}"
        return Feedback(exercise, False, asked, did, hint, board, tuple(logged), live=False)
    finally:
        await group.stop()
    set_up = [name for name, phase in events if phase == "setting up"]
    torn_down = [name for name, phase in events if phase in ("stopped", "failed")]
    did = f"set up: {_names(set_up)}; torn down: {_names(torn_down)}"
    done = set_up == [used, user] and torn_down == [user, used]
    return Feedback(exercise, done, asked, did, hint, board, tuple(logged), live=False)
