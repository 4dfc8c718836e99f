"""Tab completion of ``%plugin`` and ``%%hook``/``%hook`` in the in-process shell."""

from __future__ import annotations

import pytest
from IPython.core.completer import provisionalcompleter
from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell

__all__ = ["shell"]


@pytest.fixture
def ready(shell: Shell) -> Shell:
    shell.run(SPECS_AND_PLUGINS)
    shell.run(
        "import click\n"
        "from nbplug.lifespans import lifespan\n"
        "@lifespan\n"
        "@click.option('--from', '-f', 'start', type=int, default=3)\n"
        "async def countdown(start):\n"
        "    yield\n"
        "plain = 42\n"
    )
    shell.run("%plugin add Specs Weather countdown")
    return shell


def complete(shell: Shell, text: str) -> list[str]:
    """What Tab offers at the end of ``text``, as the completed words."""
    with provisionalcompleter():
        completions = list(shell.ip.Completer.completions(text, len(text)))
    return sorted({text[: c.start] + c.text for c in completions})


def words(shell: Shell, text: str) -> list[str]:
    prefix = text.rsplit(" ", 1)[0] + " " if " " in text else ""
    return [c[len(prefix):] if c.startswith(prefix) else c for c in complete(shell, text)]


def test_verbs_and_marked_names(ready: Shell) -> None:
    offered = words(ready, "%plugin ")
    assert {"add", "remove", "list", "start", "stop", "status"} <= set(offered)
    assert {"Specs", "Weather", "Sports", "countdown"} <= set(offered)
    assert "plain" not in offered and "asyncio" not in offered
    assert words(ready, "%plugin st") == ["start", "status", "stop"]


def test_status_offers_its_page_and_filter_words_and_the_phases(ready: Shell) -> None:
    assert words(ready, "%plugin status ") == ["name=", "page=", "phase="]
    assert words(ready, "%plugin status page=2 ") == ["name=", "phase="]
    assert "phase=failed" in words(ready, "%plugin status phase=f")
    assert "phase=running" not in words(ready, "%plugin status phase=f")


def test_add_offers_only_names_with_markers(ready: Shell) -> None:
    assert words(ready, "%plugin add Sp") == ["Specs", "Sports"]
    assert "plain" not in words(ready, "%plugin add ")


def test_remove_offers_plugins_with_something_to_remove(ready: Shell) -> None:
    assert words(ready, "%plugin remove ") == ["Weather", "countdown"]


def test_start_offers_lifespans_and_their_options(ready: Shell) -> None:
    assert words(ready, "%plugin start c") == ["countdown"]
    assert words(ready, "%plugin start countdown --f") == ["--from"]
    assert {"--from", "-f", "--help"} <= set(words(ready, "%plugin start countdown -"))


def test_stop_offers_active_lifespans(ready: Shell) -> None:
    assert "countdown" not in words(ready, "%plugin stop ")  # (IPython's own matchers fill in)
    ready.run("%plugin start countdown")
    assert words(ready, "%plugin stop ") == ["countdown"]


def test_hook_names_and_argument_names(ready: Shell) -> None:
    assert words(ready, "%hook f") == ["fetch", "first"]
    assert words(ready, "%%hook fi") == ["first"]
    assert words(ready, "%hook fetch l") == ["limit="]
    assert words(ready, "r = %hook fetch to") == ["topic="]


def test_argument_names_in_a_cell_body(ready: Shell) -> None:
    assert complete(ready, "%%hook fetch\nto") == ["%%hook fetch\ntopic = "]
    assert complete(ready, "%%hook fetch\ntopic = 'x'\nli") == ["%%hook fetch\ntopic = 'x'\nlimit = "]


def offered(shell: Shell, text: str) -> list[tuple[str, str]]:
    """(text, type) of each completion, in the order the front end gets them."""
    with provisionalcompleter():
        return [(c.text, c.type) for c in shell.ip.Completer.completions(text, len(text))]


def test_verbs_come_first_then_names_each_typed_by_what_it_is(ready: Shell) -> None:
    got = offered(ready, "%plugin ")
    texts = [text for text, _ in got]
    verbs = ["add", "remove", "list", "start", "stop", "status", "help"]
    assert texts[: len(verbs)] == verbs
    kinds = dict(got)
    assert {kinds[v] for v in verbs} == {"verb"}
    assert kinds["Specs"] == "specs" and kinds["Weather"] == "class"
    assert kinds["countdown"] == "lifespan"
    assert "magic" not in kinds.values()
    assert not any(text in ("%", "%%", "plugin", "hook", "") for text in texts)


def test_add_labels_the_name_option_as_an_option_and_leaves_out_names_given(ready: Shell) -> None:
    got = dict(offered(ready, "%plugin add Specs "))
    assert got["--name"] == "option"
    assert "Specs" not in got and got["Weather"] == "class"
    assert "--name" not in dict(offered(ready, "%plugin add Specs --name x "))


def test_remove_and_stop_offer_plugins_and_lifespans_typed_as_such(ready: Shell) -> None:
    assert offered(ready, "%plugin remove ") == [("Weather", "plugin"), ("countdown", "plugin")]
    ready.run("%plugin start countdown")
    assert offered(ready, "%plugin stop ") == [("countdown", "lifespan")]
    assert offered(ready, "%plugin start countdown -") == [
        ("--from", "option"), ("-f", "option"), ("--help", "option")]


def test_hook_options_names_and_arguments_with_nothing_stray(ready: Shell) -> None:
    options = [("-q", "option"), ("--quiet", "option"), ("-w", "option"), ("--widget", "option"),
               ("-t", "option"), ("--timeline", "option")]
    assert offered(ready, "%%hook -") == options
    assert offered(ready, "%%hook f") == [("fetch", "hook"), ("first", "hook")]
    assert offered(ready, "%%hook -q f") == [("fetch", "hook"), ("first", "hook")]
    assert offered(ready, "%%hook fetch ") == options  # the arguments go in the body
    assert offered(ready, "%hook fetch ")[:2] == [("topic=", "argument"), ("limit=", "argument")]
    assert [t for t, _ in offered(ready, "%hook fetch topic='x' ")][:1] == ["limit="]
    after_equals = offered(ready, "%hook fetch topic=")
    assert ("", "argument") not in after_equals and all(text for text, _ in after_equals)


def test_a_cell_body_offers_the_arguments_not_given_yet(ready: Shell) -> None:
    with provisionalcompleter():
        got = [(c.text, c.type) for c in ready.ip.Completer.completions("%%hook fetch\ntopic = 'x'\n", 25)]
    assert got == [("limit = ", "argument")]
