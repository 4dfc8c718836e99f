"""``%plugin``, ``%%hook`` and ``%hook`` in IPython's in-process test shell."""

from __future__ import annotations

import logging
import re

import pytest
from IPython.core.error import UsageError
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell
from package_paths import PACKAGE_DIR, nbplug_frames, package_file

from nbplug import AsyncPluginManager
from nbplug.ipython import get_session

__all__ = ["shell"]


@pytest.fixture
def feed(shell: Shell) -> Shell:
    shell.run(SPECS_AND_PLUGINS)
    shell.run("%plugin add Specs Weather")
    return shell


# ------------------------------------------------------------------------------------ loading
def test_loading_twice_is_harmless_and_unload_removes_everything(shell: Shell) -> None:
    ip = shell.ip
    transformers = len(ip.input_transformers_post)
    matchers = len(ip.Completer.custom_matchers)
    ip.run_line_magic("load_ext", "nbplug")
    ip.run_line_magic("load_ext", "nbplug.ipython")
    assert len(ip.input_transformers_post) == transformers
    assert len(ip.Completer.custom_matchers) == matchers
    assert ip.find_line_magic("plugin") is not None

    ip.run_line_magic("unload_ext", "nbplug")
    assert ip.find_line_magic("plugin") is None
    assert ip.find_line_magic("hook") is None
    assert ip.find_cell_magic("hook") is None
    assert ip.find_line_magic("pytest") is None
    assert len(ip.input_transformers_post) == transformers - 1
    assert len(ip.Completer.custom_matchers) == matchers - 2  # %plugin/%%hook's and %pytest's
    error = shell.fails("%plugin list")
    assert "not found" in str(error)
    ip.run_line_magic("load_ext", "nbplug")  # the fixture unloads it again


def test_session_is_reachable_from_python(feed: Shell) -> None:
    session = feed.run("from nbplug.ipython import get_session\nget_session()")
    assert session is get_session(feed.ip)
    manager = session.manager_for("feed")
    assert isinstance(manager, AsyncPluginManager)
    assert manager.has_plugin("Weather")
    assert feed.run("await get_session().call('fetch', topic='py')") == ["weather[py]"]


