"""Views and verbs that the objects they show cannot break (issue 12, cases 4 and 7).

A plugin whose ``__repr__`` raises, an object whose ``__class__`` raises inside a module given to
``%plugin add``, and results, errors, names and log lines holding terminal control sequences: the
text forms show them guarded (``<unrepresentable Foo>``) and escaped visibly (``\\x1b``).
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell

from nbplug._base.safetext import escape_controls, safe_attr, safe_repr, safe_str, shorten

__all__ = ["shell"]

#: Retitles the terminal, then clears it: what a hostile result or error may hold.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J"

HOSTILE_PLUGINS = '''
class NoRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")
    @extension
    def fetch(self, topic):
        return "fine"

class Loud:
    @extension
    def fetch(self, topic):
        raise ValueError("bad \\x1b]0;pwned\\x07\\x1b[2J news")
'''


@pytest.fixture
def feed(shell: Shell) -> Shell:
    shell.run(SPECS_AND_PLUGINS)
    shell.run(HOSTILE_PLUGINS)
    shell.run("%plugin add Specs")
    return shell


def test_a_plugin_whose_repr_raises_does_not_break_plugin_list(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run("no_repr = NoRepr()\n%plugin add no_repr")
    capsys.readouterr()
    feed.run("%plugin list")
    out = capsys.readouterr().out
    assert "no_repr  <unrepresentable NoRepr>" in out
    assert "1. no_repr" in out
    assert feed.run('%hook -q fetch topic="x"') == ["fine"]


def test_an_object_whose_class_raises_inside_a_module_does_not_abort_the_add(feed: Shell) -> None:
    feed.run(
        """
        import types
        class Evil:
            @property
            def __class__(self):
                raise RuntimeError("no class for you")

        @extension
        def fetch(topic):
            return f"module[{topic}]"

        mod = types.ModuleType("mod")
        mod.evil = Evil()
        mod.fetch = fetch
        %plugin add mod
        """
    )
    assert feed.run('%hook -q fetch topic="x"') == ["module[x]"]


UNBOUND = """
import types

class Unbound:
    \"\"\"Every attribute access raises, as a web framework's request proxy outside a request.\"\"\"
    def __getattribute__(self, name):
        raise RuntimeError("working outside of request context")

web = types.ModuleType("web")
web.request = Unbound()
web.fetch = extension(lambda topic: f"module[{topic}]")
web.fetch.__name__ = "fetch"
"""


def test_a_module_holding_an_unbound_proxy_is_added_with_the_proxy_skipped_in_one_line(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run(UNBOUND)
    capsys.readouterr()
    feed.run("%plugin add web")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "skipped 1 member of 'web' that cannot be read: request (RuntimeError: working outside "
        "of request context)",
        "added 'web' (module web): extensions (feed)",
    ]
    assert feed.run('%hook -q fetch topic="x"') == ["module[x]"]


NAMELESS = """
import types

class Nameless(types.ModuleType):
    @property
    def __name__(self):
        raise RuntimeError("no name outside of application context")

nameless = Nameless("nameless")  # __name__ replaced by a raising property
lazy = types.ModuleType("lazy")  # __name__ deleted, and a module __getattr__ that raises for it
del lazy.__name__
def _missing(name):
    raise RuntimeError(f"lazy module has no {name}")
lazy.__getattr__ = _missing
for module in (nameless, lazy):
    module.fetch = extension(lambda topic: f"module[{topic}]")
    module.fetch.__name__ = "fetch"
"""


@pytest.mark.parametrize("module", ["nameless", "lazy"])
def test_a_module_whose_name_cannot_be_read_is_added_and_listed_with_a_readable_label(
    feed: Shell, capsys: pytest.CaptureFixture[str], module: str
) -> None:
    feed.run(NAMELESS)
    capsys.readouterr()
    feed.run(f"%plugin add {module}")
    assert capsys.readouterr().out == (
        f"added {module!r} (module <name unreadable>): extensions (feed)\n")
    feed.run("%plugin list")
    assert f"    {module}  module <name unreadable>\n" in capsys.readouterr().out
    assert feed.run('%hook -q fetch topic="x"') == ["module[x]"]


@pytest.mark.parametrize("error", ["RuntimeError", "SystemExit"])
def test_a_module_holding_an_unbound_proxy_and_a_lifespan_adds_both_kinds_of_member(
    feed: Shell, capsys: pytest.CaptureFixture[str], error: str
) -> None:
    # the proxy raises whatever it raises (a SystemExit too) on every attribute: skipped, said so
    feed.run(UNBOUND.replace("RuntimeError", error) + """
from nbplug.lifespans import lifespan

@lifespan
async def listener():
    yield

