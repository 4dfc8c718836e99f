"""The ``%plugin`` line magic and the ``%%hook`` / ``%hook`` magics (their help: :mod:`.helptext`).

At the top level of a cell these calls never reach the methods below: the await path rewrites them
into awaited coroutines (see :mod:`nbplug.ipython.transform`). The methods serve the other call sites
(``get_ipython().run_line_magic`` inside a function, ``%autoawait off``) through ``run_sync``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from traitlets import Bool, Enum

from ..session.notebook import NotebookSession
from . import commands, helptext
from .running import run_sync


@magics_class
class PluginMagics(Magics):
    """Magics over the session-wide plugin managers and lifespan group.

    Configurable as IPython extensions are: ``%config PluginMagics`` lists the settings,
    ``%config PluginMagics.view = "widget"`` changes one, and ``c.PluginMagics.view = "widget"``
    in an ``ipython_config.py`` sets it for every session.
    """

    view = Enum(
        ("html", "widget", "text", "none"),
        default_value="html",
        help="How %%hook shows a call: 'html' (static text and HTML, the default), 'widget' (the "
        "live view with its timeline toggle), 'text' (plain text only), 'none' (no view; the "
        "result is the cell's Out). -w and -q choose for one call.",
    ).tag(config=True)
    timeline = Bool(
        False, help="Show the call view with its timeline (-t for one call)."
    ).tag(config=True)
    show_result = Bool(
        False,
        help="Also show a hook's result as the cell's Out[n] when the call view shows it already "
        "(by default the view is the one place it appears; `r = %hook ...` keeps it).",
    ).tag(config=True)

    def __init__(self, shell: Any, session: NotebookSession) -> None:
        super().__init__(shell)
        self.session = session

    @no_var_expand
    @line_magic
    def plugin(self, line: str) -> asyncio.Task[None] | None:
        # the help (%plugin?) is helptext.PLUGIN, set below
        __tracebackhide__ = True
        ran = run_sync(commands.plugin_command(self.session, self.shell, line), "%plugin",
                       self.session.group)
        return ran if isinstance(ran, asyncio.Task) else None  # going on in the background

    @no_var_expand
    @line_cell_magic
    def hook(self, line: str, cell: str | None = None) -> object:
        # the help (%%hook?) is helptext.HOOK, set below
        __tracebackhide__ = True
        group = self.session.group
        if cell is None:
            return run_sync(commands.hook_line_command(self.session, self.shell, line), "%hook",
                            group)
        return run_sync(commands.hook_cell_command(self.session, self.shell, line, cell), "%%hook",
                        group)

    plugin.__doc__ = helptext.PLUGIN
    hook.__doc__ = helptext.HOOK
