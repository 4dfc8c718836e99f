"""The code generator: a hook's call plan compiled to straight-line Python.

The compiled function is what makes calls cheap: generated for one :class:`~nbplug._kit.plan.CallPlan`,
it calls each extension with positional arguments, with no per-call loop over options. The
wrapper rules it follows are :mod:`nbplug._kit.wrapping`'s, which the traced interpreter shares; it
loads them when it first compiles a plan with wrappers or an awaited one, so that ``import nbplug``
and plain calls never load them.

Decision: the generated code depends only on the plan's *shape* (name, mode, argument names, each
extension's arguments and kind), never on the functions themselves, which are passed in as
globals. So the compiled code object is cached by shape: re-running a notebook cell that redefines
a plugin, or replacing a plugin by one of the same form, makes a new function from the cached code
instead of compiling again. Rejected: compiling every touched hook at registration (most hooks are
not called before the next change) and a generic loop (several times slower per call).
"""

from __future__ import annotations

from collections.abc import Callable
from types import CodeType
from typing import Any

from .plan import CallPlan, check_arguments, historic_call_error, positional_error
from .records import HookImpl
from .result import Result

_GENERATED_GLOBALS = frozenset({"next", "len", "BaseException", "StopIteration", "StopAsyncIteration",
                                "KeyError"})
_CHUNK = 16  # wrappers per generated function: Python limits statically nested blocks to 20
_CACHE_SIZE = 512  # compiled shapes kept; past it the cache starts again

_compiled: dict[tuple[Any, ...], CodeType] = {}


# --------------------------------------------------------------------------------------------
# Compiled plans


class _Source:
    """Collects generated lines with indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)


def _arguments(impl: HookImpl, names: dict[str, str]) -> str:
    """An extension's arguments in the generated call: what it asks for by position, then its
    defaulted parameters that are the hook's arguments by keyword (pluggy passes those too)."""
    given = [names[a] for a in impl.argnames]
    if impl.kwargnames:
        given += [f"{k}={names[k]}" for k in impl.kwargnames if k in names]
    return ", ".join(given)


def _plain_section(src: _Source, indent: int, plan: CallPlan, names: dict[str, str],
                   awaiting: bool, target: str) -> None:
    """Emit the plain extensions in call order, leaving the outcome in ``target``.

    firstresult is a flat chain (``if _x is None: _x = next(...)``) so that no ``return`` is
    needed and it can sit inside the wrappers' code.
    """
    mode = plan.mode
    value = names[plan.argnames[0]] if mode == "pipeline" else ""
    single = mode == "collecting" and len(plan.plain) == 1
    if mode == "collecting" and not single:
        src.add(indent, "_r = []")
    elif mode == "firstresult":
        src.add(indent, "_x = None")
    for index, impl in enumerate(plan.plain):
        at = indent
        if mode == "firstresult" and index:
            src.add(indent, "if _x is None:")
            at = indent + 1
        call = f"_f{index}({_arguments(impl, names)})"
        if awaiting and impl.facts.is_coroutine:
            src.add(at, f"_x = await {call}")
        else:
            src.add(at, f"_x = {call}")
            if awaiting:
                src.add(at, "if _x.__class__ not in _PLAIN and _isaw(_x):")
                src.add(at + 1, "_x = await _x")
        if single:  # one list literal instead of an empty list and an append (measured 3% faster)
            src.add(at, "_r = [] if _x is None else [_x]")
        elif mode == "collecting":
            src.add(at, "if _x is not None:")
            src.add(at + 1, "_r.append(_x)")
        elif mode == "pipeline":
            src.add(at, "if _x is not None:")
            src.add(at + 1, f"{value} = _x")
    outcome = {"collecting": "_r", "firstresult": "_x"}.get(mode, value)
    src.add(indent, f"return {outcome}" if target == "return" else f"{target} = {outcome}")


