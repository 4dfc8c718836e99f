"""``HookCaller`` calls one hook; ``HookRelay`` (``pm.hook``) holds each hook's caller by name.

A caller holds its hook's extensions in registration order and, once called, a frozen
:class:`~nbplug._kit.plan.CallPlan` and the function compiled for it. It is given a
:class:`~nbplug._kit.dispatch.Dispatch` by its manager (awaiting or not, the monitors) and never holds
the manager. The registry changes a caller only through its methods (``add_implementations``,
``remove_implementations``, ``set_spec``, ``forget_compiled``); each change only marks the plan
stale, and the first call after it makes the new plan and compiles it — so registering fifty
plugins compiles nothing, and a hook nobody calls is never compiled.

Decision: a caller that has been called becomes an instance of a class of its own, and the caller
itself installs the compiled function as that class's ``__call__``: ``pm.hook.name(**kw)`` then
runs the generated code directly, with no Python call in between (the difference between 1x and
2x a hand-written loop at one extension). Only this module does that, on its own callers.
Rejected: a generic ``__call__`` that forwards to the compiled function (one more call per hook
call); the manager patching the caller's class from outside (the caller alone knows when its plan
changes); making every caller's own class when the caller is made (measured: start-up with 100
hooks 6% slower, unregistering them all 1.7x as slow, since a class is dear to make and to free).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .dispatch import Dispatch
from .errors import HookCallError
from .markers import ImplOptions
from .plan import CallPlan, check_arguments, historic_call_error, positional_error
from .records import HookImpl, HookSpec

if TYPE_CHECKING:
    import weakref


class HookCaller:
    """Calls one hook: ``caller(**kwargs)``. Holds the extensions and a compiled call plan."""

    #: True on a caller's class of its own, whose ``__call__`` is the compiled plan
    _own_class = False

    def __init__(self, name: str, dispatch: Dispatch, spec: HookSpec | None = None,
                 leave_out: Iterable[object] = ()) -> None:
        self.name = name
        self.spec = spec
        self._dispatch = dispatch
        self._impls: list[HookImpl] = []
        self._plan: CallPlan | None = None
        self._history: list[tuple[dict[str, Any], Callable[[Any], Any] | None]] = []
        self._subsets: weakref.WeakSet[HookCaller] | None = None
        #: A subset caller leaves these plugins out (held, so that their ids cannot be reused).
        self._removed_plugins: list[object] = list(leave_out)
        #: A subset caller's origin: historic calls made through the subset are the origin's.
        self._origin: HookCaller | None = None
        self._call: Callable[[dict[str, Any]], Any] = self._compile_and_call

    # -- what it holds ---------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """``collecting`` (no spec too), ``firstresult``, ``pipeline`` or ``historic``."""
        return self.spec.opts.mode if self.spec is not None else "collecting"

    def has_spec(self) -> bool:
        """Whether an extension point has been added for this hook."""
        return self.spec is not None

    def is_historic(self) -> bool:
        """Whether calls are remembered and replayed to later registrations."""
        return self.spec is not None and self.spec.opts.historic

    def plan(self) -> CallPlan:
        """The hook's call as it stands: made on first use after a change, then kept."""
        plan = self._plan
        if plan is None:
            plan = self._plan = CallPlan(self.name, self.spec, self._impls)
        return plan

    def implementations(self) -> list[HookImpl]:
        """The extensions in call order: wrappers outermost first, then plain ones."""
        return self.plan().implementations()

    def get_hookimpls(self) -> list[HookImpl]:
        """pluggy's order (the reverse of call order, plain extensions before wrappers)."""
        return self.plan().hookimpls()

    def argnames(self) -> tuple[str, ...]:
        """The arguments a call takes: the spec's, or (with no spec) what extensions ask for."""
        return self.plan().argnames

    # -- changes (made by the registry) ----------------------------------------------------
    def add_implementations(self, impls: Iterable[HookImpl]) -> None:
        """Add extensions (already validated by the registry)."""
        self._impls.extend(impls)
        self.forget_compiled()

    def remove_implementations(self, impls: Iterable[HookImpl]) -> None:
        """Remove these extensions (the same objects) if present."""
        held = self._impls
        for impl in impls:  # usually one: list.remove finds it by identity, in C
            try:  # noqa: SIM105 -- contextlib.suppress per removal doubled unregister's time
                held.remove(impl)
            except ValueError:  # not held: nothing to remove
                pass
        self.forget_compiled()

    def set_spec(self, spec: HookSpec) -> None:
        """Give the hook its extension point (or a replacement for it)."""
        self.spec = spec
        self.forget_compiled()

    def registered(self) -> list[HookImpl]:
        """The extensions in the order they were registered."""
        return list(self._impls)

    def has_implementations(self) -> bool:
        """Whether any plugin implements this hook."""
        return bool(self._impls)

    def forget_compiled(self) -> None:
        """Forget the plan and the compiled call; the next call makes and compiles new ones.

        Also called by the manager when its monitors change. Subset callers follow.
        """
        self._plan = None
        self._call = self._compile_and_call
        own = type(self)
        if own._own_class and "__call__" in own.__dict__:
            delattr(own, "__call__")
        if self._subsets:
            for subset in list(self._subsets):
                subset._follow(self)

    def _follow(self, origin: HookCaller) -> None:
        removed = {id(p) for p in self._removed_plugins}
        self.spec = origin.spec
        self._impls = [i for i in origin._impls if id(i.plugin) not in removed]
        self.forget_compiled()

    def subset(self, leave_out: Iterable[object]) -> HookCaller:
        """A caller of the same hook that leaves out the given plugins' extensions and
        follows this one's later changes."""
        public = next(k for k in type(self).__mro__ if not k.__dict__.get("_own_class"))
        subset: HookCaller = public(self.name, self._dispatch, self.spec, leave_out)
        subset._origin = self
        subset._follow(self)
        if self._subsets is None:
            import weakref  # only subsets need it: import nbplug does not load it

            self._subsets = weakref.WeakSet()
        self._subsets.add(subset)
        return subset

    def _compile_and_call(self, kwargs: dict[str, Any]) -> Any:
        """The first call after a change: make the plan, compile it, then call."""
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        plan = self.plan()
        method = self._dispatch.method(plan)
        if method is None:
            self._call = self._dispatch.call(plan)
        else:
            own = type(self)
            if not own._own_class:
                own = type(own.__name__, (own,), {"_own_class": True, "__module__": own.__module__,
                                                  "__qualname__": own.__qualname__})
                # Python looks __call__ up on the type: a class of its own is the only way in
                self.__class__ = own
            own.__call__ = method  # type: ignore[method-assign]

            def call(kw: dict[str, Any]) -> Any:
                __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
                return method(self, **kw)

            self._call = call
        return self._call(kwargs)

    # -- arguments -------------------------------------------------------------------------
    def normalize(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Check a call's keyword arguments; fill the spec's defaults. Raises HookCallError."""
        return check_arguments(self.plan(), kwargs)

    def positional_error(self, args: tuple[Any, ...]) -> HookCallError:
        """The error for a call given positional arguments."""
        return positional_error(self.plan(), args)

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        if args:
            raise self.positional_error(args)
        return self._call(kwargs)

    def call_historic(self, result_callback: Callable[[Any], Any] | None = None,
                      kwargs: Mapping[str, Any] | None = None) -> None:
        """Call the current extensions and remember the call to replay to later plugins.

        pluggy's signature: ``call_historic(result_callback, kwargs)``, by position or keyword.
        A historic call made through a subset caller is remembered by the hook itself, so that
        plugins registered later get it, as in pluggy.
        """
        if result_callback is not None and not callable(result_callback):
            raise TypeError(
                f"call_historic(result_callback, kwargs): result_callback must be callable or None, "
                f"got {type(result_callback).__name__}; pass the arguments as "
                f"pm.hook.{self.name}.call_historic(kwargs={{...}}, result_callback=...)"
            )
        if kwargs is not None and not isinstance(kwargs, Mapping):
            raise TypeError(f"call_historic(result_callback, kwargs): kwargs must be a mapping of "
                            f"argument names to values, got {type(kwargs).__name__}")
        if not self.is_historic():
            raise HookCallError(
                f"hook {self.name!r} is not historic; call it directly: "
                f"pm.hook.{self.name}(**kwargs) (or mark its extension point historic=True)"
            )
        plan = self.plan()
        kw = check_arguments(plan, dict(kwargs or {}))
        (self._origin or self)._history.append((kw, result_callback))
        results = self._dispatch.run_historic(plan, kw, plan.plain)
        if result_callback is not None:
            for value in results:
                result_callback(value)

    def call_extra(self, methods: Sequence[Callable[..., Any]], kwargs: Mapping[str, Any]) -> Any:
        """Call the hook with ``methods`` taking part this once, as plain extensions run
        right after the tryfirst ones (later methods first), as pluggy does."""
        if self.is_historic():
            raise self.historic_call_error()
        plan = self.plan()
        extra_seq = itertools.count(max((i.seq for i in self._impls), default=0) + 1)
        temporary = [HookImpl(None, "<temp>", method, _EXTRA, self.name, next(extra_seq))
                     for method in methods]
        extended = CallPlan(self.name, self.spec, [*self._impls, *temporary])
        asks_more = any(a not in plan.argnames for impl in temporary for a in impl.argnames)
        return self._dispatch.call(extended, interpreted=asks_more)(dict(kwargs))

    def replay_history(self, impl: HookImpl) -> None:
        """Give a newly registered extension every historic call made so far."""
        plan = self.plan()
        for kw, callback in self._history:
            results = self._dispatch.run_historic(plan, kw, [impl])
            if results and callback is not None:
                callback(results[0])

    def historic_call_error(self) -> Exception:
        """The error for calling this (historic) hook directly."""
        return historic_call_error(self.name, self._dispatch.awaiting)

    def traced(self, *args: Any, **kwargs: Any) -> Any:
        """Call the hook and return a CallTrace of every step (never raises for impl errors)."""
        if args:
            raise self.positional_error(args)
        from .interpret import traced_sync

        plan = self.plan()
        return traced_sync(plan, check_arguments(plan, kwargs))

    def __iter__(self) -> Iterator[HookImpl]:
        return iter(self.implementations())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} mode={self.mode} impls={len(self._impls)}>"


_EXTRA = ImplOptions()  # the options of call_extra's methods: plain, no ordering flags


class HookRelay:
    """``pm.hook``: each hook's caller as an attribute; a helpful error for unknown names."""

    def __getattr__(self, name: str) -> HookCaller:
        if name.startswith("__"):
            raise AttributeError(name)
        from .suggest import did_you_mean, quoted_list  # only when the error is written

        known = [k for k in vars(self) if not k.startswith("_")]
        raise AttributeError(
            f"no hook named {name!r}{did_you_mean(name, known)}; known hooks: {quoted_list(known)}"
        )

    def __iter__(self) -> Iterator[HookCaller]:
        return iter([v for v in vars(self).values() if isinstance(v, HookCaller)])
