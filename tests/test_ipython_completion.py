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
