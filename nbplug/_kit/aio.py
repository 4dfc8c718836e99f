"""``AsyncPluginManager``: the same registry, with hook calls awaited one extension at a time.

The async manager differs from the synchronous one only in what its callers are given (a
:class:`~nbplug._kit.dispatch.Dispatch` that awaits) and in which kinds of function its extensions may
be; registration, validation and order are the registry's.

Decision: extensions run one at a time, in call order, so firstresult and pipeline mean what
they mean in the synchronous manager; concurrency is the clearly named opt-in
``call_concurrently``. Rejected: gathering extensions by default (order and short-circuiting
would then mean something else on each manager).

Loaded lazily (``nbplug.AsyncPluginManager`` through the package's ``__getattr__``): a program
using only ``PluginManager`` never needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import HookCallError
from .hooks import HookCaller
from .records import HookImpl
from .registry import PluginManagerBase
from .validation import async_kind_problem

if TYPE_CHECKING:
    from .tracing import CallTrace


class AsyncHookCaller(HookCaller):
    """A caller whose calls are coroutines: ``await caller(**kwargs)``."""

    def call_historic(self, result_callback: Callable[[Any], Any] | None = None,
                      kwargs: Mapping[str, Any] | None = None) -> None:
        """Not supported: replaying to later plugins would have to await inside ``register``."""
        raise self.historic_call_error()

    async def traced(self, *args: Any, **kwargs: Any) -> CallTrace:
        """Await the hook and return a CallTrace of every step (never raises for impl errors)."""
        if args:
            raise self.positional_error(args)
        from .interpret import traced_async

        self._refuse_historic()
        plan = self.plan()
        return await traced_async(plan, self.normalize(kwargs))

    async def call_concurrently(self, **kwargs: Any) -> list[Any]:
        """Opt-in: run a collecting hook's extensions concurrently (asyncio.gather).

        Results keep call order. Wrappers still wrap the whole call. Only collecting hooks:
        firstresult and pipeline are defined by running one extension after another.
        """
        self._refuse_historic()
        if self.mode != "collecting":
            raise HookCallError(
                f"hook {self.name!r} is a {self.mode} hook; only collecting hooks can run their "
                f"extensions concurrently — await pm.hook.{self.name}(...) instead"
            )
        from .interpret import traced_async

        trace = await traced_async(self.plan(), self.normalize(kwargs), concurrent=True)
        result: list[Any] = trace.get_result()
        return result

    def _refuse_historic(self) -> None:
        if self.is_historic():
            raise self.historic_call_error()


class AsyncPluginManager(PluginManagerBase):
    """The async manager: ``await pm.hook.name(**kwargs)``; sync and async extensions mix freely.

    Wrappers may be async generators (they observe the result and exceptions but cannot replace
    them) or generators (which can transform the result, as in the synchronous manager).
    """

    _caller_class = AsyncHookCaller
    _awaiting = True

    def _check_kind(self, impl: HookImpl) -> None:
        problem = async_kind_problem(impl)
        if problem is not None:
            raise self._impl_error(impl, None, problem)
