"""What makes an extension invalid, and how the error says so.

Each check returns the problem as a phrase (or None), and :func:`impl_error` turns it into the
``PluginValidationError`` naming the plugin, the hook, the extension's signature and the
extension point's. The checks read the signature facts registration already has; nothing here
calls ``inspect``. Decision: plain functions the registry calls, so a manager subclass changes a
rule by overriding the one registry method that applies it. Rejected: checks as methods of the
registry (twice the size it needs, and not its job).
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Sequence
from typing import Any

from .errors import PluginValidationError
from .introspection import qualname, signature_text
from .markers import marked_by_pluggy
from .records import HookImpl, HookSpec


def _legacy_problem(impl: HookImpl, allowed: str) -> str | None:
    """What is wrong with a legacy wrapper (``hookwrapper=True``) of either manager."""
    if impl.opts.wrapper:
        return ("is marked wrapper=True and hookwrapper=True; the wrapper=True and "
                "hookwrapper=True options are mutually exclusive — a new-style wrapper gets the "
                "result at its yield, a legacy one an outcome to look at or change")
    return (f"is marked hookwrapper=True but {allowed}; a legacy wrapper sets up, then "
            "`outcome = yield`, then tears down (outcome.get_result(), force_result(...), "
            "force_exception(...))")


def sync_kind_problem(impl: HookImpl) -> str | None:
    """What is wrong with the kind of function an extension of the synchronous manager is.

    A plain extension that is a generator function is not wrong: as in pluggy, its result is
    the generator it returns.
    """
    found = impl.facts
    if impl.opts.hookwrapper and (impl.opts.wrapper or not found.is_generator):
        if found.is_asyncgen and not impl.opts.wrapper:
            return ("is an async generator marked hookwrapper=True, which only AsyncPluginManager "
                    "can drive (its function is not a generator function); use "
                    "AsyncPluginManager, or make it a generator function")
        return _legacy_problem(impl, "is not a generator function")
    if impl.opts.wrapper and not found.is_generator:
        return ("is marked wrapper=True but is not a generator function; a wrapper sets up, then "
                "`result = yield`, then tears down and returns the result")
    if found.is_coroutine:
        return ("is a coroutine function, which the synchronous PluginManager would return "
                "un-awaited; use AsyncPluginManager for async extensions")
    return None


def async_kind_problem(impl: HookImpl) -> str | None:
    """What is wrong with the kind of function an extension of the async manager is."""
    found = impl.facts
    generator = found.is_generator or found.is_asyncgen
    if impl.opts.hookwrapper and (impl.opts.wrapper or not generator):
        return _legacy_problem(impl, "is neither an async generator nor a generator function "
                                     "(its function is not a generator function of either kind)")
    if impl.opts.wrapper and not generator:
        return ("is marked wrapper=True but is neither an async generator nor a generator "
                "function (its function is not a generator function of either kind); a wrapper "
                "sets up, yields once, then tears down")
    return None


def keyword_only_problem(impl: HookImpl) -> str | None:
    """Extensions are called with positional arguments: a required keyword-only one can't be."""
    found = impl.facts
    required = [n for n in found.keyword_only if n not in found.defaults]
    if not required:
        return None
    return (f"takes keyword-only argument {required[0]!r}; an extension is passed the hook's "
            "arguments by position, in its own order — remove the '*' before it")


def spec_problem(impl: HookImpl, spec: HookSpec, project: str = "") -> str | None:
    """What is wrong with an extension against its extension point. For code marked with pluggy's
    own markers for ``project`` the phrase pluggy gives is added, so that its users' searches and
    ``match=`` find it; nbplug-marked code is told in nbplug's words only."""
    if spec.opts.historic and impl.opts.wraps:
        pluggy_words = " (historic incompatible with yield/wrapper/hookwrapper)"
        return ("is a wrapper, but the extension point is historic; historic hooks take plain "
                "extensions only" + (pluggy_words if marked_by_pluggy(impl.function, project) else ""))
    argnames = spec.argnames
    undeclared = [word for word in impl.argnames if word not in argnames]
    if undeclared:
        from .suggest import did_you_mean, quoted_list  # only when the problem is written

        word = undeclared[0]
        pluggy_words = (f" (Argument(s) {{{quoted_list(undeclared)}}} are declared in the hookimpl "
                        "but can not be found in the hookspec)"
                        ) if marked_by_pluggy(impl.function, project) else ""
        return (f"takes argument {word!r}, which the extension point does not declare"
                f"{did_you_mean(word, argnames)}; it declares {quoted_list(argnames)}{pluggy_words}; "
                f"rename or remove {word!r} in the extension, or declare it on the extension point")
    return None


