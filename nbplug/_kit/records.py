"""The records of a hook: ``HookSpec`` (an extension point), ``HookImpl`` (an extension), and the order
in which a hook calls its extensions.

Records are built at registration and read by everything after (call plans, validation, views);
their signature facts come from :mod:`nbplug._kit.introspection`, read once per function. What is only
wanted for messages and views — the signature as text, the first line of the docstring — is worked
out on first use, not at registration.

Decision: plain ``__slots__`` classes, built once per extension and never changed (a change to a hook
makes new plans, not new records). Rejected: dataclasses (``import nbplug`` does without the
``dataclasses`` module, like the markers' options) and computing the signature text at registration
(it calls ``inspect.signature``, ten times dearer than the rest of reading a function).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from .introspection import Facts, facts, qualname, signature_text
from .markers import ImplOptions, SpecOptions


class HookSpec:
    """An extension point: the hook's name, arguments, defaults and mode."""

    __slots__ = ("_doc", "_signature", "argnames", "defaults", "function", "name", "namespace", "opts")

    def __init__(self, namespace: object, name: str, function: Callable[..., Any],
                 opts: SpecOptions) -> None:
        found = facts(function)
        self.namespace = namespace
        self.name = name
        self.function = function
        self.opts = opts
        self._signature: str | None = None
        self._doc: str | None = None
        if found.variadic:
            raise ValueError(
                f"extension point {name!r} declares *{found.variadic[0]}; an extension point lists "
                f"its arguments by name: {self.signature}"
            )
        self.argnames: tuple[str, ...] = found.names
        self.defaults: dict[str, Any] = found.defaults
        if opts.pipeline and not self.argnames:
            raise ValueError(
                f"pipeline extension point {name!r} needs at least one argument: the first one is "
                f"the value threaded through the extensions ({self.signature})"
            )

    @property
    def signature(self) -> str:
        """``name(arg: type, ...) -> ret``, as error messages and views show it."""
        if self._signature is None:
            self._signature = signature_text(self.name, self.function)
        return self._signature

    @property
    def doc(self) -> str:
        """The first line of the extension point's docstring ("" when it has none)."""
        if self._doc is None:
            doc = (inspect.getdoc(self.function) or "").strip()
            self._doc = doc.splitlines()[0] if doc else ""
        return self._doc

    def __repr__(self) -> str:
        return f"<HookSpec {self.signature} mode={self.opts.mode}>"


class HookImpl:
    """One plugin's extension of a hook, with its options and the arguments it asks for."""

    __slots__ = ("argnames", "facts", "function", "hook_name", "is_async", "kwargnames", "opts", "plugin",
                 "plugin_name", "rank", "seq")

    def __init__(self, plugin: object, plugin_name: str, function: Callable[..., Any],
                 opts: ImplOptions, hook_name: str, seq: int = 0, rank: int = 0) -> None:
        self.plugin = plugin
        self.plugin_name = plugin_name
        self.function = function
        self.opts = opts
        self.hook_name = hook_name
        #: the plugin's place in registration order (a replacement keeps it)
        self.seq = seq
        #: the extension's place among its plugin's, in the order of the plugin's sorted
        #: member names (the order pluggy's ``dir`` walk adds them in)
        self.rank = rank
        found = facts(function)
        #: the function's signature facts (shared by every HookImpl of the same function)
        self.facts: Facts = found
        #: the arguments it asks for, in its own order (its parameters without a default)
        self.argnames: tuple[str, ...] = found.required
        #: its parameters with a default (not keyword-only): passed by keyword when the call has
        #: them, as pluggy does, and left to their default when it has not
        self.kwargnames: tuple[str, ...] = tuple(
            n for n in found.names if n in found.defaults and n not in found.keyword_only)
        self.is_async = found.is_coroutine or found.is_asyncgen

    tryfirst = property(lambda self: self.opts.tryfirst, doc="Runs before ordinary extensions.")
    trylast = property(lambda self: self.opts.trylast, doc="Runs after ordinary extensions.")
    wrapper = property(lambda self: self.opts.wrapper, doc="A new-style wrapper (``result = yield``).")
    hookwrapper = property(lambda self: self.opts.hookwrapper,
                           doc="A legacy wrapper (``outcome = yield``, a Result it may change).")
    optionalhook = property(lambda self: self.opts.optionalhook,
                            doc="Needs no extension point to be registered.")

    @property
    def signature(self) -> str:
        """The extension's signature as text (self left out)."""
        return signature_text(qualname(self.function), self.function)

    def __repr__(self) -> str:
        flags = [n for n in ("wrapper", "hookwrapper", "tryfirst", "trylast") if getattr(self.opts, n)]
        extra = f" [{', '.join(flags)}]" if flags else ""
        return f"<HookImpl {self.plugin_name}.{self.hook_name}{extra}>"


def _added(impl: HookImpl) -> tuple[int, int]:
    return impl.seq, impl.rank


def call_order(impls: Iterable[HookImpl]) -> list[HookImpl]:
    """pluggy's order: tryfirst, then ordinary, then trylast.

    An extension counts as added when pluggy would add it: plugins in registration order,
    and a plugin's own extensions in the order of its sorted member names (``dir``).
    Extensions added later run first among tryfirst and among ordinary ones, but last among
    trylast ones (pluggy inserts each trylast extension at the very end of the call) — so of
    one plugin's extensions, the one whose name sorts last runs first, or last if trylast.
    """
    by_seq = sorted(impls, key=_added, reverse=True)
    return ([i for i in by_seq if i.opts.tryfirst]
            + [i for i in by_seq if not (i.opts.tryfirst or i.opts.trylast)]
            + [i for i in reversed(by_seq) if i.opts.trylast])
