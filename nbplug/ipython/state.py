"""Per-shell bookkeeping: the session, and everything the extension added (to remove on unload)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..session.notebook import NotebookSession

_sessions: dict[int, NotebookSession] = {}
_states: dict[int, ExtensionState] = {}


@dataclass
class ExtensionState:
    """What ``load_ipython_extension`` added to one shell."""

    shell: Any
    session: NotebookSession
    magics: Any
    transformer: Callable[[list[str]], list[str]]
    matcher: Any
    cancel_at_exit: Callable[[], None]  # takes back the teardown at interpreter exit
    enabled_asyncio_prompt: bool
    pytest_magics: Any = None  # %pytest (nbplug.ipython.pytestmagic)
    pytest_matcher: Any = None
    group_view: bool = False  # nbplug set the shell's custom handler for exception groups
    record_magics: Any = None  # %%record (nbplug.ipython.recordmagic)


def get_session(ip: Any = None) -> NotebookSession:
    """The session of ``ip`` (default: the running IPython shell), made on first use.

    Outside IPython there is one session for the process, so the same API works in scripts.
    """
    if ip is None:
        from IPython.core.getipython import get_ipython

        ip = get_ipython()
    key = id(ip) if ip is not None else 0
    session = _sessions.get(key)
    if session is None:
        session = _sessions[key] = NotebookSession()
    return session


def forget_session(ip: Any) -> None:
    """Drop the session of ``ip`` (after unloading: the next load starts afresh)."""
    _sessions.pop(id(ip), None)


def loaded_state(shell: Any) -> ExtensionState | None:
    """The extension's state in ``shell``, or None when it is not loaded there."""
    return _states.get(id(shell))


def set_state(shell: Any, state: ExtensionState | None) -> None:
    """Record (or with None, forget) the extension's state in ``shell``."""
    if state is None:
        _states.pop(id(shell), None)
    else:
        _states[id(shell)] = state
