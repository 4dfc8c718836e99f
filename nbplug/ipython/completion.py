"""Tab completion for ``%plugin`` and ``%%hook``/``%hook`` (an IPython v2 matcher).

Completes ``%plugin`` verbs, then the notebook's names that carry nbplug markers, plugin names,
lifespan names and their options (``%plugin start countdown --f<Tab>``), hook names, the magics'
own options, and a hook's argument names (``%hook fetch to<Tab>``, and at the start of a line in a
``%%hook`` body).

Decisions: the completions come *ordered* (verbs before names, a lifespan's options before other
lifespans) and each is typed by what it is — ``verb``, ``lifespan``, ``class``, ``instance``,
``module``, ``specs``, ``plugin``, ``hook``, ``option``, ``argument`` — the type front
ends show beside each completion. Whenever it has something to offer, the matcher suppresses
IPython's other matchers, so that no keywords, file names or other magics leak in (IPython does
not let a matcher with nothing to offer suppress: ``%plugin list <Tab>`` still gets IPython's
defaults; the ``%``/``plugin`` tokens at the end of JupyterLab's list come from its *context*
provider, the words of the editor, not from the kernel). After ``name=`` in a ``%hook`` line the value is
Python, and IPython's own completion takes over. Rejected: one ``magic`` type for everything: a
person could not tell a verb from a plugin.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterable
from typing import Any

from IPython.core.completer import (
    CompletionContext,
    SimpleCompletion,
    SimpleMatcherResult,
    context_matcher,
)

from ..session.discovery import offer_of
from ..session.notebook import NotebookSession
from .commands import STATUS_WORDS, VERBS

IDENTIFIER = "nbplug.completion"

#: The options of ``%%hook`` / ``%hook``.
HOOK_OPTIONS = ("-q", "--quiet", "-w", "--widget", "-t", "--timeline")

Candidates = Iterable[tuple[str, str]]  # (text, what it is)


def _result(word: str, token: str, candidates: Candidates) -> SimpleMatcherResult:
    """Completions for ``word`` (the current whitespace word), relative to IPython's ``token``,
    in the order given, each typed by what it is; other matchers suppressed."""
    skip = len(word) - len(token) if word.endswith(token) else 0
    seen: dict[str, str] = {}
    for candidate, kind in candidates:
        if candidate.startswith(word) and candidate[skip:] and candidate[skip:] not in seen:
            seen[candidate[skip:]] = kind
    return {
        "completions": [SimpleCompletion(text=text, type=kind) for text, kind in seen.items()],
        "suppress": True,
        "ordered": True,
        "matched_fragment": token,
    }


def _nothing(token: str) -> SimpleMatcherResult:
    """Inside the magics' syntax with nothing to offer. (IPython lets its other matchers in when
    a matcher has no completions, whatever it asks: an empty list cannot suppress them.)"""
    return {"completions": [], "suppress": True, "matched_fragment": token}


def _not_ours() -> SimpleMatcherResult:
    return {"completions": []}


def what_it_is(value: object) -> str:
    """The completion type of a notebook name that carries markers."""
    offer = offer_of(value)
    if offer.has_lifespans and (inspect.isfunction(value) or isinstance(value, staticmethod)):
        return "lifespan"
    if offer.spec_projects and not offer.impl_projects and not offer.has_lifespans:
        return "specs"  # a class (or module) of extension points; one word: front ends wrap types
    if isinstance(value, type):
        return "class"
    if isinstance(value, types.ModuleType):
        return "module"
    if inspect.isfunction(value):
        return "function"
    return "instance"


def _marked_names(shell: Any, prefix: str, given: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Names of the notebook that carry nbplug markers (sorted; those already given left out)."""
    left_out = set(given)
    names = []
    for key, value in sorted(shell.user_ns.items()):
        if (key.startswith("_") or not key.startswith(prefix) or key in shell.user_ns_hidden
                or key in left_out):
            continue
        try:
            if not offer_of(value).empty:
                names.append((key, what_it_is(value)))
        except Exception:
            continue
    return names


def _lifespan_options(session: NotebookSession, name: str) -> list[str]:
    spec = session.lifespans.get(name)
    if spec is None:
        return []
    options: list[str] = []
    for param in spec.params:
        options.extend(getattr(param, "opts", []))
        options.extend(getattr(param, "secondary_opts", []))
    return [*sorted(options, key=lambda o: (not o.startswith("--"), o)), "--help"]


def _hook_arguments(session: NotebookSession, hook: str) -> list[str]:
    try:
        caller = session.find_caller(hook)
    except Exception:
        return []
    return list(caller.argnames())


