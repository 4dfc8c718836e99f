"""Markers: ``ExtensionPoint`` and ``Extension`` record options on functions and return them unchanged.

Reading the options back (``spec_options``, ``impl_options``, ``projects_of``) lives here too, beside
the writing, so that the attribute names are known to one module. Members are found through
:func:`nbplug._kit.introspection.members`, the walk registration and discovery share.

Decision: the options are attributes ``<project>_spec`` / ``<project>_impl`` on the function itself,
as pluggy's markers do, so a function can be marked for several projects and nothing is registered
anywhere at import. Rejected: a registry of marked functions kept by the marker (it would keep every
function of a notebook alive and differ from what users of pluggy expect to find on a function).
pluggy's markers record plain dicts under the same attribute names (``proj_spec`` / ``proj_impl``);
reading turns such a dict into the same record nbplug's own markers write, so pluggy-marked code
registers unchanged without nbplug importing pluggy. The records read like pluggy's dicts in turn
(``opts["firstresult"]``, ``opts.get("tryfirst")``, ``dict(opts)``), with pluggy's keys. Decision:
read-only records that are also mappings. Rejected: storing dicts (nothing would stop a plugin
from changing its options after registration, and every reader would need ``.get`` defaults).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from types import FunctionType, MappingProxyType, MethodType
from typing import Any, TypeVar, overload

from .introspection import members, unwrap

F = TypeVar("F", bound=Callable[..., Any])


class _Options(Mapping[str, Any]):
    """An immutable record of marker options (plain slots: cheaper to import than a dataclass),
    readable as a mapping of option name to value, as pluggy's option dicts are."""

    __slots__: tuple[str, ...] = ()
    _fields: tuple[str, ...] = ()  # the options in signature order (__slots__ order is free)

    def __getitem__(self, key: str) -> Any:
        if key in self._fields:
            return getattr(self, key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def _set(self, *values: object) -> None:
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in self._fields)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Options) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *map(repr, self._values())))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({shown})"


class SpecOptions(_Options):
    """Options of an extension point."""

    __slots__ = ("firstresult", "historic", "pipeline", "warn_on_impl", "warn_on_impl_args")
    _fields = ("firstresult", "historic", "pipeline", "warn_on_impl", "warn_on_impl_args")
    firstresult: bool
    historic: bool
    pipeline: bool
    warn_on_impl: Warning | None
    #: a warning per argument name: issued for each extension that asks for that argument
    warn_on_impl_args: Mapping[str, Warning] | None

    def __init__(self, firstresult: bool = False, historic: bool = False, pipeline: bool = False,
                 warn_on_impl: Warning | None = None,
                 warn_on_impl_args: Mapping[str, Warning] | None = None) -> None:
        self._set(firstresult, historic, pipeline, warn_on_impl, warn_on_impl_args)

    @classmethod
    def from_mapping(cls, opts: Mapping[str, Any]) -> SpecOptions:
        """The record of options given as a dict (pluggy's ``HookspecOpts``; missing keys: off).
        Raises ValueError when two modes are on together."""
        if isinstance(opts, SpecOptions):
            return opts
        made = cls(bool(opts.get("firstresult")), bool(opts.get("historic")),
                   bool(opts.get("pipeline")), opts.get("warn_on_impl"), opts.get("warn_on_impl_args"))
        _check_one_mode(made.firstresult, made.historic, made.pipeline)
        return made

    @property
    def mode(self) -> str:
        """The dispatch mode: ``collecting``, ``firstresult``, ``pipeline`` or ``historic``."""
        if self.firstresult:
            return "firstresult"
        if self.pipeline:
            return "pipeline"
        if self.historic:
            return "historic"
        return "collecting"


class ImplOptions(_Options):
    """Options of an extension."""

    __slots__ = ("hookwrapper", "optionalhook", "specname", "tryfirst", "trylast", "wrapper")
    _fields = ("tryfirst", "trylast", "wrapper", "hookwrapper", "optionalhook", "specname")
    tryfirst: bool
    trylast: bool
    wrapper: bool
    #: a legacy wrapper: ``outcome = yield`` receives a Result it may change
    hookwrapper: bool
    optionalhook: bool
    specname: str | None

    def __init__(self, tryfirst: bool = False, trylast: bool = False, wrapper: bool = False,
                 optionalhook: bool = False, specname: str | None = None,
                 hookwrapper: bool = False) -> None:
        self._set(tryfirst, trylast, wrapper, hookwrapper, optionalhook, specname)

    @property
    def wraps(self) -> bool:
        """Whether it wraps the plain extensions (a new-style or a legacy wrapper)."""
        return self.wrapper or self.hookwrapper

    @classmethod
    def from_mapping(cls, opts: Mapping[str, Any]) -> ImplOptions:
        """The record of options given as a dict (pluggy's ``HookimplOpts``; missing keys: off)."""
        if isinstance(opts, ImplOptions):
            return opts
        return cls(bool(opts.get("tryfirst")), bool(opts.get("trylast")), bool(opts.get("wrapper")),
                   bool(opts.get("optionalhook")), opts.get("specname"),
                   bool(opts.get("hookwrapper")))


