"""A refused change changes nothing, and mistakes are told in the user's terms (issue 12, 3 and 5).

Every ``%plugin`` verb checks everything before it changes anything: a refused one leaves the
plugins, the hooks and the lifespans exactly as they were, and says so. A mistake in how a
lifespan is written, or a ``%hook`` value that cannot be evaluated, is one ``UsageError`` line
saying what is right -- not a traceback through nbplug. A hypothesis test mixes refused inputs
into random sequences of verbs and compares the whole session state around each refusal.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell
from package_paths import is_nbplug_frame
from test_ipython_lifespans import LIFESPANS

from nbplug.ipython import get_session

__all__ = ["shell"]

PLUGINS = '''
other_point = ExtensionPoint("other")

@lifespan
async def ticker():
    journal.append("setup ticker")
    yield None
    journal.append("teardown ticker")

class BrokenStation:  # takes an argument fetch's extension point does not declare
    @extension
    def fetch(self, topic, colour):
        return "broken"

    @lifespan
    async def antenna(self):
        yield None

class BadFetch:  # passes on its own; refused only against fetch's extension point in the session
    @extension
    def fetch(self, topic, colour):
        return "bad"

class OtherSpecs:
    @staticmethod
    @other_point
    def ping(x: int) -> int:
        """A ping."""

class OtherGood:
    @Extension("other")
    def ping(self, x):
        return x + 1

class OtherBad:  # takes an argument ping's extension point (brought with it) does not declare
    @Extension("other")
    def ping(self, x, y):
        return y

class Mixed:  # extension points for "other", and a broken extension for "feed"
    @staticmethod
    @other_point
    def ping(x: int) -> int:
        """A ping."""

    @extension
    def fetch(self, topic, colour):
        return "mixed"
'''


@pytest.fixture
def session(shell: Shell) -> Shell:
    shell.run(SPECS_AND_PLUGINS)
    shell.run(LIFESPANS)  # Station, with its antenna lifespan, and the journal
    shell.run(PLUGINS)
    shell.run("%plugin add Specs")
    return shell


def state(shell: Shell) -> object:
    """Everything a refused verb must leave as it was: plugins, hooks, specs, lifespan phases."""
    s = get_session(shell.ip)
    return (
        {name: (entry.source, entry.plugin, tuple(entry.lifespans)) for name, entry in s.plugins.items()},
        {
            m.project_name: {
                c.name: (c.spec.function if c.spec else None, [i.plugin_name for i in c.implementations()])
                for c in m.callers()
            }
            for m in s.managers
        },
        [(st_.name, st_.phase) for st_ in s.group.states],
    )


def test_a_refused_re_add_leaves_the_old_plugin_and_its_running_lifespan(session: Shell) -> None:
    session.run("%plugin add Station\n%plugin start antenna")
    before = state(session)
    error = session.fails("%plugin add BrokenStation --name Station")
    assert isinstance(error, UsageError)
    text = str(error)
    assert "cannot add 'Station'" in text and "colour" in text
    assert "'Station' stays as it was" in text and text.endswith("Nothing was changed.")
    assert state(session) == before
    assert session.ns["journal"] == ["setup antenna"]  # not torn down
    assert session.run("%hook -q fetch topic='x'") == ["station"]


def test_a_refused_object_leaves_no_extension_points_of_another_project(session: Shell) -> None:
    before = state(session)
    error = session.fails("%plugin add Mixed")
    assert "Nothing was changed." in str(error)
    assert state(session) == before
    assert "other" not in [m.project_name for m in get_session(session.ip).managers]


def test_a_replacement_says_what_was_torn_down(
    session: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    session.run("%plugin add Station\n%plugin start antenna")
    capsys.readouterr()
    session.run("class Station(Station):\n    pass\n%plugin add Station")
    assert "stopped lifespan antenna of the replaced plugin 'Station'" in capsys.readouterr().out
    assert session.ns["journal"] == ["setup antenna", "teardown antenna"]


def test_remove_checks_every_name_first(session: Shell) -> None:
    session.run("%plugin add Station Weather")
    before = state(session)
    error = session.fails("%plugin remove Weather nosuch")
    assert "no plugin named 'nosuch'" in str(error) and "Nothing was changed." in str(error)
    assert state(session) == before


def test_a_multi_add_refused_while_installing_takes_out_the_ones_before(session: Shell) -> None:
    before = state(session)
    error = session.fails("%plugin add Weather ticker BadFetch")
    assert isinstance(error, UsageError)
    text = str(error)
    assert "cannot add 'BadFetch'" in text and "colour" in text
    assert text.endswith("Nothing was changed."), text
    assert state(session) == before
    assert list(get_session(session.ip).plugins) == ["Specs"]


def test_a_multi_add_refused_in_its_checks_changes_nothing(session: Shell) -> None:
    before = state(session)
    for line, refused in [
        ("%plugin add Weather Mixed", "'Mixed'"),
        ("%plugin Weather nosuch", "nosuch"),
        ("%plugin add ticker ticker", "'ticker': this command names it twice"),
        ("%plugin add OtherSpecs OtherBad", "cannot add 'OtherBad'"),
    ]:
        error = session.fails(line)
        assert isinstance(error, UsageError), (line, repr(error))
        assert refused in str(error) and str(error).endswith("Nothing was changed."), str(error)
        assert state(session) == before, line
    assert "other" not in [m.project_name for m in get_session(session.ip).managers]


def test_a_refused_multi_add_keeps_a_replaced_plugin_and_its_running_lifespan(
    session: Shell,
) -> None:
    session.run("%plugin add Station\n%plugin start antenna")
    old = get_session(session.ip).plugins["Station"].source
    session.run("class Station(Station):\n    pass")
    before = state(session)
    for line in ("%plugin add Station BadFetch", "%plugin add Station Mixed"):
        error = session.fails(line)
        assert str(error).endswith("Nothing was changed."), str(error)
        assert state(session) == before, line
    assert get_session(session.ip).plugins["Station"].source is old
    assert session.ns["journal"] == ["setup antenna"]  # never torn down
    assert [(s.name, s.phase.is_active) for s in get_session(session.ip).group.states] == [
        ("antenna", True)
    ]
    assert session.run("%hook -q fetch topic='x'") == ["station"]


def test_a_passing_multi_add_adds_them_all(session: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    session.run("%plugin add Station\n%plugin start antenna\nclass Station(Station):\n    pass")
    capsys.readouterr()
    session.run("%plugin add Weather Station OtherSpecs OtherGood\n%plugin Sports ticker")
    out = capsys.readouterr().out
    assert "stopped lifespan antenna of the replaced plugin 'Station'" in out
    assert list(get_session(session.ip).plugins) == [
        "Specs", "Station", "Weather", "OtherSpecs", "OtherGood", "Sports", "ticker"
    ]
    assert session.ns["journal"] == ["setup antenna", "teardown antenna"]
    assert sorted(session.run("%hook -q fetch topic='x' limit=1")) == [
        "sports[x:1]", "station", "weather[x]"
    ]
    assert session.run("%hook -q ping x=1") == [2]


LIFESPAN_MISTAKES = {
    "no_yield": (
        "@lifespan\nasync def no_yield():\n    return\n    yield\n",
        "%plugin start no_yield",
        "ended without yielding",
    ),
    "yields_42": (
        "@lifespan\nasync def yields_42():\n    yield 42\n",
        "%plugin start yields_42",
        "yielded 42 (int); yield a coroutine",
    ),
    "needs_missing": (
        "@lifespan(depends_on=('nowhere',))\nasync def needs_missing():\n    yield None\n",
        "%plugin start needs_missing",
        "nowhere",
    ),
    "no_option": (
        "@lifespan\nasync def no_option(every):\n    yield None\n",
        "%plugin start no_option",
        "every",
    ),
}


@pytest.mark.parametrize("case", sorted(LIFESPAN_MISTAKES))
def test_a_lifespan_written_wrong_is_one_usage_error(session: Shell, case: str) -> None:
    source, line, words = LIFESPAN_MISTAKES[case]
    session.run(source + f"%plugin add {case}")
    error = session.fails(line)
    assert isinstance(error, UsageError), repr(error)
    assert words in str(error)
    assert error.__traceback__ is None or not is_nbplug_frame(error.__traceback__.tb_frame)


def test_a_lifespan_that_yields_twice_is_one_usage_error_at_its_stop(session: Shell) -> None:
    session.run("@lifespan\nasync def twice():\n    yield None\n    yield None\n%plugin add twice")
    session.run("%plugin start twice")
    error = session.fails("%plugin stop twice")
    assert isinstance(error, UsageError)
    assert "yielded a second time" in str(error) and "the lifespans were stopped" in str(error)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('%hook fetch topic=(yield 1)', "cannot be evaluated on its own"),
        ("%hook fetch topic=[y for y in (x := [1])]", "cannot be evaluated on its own"),
        ("%hook fetch topic=(1,", "cannot read the arguments"),
    ],
)
def test_hook_values_that_cannot_compile_are_usage_errors(
    session: Shell, line: str, words: str
) -> None:
    session.run("%plugin add Weather")
    error = session.fails(line)
    assert isinstance(error, UsageError), repr(error)
    assert words in str(error) and "(" in str(error)
    assert "', (" not in str(error)  # no raw (message, position) tuple


VERBS = st.sampled_from(
    [
        ("%plugin add Station", True),
        ("%plugin add Weather", True),
        ("%plugin add ticker", True),
        ("%plugin start ticker", True),
        ("%plugin start antenna", True),
        ("%plugin stop", True),
        ("%plugin remove Station", True),
        ("%plugin remove ticker", True),
        ("%plugin add Weather ticker", True),
        ("%plugin Station Weather", True),
        # refused ones
        ("%plugin add BrokenStation --name Station", False),
        ("%plugin add Mixed", False),
        ("%plugin add nosuch", False),
        ("%plugin remove Weather nosuch", False),
        ("%plugin start ticker --bogus 1", False),
        ("%plugin start nosuch", False),
        ("%plugin stop nosuch", False),
        ("%plugin list extra", False),
        ("%plugin add Weather BadFetch", False),
        ("%plugin add ticker Station Mixed", False),
        ("%plugin add ticker ticker", False),
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(VERBS, min_size=1, max_size=12))
def test_refused_verbs_change_nothing_in_random_sequences(
    session: Shell, steps: list[tuple[str, bool]]
) -> None:
    try:
        for line, may_succeed in steps:
            before = state(session)
            result = session.ip.run_cell(line)
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                assert isinstance(error, UsageError), (line, repr(error))
                assert "Nothing was changed." in str(error), (line, str(error))
                assert state(session) == before, line
            else:
                assert may_succeed, f"{line} was not refused"
    finally:
        session.run("%plugin stop")
        for name in list(get_session(session.ip).plugins):
            if name != "Specs":
                session.run(f"%plugin remove {name}")
