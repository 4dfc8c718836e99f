"""The ``%plugin`` line magic and the ``%%hook`` / ``%hook`` magics (their docstrings are the help).

At the top level of a cell these calls never reach the methods below: the await path rewrites them
into awaited coroutines (see :mod:`nbplug.ipython.transform`). The methods serve the other call sites
(``get_ipython().run_line_magic`` inside a function, ``%autoawait off``) through ``run_sync``.
"""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from traitlets import Bool, Enum

from ..session.notebook import NotebookSession
from . import commands
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
    def plugin(self, line: str) -> None:
        """Add plugins to the session-wide async managers; start and stop lifespans.

        Usage:

          %plugin add NAME [NAME...] [--name PLUGIN]
          %plugin NAME [NAME...]            (the same as add)
          %plugin remove NAME [NAME...]
          %plugin list
          %plugin start NAME [OPTIONS] [NAME [OPTIONS]]...
          %plugin stop [NAME...]
          %plugin status

        add: NAME is a variable of the notebook holding a class decorated with extensions (it is
        instantiated, so it must take no constructor arguments), an instance, a module, a class
        of extension points (specs marked @extension_point), or a @lifespan function. The plugin
        is named after the variable unless --name says otherwise. A manager is made for each
        project name found on the markers (ExtensionPoint("feed") -> project feed).
        Adding under a name already used replaces that plugin cleanly: its running lifespans are
        torn down first and its extensions are swapped for the new ones -- so re-running a
        cell that redefines and re-adds a plugin is safe.

        remove: tear down the plugin's running lifespans and unregister its extensions.

        list: the design map of each project -- which plugin implements which hook, each hook's
        mode and call order and why that order, pending extensions -- and the lifespans
        that can be started.

        start: the chained syntax of click-async-plugins: each lifespan name is followed by its
        own options, e.g.  %plugin start countdown --from 3 echo --immediately
        "%plugin start NAME --help" shows a lifespan's options. The lifespans set up one after
        another (dependencies first); what they yield runs as tasks on the kernel's event loop
        and keeps running while the kernel is idle. The board that is shown updates live.

        stop: the named lifespans (and those depending on them), or all of them: every task is
        cancelled first, then each one's code after yield runs, in reverse set-up order.

        status: show the lifespan board.

        From Python: nbplug.ipython.get_session() gives the same session (.managers,
        .manager_for(project), .group, await .add(obj), await .call(hook, **kw)).
        """
        __tracebackhide__ = True
        run_sync(commands.plugin_command(self.session, self.shell, line), "%plugin",
                 self.session.group)

    @no_var_expand
    @line_cell_magic
    def hook(self, line: str, cell: str | None = None) -> object:
        """Call a hook: every extension of its extension point, awaited on the running loop.

        Usage:

          %%hook [-q | -w] [-t] NAME   cell form: the first line of its cell;
          topic = "harbor"             the body gives the keyword arguments
          limit = 3

          %hook [-q | -w] [-t] NAME arg=expr [arg=expr ...]     (line form, on any line)
          result = %hook fetch topic="harbor"              (on the right of an assignment)

        NAME is a hook name, or PROJECT.NAME when several projects have a hook of that name. In
        the cell form each statement of the body is an assignment  name = expression ; the
        expressions are evaluated in the notebook's namespace (later ones may use earlier ones,
        and await is allowed). Hook calls take keyword arguments only.

        The call is awaited on the kernel's running event loop (IPython's autoawait), so lifespan
        tasks and widgets stay live while it runs; an interrupt cancels it.

        The output is the call view: each extension in call order with its result or error and
        time, wrappers as boxes around what they wrap with their code before and after yield as
        moments (what they received, what they returned), a pipeline step's value in and out, why
        an extension was not called, and the lines each one printed or logged. It is static
        text/HTML; -w/--widget shows the live widget (with a timeline toggle), -t/--timeline adds
        the timeline, -q/--quiet leaves the view out (and printed output goes to the cell as
        usual). %config PluginMagics sets the defaults (view, timeline, show_result).

        The hook's result is the cell's value (r = %hook ... keeps it); since the view shows it, a
        cell that ends with the call does not repeat it as Out[n] unless the view is off (-q) or
        %config PluginMagics.show_result = True. nbplug.ipython.get_session().last_trace is the
        call's trace. An error raised by an extension is re-raised with the extension's traceback.
        """
        __tracebackhide__ = True
        group = self.session.group
        if cell is None:
            return run_sync(commands.hook_line_command(self.session, self.shell, line), "%hook",
                            group)
        return run_sync(commands.hook_cell_command(self.session, self.shell, line, cell), "%%hook",
                        group)
