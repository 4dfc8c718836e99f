"""The frozen call plan of a hook, and the rules for a call's arguments.

A :class:`CallPlan` is everything a call needs, fixed at the moment it was made: the hook's name and
mode, its argument names and defaults, the plain extensions and the wrappers in call order.
Both engines take a plan — the code generator (:mod:`nbplug._kit.calls`) and the traced interpreter
(:mod:`nbplug._kit.interpret`) — so neither reaches back into the caller that made it. A caller makes a
new plan on the first call after a change; a registration only marks the old one stale.

The argument rules (keyword arguments only; nothing the extension point does not declare, with a
did-you-mean; an argument it declares but the call leaves out is warned about, as pluggy does, and
only an extension that needs it fails, with :func:`missing_argument_error`) are here beside the
plan because they read nothing else. Rejected: keeping them on the caller, which made the engines
depend on the caller and the caller on the engines.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from .errors import HookCallError, MissingArgumentWarning, PositionalCallError
from .introspection import qualname
from .records import HookImpl, HookSpec, call_order


class CallPlan:
    """One hook's call, frozen: name, mode, arguments, defaults, plain extensions, wrappers."""

    __slots__ = ("argnames", "defaults", "mode", "name", "plain", "spec", "wrappers")

    name: str
    mode: str
    argnames: tuple[str, ...]
    defaults: dict[str, Any]
    plain: tuple[HookImpl, ...]
    wrappers: tuple[HookImpl, ...]
    spec: HookSpec | None

    def __init__(self, name: str, spec: HookSpec | None, impls: Iterable[HookImpl]) -> None:
        impls = list(impls)
        values = {
            "name": name,
            "spec": spec,
            "mode": spec.opts.mode if spec is not None else "collecting",
            "argnames": spec.argnames if spec is not None else _asked_for(impls),
            "defaults": dict(spec.defaults) if spec is not None else {},
            "plain": tuple(call_order(i for i in impls if not i.opts.wraps)),
            "wrappers": tuple(call_order(i for i in impls if i.opts.wraps)),
        }
        for key, value in values.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a CallPlan is frozen; a change to the hook makes a new plan")

    def implementations(self) -> list[HookImpl]:
        """Call order: wrappers outermost first, then the plain extensions."""
        return [*self.wrappers, *self.plain]

    def hookimpls(self) -> list[HookImpl]:
        """pluggy's order (the reverse of call order, plain extensions before wrappers)."""
        return [*self.plain[::-1], *self.wrappers[::-1]]

    def __repr__(self) -> str:
        return (f"<CallPlan {self.name!r} mode={self.mode} plain={len(self.plain)} "
                f"wrappers={len(self.wrappers)}>")


def _asked_for(impls: list[HookImpl]) -> tuple[str, ...]:
    """With no extension point, a hook takes what its extensions ask for."""
    seen: dict[str, None] = {}
    for impl in impls:
        seen.update(dict.fromkeys(impl.argnames))
    return tuple(seen)


def check_arguments(plan: CallPlan, kwargs: dict[str, Any]) -> dict[str, Any]:
    """A call's keyword arguments checked, with the spec's defaults filled in.

    Raises HookCallError for an argument the extension point does not declare. An argument it
    declares that the call leaves out is warned about (``MissingArgumentWarning``, pointing at the
    call) and the call goes on: :func:`missing_argument_error` is raised by the extension that
    needs it, when its turn comes. With no extension point nothing is declared, so nothing is
    warned about; an extension that needs what the call left out fails the same way.
    """
    names = plan.argnames
    spec = plan.spec
    if spec is not None:
        unknown = [k for k in kwargs if k not in names]
        if unknown:
            from .suggest import did_you_mean, quoted_list  # only when the error is written

            word = unknown[0]
            raise HookCallError(
                f"hook {plan.name!r} got an unexpected argument {word!r}"
                f"{did_you_mean(word, names)}; it takes {quoted_list(names)} — {spec.signature}"
            )
    defaults = plan.defaults
    if spec is not None and len(kwargs) < len(names):
        missing = [n for n in names if n not in kwargs and n not in defaults]
        if missing:
            from .callsite import outside_stacklevel  # only when the warning is issued

            warnings.warn(MissingArgumentWarning(
                f"Argument(s) {', '.join(map(repr, missing))} which are declared in the hookspec "
                f"cannot be found in this hook call — hook {plan.name!r}, {spec.signature}; an "
                "extension that needs them raises HookCallError"), stacklevel=outside_stacklevel())
    if not defaults:
        return kwargs
    return {**{n: defaults[n] for n in names if n in defaults}, **kwargs}


def missing_argument_error(plan: CallPlan, impl: HookImpl, name: str) -> HookCallError:
    """The error for an extension that needs an argument the call left out (pluggy's words first)."""
    from .suggest import quoted_list  # only when the error is written

    names = plan.argnames
    where = plan.spec.signature if plan.spec is not None else (
        f"no extension point; its extensions ask for {quoted_list(names)}")
    return HookCallError(
        f"hook call must provide argument {name!r}: hook {plan.name!r} is missing the argument "
        f"{name!r}, which extension {impl.plugin_name!r} ({qualname(impl.function)}) needs "
        f"(call it as {plan.name}({', '.join(f'{n}=...' for n in names)})) — {where}"
    )


def positional_error(plan: CallPlan, args: tuple[Any, ...]) -> HookCallError:
    """The error for a call given positional arguments (a TypeError too, as in pluggy)."""
    return PositionalCallError(
        f"hook {plan.name!r} takes keyword arguments only; got {len(args)} positional — call "
        f"it as {plan.name}({', '.join(f'{n}=...' for n in plan.argnames)})"
    )


def historic_call_error(name: str, awaiting: bool) -> Exception:
    """The error for calling a historic hook directly (on the async manager: at all)."""
    if awaiting:
        return NotImplementedError(
            f"hook {name!r}: historic calls are not supported by AsyncPluginManager, "
            "because replaying a call to a plugin registered later would have to await during "
            "register(); use the synchronous PluginManager for historic hooks"
        )
    return HookCallError(
        "Cannot directly call a historic hook - use call_historic instead: "
        f"hook {name!r} is historic; call it with "
        f"pm.hook.{name}.call_historic(kwargs={{...}}) so that plugins registered later "
        "get the call too"
    )
