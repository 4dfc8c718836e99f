"""Each error and warning pluggy 1.7 gives for a behaviour nbplug shares, provoked on pluggy and on
nbplug's managers: nbplug's message (more informative: did-you-mean, the extension point's
signature, the plugin's name) contains pluggy's key phrase, so that a pluggy user's
``pytest.raises(..., match=...)`` and searches for pluggy's wording still find it (issue 11: "make
each contain what pluggy's says where that costs nothing").

Each situation is provoked on a fresh manager of each kit with the same plugin objects, and its key
phrase is checked in pluggy's own message first: if pluggy's wording changes, the test says so.
Left out on purpose: a positional hook call (pluggy's ``TypeError`` is Python's own text about
``__call__``), and the async manager's historic calls (it refuses historic hooks altogether).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from typing import Any

import pluggy
import pytest
from compat_fixtures import PROJECT, hookimpl, hookspec, recorded_warnings

import nbplug

SYNC = ("PluginManager",)
BOTH = ("PluginManager", "AsyncPluginManager")
MANAGERS: dict[str, Callable[[], Any]] = {
    "PluginManager": lambda: nbplug.PluginManager(PROJECT),
    "AsyncPluginManager": lambda: nbplug.AsyncPluginManager(PROJECT),
}


class Specs:
    @hookspec
    def compat_msg(self, a: int) -> Any:
        """A collecting hook of one argument."""

    @hookspec(historic=True)
    def compat_msg_history(self, a: int) -> None:
        """A historic hook."""


@dataclass(frozen=True)
class Situation:
    """How to provoke one of pluggy's messages on a manager, and the phrases it must contain."""

    name: str
    provoke: Callable[[Any], Any]  # given a fresh manager; may return an awaitable to await
    phrases: tuple[str, ...]
    managers: tuple[str, ...] = BOTH


def situation(name: str, provoke: Callable[[Any], Any], *phrases: str,
              managers: tuple[str, ...] = BOTH) -> Situation:
    return Situation(name, provoke, phrases, managers)


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def message_of(provoke: Callable[[Any], Any], pm: Any) -> str:
    """What ``provoke(pm)`` said: the error's message, then every warning's, one per line."""
    texts: list[str] = []
    with recorded_warnings() as seen:
        try:
            value = provoke(pm)
            if inspect.isawaitable(value):
                asyncio.run(_awaited(value))
        except Exception as exc:  # the message is what is compared, whatever the type
            texts.append(str(exc))
    texts.extend(str(w.message) for w in seen)
    return "\n".join(texts)