# ------------------------------------------------------------------------------------ %%hook
def test_cell_hook_result_is_the_cell_value_and_the_view_is_shown(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    value = feed.run("%%hook fetch\ntopic = 'har' + 'bor'\n")
    assert value == ["weather[harbor]"]
    out = capsys.readouterr().out
    assert "Weather" in out and "weather[harbor]" in out
    assert get_session(feed.ip).last_trace.kwargs == {"topic": "harbor", "limit": 3}


def test_cell_hook_quiet_leaves_the_view_out(feed: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert feed.run("%%hook -q fetch\ntopic = 'x'\n") == ["weather[x]"]
    assert "Weather" not in capsys.readouterr().out


CHATTY = """
import logging

class Chatty:
    @extension(wrapper=True)
    async def fetch(self, topic):
        print(f"chatty: asked for {topic}")
        yield
        logging.getLogger("chatty").warning("answered %s", topic)
%plugin add Chatty
"""


def test_printed_and_logged_lines_show_in_the_view_at_the_step_that_made_them(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run(CHATTY)
    capsys.readouterr()
    assert feed.run("%%hook fetch\ntopic = 'bay'\n") == ["weather[bay]"]
    view = capsys.readouterr().out
    lines = [line.strip() for line in view.splitlines()]
    before = next(i for i, line in enumerate(lines) if line.startswith("├ before yield"))
    after = next(i for i, line in enumerate(lines) if line.startswith("└ after yield"))
    assert lines[before + 1] == "│   print: chatty: asked for bay"
    assert lines[before + 2].startswith("│ Weather.fetch  → 'weather[bay]'")
    assert lines[after + 1] == "log: WARNING chatty: answered bay"
    assert view.count("chatty: asked for bay") == 1  # in the view, not loose above it as well
    # without a view, the lines go to the cell as usual
    feed.run("%%hook -q fetch\ntopic = 'cove'\n")
    assert "chatty: asked for cove" in capsys.readouterr().out


#: the timeline's heading; its unit follows the call's duration (ms when a loaded machine is slow)
TIMELINE = r"timeline \((µs|ms) since the call started\)"


def test_the_call_view_is_configured_with_traitlets(
    feed: Shell, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    feed.run("%config PluginMagics")
    listing = capsys.readouterr().out
    for trait in ("PluginMagics.view", "PluginMagics.timeline", "PluginMagics.show_result"):
        assert trait in listing, listing
    try:
        feed.run("%config PluginMagics.view = 'none'")
        assert feed.run("%%hook fetch\ntopic = 'x'\n") == ["weather[x]"]
        assert "Weather.fetch" not in capsys.readouterr().out
        assert feed.run("%%hook -w fetch\ntopic = 'x'\n") == ["weather[x]"]  # -w still shows
        assert "Weather.fetch" in capsys.readouterr().out
        feed.run("%config PluginMagics.view = 'html'\n%config PluginMagics.timeline = True")
        feed.run("%%hook fetch\ntopic = 'x'\n")
        assert re.search(TIMELINE, capsys.readouterr().out)
        feed.run("%config PluginMagics.timeline = False")
        feed.run("%%hook -t fetch\ntopic = 'x'\n")
        assert re.search(TIMELINE, capsys.readouterr().out)
        with caplog.at_level(logging.ERROR):
            feed.ip.run_cell("%config PluginMagics.view = 'table'")  # IPython logs the refusal
        assert "expected any of ['html', 'widget', 'text', 'none'], not the str 'table'" in caplog.text
        assert feed.run("get_ipython().find_magic('plugin').__self__.view") == "html"
    finally:
        feed.run("%config PluginMagics.view = 'html'\n%config PluginMagics.timeline = False")


def test_line_hook_on_the_right_of_an_assignment(feed: Shell) -> None:
    feed.run("%plugin add Sports")
    feed.run("t = 'sea'\nr = %hook fetch topic=t limit=len(t)")
    assert feed.ns["r"] == ["sports[sea:3]", "weather[sea]"]


def test_hook_called_from_synchronous_code_runs_too(feed: Shell) -> None:
    feed.run("def f(t):\n    return get_ipython().run_line_magic('hook', f'-q fetch topic={t!r}')\n")
    assert feed.run("f('x')") == ["weather[x]"]


def test_firstresult_hook_and_qualified_name(feed: Shell) -> None:
    feed.run(
        "class First:\n"
        "    @extension\n"
        "    def first(self, topic):\n"
        "        return topic.upper()\n"
    )
    feed.run("%plugin add First")
    assert feed.run("%hook feed.first topic='a'") == "A"


def test_rerunning_a_cell_replaces_the_plugin_without_duplicates(feed: Shell) -> None:
    redefine = (
        "class Weather:\n"
        "    @extension\n"
        "    def fetch(self, topic):\n"
        "        return 'v{n}:' + topic\n"
        "%plugin add Weather\n"
    )
    feed.run(redefine.format(n=1))
    feed.run(redefine.format(n=2))
    caller = get_session(feed.ip).find_caller("fetch")
    assert [i.plugin_name for i in caller.implementations()] == ["Weather"]
    assert feed.run("%hook fetch topic='t'") == ["v2:t"]


def test_redefined_specs_replace_the_old_ones(feed: Shell) -> None:
    feed.run(
        "class Specs:\n"
        "    @staticmethod\n"
        "    @extension_point(firstresult=True)\n"
        "    def fetch(topic: str) -> str:\n"
        "        'now firstresult'\n"
        "%plugin add Specs\n"
    )
    assert feed.run("%hook fetch topic='z'") == "weather[z]"


# ------------------------------------------------------------------------------------ errors
def test_implementation_errors_show_the_users_traceback(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run(
        "class Broken:\n"
        "    @extension\n"
        "    def fetch(self, topic):\n"
        "        return 1 / 0\n"
        "%plugin add Broken\n"
    )
    capsys.readouterr()
    error = feed.fails("%hook fetch topic='x'")
    assert isinstance(error, ZeroDivisionError)
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "Broken.fetch" in shown and "return 1 / 0" in shown
    assert PACKAGE_DIR not in shown
    assert not any(frame.startswith(("nbplug._kit.calls:", "nbplug._kit.aio:")) for frame in nbplug_frames(
        error.__traceback__))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("%hook fecth topic='x'", "no hook named 'fecth' (did you mean 'fetch'?)"),
        ("%hook fetch topc='x'", "unexpected argument 'topc' (did you mean 'topic'?)"),
        ("%hook fetch limit=1", "missing the argument 'topic'"),
        ("%hook nope.fetch topic=1", "no project named 'nope'"),
        ("%%hook fetch\nprint('x')\n", "assignments `name = expression`"),
        ("%plugin remove Wether", "no plugin named 'Wether' (did you mean 'Weather'?)"),
        ("%plugin add Wether", "'Wether' is not defined in the notebook (did you mean 'Weather'?)"),
        ("%plugin add asyncio", "has no nbplug markers"),
        ("%plugin add --nme x", "unknown option '--nme'"),
        ("%plugin add", "needs the names"),
        ("%plugin list extra", "takes no arguments"),
        ("%plugin remove Specs", "only provides extension points"),
        ("%plugin start", "no lifespans have been added"),
        ("%plugin stop ghost", "no lifespan named 'ghost'"),
        ("%plugin stat", "(or the %plugin verb 'start'?)"),
    ],
)
def test_bad_input_is_a_usage_error_saying_what_is_right(feed: Shell, code: str, message: str) -> None:
    error = feed.fails(code)
    assert isinstance(error, UsageError), error
    assert message in str(error)


def test_class_needing_constructor_arguments(feed: Shell) -> None:
    feed.run(
        "class Keyed:\n"
        "    def __init__(self, api_key):\n"
        "        self.api_key = api_key\n"
        "    @extension\n"
        "    def fetch(self, topic):\n"
        "        return self.api_key\n"
    )
    error = feed.fails("%plugin add Keyed")
    assert isinstance(error, UsageError)
    assert "needs constructor arguments (api_key)" in str(error)
    assert "Keyed(api_key=...)" in str(error)
    feed.run("k = Keyed(api_key='K')\n%plugin add k")
    assert feed.run("%hook -q fetch topic='t'") == ["K", "weather[t]"]


def test_invalid_plugin_is_refused_and_the_old_one_kept(feed: Shell) -> None:
    feed.run(
        "class Weather:\n"
        "    @extension\n"
        "    def fetch(self, topic, colour):\n"
        "        return colour\n"
    )
    error = feed.fails("%plugin add Weather")
    assert isinstance(error, UsageError)
    assert "colour" in str(error)
    assert feed.run("%hook -q fetch topic='still'") == ["weather[still]"]


# ------------------------------------------------------------------------------------ help
def test_help_for_plugin_and_hook(shell: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    shell.run("%plugin?")
    plugin_help = capsys.readouterr().out
    assert "%plugin start NAME [OPTIONS]" in plugin_help
    assert "replaces that plugin cleanly" in plugin_help
    shell.run("%%hook?")
    hook_help = capsys.readouterr().out
    assert "%%hook [-q | -w] [-t] NAME" in hook_help and "keyword arguments only" in hook_help
    shell.run("%plugin")
    assert "%plugin remove NAME" in capsys.readouterr().out
    for text in (plugin_help, hook_help):  # plain text, as a terminal or a pager shows it
        assert "``" not in text and "::" not in text and ":func:" not in text


def test_list_shows_hooks_plugins_and_lifespans(feed: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    feed.run(
        "from nbplug.lifespans import lifespan\n"
        "@lifespan\n"
        "async def ticker():\n"
        "    yield\n"
        "%plugin add ticker\n"
    )
    capsys.readouterr()
    feed.run("%plugin list")
    out = capsys.readouterr().out
    assert "fetch(topic: str, limit: int = 3)" in out
    assert "Weather" in out
    assert "lifespans: ticker (not started)" in out


def shown_traceback(capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr()
    return out.out + out.err


def test_errors_in_constructors_and_argument_expressions_show_the_users_frames(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run(
        "class Unready:\n"
        "    def __init__(self):\n"
        "        raise RuntimeError('no config yet')\n"
        "    @extension\n"
        "    def fetch(self, topic):\n"
        "        return topic\n"
    )
    capsys.readouterr()
    error = feed.fails("%plugin add Unready")
    assert isinstance(error, RuntimeError)
    shown = shown_traceback(capsys)
    assert "raise RuntimeError('no config yet')" in shown
    assert package_file("session/notebook.py") not in shown and "discovery.py" not in shown

    error = feed.fails("%%hook fetch\ntopic = 'ok'\nlimit = undefined_name + 1\n")
    assert isinstance(error, NameError)
    shown = shown_traceback(capsys)
    assert "limit = undefined_name + 1" in shown  # the body's own line, from the cell
    assert package_file("ipython/args.py") not in shown


def test_a_module_with_specs_extensions_and_lifespans(shell: Shell) -> None:
    shell.run(
        "import types, sys\n"
        "source = '''\n"
        "from nbplug import Extension, ExtensionPoint\n"
        "from nbplug.lifespans import lifespan\n"
        "spec = ExtensionPoint('mod')\n"
        "impl = Extension('mod')\n"
        "@spec\n"
        "def greet(name): ...\n"
        "@impl\n"
        "def greet(name):\n"
        "    return 'hi ' + name\n"
        "@lifespan\n"
        "async def idle():\n"
        "    yield\n"
        "'''\n"
        "greetings = types.ModuleType('greetings')\n"
        "exec(source, greetings.__dict__)\n"
    )
    shell.run("%plugin add greetings")
    assert shell.run("%hook -q greet name='ann'") == ["hi ann"]
    assert "idle" in get_session(shell.ip).lifespans
    assert get_session(shell.ip).manager_for("mod").has_plugin("greetings")


NARROWER_SPECS = (
    "class Specs:\n"
    "    @staticmethod\n"
    "    @extension_point\n"
    "    def fetch(topic: str) -> str:\n"
    "        'no limit any more'\n"
)


def test_redefining_specs_and_plugin_in_one_cell_works(feed: Shell) -> None:
    feed.run("%plugin add Sports")  # Sports.fetch takes `limit`, which the new spec drops
    feed.run(
        NARROWER_SPECS
        + "class Sports:\n"
        "    @extension\n"
        "    def fetch(self, topic):\n"
        "        return 'sports[' + topic + ']'\n"
        "%plugin add Specs Sports\n"
    )
    assert feed.run("%hook -q fetch topic='t'") == ["sports[t]", "weather[t]"]


def test_a_plugin_that_no_longer_fits_redefined_specs_is_taken_out_with_a_message(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run("%plugin add Sports")
    capsys.readouterr()
    feed.run(NARROWER_SPECS + "%plugin add Specs\n")
    out = capsys.readouterr().out
    assert "plugin 'Sports' does not fit the redefined extension points" in out
    assert "%plugin add Sports" in out
    assert feed.run("%hook -q fetch topic='t'") == ["weather[t]"]


def test_a_hook_name_in_two_projects_must_be_qualified(feed: Shell) -> None:
    feed.run(
        "other_point = ExtensionPoint('other')\n"
        "other = Extension('other')\n"
        "class OtherSpecs:\n"
        "    @staticmethod\n"
        "    @other_point\n"
        "    def fetch(topic): ...\n"
        "class OtherSource:\n"
        "    @other\n"
        "    def fetch(self, topic):\n"
        "        return 'other'\n"
        "%plugin add OtherSpecs OtherSource\n"
    )
    error = feed.fails("%hook fetch topic='x'")
    assert isinstance(error, UsageError)
    assert "exists in several projects; name one: feed.fetch, other.fetch" in str(error)
    assert feed.run("%hook -q other.fetch topic='x'") == ["other"]
    assert feed.run("%hook -q feed.fetch topic='x'") == ["weather[x]"]
    assert {"feed.fetch", "other.fetch"} <= set(get_session(feed.ip).hook_names())
