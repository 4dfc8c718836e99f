"""Reading a plugin's code without running it: the one walk over its members (and the one
staticmethod/classmethod unwrap), and what a hook needs of each function's signature.

The two are one job -- registration and discovery ask both questions of every object they are
given -- so they share a module.

**Members.** Registration, extension-point discovery, lifespan discovery and the notebook's
``%plugin add`` all ask "what does this object define?" through :func:`members`, so they cannot
disagree about what an object offers.

Decision: the walk reads the raw values from ``vars`` over the class's MRO (a subclass's member
overriding its base's), then the instance's or module's own ``__dict__``; it never calls
``getattr`` on a member it has not been asked for. Rejected: ``dir`` + ``getattr`` (pluggy's way),
because it runs every property and ``__getattr__`` of a plugin just to look at it — a property
that fails, or that is slow, would make registration fail or slow, and what ``register`` sees
could differ from what the notebook's discovery sees. Callers bind the few marked members they keep
with :func:`bound`.

**Signatures.** A hook passes its arguments to each extension by position, so registration
needs, per function: the parameter names (``self``/``cls`` of a method left out), which have
defaults and which are keyword-only or variadic, and whether it is a generator, an async generator
or a coroutine function. :func:`facts` reads these once and caches them per function.

Decision: for a plain Python function (or a method bound to one) the facts come straight from its
code object (``co_varnames``, ``co_argcount``, ``co_flags``) and ``__defaults__``; that is exact for
such functions and about ten times cheaper than ``inspect.signature``, which would otherwise be
most of registration's time. Anything else — a function with ``__wrapped__`` or
``__signature__``, a ``functools.partial``, a callable object, a builtin — goes through
``inspect.signature`` (once per registration, not cached), so nothing a user wrote is read
differently. Rejected: caching by code object (two functions can share one code object with
different defaults), caching without a bound (a notebook re-defines its functions constantly; the
cache holds them weakly) and trusting a cached entry blindly (autoreload updates functions in place).
``signature_text`` (error messages and views) still uses ``inspect`` and runs only when asked.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import weakref

_EMPTY = inspect.Parameter.empty
_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
_CO_VARARGS = inspect.CO_VARARGS
_CO_VARKEYWORDS = inspect.CO_VARKEYWORDS
_CO_GENERATOR = inspect.CO_GENERATOR
_CO_COROUTINE = inspect.CO_COROUTINE
_CO_ASYNC_GENERATOR = inspect.CO_ASYNC_GENERATOR


class Facts:
    """A function's signature as a hook sees it (``self``/``cls`` of a method left out)."""

    __slots__ = ("defaults", "is_asyncgen", "is_coroutine", "is_generator", "keyword_only", "names",
                 "required", "source", "variadic")

    def __init__(self, names: tuple[str, ...], defaults: dict[str, Any], keyword_only: tuple[str, ...],
                 variadic: tuple[str, ...], flags: tuple[bool, bool, bool],
                 source: tuple[object, object, object] = (None, None, None)) -> None:
        #: every named parameter, in order (positional-only, ordinary, keyword-only)
        self.names = names
        #: the parameters with a default, and the default
        self.defaults = defaults
        #: the keyword-only parameters (an extension is passed arguments by position)
        self.keyword_only = keyword_only
        #: the ``*args`` / ``**kwargs`` parameters' names
        self.variadic = variadic
        #: the named parameters without a default: what an extension asks a hook for
        self.required = tuple([n for n in names if n not in defaults]) if defaults else names
        self.is_generator, self.is_asyncgen, self.is_coroutine = flags
        #: what the facts were read from: (``__code__``, ``__defaults__``, ``__kwdefaults__``)
        self.source = source

    def __repr__(self) -> str:
        return f"<Facts names={self.names} defaults={tuple(self.defaults)} variadic={self.variadic}>"


