"""Tab completion for ``%plugin`` and ``%%hook``/``%hook`` (an IPython v2 matcher).

Completes ``%plugin`` verbs, notebook names that carry nbplug markers, plugin names, lifespan names
and their options (``%plugin start countdown --f<Tab>``), hook names, and a hook's argument names
(``%hook fetch to<Tab>``, and at the start of a line in a ``%%hook`` body).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from IPython.core.completer import (
    CompletionContext,
    SimpleCompletion,
    SimpleMatcherResult,
    context_matcher,
)

from .commands import VERBS
from .discovery import offer_of
from .session import NotebookSession

IDENTIFIER = "nbplug.completion"


def _result(word: str, token: str, candidates: Iterable[str], kind: str) -> SimpleMatcherResult:
    """Completions for ``word`` (the current whitespace word), relative to IPython's ``token``."""
    skip = len(word) - len(token) if word.endswith(token) else 0
    seen: dict[str, None] = {}
    for candidate in candidates:
        if candidate.startswith(word):
            seen[candidate[skip:]] = None
    return {
        "completions": [SimpleCompletion(text=c, type=kind) for c in sorted(seen)],
        "suppress": True,
        "matched_fragment": token,
    }


def _empty() -> SimpleMatcherResult:
    return {"completions": []}


def _marked_names(shell: Any, prefix: str) -> list[str]:
    names = []
    for key, value in list(shell.user_ns.items()):
        if key.startswith("_") or not key.startswith(prefix) or key in shell.user_ns_hidden:
            continue
        try:
            if not offer_of(value).empty:
                names.append(key)
        except Exception:
            continue
    return names


def _lifespan_options(session: NotebookSession, name: str) -> list[str]:
    spec = session.lifespans.get(name)
    if spec is None:
        return []
    options: list[str] = ["--help"]
    for param in spec.params:
        options.extend(getattr(param, "opts", []))
        options.extend(getattr(param, "secondary_opts", []))
    return options


def _hook_arguments(session: NotebookSession, hook: str) -> list[str]:
    try:
        caller = session.find_caller(hook)
    except Exception:
        return []
    return list(caller.argnames())


def _complete_plugin(session: NotebookSession, shell: Any, words: list[str], word: str,
                     token: str) -> SimpleMatcherResult:
    if not words:  # completing the verb (or a bare name: %plugin NAME is add)
        return _result(word, token, [*VERBS, *_marked_names(shell, word)], "magic")
    verb = words[0] if words[0] in VERBS else "add"
    if verb == "add":
        return _result(word, token, ["--name", *_marked_names(shell, word)], "instance")
    if verb == "remove":
        removable = [n for n, e in session.plugins.items() if e.impl_projects or e.lifespans]
        return _result(word, token, removable, "instance")
    if verb == "stop":
        active = [s.name for s in session.group.states if s.phase.is_active]
        return _result(word, token, active, "instance")
    if verb == "start":
        available = list(session.lifespans)
        current = next((w for w in reversed(words[1:]) if w in available), None)
        options = _lifespan_options(session, current) if current else []
        return _result(word, token, [*available, *options], "param")
    return _empty()


def make_matcher(shell: Any, session_of: Callable[[], NotebookSession | None]
                 ) -> Callable[[CompletionContext], SimpleMatcherResult]:
    """The matcher to append to ``shell.Completer.custom_matchers``."""

    @context_matcher(identifier=IDENTIFIER, priority=10)  # type: ignore[untyped-decorator]
    def nbplug_matcher(context: CompletionContext) -> SimpleMatcherResult:
        session = session_of()
        if session is None:
            return _empty()
        text = context.text_until_cursor
        token = context.token
        head, space, rest = text.lstrip().partition(" ")
        words = rest.split()
        word = "" if (not rest and space) or rest[-1:].isspace() else (words.pop() if words else "")
        if head in ("%plugin", "plugin") and space:
            return _complete_plugin(session, shell, words, word, token)
        hook_at = text.find("%hook ")
        if (head == "%%hook" and context.cursor_line == 0 and space) or (
            hook_at >= 0 and head != "%%hook"
        ):
            rest = text[text.find(" ", hook_at) + 1:] if head != "%%hook" else rest
            words = [w for w in rest.split() if not w.startswith("-")]
            done = rest[-1:].isspace() or not rest
            current = "" if done else (words.pop() if words else "")
            if not words:
                return _result(current, token, session.hook_names(), "function")
            if head == "%%hook":
                return _empty()
            return _result(current, token,
                           [f"{a}=" for a in _hook_arguments(session, words[0])], "param")
        first_line = context.full_text.split("\n", 1)[0].split()
        if (context.cursor_line > 0 and len(first_line) >= 2 and first_line[0] == "%%hook"
                and text.strip() == text.lstrip() and "=" not in text and " " not in text.strip()):
            hook = next((w for w in first_line[1:] if not w.startswith("-")), "")
            current = text.strip()
            return _result(current, token,
                           [f"{a} = " for a in _hook_arguments(session, hook)], "param")
        return _empty()

    return nbplug_matcher  # type: ignore[no-any-return]
