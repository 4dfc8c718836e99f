"""The help of ``%plugin`` and ``%%hook``: one screen each, details by topic.

``%plugin?`` and ``%%hook?`` show :data:`PLUGIN` and :data:`HOOK` (the magics' docstrings are set
from them, so IPython's ``?`` is the way in); ``%plugin help VERB`` shows one of :data:`TOPICS`.
Decision: the one screen names every verb and option once, in the user's words, and leaves how
it works (the await path, the settings, the session from Python) to the topics. Rejected: one
docstring holding it all (45 lines a user scrolls past to find a verb) and argparse for
``%plugin`` (its chained ``start NAME [OPTIONS] NAME ...`` syntax is click's, not argparse's).
"""

from __future__ import annotations

from nbplug._kit.suggest import did_you_mean

USAGE = """\
%plugin add NAME [NAME...] [--name PLUGIN]   add classes, instances, modules, specs, lifespans
%plugin NAME [NAME...]                       the same as add
%plugin remove NAME [NAME...]                tear down its lifespans and unregister it
%plugin list                                 the design map: hooks, plugins, call order
%plugin start NAME [OPTIONS] [NAME [OPTIONS]]...   start lifespans (NAME --help: its options)
%plugin stop [NAME...]                       stop lifespans (all, in reverse order, if none named)
%plugin status [page=N phase=P name=TEXT]    the lifespan board, live in this cell
%plugin help [VERB]                          more about one verb (or: hook, python)"""

PLUGIN = f"""\
Add plugins to the notebook's plugin managers; start and stop lifespans.

Usage:

{USAGE}

NAME is a variable of the notebook. Adding under a name already used
replaces that plugin cleanly: its lifespans are torn down first, so a cell that redefines
and re-adds a plugin can be run again. A verb that refuses has changed nothing, and says so.

Examples:  %plugin add Specs Weather
           %plugin start countdown --from 3 echo --immediately
"""

HOOK = """\
Call a hook: every extension of its extension point, in call order, shown as the call view.

Usage:

  %%hook [-q | -w] [-t] NAME   cell form: NAME on the first line of the cell,
  topic = "harbor"             then one keyword argument per line
  limit = 3

  %hook [-q | -w] [-t] NAME arg=expr [arg=expr ...]   line form, on any line
  r = %hook fetch topic="harbor"                    keeps the hook's result in r

  -q, --quiet      no call view; the result is the cell's Out
  -w, --widget     the live call view instead of the static one
  -t, --timeline   the call view with its timeline

NAME is a hook name, or PROJECT.NAME when two projects have a hook of that name. Hook calls
take keyword arguments only; an argument's expression may use earlier ones and await. The
view shows each extension's result or error, its time and what it printed; a call that runs
longer than a second says which extension runs now, and an interrupted call shows how far it
got. More: %plugin help hook
"""

TOPICS: dict[str, str] = {
    "add": """\
%plugin add NAME [NAME...] [--name PLUGIN]   (or %plugin NAME [NAME...])

NAME is a variable of the notebook (or a.b, an attribute of one) holding one of:
  a class with extensions     instantiated, so it must take no constructor arguments
  an instance or a module     its marked functions are its extensions
  a class of extension points its functions marked @extension_point (the specs)
  a @lifespan function        started later with %plugin start
The plugin is named after the variable; --name PLUGIN names it otherwise (one NAME only).
A manager is made for each project name on the markers: ExtensionPoint("feed") -> feed.
Several NAMEs are one change: all are checked first, then all go in, or none does.
Adding under a name already used replaces that plugin cleanly: its running lifespans are
torn down and its extensions swapped for the new ones, keeping their place in call order.
Redefining a class does not change the plugin made from it: add it again to use the new one.""",
    "remove": """\
%plugin remove NAME [NAME...]

Tears down the plugin's running lifespans, then unregisters its extensions. Every NAME is
checked before any is removed. Extension points stay (a manager cannot drop them): to change
them, redefine the class and add it again.""",
    "list": """\
%plugin list

The design map of each project: which plugin implements which hook, each hook's mode
(collecting, firstresult, pipeline, historic), its call order and why that order, and the
extensions still waiting for an extension point; then the lifespans that can be started.""",
    "start": """\
%plugin start NAME [OPTIONS] [NAME [OPTIONS]]...

Each lifespan name is followed by its own options (the chained syntax of click):
  %plugin start countdown --from 3 echo --immediately
  %plugin start NAME --help     shows a lifespan's options
The lifespans set up one after another, dependencies first; what each yields runs as a task
on the kernel's event loop and keeps running while the kernel is idle. The board shown
updates live. A name given twice starts a second instance (ticker, ticker#2).""",
    "stop": """\
%plugin stop [NAME...]

Stops the named lifespans and those that depend on them, or all of them when none is named:
every task is cancelled first, then each lifespan's code after yield runs, in reverse set-up
order. A second interrupt during a teardown cuts that teardown short and says so.""",
    "status": """\
%plugin status [page=N] [phase=PHASE] [name=TEXT]

Shows the lifespan board: each lifespan's phase, uptime and latest log lines, with a Stop
button beside its name and Stop all, which tears down in reverse order step by step.
It shows 50 lifespans a page, every one counted per phase; page=2 shows the next 50,
phase=failed (pending, set-up, running, stopping, stopped, failed) and name=TEXT (names
containing TEXT) fewer, as its page and filter controls do.""",
    "help": """\
%plugin help [VERB]

Without VERB: the verbs, one line each (as %plugin with nothing after it). With one of
add, remove, list, start, stop, status, hook, python: more about it.""",
    "hook": """\
%%hook / %hook: how a call runs and how it is shown

The call is awaited on the kernel's running event loop (IPython's autoawait), so lifespan
tasks and widgets stay live while it runs. After a second the cell says which extension runs
now; an interrupt (Ctrl-C, or the stop button) cancels the call and shows the call view of
what ran so far, with the frame of your code that was running.
The view: each extension in call order with its result or error and time, wrappers as boxes
around what they wrap (their code before and after yield as moments), a pipeline step's value
in and out, why an extension was not called, and the lines each one printed or logged.
The result is the cell's value; since the view shows it, it is not repeated as Out[n].
An error an extension raises is raised again with that extension's traceback.
Settings (for every call; -q, -w and -t choose for one):
  %config PluginMagics.view = "widget"        html (default), widget, text or none
  %config PluginMagics.timeline = True        always show the timeline
  %config PluginMagics.show_result = True     also show the result as Out[n]
In an ipython_config.py: c.PluginMagics.view = "widget".""",
    "python": """\
The session from Python

  from nbplug.ipython import get_session
  s = get_session()             the session the magics use
  await s.add(Weather)          %plugin add Weather
  await s.call("fetch", topic="harbor")    a hook call, returning its result
  s.managers, s.manager_for("feed"), s.group (the lifespans), s.last_trace (the last call)""",
}


def topic_help(topic: str) -> str:
    """The help of one topic of ``%plugin help``; ValueError naming the topics for another."""
    text = TOPICS.get(topic)
    if text is None:
        raise ValueError(
            f"%plugin help: no topic {topic!r}{did_you_mean(topic, list(TOPICS))}; "
            f"the topics: {', '.join(TOPICS)}"
        )
    return text