def _complete_plugin(session: NotebookSession, shell: Any, words: list[str], word: str,
                     token: str) -> SimpleMatcherResult:
    if not words:  # the verb first, then a bare name (%plugin NAME is add)
        return _result(word, token, [*((v, "verb") for v in VERBS), *_marked_names(shell, word)])
    verb = words[0] if words[0] in VERBS else "add"
    given = words[1:] if words[0] in VERBS else words
    if verb == "add":
        if given and given[-1] == "--name":
            return _nothing(token)  # a new plugin name: free text
        options = [] if "--name" in given else [("--name", "option")]
        return _result(word, token, [*_marked_names(shell, word, given), *options])
    if verb == "remove":
        removable = [(n, "plugin") for n, e in session.plugins.items()
                     if (e.impl_projects or e.lifespans) and n not in given]
        return _result(word, token, removable)
    if verb == "stop":
        active = [(s.name, "lifespan") for s in session.group.states
                  if s.phase.is_active and s.name not in given]
        return _result(word, token, active)
    if verb == "start":
        available = list(session.lifespans)
        current = next((w for w in reversed(given) if w in available), None)
        options = [(o, "option") for o in _lifespan_options(session, current)] if current else []
        if word.startswith("-"):
            return _result(word, token, options)
        return _result(word, token, [*options, *((n, "lifespan") for n in available)])
    if verb == "help" and not given:
        from .helptext import TOPICS

        return _result(word, token, [(topic, "topic") for topic in TOPICS])
    if verb == "status":
        return _result(word, token, _status_words(given, word))
    return _nothing(token)  # list takes nothing


def _status_words(given: list[str], word: str) -> list[tuple[str, str]]:
    """``page=``, ``phase=``, ``name=`` not given yet; after ``phase=``, the phases."""
    if word.startswith("phase="):
        from nbplug.widgets.board.page import PHASES  # the widgets ship with nbplug

        return [(f"phase={phase}", "phase") for phase in PHASES]
    taken = {w.partition("=")[0] for w in given}
    return [(f"{key}=", "option") for key in STATUS_WORDS if key not in taken]


def _complete_hook_head(session: NotebookSession, rest: str, token: str, *, cell: bool
                        ) -> SimpleMatcherResult:
    """``%%hook [-q|-w] NAME`` / ``%hook [-q|-w] NAME arg=...``: options, hook names, arguments."""
    words = rest.split()
    done = not rest or rest[-1:].isspace()
    current = "" if done else words.pop()
    flags = [w for w in words if w.startswith("-")]
    named = [w for w in words if not w.startswith("-")]
    options = [(o, "option") for o in HOOK_OPTIONS if o not in flags]
    if current.startswith("-"):
        return _result(current, token, options)
    if not named:
        return _result(current, token, [*((h, "hook") for h in session.hook_names()), *options])
    if cell:
        return _result(current, token, options)  # the arguments go in the cell's body
    if "=" in current:
        return _not_ours()  # the value is Python: IPython's completion
    given = {w.split("=", 1)[0] for w in named[1:]}
    arguments = [(f"{a}=", "argument") for a in _hook_arguments(session, named[0]) if a not in given]
    return _result(current, token, [*arguments, *options])


def _complete_cell_body(session: NotebookSession, context: CompletionContext, text: str,
                        token: str) -> SimpleMatcherResult | None:
    """At the start of a line in a ``%%hook NAME`` body: the hook's argument names."""
    first_line = context.full_text.split("\n", 1)[0].split()
    if not (context.cursor_line > 0 and len(first_line) >= 2 and first_line[0] == "%%hook"):
        return None
    if text.strip() != text.lstrip() or "=" in text or " " in text.strip():
        return None
    hook = next((w for w in first_line[1:] if not w.startswith("-")), "")
    body = context.full_text.split("\n")[1:]
    given = {line.split("=", 1)[0].strip() for line in body if "=" in line}
    return _result(text.strip(), token,
                   [(f"{a} = ", "argument") for a in _hook_arguments(session, hook) if a not in given])


def make_matcher(shell: Any, session_of: Callable[[], NotebookSession | None]
                 ) -> Callable[[CompletionContext], SimpleMatcherResult]:
    """The matcher to append to ``shell.Completer.custom_matchers``."""

    @context_matcher(identifier=IDENTIFIER, priority=10)  # type: ignore[untyped-decorator]
    def nbplug_matcher(context: CompletionContext) -> SimpleMatcherResult:
        session = session_of()
        if session is None:
            return _not_ours()
        text = context.text_until_cursor
        token = context.token
        head, space, rest = text.lstrip().partition(" ")
        if head in ("%plugin", "plugin") and space:
            words = rest.split()
            word = "" if not rest or rest[-1:].isspace() else words.pop()
            return _complete_plugin(session, shell, words, word, token)
        if head == "%%hook" and space and context.cursor_line == 0:
            return _complete_hook_head(session, rest, token, cell=True)
        hook_at = text.find("%hook ")
        if hook_at >= 0 and head != "%%hook":
            return _complete_hook_head(session, text[hook_at + len("%hook "):], token, cell=False)
        body = _complete_cell_body(session, context, text, token)
        return body if body is not None else _not_ours()

    return nbplug_matcher  # type: ignore[no-any-return]
