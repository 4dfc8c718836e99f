"""Terminal IPython: keep the asyncio loop running while the prompt waits, so lifespans live on.

Decision: in terminal IPython, top-level ``await`` runs on ``IPython.core.async_helpers.
get_asyncio_loop()`` (the ``asyncio`` loop runner), but that loop only runs *during* a cell: the
prompt is drawn by prompt_toolkit on an event loop of its own. IPython's own ``%gui asyncio``
integration makes the prompt run as ``prompt_async`` on that very loop (no nesting, no patching), so
lifespan tasks scheduled by ``%plugin start`` keep running while the user types, and their output
appears above the prompt (prompt_toolkit's ``patch_stdout``). So loading the extension turns it on,
when no other GUI event loop is active, and unloading turns it off again if we turned it on. With
another GUI loop (``%gui qt``...) active, lifespans run only while cells run; a note says so. The
alternative -- a loop in a background thread -- was rejected: hook calls and lifespans would then run
on another thread than the user's cells, and every widget/shared object would need locking.
"""

from __future__ import annotations

from typing import Any


def is_terminal(shell: Any) -> bool:
    """True for terminal IPython (prompt_toolkit front end), False for kernels and test shells."""
    try:
        from IPython.terminal.interactiveshell import TerminalInteractiveShell
    except ImportError:  # pragma: no cover - part of IPython
        return False
    return isinstance(shell, TerminalInteractiveShell)


def enable_asyncio_prompt(shell: Any) -> bool:
    """Run the prompt on the shell's asyncio loop (``%gui asyncio``); True if we switched it on."""
    if not is_terminal(shell) or getattr(shell, "simple_prompt", False):
        return False
    if getattr(shell, "active_eventloop", None) == "asyncio":
        return False  # already on (the user ran %gui asyncio)
    if getattr(shell, "active_eventloop", None) is not None:
        print(
            f"nbplug: the {shell.active_eventloop} event loop is active, so lifespans run only "
            "while cells run (use %gui asyncio to keep them running at the prompt)"
        )
        return False
    shell.enable_gui("asyncio")
    return True


def disable_asyncio_prompt(shell: Any) -> None:
    """Undo :func:`enable_asyncio_prompt` (only call it when that returned True)."""
    if getattr(shell, "active_eventloop", None) == "asyncio":
        shell.enable_gui(None)
