"""The ``@lifespan`` marker and :class:`LifespanSpec`, the description a group or the CLI runs.

The marker only records options on the function (like pluggy's markers); click options applied by the
user leave ``__click_params__`` on the same function, which the spec reads without importing click.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncGenerator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

from nbplug._base.ctrlc import is_ctrl_c
from nbplug._base.safetext import own_name, safe_repr, type_name
from nbplug._kit.introspection import bound, members, unwrap

if TYPE_CHECKING:
    import click

MARK_ATTR = "__nbplug_lifespan__"
CTX_PARAM = "ctx"

LifespanFunction = Callable[..., AsyncGenerator[Any, None]]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class LifespanMark:
    """Options recorded by ``@lifespan`` on the function."""

    name: str | None = None
    depends_on: tuple[str, ...] = ()
    daemon: bool = False


def _dependency_name(dep: object) -> str:
    if isinstance(dep, str):
        if not dep:
            raise ValueError("depends_on names must not be empty")
        return dep
    mark = getattr(dep, MARK_ATTR, None)
    if isinstance(mark, LifespanMark):
        return mark.name or own_name(dep) or safe_repr(dep)
    raise TypeError(
        f"depends_on takes lifespan names or @lifespan functions, not {type_name(dep)} {safe_repr(dep)}"
    )


def _check_function(fn: object) -> None:
    fn = unwrap(fn)
    if not inspect.isasyncgenfunction(fn):
        what = (
            "a coroutine function (async def without yield)"
            if inspect.iscoroutinefunction(fn)
            else "a generator function (def with yield)"
            if inspect.isgeneratorfunction(fn)
            else f"{type_name(fn)} {safe_repr(fn)}"
        )
        raise TypeError(
            f"@lifespan needs an async generator function (async def with one yield), "
            f"got {what}: write `async def {own_name(fn) or 'name'}(...): ... yield ...`"
        )


@overload
def lifespan(fn: F, /) -> F: ...
@overload
def lifespan(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    depends_on: Iterable[object] = (),
    daemon: bool = False,
) -> Callable[[F], F]: ...
def lifespan(
    fn: F | None = None,
    /,
    *,
    name: str | None = None,
    depends_on: Iterable[object] = (),
    daemon: bool = False,
) -> F | Callable[[F], F]:
    """Mark an async generator function (or method) as a lifespan; returns it unchanged.

    Use bare (``@lifespan``) or with options (``@lifespan(name="x", depends_on=("countdown",))``).
    ``daemon=True``: like a daemon thread, its task serves the others and does not keep the group
    up; once every other task has ended, the group stops by itself and cancels it.
    """
    if isinstance(depends_on, str):
        raise TypeError(f"depends_on must be a sequence of names, e.g. ({depends_on!r},)")
    deps = tuple(_dependency_name(d) for d in depends_on)

    def mark(f: F) -> F:
        _check_function(f)
        setattr(f, MARK_ATTR, LifespanMark(name=name, depends_on=deps, daemon=daemon))
        return f

    return mark if fn is None else mark(fn)


def is_lifespan(obj: object) -> bool:
    """True if ``obj`` (function or bound method) carries the ``@lifespan`` mark."""
    return isinstance(getattr(obj, MARK_ATTR, None), LifespanMark)


@dataclass(frozen=True)
class LifespanSpec:
    """A runnable lifespan: its name, the callable, click parameters and dependencies."""

    name: str
    function: LifespanFunction
    params: tuple[click.Parameter, ...] = ()
    depends_on: tuple[str, ...] = ()
    doc: str = ""
    daemon: bool = False
    wants_ctx: bool | None = field(default=None, compare=False)
    signature: inspect.Signature | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Computed once here, not on every add(): the group's hot path binds against it.
        if self.signature is None:
            with contextlib.suppress(TypeError, ValueError):  # builtins have no signature
                object.__setattr__(self, "signature", inspect.signature(self.function))
        if self.wants_ctx is None:
            wants = self.signature is not None and CTX_PARAM in self.signature.parameters
            object.__setattr__(self, "wants_ctx", wants)

    @classmethod
    def from_function(cls, fn: Callable[..., Any], name: str | None = None) -> LifespanSpec:
        """Describe a marked (or plain) async generator function or bound method."""
        _check_function(fn)
        mark = getattr(fn, MARK_ATTR, None)
        if not isinstance(mark, LifespanMark):
            mark = LifespanMark()
        fn_name = own_name(fn) or "lifespan"
        # click.option appends, so the decorator closest to the function comes last: reverse it,
        # as click.Command does, to keep the order the user wrote.
        params = tuple(reversed(getattr(fn, "__click_params__", ())))
        doc = (inspect.getdoc(fn) or "").strip().splitlines()
        return cls(
            name=name or mark.name or fn_name,
            function=fn,
            params=params,
            depends_on=mark.depends_on,
            daemon=mark.daemon,
            doc=doc[0] if doc else "",
        )

    @property
    def param_names(self) -> tuple[str, ...]:
        """Keyword names the click parameters deliver (those that expose a value)."""
        return tuple(p.name for p in self.params if p.expose_value and p.name)


def _members(obj: object) -> Sequence[tuple[str, object]]:
    """The object's lifespan members, bound (the walk registration and ``%plugin add`` use too)."""
    if isinstance(obj, type):
        name = own_name(obj) or "C"
        raise TypeError(
            f"find_lifespans got the class {name}; pass an instance "
            f"(e.g. {name}()) so its lifespan methods are bound"
        )
    return [(attr, bound(obj, attr)) for attr, value in members(obj).items() if _readable_lifespan(value)]


def _readable_lifespan(value: object) -> bool:
    """Whether a member is a lifespan; a member that cannot be read is not (``%plugin add`` names it
    as skipped: ``nbplug.session.discovery.offer_of``), whatever it raises but a real Ctrl-C."""
    try:
        return is_lifespan(unwrap(value))
    except BaseException as exc:
        if is_ctrl_c(exc):
            raise
        return False


def find_lifespans(obj: object) -> dict[str, LifespanSpec]:
    """The lifespans of a module, of a plugin instance (bound methods), or of a single function.

    Raises ValueError when two lifespans share a name.
    """
    if callable(obj) and not isinstance(obj, type) and is_lifespan(obj):
        spec = LifespanSpec.from_function(obj)
        return {spec.name: spec}
    found: dict[str, LifespanSpec] = {}
    for _attr, value in _members(obj):
        if not is_lifespan(value) or not callable(value):
            continue
        spec = LifespanSpec.from_function(value)
        other = found.get(spec.name)
        if other is not None and other.function is not value:
            raise ValueError(
                f"two lifespans are named {spec.name!r} in {safe_repr(obj)}; give one another name "
                f"with @lifespan(name=...)"
            )
        found[spec.name] = spec
    return found
