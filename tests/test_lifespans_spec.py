"""The @lifespan marker, find_lifespans, and the chained command-line parsing shared with %plugin."""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import AsyncIterator

import click
import pytest

from nbplug.lifespans import (
    LifespanHelpRequested,
    LifespanSpec,
    LifespanUsageError,
    find_lifespans,
    is_lifespan,
    lifespan,
    lifespan_help,
    lifespan_of,
    lifespans_overview,
    parse_invocations,
)


@lifespan
@click.option("--from", "-f", "start", type=click.IntRange(min=1), default=3, help="Start here.")
@click.option("--sleep", type=float, default=1.0, help="Pause.")
async def countdown(start: int, sleep: float, ctx: object) -> AsyncIterator[None]:
    """Count down to one.

    More words that only --help shows.
    """
    yield None


@lifespan
@click.option("--immediately", is_flag=True, help="Echo at once.")
@click.option("--tag", multiple=True)
async def echo(immediately: bool, tag: tuple[str, ...]) -> AsyncIterator[None]:
    yield None


@lifespan(name="needs-key", depends_on=(countdown,))
@click.option("--key", required=True)
async def keyed(key: str) -> AsyncIterator[None]:
    yield None


SPECS = {s.name: s for s in map(LifespanSpec.from_function, (countdown, echo, keyed))}


def test_marker_records_name_dependencies_params_and_doc() -> None:
    spec = SPECS["countdown"]
    assert is_lifespan(countdown)
    assert not is_lifespan(test_marker_records_name_dependencies_params_and_doc)
    assert [p.name for p in spec.params] == ["start", "sleep"]
    assert spec.doc == "Count down to one."
    assert spec.wants_ctx and not SPECS["echo"].wants_ctx
    assert SPECS["needs-key"].depends_on == ("countdown",)
    assert SPECS["needs-key"].function is keyed


@pytest.mark.parametrize(
    ("fn_source", "what"),
    [
        ("async def f():\n    return 1", "coroutine function"),
        ("def f():\n    yield 1", "generator function"),
        ("def f():\n    return 1", "function"),
    ],
)
def test_marker_rejects_what_is_not_an_async_generator(fn_source: str, what: str) -> None:
    namespace: dict[str, object] = {}
    exec(fn_source, namespace)
    with pytest.raises(TypeError, match=f"async generator function.*{what}"):
        lifespan(namespace["f"])  # type: ignore[type-var]


def test_marker_rejects_a_string_for_depends_on() -> None:
    with pytest.raises(TypeError, match=r"sequence of names, e.g. \('db',\)"):
        lifespan(depends_on="db")


def test_find_lifespans_in_a_module_and_a_single_function() -> None:
    module = types.ModuleType("plugins")
    module.countdown = countdown  # type: ignore[attr-defined]
    module.echo = echo  # type: ignore[attr-defined]
    module.helper = len  # type: ignore[attr-defined]
    assert list(find_lifespans(module)) == ["countdown", "echo"]
    assert list(find_lifespans(keyed)) == ["needs-key"]
    assert find_lifespans(len) == {}


def test_find_lifespans_wants_an_instance_not_a_class() -> None:
    class Plugin:
        @lifespan
        async def run(self) -> AsyncIterator[None]:
            yield None

    with pytest.raises(TypeError, match=r"pass an instance \(e.g. Plugin\(\)\)"):
        find_lifespans(Plugin)
    spec = find_lifespans(Plugin())["run"]
    assert spec.function.__self__.__class__ is Plugin  # type: ignore[attr-defined]


def test_find_lifespans_rejects_two_with_one_name() -> None:
    async def one() -> AsyncIterator[None]:
        yield None

    async def other() -> AsyncIterator[None]:
        yield None

    module = types.ModuleType("plugins")
    module.a = lifespan(name="same")(one)  # type: ignore[attr-defined]
    module.b = lifespan(name="same")(other)  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="two lifespans are named 'same'"):
        find_lifespans(module)


def test_parse_the_seed_chained_syntax() -> None:
    parsed = parse_invocations(SPECS, ["countdown", "--from", "3", "echo", "--immediately"])
    assert [(s.name, p) for s, p in parsed] == [
        ("countdown", {"start": 3, "sleep": 1.0}),
        ("echo", {"immediately": True, "tag": ()}),
    ]


