"""What makes an extension invalid, and how the error says so.

Each check returns the problem as a phrase (or None), and :func:`impl_error` turns it into the
``PluginValidationError`` naming the plugin, the hook, the extension's signature and the
extension point's. The checks read the signature facts registration already has; nothing here
calls ``inspect``. Decision: plain functions the registry calls, so a manager subclass changes a
rule by overriding the one registry method that applies it. Rejected: checks as methods of the
registry (they made the registry twice the size it needs and are not its job).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from .errors import PluginValidationError
from .records import HookImpl, HookSpec
from .signatures import qualname, signature_text
from .suggest import did_you_mean, quoted_list


def sync_kind_problem(impl: HookImpl) -> str | None:
    """What is wrong with the kind of function an extension of the synchronous manager is."""
    found = impl.facts
    if impl.opts.wrapper and not found.is_generator:
        return ("is marked wrapper=True but is not a generator function; a wrapper sets up, then "
                "`result = yield`, then tears down and returns the result")
    if not impl.opts.wrapper and (found.is_generator or found.is_asyncgen):
        return ("is a generator function but not marked wrapper=True; mark it "
                "@extension(wrapper=True) or return the result instead of yielding it")
    if found.is_coroutine:
        return ("is a coroutine function, which the synchronous PluginManager would return "
                "un-awaited; use AsyncPluginManager for async extensions")
    return None


def async_kind_problem(impl: HookImpl) -> str | None:
    """What is wrong with the kind of function an extension of the async manager is."""
    found = impl.facts
    generator = found.is_generator or found.is_asyncgen
    if impl.opts.wrapper and not generator:
        return ("is marked wrapper=True but is neither an async generator nor a generator "
                "function; a wrapper sets up, yields once, then tears down")
    if not impl.opts.wrapper and generator:
        return ("is a generator function but not marked wrapper=True; mark it "
                "@extension(wrapper=True) or return the result instead of yielding it")
    return None


def keyword_only_problem(impl: HookImpl) -> str | None:
    """Extensions are called with positional arguments: a required keyword-only one can't be."""
    found = impl.facts
    required = [n for n in found.keyword_only if n not in found.defaults]
    if not required:
        return None
    return (f"takes keyword-only argument {required[0]!r}; an extension is passed the hook's "
            "arguments by position, in its own order — remove the '*' before it")


def spec_problem(impl: HookImpl, spec: HookSpec) -> str | None:
    """What is wrong with an extension against its extension point."""
    if spec.opts.historic and impl.opts.wrapper:
        return ("is a wrapper, but the extension point is historic; historic hooks take plain "
                "extensions only")
    argnames = spec.argnames
    for word in impl.argnames:
        if word not in argnames:
            return (f"takes argument {word!r}, which the extension point does not declare"
                    f"{did_you_mean(word, argnames)}; it declares {quoted_list(argnames)}")
    return None


def impl_error(impl: HookImpl, spec: HookSpec | None, problem: str) -> PluginValidationError:
    """The error for an invalid extension: plugin, hook, both signatures, and the problem."""
    where = f"\n  extension point: {spec.signature}" if spec is not None else ""
    return PluginValidationError(
        impl.plugin,
        f"plugin {impl.plugin_name!r}: extension {impl.hook_name!r} "
        f"({signature_text(qualname(impl.function), impl.function)}) {problem}{where}",
    )


def pending_error(pending: Sequence[HookImpl], spec_names: Sequence[str]) -> PluginValidationError:
    """The error for implementations of hooks no extension point was added for (``pending`` not
    empty): the first one named, with a did-you-mean among ``spec_names``, the others listed."""
    impl = pending[0]
    others = "".join(f"\n  also: plugin {i.plugin_name!r} implements {i.hook_name!r}"
                     for i in pending[1:])
    return PluginValidationError(
        impl.plugin,
        f"plugin {impl.plugin_name!r} implements unknown hook {impl.hook_name!r}"
        f"{did_you_mean(impl.hook_name, spec_names)}: no extension point of that name was added "
        f"(mark the extension optionalhook=True if that is intended){others}",
    )


def warn_on_impl(impls: Sequence[HookImpl], specs: dict[str, HookSpec | None]) -> None:
    """Issue the ``warn_on_impl`` warning of each spec an accepted implementation meets, pointing
    at the implementation; called by the registry only once the change it belongs to is made
    (directly from ``register`` / ``add_extension_points``: the fallback's stacklevel counts on it)."""
    for impl in impls:
        spec = specs.get(impl.hook_name)
        if spec is None or spec.opts.warn_on_impl is None:
            continue
        code = getattr(impl.function, "__code__", None)
        if code is not None:
            warnings.warn_explicit(spec.opts.warn_on_impl, type(spec.opts.warn_on_impl),
                                   code.co_filename, code.co_firstlineno)
        else:
            warnings.warn(spec.opts.warn_on_impl, stacklevel=3)