_FactsCache: TypeAlias = "weakref.WeakKeyDictionary[Callable[..., Any], Facts]"
#: facts of functions, and of methods bound to them (``self`` left out), by function; made on the
#: first registration, so that ``import nbplug`` does not load weakref (0.8 ms of a 25 ms import)
_caches: tuple[_FactsCache, _FactsCache] | None = None


def _make_caches() -> tuple[_FactsCache, _FactsCache]:
    global _caches
    import weakref

    _caches = (weakref.WeakKeyDictionary(), weakref.WeakKeyDictionary())
    return _caches


_own_name: Callable[[object, str], str | None] | None = None


def name_of(obj: object, attribute: str = "__name__") -> str | None:
    """``nbplug._base.safetext.own_name``: a user object's own name, read guarded (None when it
    has none or reading it raises). Loaded on first use and kept: ``import nbplug`` loads no
    safetext, and a registration pays no import statement (1 µs, a sixth of registering a plugin)."""
    global _own_name
    if _own_name is None:
        from .._base.safetext import own_name

        _own_name = own_name
    return _own_name(obj, attribute)


def _drops_self(function: Callable[..., Any], first: str | None) -> bool:
    """pluggy's rule: a function defined in a class whose first parameter is self/cls is a method."""
    if first not in ("self", "cls") or inspect.ismethod(function):
        return False
    qualname = name_of(function, "__qualname__") or ""
    return "." in qualname and "<locals>" not in qualname.split(".")[-2:-1]


#: attributes that make inspect read a function otherwise than its code object says (the last is
#: what ``inspect.markcoroutinefunction`` sets, Python 3.12+)
_NOT_FROM_CODE = ("__wrapped__", "__signature__", "_is_coroutine_marker")


def _exact(function: object) -> types.FunctionType | None:
    """The plain function whose code object tells the signature exactly, or None."""
    if type(function) is not types.FunctionType:
        return None
    own = function.__dict__
    if own and any(name in own for name in _NOT_FROM_CODE):
        return None
    return function


def _from_code(function: types.FunctionType, bound_method: bool) -> Facts | None:
    code = function.__code__
    flags = code.co_flags
    positional = code.co_argcount
    keyword_only = code.co_kwonlyargcount
    names = code.co_varnames[: positional + keyword_only]
    extra = positional + keyword_only
    variadic: list[str] = []
    if flags & _CO_VARARGS:
        variadic.append(code.co_varnames[extra])
        extra += 1
    if flags & _CO_VARKEYWORDS:
        variadic.append(code.co_varnames[extra])
    defaults: dict[str, Any] = {}
    values = function.__defaults__ or ()
    if values:
        defaults.update(zip(names[positional - len(values): positional], values, strict=True))
    if function.__kwdefaults__:
        defaults.update(function.__kwdefaults__)
    drop = 0
    if bound_method:
        if not positional:  # inspect's own answer differs here (*args, or an invalid method)
            return None
        drop = 1
    elif positional:
        drop = int(_drops_self(function, names[0]))
    elif names or variadic:  # inspect's order: *args, the keyword-only ones, **kwargs
        first = variadic[0] if flags & _CO_VARARGS or not names else names[0]
        if _drops_self(function, first):
            return None  # a first ``*self`` or keyword-only ``self`` in a class: inspect's rule applies
    if drop:
        defaults.pop(names[0], None)
        names = names[1:]
    kinds = (bool(flags & _CO_GENERATOR), bool(flags & _CO_ASYNC_GENERATOR), bool(flags & _CO_COROUTINE))
    return Facts(names, defaults, names[len(names) - keyword_only:] if keyword_only else (),
                 tuple(variadic), kinds, (code, function.__defaults__, function.__kwdefaults__))


def _from_inspect(function: Callable[..., Any]) -> Facts:
    flags = (inspect.isgeneratorfunction(function), inspect.isasyncgenfunction(function),
             inspect.iscoroutinefunction(function))
    try:
        params = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return Facts((), {}, (), (), flags)
    if params and _drops_self(function, params[0].name):
        params = params[1:]
    named = [p for p in params if p.kind not in _VARIADIC]
    return Facts(
        tuple(p.name for p in named),
        {p.name: p.default for p in named if p.default is not _EMPTY},
        tuple(p.name for p in named if p.kind is inspect.Parameter.KEYWORD_ONLY),
        tuple(p.name for p in params if p.kind in _VARIADIC),
        flags,
    )


