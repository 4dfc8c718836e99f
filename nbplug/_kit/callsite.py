"""Where a warning about the user's call should point: the first frame outside nbplug.

A hook call passes through a varying number of nbplug's frames (the generated ``__call__``, the
monitors, the interpreter) before a warning about it is issued, so a fixed ``stacklevel`` would
point into nbplug on some paths. Decision: count the frames. Rejected: ``skip_file_prefixes``
(Python 3.12 and later only).

Loaded lazily: imported only where a warning is issued, never at ``import nbplug``.
"""

from __future__ import annotations

import sys

from .._base.where import in_package


def outside_stacklevel() -> int:
    """The ``stacklevel`` (for a ``warnings.warn`` made by the caller of this function) that
    points at the first frame outside nbplug: the code that made the call being warned about."""
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None:
        filename = frame.f_code.co_filename
        if not (in_package(filename) or filename.startswith("<nbplug")):
            return level
        frame = frame.f_back
        level += 1
    return level