web.listener = listener
""")
    capsys.readouterr()
    feed.run("%plugin add web")
    assert capsys.readouterr().out.splitlines() == [
        f"skipped 1 member of 'web' that cannot be read: request ({error}: working outside "
        "of request context)",
        "added 'web' (module web): extensions (feed); lifespan listener",
    ]
    assert feed.run('%hook -q fetch topic="x"') == ["module[x]"]


def test_the_skipped_members_line_of_a_module_with_20000_unreadable_members_is_bounded(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run(UNBOUND)
    feed.run("for i in range(20_000):\n    setattr(web, f'request{i}', Unbound())")
    capsys.readouterr()
    feed.run("%plugin add web")
    skipped, added = capsys.readouterr().out.splitlines()
    assert added == "added 'web' (module web): extensions (feed)"
    assert len(skipped) < 1000, len(skipped)
    assert skipped.startswith("skipped 20,001 members of 'web' that cannot be read: request "
                              "(RuntimeError: working outside of request context); request0 (")
    shown = skipped.count("(RuntimeError: working outside of request context)")
    assert skipped.endswith(f"; … {20_001 - shown:,} more (all of them: "
                            "nbplug.ipython.get_session().plugins['web'].skipped)")
    feed.run("from nbplug.ipython import get_session")
    everything = feed.run("get_session().plugins['web'].skipped")
    assert len(everything) == 20_001
    assert everything[-1] == "request19999 (RuntimeError: working outside of request context)"
    assert feed.run('%hook -q fetch topic="x"') == ["module[x]"]


def test_an_attribute_path_whose_reading_raises_is_refused_in_words(feed: Shell) -> None:
    feed.run(UNBOUND)
    with pytest.raises(UsageError, match=r"reading web\.request\.fetch raised RuntimeError: "
                       r"working outside of request context") as info:
        feed.run("%plugin add web.request.fetch")
    assert "Nothing was changed." in str(info.value)


def test_hook_view_text_escapes_control_characters_of_errors_and_results(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run("%plugin add Loud")
    capsys.readouterr()
    feed.fails('%hook fetch topic="x"')
    # the call view comes first; IPython's traceback of the user's own error follows it
    view = capsys.readouterr().out.partition("----")[0]
    assert view.startswith("hook fetch(limit=3, topic='x')")
    assert "\x1b" not in view and "\x07" not in view
    assert r"raised ValueError: bad \x1b]0;pwned\x07\x1b[2J news" in view


def test_text_forms_escape_names_and_log_lines() -> None:
    from nbplug._kit.tracing import CallTrace, TraceStep
    from nbplug.widgets import HookCallView
    from nbplug.widgets.board.text import BoardRow, board_text

    step = TraceStep(f"plug{HOSTILE}", "Plug.fetch", "impl", 0.0, 0.001, result=HOSTILE)
    trace = CallTrace("fetch", "collecting", {"topic": HOSTILE}, [step], result=[HOSTILE])
    text = HookCallView(trace).text()
    assert "\x1b" not in text and "\x07" not in text
    assert r"plug\x1b]0;pwned\x07\x1b[2J (Plug.fetch)" in text  # the call view names it so
    board = board_text([BoardRow(f"tick{HOSTILE}", "running", 1.0, (f"log {HOSTILE}",), None)])
    assert "\x1b" not in board and "\x07" not in board
    assert r"| log \x1b]0;pwned\x07\x1b[2J" in board
    assert r"tick\x1b]0;pwned\x07\x1b[2J" in board


def test_safe_text_helpers_guard_every_read() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("repr")

        def __str__(self) -> str:
            raise RuntimeError("str")

        def __getattr__(self, name: str) -> object:
            raise RuntimeError(name)

    assert safe_repr(Hostile()) == "<unrepresentable Hostile>"
    assert safe_repr([Hostile()]) == "[<unrepresentable Hostile>]"
    assert safe_str(Hostile()) == "<unrepresentable Hostile>"
    assert safe_attr(Hostile(), "anything", "default") == "default"
    assert escape_controls("a\tb\u202ec\nd") == r"a\tb\u202ec\x0ad"
    assert escape_controls("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"
    assert shorten("x" * 500, 10) == "x" * 9 + "…"
    assert len(safe_repr("y" * 10_000)) <= 160


def test_long_and_hostile_names_are_shortened_or_refused_in_messages(feed: Shell) -> None:
    from IPython.core.error import UsageError

    long_name = "x" * 5000
    error = feed.fails(f"%plugin add {long_name}")
    assert isinstance(error, UsageError) and len(str(error)) < 600
    error = feed.fails(f"%plugin add Loud --name {'n' * 500}")
    assert "at most 60 characters" in str(error) and len(str(error)) < 600


TWINS = '''
from nbplug.lifespans import lifespan

class Twins:
    def __repr__(self):
        raise RuntimeError("no repr for you")
    @lifespan(name="feed")
    async def one(self):
        yield
    @lifespan(name="feed")
    async def two(self):
        yield
'''


def test_a_refusal_about_a_plugin_whose_repr_raises_still_reads(feed: Shell) -> None:
    # the message quotes the plugin: its repr raising must not replace the refusal by its error
    feed.run(TWINS)
    error = feed.fails("%plugin add Twins")
    assert isinstance(error, UsageError), error
    assert "two lifespans are named 'feed' in <unrepresentable Twins>" in str(error), error


def test_a_legacy_wrapper_teardown_error_whose_str_raises_goes_on_with_the_warning() -> None:
    from nbplug import Extension, ExtensionPoint, PluginManager
    from nbplug._kit.errors import TeardownRaisedWarning

    point, extension = ExtensionPoint("shop"), Extension("shop")

    class Unprintable(Exception):
        def __str__(self) -> str:
            raise SystemExit("str of a broken object")  # not even an Exception

    class Spec:
        @point
        def fetch(self) -> None:
            """Fetch."""

    class Old:
        @extension(hookwrapper=True)
        def fetch(self):  # type: ignore[no-untyped-def]
            yield
            raise Unprintable()

    pm = PluginManager("shop")
    pm.add_extension_points(Spec)
    pm.register(Old(), name="old")
    with pytest.warns(TeardownRaisedWarning) as warned, pytest.raises(Unprintable):
        pm.hook.fetch()
    assert "Unprintable: (the message of this Unprintable could not be shown" in str(warned[0].message)