def impl_error(impl: HookImpl, spec: HookSpec | None, problem: str) -> PluginValidationError:
    """The error for an invalid extension: plugin, hook, both signatures, and the problem."""
    where = f"\n  extension point: {spec.signature}" if spec is not None else ""
    return PluginValidationError(
        impl.plugin,
        f"plugin {impl.plugin_name!r}: extension {impl.hook_name!r} "
        f"({signature_text(qualname(impl.function), impl.function)}) {problem}{where}",
    )


def shown(obj: object) -> str:
    """``obj`` named in a message, whatever its ``__repr__`` does (safetext is loaded only then)."""
    from .._base.safetext import safe_repr

    return safe_repr(obj)


def pending_error(pending: Sequence[HookImpl], spec_names: Sequence[str]) -> PluginValidationError:
    """The error for extensions of hooks no extension point was added for (``pending`` not
    empty): the first one named, with a did-you-mean among ``spec_names``, the others listed."""
    from .suggest import did_you_mean  # only when the error is written

    impl = pending[0]
    others = "".join(f"\n  also: plugin {i.plugin_name!r} implements {i.hook_name!r}"
                     for i in pending[1:])
    return PluginValidationError(
        impl.plugin,
        f"unknown hook {impl.hook_name!r} in plugin {shown(impl.plugin)}"
        f"{did_you_mean(impl.hook_name, spec_names)}: plugin {impl.plugin_name!r} implements it, "
        "but no extension point of that name was added (mark the extension optionalhook=True if "
        f"that is intended){others}",
    )


# -- what registration warns about (after the change it belongs to has been made) -------------


def warn_at(warning: Warning, function: object) -> None:
    """Issue ``warning`` pointing at ``function``'s definition (or at the caller, without one)."""
    code = getattr(function, "__code__", None)
    if code is not None:
        warnings.warn_explicit(warning, type(warning), code.co_filename, code.co_firstlineno)
    else:
        from .callsite import outside_stacklevel  # only when a warning is issued here

        warnings.warn(warning, stacklevel=outside_stacklevel())


def warn_on_impl(impls: Sequence[HookImpl], specs: dict[str, HookSpec | None]) -> None:
    """Issue, for each accepted extension, its spec's ``warn_on_impl`` warning, then a
    ``warn_on_impl_args`` warning for each argument it asks for (with a default or not) that the
    spec warns about, as pluggy does; pointing at the extension. Called by the registry only
    once the change it belongs to is made."""
    for impl in impls:
        spec = specs.get(impl.hook_name)
        if spec is None:
            continue
        opts = spec.opts
        if opts.warn_on_impl is not None:
            warn_at(opts.warn_on_impl, impl.function)
        by_argument = opts.warn_on_impl_args
        if by_argument:
            for name in impl.facts.names:
                warning = by_argument.get(name)
                if warning is not None:
                    warn_at(warning, impl.function)


def noself_warning(namespace: object, raw: Any) -> DeprecationWarning | None:
    """pluggy's warning for an extension point written as a method of a class without ``self``
    (and not a staticmethod): the hook passes its first argument where ``self`` would be."""
    if not isinstance(namespace, type) or type(raw) is not types.FunctionType:
        return None
    qualname = raw.__qualname__
    code = raw.__code__
    if "." not in qualname.rsplit("<locals>.", 1)[-1] or not code.co_argcount:
        return None
    first = code.co_varnames[0]
    if first in ("self", "cls"):
        return None
    return DeprecationWarning(
        f"{qualname} is a method but its first parameter {first!r} is not 'self'. Add 'self' as "
        f"the first parameter or use @staticmethod. (nbplug calls it as a plain function, "
        f"{first!r} being the hook's first argument.)")
