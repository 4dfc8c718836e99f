"""Call plans: each hook's call compiled to straight-line Python.

The compiled plan is what makes calls cheap: a function generated for the hook's current
implementations calls each one with positional arguments, with no per-call loop over options.
It is rebuilt lazily after every registration change. ``interpret.py`` runs the same semantics
step by step for traced, historic and concurrent calls.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, NoReturn

from .hooks import HookImpl, qualname

if TYPE_CHECKING:
    from .hooks import HookCaller

_PLAIN_TYPES = frozenset({str, int, float, bool, list, dict, tuple, set, bytes, type(None)})
_GENERATED_GLOBALS = frozenset({"next", "len", "BaseException", "StopIteration", "StopAsyncIteration",
                                "KeyError"})
_CHUNK = 16  # wrappers per generated function: Python limits statically nested blocks to 20


def _describe(impl: HookImpl) -> str:
    return f"wrapper {impl.plugin_name}.{impl.hook_name} ({qualname(impl.function)})"


def _no_yield(impl: HookImpl) -> None:
    raise RuntimeError(f"{_describe(impl)} did not yield: a wrapper must yield exactly once")


def _second_yield(impl: HookImpl) -> RuntimeError:
    return RuntimeError(f"{_describe(impl)} yielded twice: a wrapper must yield exactly once")


async def _asecond(gen: Any, impl: HookImpl) -> NoReturn:
    """An async wrapper yielded again after the result: close it and say so."""
    await gen.aclose()
    raise _second_yield(impl)


async def _aresume(step: Awaitable[Any], gen: Any, impl: HookImpl) -> None:
    """Await an async wrapper's resumption (``gen.asend(result)`` or ``gen.athrow(exc)``), after
    which it must finish: an async wrapper observes the result, it cannot replace it."""
    try:
        await step
    except StopAsyncIteration:
        return
    await _asecond(gen, impl)


def _drive(gen: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
    """Delegate to a generator wrapper, then yield its return value instead of returning it.

    ``yield from`` takes the wrapper's return value without an exception, so the compiled plan
    gets the result from ``send``/``throw`` as a plain value: cheaper than the StopIteration a
    bare ``gen.send`` raises. While the wrapper runs, ``gi_yieldfrom`` is the wrapper; once it
    has finished it is None, which is how the plan tells a missing or second yield.
    """
    result = yield from gen
    yield result


def _isawaitable(value: Any) -> bool:
    return inspect.isawaitable(value)


# --------------------------------------------------------------------------------------------
# Compiled plans


class _Source:
    """Collects generated lines with indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)


def _plain_section(src: _Source, indent: int, caller: HookCaller, names: dict[str, str],
                   awaiting: bool, target: str) -> None:
    """Emit the plain implementations in call order, leaving the outcome in ``target``.

    firstresult is a flat chain (``if _x is None: _x = next(...)``) so that no ``return`` is
    needed and it can sit inside the wrappers' code.
    """
    mode = caller.mode
    value = names[caller.argnames()[0]] if mode == "pipeline" else ""
    if mode == "collecting":
        src.add(indent, "_r = []")
    elif mode == "firstresult":
        src.add(indent, "_x = None")
    for index, impl in enumerate(caller._plain):
        at = indent
        if mode == "firstresult" and index:
            src.add(indent, "if _x is None:")
            at = indent + 1
        call = f"_f{index}({', '.join(names[a] for a in impl.argnames)})"
        if awaiting and inspect.iscoroutinefunction(impl.function):
            src.add(at, f"_x = await {call}")
        else:
            src.add(at, f"_x = {call}")
            if awaiting:
                src.add(at, "if _x.__class__ not in _PLAIN and _isaw(_x):")
                src.add(at + 1, "_x = await _x")
        if mode == "collecting":
            src.add(at, "if _x is not None:")
            src.add(at + 1, "_r.append(_x)")
        elif mode == "pipeline":
            src.add(at, "if _x is not None:")
            src.add(at + 1, f"{value} = _x")
    outcome = {"collecting": "_r", "firstresult": "_x"}.get(mode, value)
    src.add(indent, f"return {outcome}" if target == "return" else f"{target} = {outcome}")


