"""Where nbplug's own code lives, told by module and by the installed package's folder.

A frame or a printed traceback line belongs to nbplug when its module is ``nbplug`` or below it, or
when its file lies under the folder the imported package came from -- never because a path contains
the word "nbplug": a user's clone is a folder named ``nbplug`` too, and every path under it
(``.venv``'s IPython included) contains that word.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import FrameType, TracebackType

import nbplug

#: The imported package's folder with a trailing separator, as it appears in a traceback's lines.
PACKAGE_DIR = str(Path(nbplug.__file__).resolve().parent) + os.sep


def is_nbplug_module(name: str | None) -> bool:
    return name is not None and (name == "nbplug" or name.startswith("nbplug."))


def is_nbplug_frame(frame: FrameType) -> bool:
    """Whether ``frame`` runs nbplug's own code: by its module, or its file under the package."""
    return (is_nbplug_module(frame.f_globals.get("__name__"))
            or frame.f_code.co_filename.startswith(PACKAGE_DIR))


def nbplug_frames(tb: TracebackType | None) -> list[str]:
    """The frames of ``tb`` (and every traceback it leads to) that run nbplug's own code."""
    found = []
    while tb is not None:
        frame = tb.tb_frame
        if is_nbplug_frame(frame):
            found.append(f"{frame.f_globals.get('__name__')}:{frame.f_code.co_name} "
                         f"({frame.f_code.co_filename})")
        tb = tb.tb_next
    return found


def package_file(relative: str) -> str:
    """The path of a module of the package (``"ipython/session.py"``) as a traceback prints it."""
    return PACKAGE_DIR + relative.replace("/", os.sep)