def checked_project(project: object) -> str:
    """``project`` if it can name a project: any string, as in pluggy (``"my-plugin"``, ``""``).

    The options live under ``<project>_spec`` / ``<project>_impl``, set with ``setattr`` and read
    from the function's ``__dict__``, which take any string. Rejected: Python identifiers only —
    real pluggy projects are named otherwise, and nothing reads the attribute as a Python name.
    """
    if not isinstance(project, str):
        raise ValueError(f"a project name is a string, got {project!r}")
    return project


class _Marker:
    """What both markers share: a project name, the attribute they set, and the marking itself."""

    _suffix = ""
    _record: type[_Options] = _Options

    def __init__(self, project: str) -> None:
        self.project = checked_project(project)
        self.attribute = f"{project}_{self._suffix}"

    def _mark(self, function: F | None, options: dict[str, Any]) -> F | Callable[[F], F]:
        """Record ``options`` on ``function`` (reaching through staticmethod/classmethod), or return
        the decorator that will, when the marker was called with options only."""
        unknown = [name for name in options if name not in self._record._fields]
        if unknown:
            from .suggest import did_you_mean, quoted_list  # only when the error is written

            raise TypeError(f"{type(self).__name__} has no option {unknown[0]!r}"
                            f"{did_you_mean(unknown[0], self._record._fields)}; its options: "
                            f"{quoted_list(self._record._fields)}")
        self._check(options)
        record = self._record(**options)

        def mark(func: F) -> F:
            setattr(unwrap(func), self.attribute, record)
            return func

        return mark if function is None else mark(function)

    def _check(self, options: dict[str, Any]) -> None:
        """Raise ValueError for options that cannot go together."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.project!r})"


class ExtensionPoint(_Marker):
    """Marks extension points for one project: ``@extension_point`` or ``@extension_point(...)``."""

    _suffix = "spec"
    _record = SpecOptions

    @overload
    def __call__(self, function: F, /) -> F: ...

    @overload
    def __call__(self, function: None = None, /, *, firstresult: bool = False, historic: bool = False,
                 pipeline: bool = False, warn_on_impl: Warning | None = None,
                 warn_on_impl_args: Mapping[str, Warning] | None = None) -> Callable[[F], F]: ...

    def __call__(self, function: F | None = None, /, **options: Any) -> F | Callable[[F], F]:
        return self._mark(function, options)

    def _check(self, options: dict[str, Any]) -> None:
        _check_one_mode(*(bool(options.get(name)) for name in ("firstresult", "historic", "pipeline")))


class Extension(_Marker):
    """Marks extensions for one project: ``@extension`` or ``@extension(...)``."""

    _suffix = "impl"
    _record = ImplOptions

    @overload
    def __call__(self, function: F, /) -> F: ...

    @overload
    def __call__(self, function: None = None, /, *, tryfirst: bool = False, trylast: bool = False,
                 wrapper: bool = False, optionalhook: bool = False, specname: str | None = None,
                 hookwrapper: bool = False) -> Callable[[F], F]: ...

    def __call__(self, function: F | None = None, /, **options: Any) -> F | Callable[[F], F]:
        return self._mark(function, options)

    def _check(self, options: dict[str, Any]) -> None:
        if options.get("tryfirst") and options.get("trylast"):
            raise ValueError("an extension is tryfirst or trylast, not both")
        if options.get("wrapper") and options.get("hookwrapper"):
            raise ValueError("an extension is a new-style wrapper (wrapper=True) or a legacy one "
                             "(hookwrapper=True), not both: the wrapper=True and hookwrapper=True "
                             "options are mutually exclusive")


def _check_one_mode(firstresult: bool, historic: bool, pipeline: bool) -> None:
    modes = [n for n, on in (("firstresult", firstresult), ("historic", historic),
                             ("pipeline", pipeline)) if on]
    if len(modes) > 1:
        pluggy_words = " (cannot have a historic firstresult hook)" if firstresult and historic else ""
        raise ValueError(
            f"an extension point has one mode; got {' and '.join(modes)} together{pluggy_words} — "
            "choose one of firstresult, historic or pipeline"
        )


_MAPPINGS = (dict, MappingProxyType)  # tuples: issubclass with a union type is slower
_HOLDERS = (staticmethod, classmethod, MethodType)


def _recorded(obj: object, attribute: str) -> Any:
    """What ``obj`` records under ``attribute``: on the object itself, or (a staticmethod or
    classmethod marked below the decorator, a bound method) on the function inside it.

    Read from the objects' own ``__dict__``, never with ``getattr``: a module may hold objects
    whose ``__getattr__`` answers any name (pytest's ``mark`` makes a mark of it, and warns).
    """
    if type(obj) is FunctionType:  # the common case: a plain function's own attributes
        return obj.__dict__.get(attribute)
    holder: Any = obj
    for _ in range(3):  # obj, then the function a staticmethod/classmethod/bound method holds
        own: Any = None
        if type(holder).__dictoffset__:  # it has a __dict__ (asking others would raise: slow)
            try:
                own = object.__getattribute__(holder, "__dict__")
            except BaseException as exc:  # a __dict__ that cannot be read, whatever it raises
                _unless_ctrl_c(exc)
                own = None
        if issubclass(type(own), _MAPPINGS):
            value = own.get(attribute)
            if value is not None:
                return value
        kind = type(holder)
        if issubclass(kind, _HOLDERS):
            holder = holder.__func__
        else:
            return None
    return None


def _unless_ctrl_c(exc: BaseException) -> None:
    """Re-raise ``exc`` if it is a real Ctrl-C; whatever else reading a user object raised is
    contained (``nbplug._base.ctrlc``, loaded only then: ``import nbplug`` does not)."""
    from .._base.ctrlc import is_ctrl_c

    if is_ctrl_c(exc):
        raise exc


def _options(obj: object, attribute: str, kind: Any) -> Any:
    """The record of ``kind`` recorded on ``obj``, made from a dict if pluggy's marker wrote one."""
    value = _recorded(obj, attribute)
    if issubclass(type(value), kind):
        return value
    if issubclass(type(value), dict):
        return kind.from_mapping(value)
    return None


def spec_options(obj: object, project: str) -> SpecOptions | None:
    """The extension-point options recorded on ``obj`` for ``project``, if any."""
    result: SpecOptions | None = _options(obj, f"{project}_spec", SpecOptions)
    return result


def impl_options(obj: object, project: str) -> ImplOptions | None:
    """The extension options recorded on ``obj`` for ``project``, if any."""
    result: ImplOptions | None = _options(obj, f"{project}_impl", ImplOptions)
    return result


def marked_by_pluggy(function: object, project: str) -> bool:
    """Whether ``function`` was marked as an extension of ``project`` by pluggy's marker (a dict)."""
    return issubclass(type(_recorded(function, f"{project}_impl")), dict)


def _marked_projects(obj: object) -> set[str]:
    found: set[str] = set()
    try:
        attributes = getattr(unwrap(obj), "__dict__", None)
    except BaseException as exc:  # objects with odd __getattr__ are simply not marked
        _unless_ctrl_c(exc)  # (a SystemExit an unbound proxy raises is contained too)
        return found
    if not issubclass(type(attributes), dict):
        return found
    assert isinstance(attributes, dict)  # (a dict's __class__ cannot raise)
    for key, value in attributes.items():  # type() checks: a raising __class__ is no marker
        kind = type(value)
        if key.endswith("_spec") and (issubclass(kind, SpecOptions) or (
                issubclass(kind, dict) and "firstresult" in value)):
            found.add(key[: -len("_spec")])
        elif key.endswith("_impl") and (issubclass(kind, ImplOptions) or (
                issubclass(kind, dict) and "tryfirst" in value)):
            found.add(key[: -len("_impl")])
    return found


def member_values(obj: object) -> list[Any]:
    """The values an object holds: a function itself, a class's (MRO), a module's, an instance's."""
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return [obj]
    return list(members(obj).values())


def projects_of(obj: object) -> set[str]:
    """Project names found on ``obj`` itself or on any member (class, instance or module)."""
    found = _marked_projects(obj)
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return found
    for value in member_values(obj):
        found |= _marked_projects(value)
    return found