def _wrapper_levels(src: _Source, indent: int, start: int, stop: int, caller: HookCaller,
                    names: dict[str, str], inner: str | None, awaiting: bool) -> None:
    """Emit wrappers start..stop-1 nested around the inner call (``None``: the plain section).

    The result is left in ``_res``. Generator wrappers are driven inline through ``_drive``
    (send / throw return the wrapper's result as a value), which costs less per wrapper than the
    hand-written ``send`` and ``except StopIteration``. Async generators: ``asend`` inline,
    ``_aresume`` for errors.
    """
    if start == stop:
        if inner is None:
            _plain_section(src, indent, caller, names, awaiting, "_res")
        else:
            src.add(indent, f"_res = {'await ' if awaiting else ''}{inner}")
        return
    impl = caller._wrappers[start]
    args = ", ".join(names[a] for a in impl.argnames)
    g = f"_g{start}"
    if inspect.isasyncgenfunction(impl.function):
        src.add(indent, f"{g} = _w{start}({args})")
        src.add(indent, "try:")
        src.add(indent + 1, f"await {g}.__anext__()")
        src.add(indent, "except StopAsyncIteration:")
        src.add(indent + 1, f"_no_yield(_W{start})")
        src.add(indent, "try:")
        _wrapper_levels(src, indent + 1, start + 1, stop, caller, names, inner, awaiting)
        src.add(indent, "except BaseException as _e:")
        src.add(indent + 1, f"await _aresume({g}.athrow(_e), {g}, _W{start})")
        src.add(indent + 1, "raise")
        src.add(indent, "else:")
        src.add(indent + 1, "try:")  # _aresume(asend), inlined: the call's hot path
        src.add(indent + 2, f"await {g}.asend(_res)")
        src.add(indent + 1, "except StopAsyncIteration:")
        src.add(indent + 2, "pass")
        src.add(indent + 1, "else:")
        src.add(indent + 2, f"await _asecond({g}, _W{start})")
        return
    src.add(indent, f"{g} = _drive(_w{start}({args}))")
    src.add(indent, f"next({g})")
    src.add(indent, f"if {g}.gi_yieldfrom is None:")
    src.add(indent + 1, f"_no_yield(_W{start})")
    src.add(indent, "try:")
    _wrapper_levels(src, indent + 1, start + 1, stop, caller, names, inner, awaiting)
    for clause, action in (("except BaseException as _e:", f"{g}.throw(_e)"),
                           ("else:", f"{g}.send(_res)")):
        src.add(indent, clause)
        src.add(indent + 1, f"_res = {action}")
        src.add(indent + 1, f"if {g}.gi_yieldfrom is not None:")
        src.add(indent + 2, f"_second({g}, _W{start})")
    src.add(indent, f"next({g}, None)")


