"""Help in one screen: ``%plugin?``, ``%%hook?`` and ``%pytest?`` as a user reads them (IPython's
own ``?``), each at most 30 lines, every verb or option named once, none of the machinery; the
details behind ``%plugin help VERB``."""

from __future__ import annotations

import re

import pytest
from IPython.core.completer import provisionalcompleter
from IPython.core.error import UsageError
from ipython_fixtures import Shell, shell  # noqa: F401

INTERNALS = ("autoawait", "%config", "PluginMagics", "get_session", "nbplug.", "__", "``", ":func:")
VERBS = ("add", "remove", "list", "start", "stop", "status", "help")


def shown(shell: Shell, capsys: pytest.CaptureFixture[str], cell: str) -> str:  # noqa: F811
    capsys.readouterr()
    shell.run(cell)
    return capsys.readouterr().out


@pytest.mark.parametrize("asked", ["%plugin?", "%%hook?", "%pytest?"])
def test_each_help_fits_one_screen_without_internals(
    shell: Shell, capsys: pytest.CaptureFixture[str], asked: str  # noqa: F811
) -> None:
    text = shown(shell, capsys, asked)
    lines = text.rstrip("\n").splitlines()
    assert 0 < len(lines) <= 30, f"{asked} is {len(lines)} lines"
    docstring = text.partition("Docstring:")[2].lstrip("\n")
    assert not docstring.startswith("::"), docstring[:40]
    for word in INTERNALS:
        assert word not in text.partition("File:")[0], f"{asked} shows {word!r}"


def test_plugin_help_names_every_verb_once(shell: Shell, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    text = shown(shell, capsys, "%plugin?")
    for verb in VERBS:
        assert len(re.findall(rf"^%plugin {verb}\b", text, re.M)) == 1, verb
    assert "%plugin NAME [NAME...]" in text


def test_hook_help_names_every_option_once(shell: Shell, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    text = shown(shell, capsys, "%%hook?")
    for short, long in (("-q", "--quiet"), ("-w", "--widget"), ("-t", "--timeline")):
        assert len(re.findall(rf"^\s*{short}, {long}\b", text, re.M)) == 1, long
    assert "%plugin help hook" in text


def test_pytest_help_starts_with_its_usage(shell: Shell, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    text = shown(shell, capsys, "%pytest?")
    docstring = text.partition("Docstring:")[2].lstrip("\n")
    assert docstring.startswith("Usage: %pytest PATHS [options] [-- PYTEST_ARGS...]")
    for option in ("--hook", "--plugin", "--map", "--all", "--max-calls", "--quiet", "--text"):
        assert len(re.findall(rf"^\s+(-\w, )?{option}\b", text, re.M)) == 1, option


@pytest.mark.parametrize(("topic", "detail"), [
    ("add", "instantiated, so it must take no constructor arguments"),
    ("remove", "Extension points stay"),
    ("list", "why that order"),
    ("start", "%plugin start NAME --help"),
    ("stop", "in reverse set-up\norder"),
    ("status", "Stop all"),
    ("hook", "%config PluginMagics.view"),
    ("python", "get_session()"),
])
def test_plugin_help_verb_gives_the_details(
    shell: Shell, capsys: pytest.CaptureFixture[str], topic: str, detail: str  # noqa: F811
) -> None:
    text = shown(shell, capsys, f"%plugin help {topic}")
    assert detail in text
    assert len(text.splitlines()) <= 30


def test_plugin_help_of_an_unknown_topic_names_the_topics(shell: Shell) -> None:  # noqa: F811
    error = shell.fails("%plugin help strat")
    assert isinstance(error, UsageError)
    assert "did you mean 'start'" in str(error) and "hook, python" in str(error)


def test_tab_offers_the_help_topics(shell: Shell) -> None:  # noqa: F811
    with provisionalcompleter():
        got = [c.text for c in shell.ip.Completer.completions("%plugin help ", 13)]
    assert got == ["add", "remove", "list", "start", "stop", "status", "help", "hook", "python"]
