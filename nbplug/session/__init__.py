"""The notebook session, free of IPython: the session-wide managers, the lifespan group, adding
plugins from a namespace (``adding``, ``discovery``) and its own error (``errors``).

The magics in ``nbplug.ipython`` are a thin layer over :class:`NotebookSession`; the session is
usable from plain Python and raises :class:`SessionUsageError`, never IPython's ``UsageError``.
"""

from __future__ import annotations

from .errors import SessionUsageError
from .notebook import NotebookSession

__all__ = ["NotebookSession", "SessionUsageError"]