def facts(function: Callable[..., Any]) -> Facts:
    """The signature facts of ``function`` (a bound method: of its function, ``self`` left out).

    Read from the code object where that is exact, cached per function (weakly) and checked
    against the function's current ``__code__``, ``__defaults__`` and ``__kwdefaults__`` — so
    registering the same plugin again reads nothing twice, and a function updated in place
    (IPython's autoreload assigns ``__code__``) is read again. Anything else goes through
    ``inspect.signature`` every time: its answer can depend on other objects (``__wrapped__``).
    """
    bound_method = type(function) is types.MethodType
    inner = function.__func__ if bound_method else function  # type: ignore[attr-defined]
    plain = _exact(inner)
    if plain is None:
        return _from_inspect(function)
    caches = _caches or _make_caches()
    cache = caches[1] if bound_method else caches[0]
    try:
        cached = cache[plain]
    except KeyError:
        pass
    else:
        code, defaults, kwdefaults = cached.source
        if (code is plain.__code__ and defaults is plain.__defaults__
                and kwdefaults is plain.__kwdefaults__):
            return cached
    found = _from_code(plain, bound_method)
    if found is None:
        return _from_inspect(function)
    cache[plain] = found
    return found


def parameters(function: Callable[..., Any]) -> list[inspect.Parameter]:
    """The parameters a hook passes to ``function`` (self/cls of an unbound method left out)."""
    try:
        params = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return []
    if params and _drops_self(function, params[0].name):
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
    """A readable dotted name of a function or bound method (its repr, guarded, when it has none)."""
    name = name_of(function, "__qualname__") or name_of(function)
    if name is not None:
        return name
    from .._base.safetext import safe_repr  # only for an object without a readable name

    return safe_repr(function)

_METHOD_WRAPPERS = (staticmethod, classmethod)  # a tuple: issubclass with `a | b` is several times slower


def unwrap(value: object) -> Any:
    """The function inside a ``staticmethod`` or ``classmethod``; any other value unchanged.

    Read with ``type()``, not ``isinstance``: an object whose ``__class__`` raises (it may sit
    anywhere in a module given to ``register``) is simply not a marked function.
    """
    if issubclass(type(value), _METHOD_WRAPPERS):
        return value.__func__  # type: ignore[attr-defined]
    return value


def members(obj: object) -> dict[str, Any]:
    """An object's members by name, as raw values (functions, staticmethod objects, properties).

    A class: its own and its bases' attributes. A module: its globals. An instance: its class's
    attributes, then its own ``__dict__``. Dunder names are left out; nothing is called. A name
    keeps the place of its first definition (a base's, for an overridden method) and the value
    of its last.
    """
    found: dict[str, Any] = {}
    kind = type(obj)  # type(), not isinstance: a plugin's own __class__ may raise
    if issubclass(kind, types.ModuleType):
        found.update(vars(obj))
    else:
        klass: type = obj if issubclass(kind, type) else kind  # type: ignore[assignment]
        for base in reversed(klass.__mro__):
            if base is not object:
                found.update(vars(base))
        if not issubclass(kind, type):
            try:
                own = object.__getattribute__(obj, "__dict__")
            except AttributeError:  # no __dict__ (slots)
                own = None
            if issubclass(type(own), dict):
                found.update(own)
    return {name: value for name, value in found.items() if not name.startswith("__")}


def bound(obj: object, name: str) -> Any:
    """``getattr(obj, name)`` — the member as the object hands it out (a bound method) — or None
    when getting it fails."""
    try:
        return getattr(obj, name)
    except Exception:  # an attribute that cannot be read is not offered
        return None
