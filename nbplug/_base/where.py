"""Where nbplug's own code lives, and the library code: the one test of "is this file nbplug's"
that the warnings' stack levels, the user's tracebacks and the interrupt handling share.

Decision: by the installed package's folder, never by a word in a path (a user's clone is a folder
named ``nbplug`` too, and everything under it -- its ``.venv`` included -- has that word).
"""

from __future__ import annotations

import os
import sysconfig

#: The package's folder with a trailing separator.
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def in_package(filename: str) -> bool:
    """True for a file of nbplug's own (a frame's ``co_filename``)."""
    return filename.startswith(PACKAGE_DIR)


#: The standard library and installed packages: code that acts for whoever called it.
LIBRARY_DIRS = tuple(
    {os.path.abspath(p) + os.sep for k, p in sysconfig.get_paths().items()
     if k in ("stdlib", "platstdlib", "purelib", "platlib")}
)
