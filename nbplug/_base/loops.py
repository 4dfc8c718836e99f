"""The running event loop or task of this thread, or None: asked the same way everywhere.

Decision: ``asyncio.get_running_loop()`` with its ``RuntimeError`` turned into None. Rejected:
``asyncio.get_event_loop()``, which outside a running loop makes a new one (or warns), so a view
or a session asking "is there a loop?" would create the loop it then waits on forever.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["current_task", "running_loop"]


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, or None when none runs."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def current_task() -> asyncio.Task[Any] | None:
    """The asyncio task running now in this thread, or None (no loop, or a plain callback)."""
    return asyncio.current_task() if running_loop() is not None else None