def test_parse_accepts_short_options_dashes_and_repeats() -> None:
    parsed = parse_invocations(
        SPECS, ["echo", "--tag", "x", "--tag", "y", "needs-key", "--key", "k", "countdown", "-f", "5"]
    )
    assert [(s.name, p) for s, p in parsed] == [
        ("echo", {"immediately": False, "tag": ("x", "y")}),
        ("needs-key", {"key": "k"}),
        ("countdown", {"start": 5, "sleep": 1.0}),
    ]


def test_unknown_name_gets_a_did_you_mean_and_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(LifespanUsageError) as info:
        parse_invocations(SPECS, ["countdown", "ecko"], prog="%plugin start")
    text = str(info.value)
    assert "Error: No such lifespan 'ecko'. Did you mean 'echo'?" in text
    assert "Available lifespans: countdown, echo, needs-key." in text
    assert text.startswith("Usage: %plugin start NAME [OPTIONS]")
    assert info.value.error == "No such lifespan 'ecko'. Did you mean 'echo'?"
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["countdown", "--from", "zero"], "Invalid value for '--from' / '-f': 'zero' is not"),
        (["countdown", "--from", "0"], "0 is not in the range x>=1"),
        (["countdown", "--frm", "3"], "No such option '--frm'. Did you mean '--from'?"),
        (["needs-key"], "Missing option '--key'"),
        (["countdown", "--from"], "Option '--from' requires an argument"),
    ],
)
def test_bad_options_give_clicks_message_with_usage(argv: list[str], message: str) -> None:
    with pytest.raises(LifespanUsageError) as info:
        parse_invocations(SPECS, argv)
    name = argv[0]
    assert message in str(info.value)
    assert f"Try 'nbplug run {name} --help' for help." in str(info.value)
    assert info.value.usage.startswith(f"Usage: nbplug run {name} [OPTIONS]")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "Missing lifespan name."),
        (["--from", "3"], "Expected a lifespan name, got the option '--from'."),
        (["countdown", "7"], "No such lifespan '7'."),
    ],
)
def test_bad_chains_are_usage_errors(argv: list[str], message: str) -> None:
    with pytest.raises(LifespanUsageError, match=r"Error: .*") as info:
        parse_invocations(SPECS, argv)
    assert message in str(info.value)


def test_a_name_given_again_is_another_instance_with_its_own_options() -> None:
    chain = parse_invocations(SPECS, ["countdown", "--from", "5", "echo", "countdown", "echo"])
    assert [(spec.name, params.get("start")) for spec, params in chain] == [
        ("countdown", 5),
        ("echo", None),
        ("countdown#2", 3),
        ("echo#2", None),
    ]
    assert chain[2][0].function is SPECS["countdown"].function
    assert [lifespan_of(spec.name) for spec, _ in chain] == ["countdown", "echo"] * 2
    assert lifespan_of("odd#name") == "odd#name" and lifespan_of("one#1") == "one#1"


def test_an_instance_named_outright_keeps_its_name_and_the_others_skip_it() -> None:
    chain = parse_invocations(SPECS, ["echo#2", "--immediately", "echo", "echo", "echo#5"])
    assert [spec.name for spec, _ in chain] == ["echo#2", "echo", "echo#3", "echo#5"]
    assert chain[0][1]["immediately"] is True
    with pytest.raises(LifespanUsageError, match="No such lifespan 'ehco#2'"):
        parse_invocations(SPECS, ["ehco#2"])


def test_help_is_raised_not_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(LifespanHelpRequested) as info:
        parse_invocations(SPECS, ["echo", "countdown", "--from", "bad", "--help"])
    assert info.value.name == "countdown"
    assert info.value.text == lifespan_help(SPECS["countdown"])
    assert capsys.readouterr() == ("", "")


def test_lifespan_help_shows_usage_doc_and_options() -> None:
    text = lifespan_help(SPECS["countdown"], prog="%plugin start")
    assert text.startswith("Usage: %plugin start countdown [OPTIONS]")
    assert "More words that only --help shows." in text
    for option in ("-f, --from INTEGER RANGE", "Start here.", "--sleep FLOAT", "--help"):
        assert option in text


def test_overview_lists_lifespans_with_docs_and_dependencies() -> None:
    text = lifespans_overview(SPECS)
    assert "countdown  Count down to one." in text
    assert "needs-key  (needs countdown)" in text


def test_importing_lifespans_does_not_import_click() -> None:
    code = (
        "import sys, nbplug.lifespans, nbplug.lifespans.params; "
        "print('click' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
