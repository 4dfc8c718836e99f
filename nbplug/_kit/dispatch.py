"""``Dispatch``: what a caller needs from its manager to run a call — awaiting or not, the monitors.

A manager makes one :class:`Dispatch` and hands it to every caller it creates, the way pluggy hands
its callers the manager's ``_hookexec``. The caller asks it to turn a frozen plan into the function
that performs calls (compiled, and wrapped by the monitors if there are any) and to run historic
calls under the monitors. Decision: the caller holds this small object, never the manager; the
manager changes the monitors here and then tells its callers to forget their compiled calls.
Rejected: the caller reaching into its manager (``caller._manager._install(caller)``), and the
manager patching the caller's class from outside.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from .calls import compile_plan
from .plan import CallPlan, check_arguments
from .records import HookImpl
from .result import Result

BeforeMonitor = Callable[[str, Sequence[HookImpl], dict[str, Any]], None]
AfterMonitor = Callable[[Result, str, Sequence[HookImpl], dict[str, Any]], None]
Call = Callable[[dict[str, Any]], Any]


class Dispatch:
    """How one manager's calls run: ``awaiting`` (async manager) and the hook-call monitors."""

    __slots__ = ("awaiting", "monitors")

    def __init__(self, awaiting: bool) -> None:
        self.awaiting = awaiting
        #: (before, after) pairs, in the order they were added
        self.monitors: list[tuple[BeforeMonitor, AfterMonitor]] = []

    def method(self, plan: CallPlan) -> Callable[..., Any] | None:
        """``plan`` compiled as a caller's own ``__call__``, or None while monitors watch calls
        (a monitored call goes through :meth:`call`)."""
        if self.monitors:
            return None
        return compile_plan(plan, self.awaiting, as_method=True)

    def call(self, plan: CallPlan, interpreted: bool = False) -> Call:
        """``call(kwargs)`` for ``plan``: the compiled call (``interpreted``: run step by step,
        for a plan whose extensions ask for more than the hook's arguments), seen by every
        monitor."""
        if plan.mode == "historic" or not self.monitors:
            return self._compiled(plan, interpreted)
        # Compiled at the first call, once every monitor's ``before`` has seen it: a monitor may
        # give an extension another function there (the recorder's stand-in for an extension
        # registered while it records), which a plan compiled earlier would not call.
        inner: list[Call] = []

        def compiled_at_first_call(kwargs: dict[str, Any]) -> Any:
            __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
            call = inner[0] = self._compiled(plan, interpreted)
            return call(kwargs)

        inner.append(compiled_at_first_call)
        impls = plan.hookimpls()
        for before, after in self.monitors:
            inner = [(self._amonitored if self.awaiting else self._monitored)(
                inner, before, after, plan.name, impls)]
        return inner[0]

    def _compiled(self, plan: CallPlan, interpreted: bool) -> Call:
        return self._interpreted(plan) if interpreted else compile_plan(plan, self.awaiting)

    def _interpreted(self, plan: CallPlan) -> Call:
        from .interpret import call_async, call_sync

        run = call_async if self.awaiting else call_sync
        return lambda kwargs: run(plan, check_arguments(plan, kwargs))

    @staticmethod
    def _monitored(inner: list[Call], before: BeforeMonitor, after: AfterMonitor, name: str,
                   impls: list[HookImpl]) -> Call:
        """``inner[0]`` seen by one monitor (read at each call: it is compiled at the first)."""
        def monitored(kwargs: dict[str, Any]) -> Any:
            __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
            before(name, impls, kwargs)
            outcome = Result.from_call(functools.partial(inner[0], kwargs))
            after(outcome, name, impls, kwargs)
            return outcome.get_result()

        return monitored

    @staticmethod
    def _amonitored(inner: list[Call], before: BeforeMonitor, after: AfterMonitor, name: str,
                    impls: list[HookImpl]) -> Call:
        async def monitored(kwargs: dict[str, Any]) -> Any:
            __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
            before(name, impls, kwargs)
            try:
                outcome = Result(await inner[0](kwargs), None)
            except BaseException as exc:
                outcome = Result(None, exc)
            after(outcome, name, impls, kwargs)
            return outcome.get_result()

        return monitored

    def run_historic(self, plan: CallPlan, kw: dict[str, Any], impls: Sequence[HookImpl]) -> list[Any]:
        """Call plain extensions for a historic call or its replay, seen by any monitors
        (as in pluggy: the replay's monitors see only the newly registered extension)."""
        from .interpret import call_plain_sync

        def call() -> list[Any]:
            return call_plain_sync(plan, kw, impls)

        seen = list(impls[::-1])
        for before, after in self.monitors:
            call = _monitoring(call, before, after, plan.name, seen, kw)
        return call()

    def __repr__(self) -> str:
        return f"<Dispatch awaiting={self.awaiting} monitors={len(self.monitors)}>"


def _monitoring(call: Callable[[], list[Any]], before: BeforeMonitor, after: AfterMonitor,
                name: str, impls: list[HookImpl], kw: dict[str, Any]) -> Callable[[], list[Any]]:
    """``call`` with ``before(name, impls, kw)`` ahead and ``after(outcome, ...)`` behind it."""

    def monitored() -> list[Any]:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        before(name, impls, kw)
        outcome = Result.from_call(call)
        after(outcome, name, impls, kw)
        result: list[Any] = outcome.get_result()
        return result

    return monitored
