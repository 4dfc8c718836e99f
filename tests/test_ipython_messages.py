"""Messages in nbplug's words for nbplug-marked code, each once and with the fix it suggests, in
the form the user wrote (``%hook`` or ``%%hook``). pluggy-marked code keeps pluggy's phrases
(tests/test_pluggy_compat_messages.py)."""

from __future__ import annotations

import warnings

import pytest
from IPython.core.error import UsageError
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell  # noqa: F401

from nbplug import MissingArgumentWarning


@pytest.fixture
def feed(shell: Shell) -> Shell:  # noqa: F811
    shell.run(SPECS_AND_PLUGINS)
    shell.run("%plugin add Specs Weather")
    return shell


def test_a_wrong_signature_is_refused_in_nbplugs_words_with_its_fix(feed: Shell) -> None:
    feed.run("class Bad:\n    @extension\n    def fetch(self, topic, colour):\n        return colour\n")
    message = str(feed.fails("%plugin add Bad"))
    assert "takes argument 'colour', which the extension point does not declare" in message
    assert "rename or remove 'colour' in the extension, or declare it on the extension point" in message
    assert "hookimpl" not in message and "hookspec" not in message


@pytest.mark.parametrize(("cell", "right"), [
    ("%hook -q fetch limit=2", "%hook fetch topic=... limit=..."),
    ("%%hook -q fetch\nlimit = 2\n", "%%hook fetch\ntopic = ...\nlimit = ..."),
])
def test_a_missing_argument_is_said_once_with_the_call_that_would_be_right(
    feed: Shell, cell: str, right: str
) -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        error = feed.fails(cell)
    assert isinstance(error, UsageError)
    message = str(error)
    assert message.count("'topic'") == 1, message
    assert "missing the argument 'topic', which extension 'Weather' (Weather.fetch) needs" in message
    assert right in message
    assert "hook call must provide" not in message and "hookspec" not in message
    assert not [w for w in seen if issubclass(w.category, MissingArgumentWarning)]
    assert feed.run("%hook -q fetch topic='after'") == ["weather[after]"]  # nothing was left behind


def test_the_cell_form_names_itself_in_its_messages(feed: Shell) -> None:
    message = str(feed.fails("%%hook -q fetch\ntopik = 'x'\n"))
    assert message.startswith("%%hook fetch: ")
    assert "unexpected argument 'topik' (did you mean 'topic'?)" in message
    assert str(feed.fails("%hook -q fetch topik='x'")).startswith("%hook fetch: ")


def test_a_class_defined_again_after_it_was_added_is_named_with_the_add_that_takes_it(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    feed.run("%plugin add Sports --name sports")
    capsys.readouterr()
    assert feed.run("%hook -q first topic='x'") is None
    assert "note:" not in capsys.readouterr().out  # nothing redefined: nothing said
    feed.run(  # the class cell alone, run again with an edit
        "class Weather:\n"
        "    @extension\n"
        "    async def fetch(self, topic):\n"
        "        return f'new weather[{topic}]'\n"
        "class Sports:\n"
        "    @extension\n"
        "    def fetch(self, topic, limit):\n"
        "        return 'new sports'\n"
    )
    capsys.readouterr()
    assert feed.run("%hook -q fetch topic='x'") == ["sports[x:3]", "weather[x]"]
    out = capsys.readouterr().out
    assert ("note: Weather was defined again after %plugin add; plugin 'Weather' still runs the "
            "old one -- %plugin add Weather takes the new one") in out
    assert "%plugin add Sports --name sports takes the new one" in out
    feed.run("%plugin list")
    assert "%plugin add Weather takes the new one" in capsys.readouterr().out
    feed.run("%plugin add Weather")
    capsys.readouterr()
    assert feed.run("%hook -q fetch topic='x'") == ["sports[x:3]", "new weather[x]"]  # its place kept
    out = capsys.readouterr().out
    assert "Weather was defined again" not in out and "Sports was defined again" in out


def test_many_classes_defined_again_are_noted_in_a_bounded_few_lines(
    feed: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    cell = "".join(
        f"class Echo{i:03}:\n    @extension\n    def fetch(self, topic):\n        return {{version}}\n"
        for i in range(60))
    feed.run(cell.format(version=1))
    feed.run("%plugin add " + " ".join(f"Echo{i:03}" for i in range(60)))
    feed.run(cell.format(version=2))  # every class cell run again
    capsys.readouterr()
    assert feed.run("%hook -q fetch topic='x'").count(1) == 60  # the old ones still answer
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("note:")]
    assert len(notes) == 21, notes
    assert notes[0].startswith("note: Echo000 was defined again after %plugin add")
    assert notes[19].startswith("note: Echo019 was defined again")
    assert notes[20] == ("note: … and 40 more plugins defined again after %plugin add still run "
                         "their old classes or functions (%plugin add NAME takes the new one)")


def test_an_argument_no_extension_needs_is_noted_once_in_nbplugs_words(
    shell: Shell, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    shell.run(SPECS_AND_PLUGINS)
    shell.run("class Counter:\n    @extension\n    def fetch(self, limit):\n        return limit\n")
    shell.run("%plugin add Specs Counter")
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert shell.run("%hook -q fetch limit=2") == [2]
    out = capsys.readouterr().out
    assert ("note: %hook fetch leaves out 'topic', which the extension point declares; no "
            "extension added so far needs it, so the call goes on. To give it: "
            "%hook fetch topic=... limit=...") in out
    assert not [w for w in seen if issubclass(w.category, MissingArgumentWarning)]
