"""Hook specifications, implementations and the caller that holds a hook's implementations in order."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ._suggest import did_you_mean, quoted_list
from .errors import HookCallError
from .markers import ImplOptions, SpecOptions
from .result import Result

if TYPE_CHECKING:
    from .manager import PluginManagerBase

_EMPTY = inspect.Parameter.empty
_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _drops_self(function: Callable[..., Any], params: list[inspect.Parameter]) -> bool:
    """pluggy's rule: a function defined in a class whose first parameter is self/cls is a method."""
    if inspect.ismethod(function) or not params:
        return False
    qualname = getattr(function, "__qualname__", "")
    return "." in qualname and params[0].name in ("self", "cls") and "<locals>" not in qualname.split(
        "."
    )[-2:-1]


def parameters(function: Callable[..., Any]) -> list[inspect.Parameter]:
    """The parameters a hook passes to ``function`` (self/cls of an unbound method left out)."""
    try:
        params = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return []
    if _drops_self(function, params):
        params = params[1:]
    return params


class _Source(str):
    """An annotation kept as source text (``from __future__ import annotations``): shown unquoted."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _unquoted(annotation: Any) -> Any:
    return _Source(annotation) if isinstance(annotation, str) else annotation


def signature_text(name: str, function: Callable[..., Any]) -> str:
    """``name(arg: type, ...) -> ret`` without self, for error messages and views.

    String annotations (postponed evaluation) are shown as written, not quoted.
    """
    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):
        return f"{name}(...)"
    params = [p.replace(annotation=_unquoted(p.annotation)) for p in parameters(function)]
    return f"{name}{sig.replace(parameters=params, return_annotation=_unquoted(sig.return_annotation))}"


def qualname(function: Callable[..., Any]) -> str:
    """A readable dotted name of a function or bound method."""
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", None)
    return name if isinstance(name, str) else repr(function)


class HookSpec:
    """An extension point: the hook's name, arguments, defaults and mode."""

    __slots__ = ("argnames", "defaults", "doc", "function", "name", "namespace", "opts", "signature")

    def __init__(self, namespace: object, name: str, function: Callable[..., Any],
                 opts: SpecOptions) -> None:
        params = parameters(function)
        bad = [p.name for p in params if p.kind in _VARIADIC]
        if bad:
            raise ValueError(
                f"extension point {name!r} declares *{bad[0]}; an extension point lists its "
                f"arguments by name: {signature_text(name, function)}"
            )
        self.namespace = namespace
        self.name = name
        self.function = function
        self.opts = opts
        self.argnames: tuple[str, ...] = tuple(p.name for p in params)
        self.defaults: dict[str, Any] = {p.name: p.default for p in params if p.default is not _EMPTY}
        self.signature = signature_text(name, function)
        doc = inspect.getdoc(function) or ""
        self.doc = doc.strip().splitlines()[0] if doc.strip() else ""
        if opts.pipeline and not self.argnames:
            raise ValueError(
                f"pipeline extension point {name!r} needs at least one argument: the first one is "
                f"the value threaded through the implementations ({self.signature})"
            )

    def __repr__(self) -> str:
        return f"<HookSpec {self.signature} mode={self.opts.mode}>"


class HookImpl:
    """One plugin's implementation of a hook, with its options and the arguments it asks for."""

    __slots__ = ("argnames", "function", "hook_name", "is_async", "opts", "plugin", "plugin_name",
                 "seq")

    def __init__(self, plugin: object, plugin_name: str, function: Callable[..., Any],
                 opts: ImplOptions, hook_name: str, seq: int = 0) -> None:
        self.plugin = plugin
        self.plugin_name = plugin_name
        self.function = function
        self.opts = opts
        self.hook_name = hook_name
        self.seq = seq
        params = parameters(function)
        self.argnames: tuple[str, ...] = tuple(
            p.name for p in params if p.default is _EMPTY and p.kind not in _VARIADIC
        )
        self.is_async = inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)

    tryfirst = property(lambda self: self.opts.tryfirst, doc="Runs before ordinary implementations.")
    trylast = property(lambda self: self.opts.trylast, doc="Runs after ordinary implementations.")
    wrapper = property(lambda self: self.opts.wrapper, doc="Wraps the plain implementations.")
    optionalhook = property(lambda self: self.opts.optionalhook,
                            doc="Needs no extension point to be registered.")

    @property
    def signature(self) -> str:
        """The implementation's signature as text (self left out)."""
        return signature_text(qualname(self.function), self.function)

    def __repr__(self) -> str:
        flags = [n for n in ("wrapper", "tryfirst", "trylast") if getattr(self.opts, n)]
        extra = f" [{', '.join(flags)}]" if flags else ""
        return f"<HookImpl {self.plugin_name}.{self.hook_name}{extra}>"


