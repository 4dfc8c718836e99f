"""``AsyncPluginManager``: the same registry, with hook calls awaited one implementation at a time."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import HookCallError
from .hooks import HookCaller
from .manager import AfterMonitor, BeforeMonitor, PluginManagerBase
from .result import Result

if TYPE_CHECKING:
    from .tracing import CallTrace


class AsyncHookCaller(HookCaller):
    """A caller whose calls are coroutines: ``await caller(**kwargs)``."""

    def call_historic(self, kwargs: dict[str, Any] | None = None,
                      result_callback: Callable[[Any], Any] | None = None) -> None:
        """Not supported: replaying to later plugins would have to await inside ``register``."""
        raise self._direct_historic_call_error()

    def _direct_historic_call_error(self) -> Exception:
        """On the async manager a historic hook cannot be called at all: say why."""
        return NotImplementedError(
            f"hook {self.name!r}: historic calls are not supported by AsyncPluginManager, "
            "because replaying a call to a plugin registered later would have to await during "
            "register(); use the synchronous PluginManager for historic hooks"
        )

    async def traced(self, *args: Any, **kwargs: Any) -> CallTrace:
        """Await the hook and return a CallTrace of every step (never raises for impl errors)."""
        if args:
            raise self._positional_error(args)
        from .interpret import traced_async

        self._refuse_historic()
        return await traced_async(self, self._normalize(kwargs))

    async def call_concurrently(self, **kwargs: Any) -> list[Any]:
        """Opt-in: run a collecting hook's implementations concurrently (asyncio.gather).

        Results keep call order. Wrappers still wrap the whole call. Only collecting hooks:
        firstresult and pipeline are defined by running one implementation after another.
        """
        self._refuse_historic()
        if self.mode != "collecting":
            raise HookCallError(
                f"hook {self.name!r} is a {self.mode} hook; only collecting hooks can run their "
                f"implementations concurrently — await pm.hook.{self.name}(...) instead"
            )
        from .interpret import traced_async

        trace = await traced_async(self, self._normalize(kwargs), concurrent=True)
        result: list[Any] = trace.get_result()
        return result

    def _refuse_historic(self) -> None:
        if self.is_historic():
            raise self._direct_historic_call_error()


class AsyncPluginManager(PluginManagerBase):
    """The async manager: ``await pm.hook.name(**kwargs)``; sync and async extensions mix freely.

    Wrappers may be async generators (they observe the result and exceptions but cannot replace
    them) or generators (which can transform the result, as in the synchronous manager).
    """

    _caller_class = AsyncHookCaller
    _awaiting = True

    def _check_kind(self, impl: Any) -> None:
        function = impl.function
        is_gen = inspect.isgeneratorfunction(function)
        is_agen = inspect.isasyncgenfunction(function)
        if impl.opts.wrapper and not (is_gen or is_agen):
            raise self._impl_error(impl, None, "is marked wrapper=True but is neither an async "
                                   "generator nor a generator function; a wrapper sets up, "
                                   "yields once, then tears down")
        if not impl.opts.wrapper and (is_gen or is_agen):
            raise self._impl_error(impl, None, "is a generator function but not marked "
                                   "wrapper=True; mark it @extension(wrapper=True) or return the "
                                   "result instead of yielding it")

    def _monitored(self, caller: HookCaller, call: Callable[[dict[str, Any]], Any],
                   before: BeforeMonitor, after: AfterMonitor) -> Callable[[dict[str, Any]], Any]:
        async def monitored(kwargs: dict[str, Any]) -> Any:
            impls = caller.get_hookimpls()
            before(caller.name, impls, kwargs)
            try:
                outcome = Result(await call(kwargs), None)
            except BaseException as exc:
                outcome = Result(None, exc)
            after(outcome, caller.name, impls, kwargs)
            return outcome.get_result()

        return monitored