class _Missing:
    """Marks an argument a call did not give."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _slow_path(caller: HookCaller, args: tuple[Any, ...], extra: dict[str, Any],
               given: tuple[tuple[str, Any], ...]) -> None:
    """Raise the HookCallError for a call the compiled ``__call__`` found wrong."""
    if args:
        raise caller._positional_error(args)
    caller._normalize({**{k: v for k, v in given if v is not _MISSING}, **extra})
    raise AssertionError("unreachable: the call's arguments were found wrong")  # pragma: no cover


def _second(gen: Any, impl: HookImpl) -> NoReturn:
    """A wrapper yielded again after the result: close it and say so."""
    gen.close()
    raise _second_yield(impl)


def compile_call(caller: HookCaller, awaiting: bool, as_method: bool = False
                 ) -> Callable[..., Any]:
    """Generate the function that performs one call of ``caller`` with its current implementations.

    ``as_method=False`` gives ``call(kwargs_dict)``; ``as_method=True`` gives
    ``__call__(self, *args, **kwargs)``, installed on the caller's own class so that
    ``pm.hook.name(...)`` runs it directly.
    """
    if caller.is_historic():

        def historic(*_: Any, **__: Any) -> Any:
            raise caller._direct_historic_call_error()

        return historic

    argnames = caller.argnames()
    # As a method with a spec, the hook's own argument names become parameters of __call__ (no
    # dict look-ups); names that could clash with generated locals fall back to the dict form.
    named = as_method and caller.spec is not None and not any(
        a.startswith("_") or a in _GENERATED_GLOBALS for a in argnames)
    names = {a: (a if named else f"a{i}") for i, a in enumerate(argnames)}
    params = ", ".join(names.values())
    ns: dict[str, Any] = {
        "_normalize": caller._normalize, "_no_yield": _no_yield, "_second": _second,
        "_asecond": _asecond, "_aresume": _aresume, "_drive": _drive, "_isaw": _isawaitable,
        "_PLAIN": _PLAIN_TYPES, "_M": _MISSING, "_slow": _slow_path,
    }
    for index, impl in enumerate(caller._plain):
        ns[f"_f{index}"] = impl.function
    for index, impl in enumerate(caller._wrappers):
        ns[f"_w{index}"] = impl.function
        ns[f"_W{index}"] = impl
    src = _Source()
    define = "async def" if awaiting else "def"

    # Wrappers come in chunks of _CHUNK; each chunk after the first is a function of its own.
    wrappers = len(caller._wrappers)
    chunk_starts = list(range(0, wrappers, _CHUNK))
    for position, start in reversed(list(enumerate(chunk_starts))):
        if position == 0:
            continue
        stop = min(start + _CHUNK, wrappers)
        inner = f"_c{position + 1}({params})" if stop < wrappers else None
        src.add(0, f"{define} _c{position}({params}):")
        _wrapper_levels(src, 1, start, stop, caller, names, inner, awaiting)
        src.add(1, "return _res")

    if named:
        defaults = caller.spec.defaults if caller.spec is not None else {}
        header = []
        for index, a in enumerate(argnames):
            ns[f"_D{index}"] = defaults.get(a, _MISSING)
            header.append(f"{a}=_D{index}")
        src.add(0, f"{define} _hook_call(_self, *_args, {''.join(h + ', ' for h in header)}**_extra):")
        required = [a for a in argnames if a not in defaults]
        test = " or ".join(["_args", "_extra", *(f"{a} is _M" for a in required)])
        given = ", ".join(f"({a!r}, {a})" for a in argnames)
        src.add(1, f"if {test}:")
        src.add(2, f"_slow(_self, _args, _extra, ({given}{',' if len(argnames) == 1 else ''}))")
    else:
        if as_method:
            src.add(0, f"{define} _hook_call(self, *args, **kw):")
            src.add(1, "if args:")
            src.add(2, "raise self._positional_error(args)")
        else:
            src.add(0, f"{define} _hook_call(kw):")
        n = len(argnames)
        src.add(1, f"if len(kw) != {n}:")
        src.add(2, "kw = _normalize(kw)")
        if n:
            src.add(1, "try:")
            for a, v in names.items():
                src.add(2, f"{v} = kw[{a!r}]")
            src.add(1, "except KeyError:")
            src.add(2, "_normalize(kw)")
            src.add(2, "raise")
    if wrappers:
        stop = min(_CHUNK, wrappers)
        inner = f"_c1({params})" if stop < wrappers else None
        _wrapper_levels(src, 1, 0, stop, caller, names, inner, awaiting)
        src.add(1, "return _res")
    else:
        _plain_section(src, 1, caller, names, awaiting, "return")
    code = "\n".join(src.lines)
    exec(compile(code, f"<nbplug hook {caller.name}>", "exec"), ns)
    function: Callable[..., Any] = ns["_hook_call"]
    function.__qualname__ = function.__name__ = "__call__" if as_method else f"hook_{caller.name}"
    return function