def call_order(impls: list[HookImpl]) -> list[HookImpl]:
    """pluggy's order: tryfirst, then ordinary, then trylast.

    Later registrations run first among tryfirst and among ordinary implementations, but last
    among trylast ones (pluggy inserts each trylast implementation at the very end of the call).
    """
    by_seq = sorted(impls, key=lambda impl: impl.seq, reverse=True)
    return ([i for i in by_seq if i.opts.tryfirst]
            + [i for i in by_seq if not (i.opts.tryfirst or i.opts.trylast)]
            + [i for i in reversed(by_seq) if i.opts.trylast])


class HookCaller:
    """Calls one hook: ``caller(**kwargs)``. Holds the implementations and a compiled call plan."""

    def __init__(self, name: str, manager: PluginManagerBase, spec: HookSpec | None = None) -> None:
        self.name = name
        self.spec = spec
        self._manager = manager
        self._impls: list[HookImpl] = []
        self._wrappers: list[HookImpl] = []
        self._plain: list[HookImpl] = []
        self._history: list[tuple[dict[str, Any], Callable[[Any], Any] | None]] = []
        self._subsets: weakref.WeakSet[HookCaller] = weakref.WeakSet()
        #: A subset caller leaves these plugins out (held, so that their ids cannot be reused).
        self._removed_plugins: list[object] = []
        self._call: Callable[[dict[str, Any]], Any] = self._build_and_call

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

    def implementations(self) -> list[HookImpl]:
        """The implementations in call order: wrappers outermost first, then plain ones."""
        return [*self._wrappers, *self._plain]

    def get_hookimpls(self) -> list[HookImpl]:
        """pluggy's order (the reverse of call order, plain implementations before wrappers)."""
        return [*self._plain[::-1], *self._wrappers[::-1]]

    def argnames(self) -> tuple[str, ...]:
        """The arguments a call takes: the spec's, or (with no spec) what implementations ask for."""
        if self.spec is not None:
            return self.spec.argnames
        seen: dict[str, None] = {}
        for impl in self._impls:
            seen.update(dict.fromkeys(impl.argnames))
        return tuple(seen)

    def _set_impls(self, impls: list[HookImpl]) -> None:
        self._impls = impls
        self._wrappers = call_order([i for i in impls if i.opts.wrapper])
        self._plain = call_order([i for i in impls if not i.opts.wrapper])
        self._changed()

    def _changed(self) -> None:
        """Forget the compiled plan; the next call compiles a new one."""
        self._call = self._build_and_call
        own = type(self).__dict__
        if own.get("_nbplug_own_class") and "__call__" in own:
            delattr(type(self), "__call__")
        for subset in list(self._subsets):
            subset._copy_from(self)

    def _copy_from(self, origin: HookCaller) -> None:
        removed = {id(p) for p in self._removed_plugins}
        self.spec = origin.spec
        self._set_impls([i for i in origin._impls if id(i.plugin) not in removed])

    def _build_and_call(self, kwargs: dict[str, Any]) -> Any:
        self._manager._install(self)
        return self._call(kwargs)

    # -- arguments -------------------------------------------------------------------------
    def _normalize(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Check a call's keyword arguments; fill the spec's defaults. Raises HookCallError."""
        names = self.argnames()
        if self.spec is not None:
            unknown = [k for k in kwargs if k not in names]
            if unknown:
                word = unknown[0]
                raise HookCallError(
                    f"hook {self.name!r} got an unexpected argument {word!r}"
                    f"{did_you_mean(word, names)}; it takes {quoted_list(names)} — "
                    f"{self.spec.signature}"
                )
            defaults = self.spec.defaults
        else:
            defaults = {}
        missing = [n for n in names if n not in kwargs and n not in defaults]
        if missing:
            where = self.spec.signature if self.spec is not None else (
                f"no extension point; its implementations ask for {quoted_list(names)}")
            raise HookCallError(
                f"hook {self.name!r} is missing the argument {missing[0]!r} "
                f"(call it as {self.name}({', '.join(f'{n}=...' for n in names)})) — {where}"
            )
        if len(defaults) == 0:
            return kwargs
        return {**{n: defaults[n] for n in names if n in defaults}, **kwargs}

    def _positional_error(self, args: tuple[Any, ...]) -> HookCallError:
        names = self.argnames()
        return HookCallError(
            f"hook {self.name!r} takes keyword arguments only; got {len(args)} positional — call "
            f"it as {self.name}({', '.join(f'{n}=...' for n in names)})"
        )

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise self._positional_error(args)
        return self._call(kwargs)

    def call_historic(self, kwargs: dict[str, Any] | None = None,
                      result_callback: Callable[[Any], Any] | None = None) -> None:
        """Call the current implementations and remember the call to replay to later plugins."""
        if not self.is_historic():
            raise HookCallError(
                f"hook {self.name!r} is not historic; call it directly: "
                f"pm.hook.{self.name}(**kwargs) (or mark its extension point historic=True)"
            )
        kw = self._normalize(dict(kwargs or {}))
        self._history.append((kw, result_callback))
        results = self._run_historic(kw, self._plain)
        if result_callback is not None:
            for value in results:
                result_callback(value)

    def _replay_history(self, impl: HookImpl) -> None:
        """Give a newly registered implementation every historic call made so far."""
        for kw, callback in self._history:
            results = self._run_historic(kw, [impl])
            if results and callback is not None:
                callback(results[0])

    def _run_historic(self, kw: dict[str, Any], impls: list[HookImpl]) -> list[Any]:
        """Call plain implementations for a historic call or its replay, seen by any monitors
        (as in pluggy: the replay's monitors see only the newly registered implementation)."""
        from .interpret import call_plain_sync

        def call() -> list[Any]:
            return call_plain_sync(self, kw, impls)

        for before, after in self._manager._monitors:
            call = _monitoring(call, before, after, self.name, impls[::-1], kw)
        return call()

    def _direct_historic_call_error(self) -> Exception:
        """The error for calling a historic hook directly."""
        return HookCallError(
            f"hook {self.name!r} is historic: call it with "
            f"pm.hook.{self.name}.call_historic(kwargs={{...}}) so that plugins registered later "
            "get the call too"
        )

    def traced(self, *args: Any, **kwargs: Any) -> Any:
        """Call the hook and return a CallTrace of every step (never raises for impl errors)."""
        if args:
            raise self._positional_error(args)
        from .interpret import traced_sync

        return traced_sync(self, self._normalize(kwargs))

    def __iter__(self) -> Iterator[HookImpl]:
        return iter(self.implementations())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} mode={self.mode} impls={len(self._impls)}>"


def _monitoring(call: Callable[[], list[Any]], before: Callable[..., Any],
                after: Callable[..., Any], name: str, impls: list[HookImpl],
                kw: dict[str, Any]) -> Callable[[], list[Any]]:
    """``call`` with ``before(name, impls, kw)`` ahead and ``after(outcome, ...)`` behind it."""

    def monitored() -> list[Any]:
        before(name, impls, kw)
        outcome = Result.from_call(call)
        after(outcome, name, impls, kw)
        result: list[Any] = outcome.get_result()
        return result

    return monitored


class HookRelay:
    """``pm.hook``: each hook's caller as an attribute; a helpful error for unknown names."""

    def __getattr__(self, name: str) -> HookCaller:
        if name.startswith("__"):
            raise AttributeError(name)
        known = [k for k in vars(self) if not k.startswith("_")]
        raise AttributeError(
            f"no hook named {name!r}{did_you_mean(name, known)}; known hooks: {quoted_list(known)}"
        )

    def __iter__(self) -> Iterator[HookCaller]:
        return iter([v for v in vars(self).values() if isinstance(v, HookCaller)])