def with_specs(*plugins: tuple[str, object]) -> Callable[[Any], Any]:
    """A manager with ``Specs`` added and ``plugins`` (name, object) registered."""
    def provoke(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        for name, plugin in plugins:
            pm.register(plugin, name=name)
        return pm
    return provoke


def calling(*plugins: tuple[str, object], **kwargs: Any) -> Callable[[Any], Any]:
    """``with_specs(*plugins)``, then ``pm.hook.compat_msg(**kwargs)``."""
    def provoke(pm: Any) -> Any:
        return with_specs(*plugins)(pm).hook.compat_msg(**kwargs)
    return provoke


def line_of(function: Callable[..., Any]) -> str:
    """``file:line`` of a function's definition, as pluggy's ``wrap_controller at`` writes it."""
    code = function.__code__
    return f"{code.co_filename}:{code.co_firstlineno}"


class Unknown:
    @hookimpl
    def compat_msg_nowhere(self) -> None: ...


class Undeclared:
    @hookimpl
    def compat_msg(self, a: int, zzz: int) -> None: ...


class HistoricWrapper:
    @hookimpl(wrapper=True)
    def compat_msg_history(self, a: int) -> Generator[None, Any, Any]:
        return (yield)


class HistoricLegacyWrapper:
    @hookimpl(hookwrapper=True)
    def compat_msg_history(self, a: int) -> Generator[None, Any, None]:
        yield


class WrapperNotGenerator:
    @hookimpl(wrapper=True)
    def compat_msg(self, a: int) -> None: ...


class LegacyNotGenerator:
    @hookimpl(hookwrapper=True)
    def compat_msg(self, a: int) -> None: ...


class LegacyAsyncGenerator:  # a generator function for neither pluggy nor the synchronous manager
    @hookimpl(hookwrapper=True)
    async def compat_msg(self, a: int) -> AsyncGenerator[None, Any]:
        yield


class BothWrapperFlags:
    @hookimpl(wrapper=True, hookwrapper=True)
    def compat_msg(self, a: int) -> Generator[None, Any, Any]:
        return (yield)


class Plain:
    @hookimpl
    def compat_msg(self, a: int) -> int:
        return a


class WrapperNoYield:
    @hookimpl(wrapper=True)
    def compat_msg(self, a: int) -> Generator[None, Any, Any]:
        if a > 100:
            yield
        return None


class WrapperTwoYields:
    @hookimpl(wrapper=True)
    def compat_msg(self, a: int) -> Generator[None, Any, Any]:
        yield
        yield


class LegacyNoYield:
    @hookimpl(hookwrapper=True)
    def compat_msg(self, a: int) -> Generator[None, Any, None]:
        if a > 100:
            yield


class LegacyTwoYields:
    @hookimpl(hookwrapper=True)
    def compat_msg(self, a: int) -> Generator[None, Any, None]:
        yield
        yield


class LegacyTeardownRaises:
    @hookimpl(hookwrapper=True)
    def compat_msg(self, a: int) -> Generator[None, Any, None]:
        yield
        raise ValueError("boom")


class Taken:
    """A plugin with no extensions, registered under names that clash."""

    def __repr__(self) -> str:
        return "<Taken>"


FIRST, SECOND = Taken(), Taken()


def register_same_name(pm: Any) -> None:
    pm.register(FIRST, name="x")
    pm.register(SECOND, name="x")


def register_twice(pm: Any) -> None:
    pm.register(FIRST, name="x")
    pm.register(FIRST, name="y")


def unregister_disagreeing(pm: Any) -> None:
    pm.register(FIRST, name="x")
    pm.register(SECOND, name="y")
    pm.unregister(FIRST, name="y")


class Empty:
    """No extension points."""


class SpecsAgain:
    @hookspec
    def compat_msg(self, a: int) -> Any:
        """The same hook as ``Specs.compat_msg``, from another class."""


def add_specs_twice(pm: Any) -> None:
    pm.add_hookspecs(Specs)
    pm.add_hookspecs(SpecsAgain)


def kit_markers(pm: Any) -> tuple[Any, Any]:
    """The spec and impl markers of ``pm``'s own kit (pluggy's, or nbplug's own)."""
    if isinstance(pm, pluggy.PluginManager):
        return hookspec, hookimpl
    return nbplug.ExtensionPoint(PROJECT), nbplug.Extension(PROJECT)


def historic_firstresult(pm: Any) -> None:
    """Marking an extension point both historic and firstresult, with the kit's own marker."""
    marker = kit_markers(pm)[0]

    def compat_msg_both() -> None: ...

    marker(historic=True, firstresult=True)(compat_msg_both)


def both_wrapper_flags_own_marker(pm: Any) -> None:
    """Marking an extension both wrapper=True and hookwrapper=True with the kit's own marker
    (nbplug's refuses at marking, pluggy's at registering)."""
    marker = kit_markers(pm)[1]

    class Both:
        @marker(wrapper=True, hookwrapper=True)
        def compat_msg(self, a: int) -> Generator[None, Any, Any]:
            return (yield)

    with_specs(("pl", Both()))(pm)


def spec_without_self(pm: Any) -> None:
    class NoSelf:
        @hookspec
        def compat_msg_noself(a: int) -> None: ...  # type: ignore[misc]  # the warned mistake
    pm.add_hookspecs(NoSelf)


UNKNOWN = Unknown()

SITUATIONS = [
    situation("unknown-hook", lambda pm: (pm.register(UNKNOWN), pm.check_pending()),
              f"unknown hook 'compat_msg_nowhere' in plugin {UNKNOWN!r}"),
    situation("argument-not-in-spec", with_specs(("pl", Undeclared())),
              "Argument(s) {'zzz'} are declared in the hookimpl but can not be found in the hookspec"),
    situation("historic-wrapper", with_specs(("pl", HistoricWrapper())),
              "historic incompatible with yield/wrapper/hookwrapper"),
    situation("historic-legacy-wrapper", with_specs(("pl", HistoricLegacyWrapper())),
              "historic incompatible with yield/wrapper/hookwrapper"),
    situation("wrapper-not-generator", with_specs(("pl", WrapperNotGenerator())),
              "is not a generator function"),
    situation("legacy-wrapper-not-generator", with_specs(("pl", LegacyNotGenerator())),
              "is not a generator function"),
    situation("legacy-wrapper-async-generator", with_specs(("pl", LegacyAsyncGenerator())),
              "is not a generator function", managers=SYNC),  # the async manager drives it
    situation("both-wrapper-flags", with_specs(("pl", BothWrapperFlags())),
              "wrapper=True and hookwrapper=True options are mutually exclusive"),
    situation("both-wrapper-flags-own-marker", both_wrapper_flags_own_marker,
              "wrapper=True and hookwrapper=True options are mutually exclusive"),
    situation("name-already-registered", register_same_name, "Plugin name already registered"),
    situation("registered-under-another-name", register_twice,
              "Plugin already registered under a different name"),
    situation("unregister-disagreeing", unregister_disagreeing,
              "Plugin name 'y' and plugin <Taken> do not agree"),
    situation("unregister-nothing", lambda pm: pm.unregister(),
              "one of name or plugin needs to be specified"),
    situation("unregister-unknown", lambda pm: pm.unregister(Taken()), "plugin is not registered"),
    situation("no-hooks-found", lambda pm: pm.add_hookspecs(Empty),
              f"did not find any {PROJECT!r} hooks in {Empty!r}"),
    situation("spec-added-twice", add_specs_twice,
              f"Hook 'compat_msg' is already registered within namespace {Specs}"),
    situation("historic-firstresult", historic_firstresult, "cannot have a historic firstresult hook"),
    situation("historic-called-directly", lambda pm: with_specs()(pm).hook.compat_msg_history(a=1),
              "Cannot directly call a historic hook - use call_historic instead", managers=SYNC),
    situation("historic-call-extra",
              lambda pm: with_specs()(pm).hook.compat_msg_history.call_extra([], {"a": 1}),
              "Cannot directly call a historic hook - use call_historic instead", managers=SYNC),
    situation("missing-argument-warning", calling(),
              "Argument(s) 'a' which are declared in the hookspec cannot be found in this hook call"),
    situation("missing-argument-needed", calling(("pl", Plain())), "hook call must provide argument 'a'"),
    situation("wrapper-did-not-yield", calling(("w", WrapperNoYield()), a=1),
              "did not yield", line_of(WrapperNoYield.compat_msg)),
    situation("wrapper-second-yield", calling(("w", WrapperTwoYields()), a=1),
              "has second yield", line_of(WrapperTwoYields.compat_msg)),
    situation("legacy-wrapper-did-not-yield", calling(("w", LegacyNoYield()), a=1),
              "did not yield", line_of(LegacyNoYield.compat_msg)),
    situation("legacy-wrapper-second-yield", calling(("w", LegacyTwoYields()), a=1),
              "has second yield", line_of(LegacyTwoYields.compat_msg)),
    situation("legacy-teardown-raised", calling(("pl", LegacyTeardownRaises()), a=1),
              "A plugin raised an exception during an old-style hookwrapper teardown.\n"
              "Plugin: pl, Hook: compat_msg\nValueError: boom"),
    situation("spec-without-self", spec_without_self,
              "spec_without_self.<locals>.NoSelf.compat_msg_noself is a method but its first "
              "parameter 'a' is not 'self'. Add 'self' as the first parameter or use @staticmethod."),
]


@pytest.mark.parametrize(("situation", "manager"),
                         [(s, m) for s in SITUATIONS for m in s.managers],
                         ids=[f"{s.name}-{m}" for s in SITUATIONS for m in s.managers])
def test_nbplug_message_contains_pluggys_phrase(situation: Situation, manager: str) -> None:
    theirs = message_of(situation.provoke, pluggy.PluginManager(PROJECT))
    ours = message_of(situation.provoke, MANAGERS[manager]())
    for phrase in situation.phrases:
        assert phrase in theirs, f"pluggy no longer says {phrase!r}: {theirs!r}"
        assert phrase in ours, f"{manager} does not say {phrase!r}: {ours!r}"