def _wrapper_levels(src: _Source, indent: int, start: int, stop: int, plan: CallPlan,
                    names: dict[str, str], inner: str | None, awaiting: bool) -> None:
    """Emit wrappers start..stop-1 nested around the inner call (``None``: the plain section).

    The result is left in ``_res``. Generator wrappers are driven inline through ``_drive``
    (send / throw return the wrapper's result as a value), which costs less per wrapper than the
    hand-written ``send`` and ``except StopIteration``. Async generators: ``asend`` inline,
    ``_aresume`` for errors. Legacy wrappers are sent a Result inline (generators) or through
    ``_alegacy`` (async generators), and what it holds afterwards becomes ``_res``.
    """
    if start == stop:
        if inner is None:
            _plain_section(src, indent, plan, names, awaiting, "_res")
        else:
            src.add(indent, f"_res = {'await ' if awaiting else ''}{inner}")
        return
    impl = plan.wrappers[start]
    g = f"_g{start}"
    _set_up(src, indent, start, _arguments(impl, names), impl.facts.is_asyncgen)
    if impl.opts.hookwrapper:
        _legacy_level(src, indent, start, stop, plan, names, inner, awaiting)
        return
    if impl.facts.is_asyncgen:
        src.add(indent, "try:")
        _wrapper_levels(src, indent + 1, start + 1, stop, plan, names, inner, awaiting)
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
    src.add(indent, "try:")
    _wrapper_levels(src, indent + 1, start + 1, stop, plan, names, inner, awaiting)
    for clause, action in (("except BaseException as _e:", f"_throw({g}, _e)"),
                           ("else:", f"{g}.send(_res)")):
        src.add(indent, clause)
        src.add(indent + 1, f"_res = {action}")
        src.add(indent + 1, f"if {g}.gi_yieldfrom is not None:")
        src.add(indent + 2, f"_second({g}, _W{start})")
    src.add(indent, f"next({g}, None)")


def _set_up(src: _Source, indent: int, start: int, args: str, is_async: bool) -> None:
    """Emit wrapper ``start``'s set-up, to its first yield (``_no_yield`` if there is none). A
    generator is driven through ``_drive``, so that no StopIteration is raised on the way."""
    g, w = f"_g{start}", f"_W{start}"
    if is_async:
        src.add(indent, f"{g} = _w{start}({args})")
        src.add(indent, "try:")
        src.add(indent + 1, f"await {g}.__anext__()")
        src.add(indent, "except StopAsyncIteration:")
        src.add(indent + 1, f"_no_yield({w})")
    else:
        src.add(indent, f"{g} = _drive(_w{start}({args}))")
        src.add(indent, f"next({g})")
        src.add(indent, f"if {g}.gi_yieldfrom is None:")
        src.add(indent + 1, f"_no_yield({w})")


def _legacy_level(src: _Source, indent: int, start: int, stop: int, plan: CallPlan,
                  names: dict[str, str], inner: str | None, awaiting: bool) -> None:
    """Emit legacy wrapper ``start`` (set up already) around the levels inside it: the inner
    outcome as a Result, then the teardown with that Result; ``_res`` is what it holds after."""
    g, o, w = f"_g{start}", f"_o{start}", f"_W{start}"
    is_async = plan.wrappers[start].facts.is_asyncgen
    src.add(indent, "try:")
    _wrapper_levels(src, indent + 1, start + 1, stop, plan, names, inner, awaiting)
    src.add(indent, "except BaseException as _e:")
    src.add(indent + 1, f"{o} = _Result(None, _e)")
    src.add(indent, "else:")
    src.add(indent + 1, f"{o} = _Result(_res, None)")
    if is_async:
        src.add(indent, f"_res = await _alegacy({g}, {o}, {w})")
        return
    src.add(indent, "try:")  # legacy_teardown, inlined through _drive: the call's hot path
    src.add(indent + 1, f"{g}.send({o})")
    src.add(indent, "except BaseException as _e:")
    src.add(indent + 1, f"_teardown_raised({w}, _e)")
    src.add(indent + 1, "raise")
    src.add(indent, f"if {g}.gi_yieldfrom is not None:")
    src.add(indent + 1, f"_second({g}, {w})")
    src.add(indent, f"next({g}, None)")
    # Result.get_result(), inlined for a value (its two slots read directly: half the cost of the
    # method call); an exception still goes through get_result, which keeps its traceback
    src.add(indent, f"_res = {o}._result if {o}._exception is None else {o}.get_result()")


class _Missing:
    """Marks an argument a call did not give."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _shape(plan: CallPlan, awaiting: bool, as_method: bool, named: bool) -> tuple[Any, ...]:
    """What the generated code depends on: equal shapes compile to the same code."""
    return (plan.name, plan.mode, plan.argnames, tuple(plan.defaults), awaiting, as_method, named,
            tuple((i.argnames, _passed(i, plan), i.facts.is_coroutine) for i in plan.plain),
            tuple((i.argnames, _passed(i, plan), i.facts.is_asyncgen, i.opts.hookwrapper)
                  for i in plan.wrappers))


def _passed(impl: HookImpl, plan: CallPlan) -> tuple[str, ...]:
    """The defaulted parameters of ``impl`` the generated call passes (the hook's arguments)."""
    kwargnames = impl.kwargnames
    return tuple(k for k in kwargnames if k in plan.argnames) if kwargnames else ()


def compile_plan(plan: CallPlan, awaiting: bool, as_method: bool = False) -> Callable[..., Any]:
    """The function that performs one call of ``plan``.

    ``as_method=False`` gives ``call(kwargs_dict)``; ``as_method=True`` gives
    ``__call__(self, *args, **kwargs)``, for a caller to make its own ``__call__`` so that
    ``pm.hook.name(...)`` runs it directly.
    """
    if plan.mode == "historic":

        def historic(*_: Any, **__: Any) -> Any:
            raise historic_call_error(plan.name, awaiting)

        return historic

    argnames = plan.argnames
    # As a method with a spec, the hook's own argument names become parameters of __call__ (no
    # dict look-ups); names that could clash with generated locals fall back to the dict form.
    named = as_method and plan.spec is not None and not any(
        a.startswith("_") or a in _GENERATED_GLOBALS for a in argnames)

    def normalize(kwargs: dict[str, Any]) -> dict[str, Any]:
        return check_arguments(plan, kwargs)

    def partial(kwargs: dict[str, Any], checked: bool) -> Any:
        """A call that left out arguments: warned about (once checked), then run step by step so
        that only an extension needing what is missing fails, at its turn (pluggy's rule)."""
        from .interpret import call_async, call_sync

        kw = kwargs if checked else check_arguments(plan, kwargs)
        return call_async(plan, kw) if awaiting else call_sync(plan, kw)

    def slow_path(args: tuple[Any, ...], extra: dict[str, Any],
                  given: tuple[tuple[str, Any], ...]) -> Any:
        """A call the compiled ``__call__`` found unusual: raise its error, or make the call
        with arguments left out."""
        if args:
            raise positional_error(plan, args)
        kw = check_arguments(plan, {**{k: v for k, v in given if v is not _MISSING}, **extra})
        return partial(kw, True)

    def positional(args: tuple[Any, ...]) -> Exception:
        return positional_error(plan, args)

    ns: dict[str, Any] = {
        "_normalize": normalize, "_M": _MISSING, "_slow": slow_path, "_positional": positional,
        "_partial": partial, "_Result": Result,
    }
    if plan.wrappers or awaiting:
        # wrappers, and awaiting what a plain extension returns: once per compile, never per call
        from . import wrapping

        ns.update({
            "_no_yield": wrapping.no_yield, "_second": wrapping.second,
            "_asecond": wrapping.asecond, "_aresume": wrapping.aresume, "_drive": wrapping.drive,
            "_isaw": wrapping.isawaitable, "_PLAIN": wrapping.PLAIN_TYPES,
            "_throw": wrapping.throw, "_alegacy": wrapping.alegacy_teardown,
            "_teardown_raised": wrapping.teardown_raised,
        })
    for index, impl in enumerate(plan.plain):
        ns[f"_f{index}"] = impl.function
    for index, impl in enumerate(plan.wrappers):
        ns[f"_w{index}"] = impl.function
        ns[f"_W{index}"] = impl
    for index, a in enumerate(argnames):
        ns[f"_D{index}"] = plan.defaults.get(a, _MISSING)
    shape = _shape(plan, awaiting, as_method, named)
    code = _compiled.get(shape)
    if code is None:
        source = _generate(plan, awaiting, as_method, named)
        code = compile(source, f"<nbplug hook {plan.name}>", "exec")
        if len(_compiled) >= _CACHE_SIZE:
            _compiled.clear()
        _compiled[shape] = code
    exec(code, ns)
    function: Callable[..., Any] = ns["_hook_call"]
    function.__qualname__ = function.__name__ = "__call__" if as_method else f"hook_{plan.name}"
    return function


def _generate(plan: CallPlan, awaiting: bool, as_method: bool, named: bool) -> str:
    """The source of the module that defines ``_hook_call`` (and its wrapper chunks)."""
    argnames = plan.argnames
    names = {a: (a if named else f"a{i}") for i, a in enumerate(argnames)}
    params = ", ".join(names.values())
    src = _Source()
    define = "async def" if awaiting else "def"

    # Wrappers come in chunks of _CHUNK; each chunk after the first is a function of its own.
    wrappers = len(plan.wrappers)
    chunk_starts = list(range(0, wrappers, _CHUNK))
    for position, start in reversed(list(enumerate(chunk_starts))):
        if position == 0:
            continue
        stop = min(start + _CHUNK, wrappers)
        inner = f"_c{position + 1}({params})" if stop < wrappers else None
        src.add(0, f"{define} _c{position}({params}):")
        _wrapper_levels(src, 1, start, stop, plan, names, inner, awaiting)
        src.add(1, "return _res")

    if named:
        header = [f"{a}=_D{index}" for index, a in enumerate(argnames)]
        src.add(0, f"{define} _hook_call(_self, *_args, {''.join(h + ', ' for h in header)}**_extra):")
        required = [a for a in argnames if a not in plan.defaults]
        test = " or ".join(["_args", "_extra", *(f"{a} is _M" for a in required)])
        given = ", ".join(f"({a!r}, {a})" for a in argnames)
        src.add(1, f"if {test}:")
        src.add(2, f"return {'await ' if awaiting else ''}"
                   f"_slow(_args, _extra, ({given}{',' if len(argnames) == 1 else ''}))")
    else:
        if as_method:
            src.add(0, f"{define} _hook_call(self, *args, **kw):")
            src.add(1, "if args:")
            src.add(2, "raise _positional(args)")
        else:
            src.add(0, f"{define} _hook_call(kw):")
        n = len(argnames)
        src.add(1, f"_k = len(kw) != {n}")
        src.add(1, "if _k:")
        src.add(2, "kw = _normalize(kw)")
        if n:
            src.add(1, "try:")
            for a, v in names.items():
                src.add(2, f"{v} = kw[{a!r}]")
            src.add(1, "except KeyError:")
            src.add(2, f"return {'await ' if awaiting else ''}_partial(kw, _k)")
    if wrappers:
        stop = min(_CHUNK, wrappers)
        inner = f"_c1({params})" if stop < wrappers else None
        _wrapper_levels(src, 1, 0, stop, plan, names, inner, awaiting)
        src.add(1, "return _res")
    else:
        _plain_section(src, 1, plan, names, awaiting, "return")
    return "\n".join(src.lines)
