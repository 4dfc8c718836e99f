"""Programs of one's own (``nbplug.terminal.program``): options, help, chaining, instances, exit codes.

Through click's CliRunner in-process, and examples/demo.py in a subprocess with real signals.
"""

from __future__ import annotations

import asyncio
import importlib.util
import signal
import sys
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from cli_fixtures import CHILDREN, Child
from click.testing import CliRunner

from nbplug.lifespans import LifespanContext, lifespan
from nbplug.terminal.program import LifespanProgram, ProgramRun, lifespan_program, pass_run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

journal: list[str] = []


@pytest.fixture(autouse=True)
def _fresh_journal_and_no_child_left() -> Iterator[None]:
    journal.clear()
    yield
    journal.clear()
    while CHILDREN:
        CHILDREN.pop().close()


@lifespan
@click.option("--every", type=float, default=0.0, help="Seconds between ticks.")
@click.option("--times", type=int, default=1, help="How many ticks.")
async def ticker(
    ctx: LifespanContext, every: float, times: int
) -> AsyncIterator[Coroutine[Any, Any, None]]:
    """Tick a few times, then end."""
    journal.append(f"setup {ctx.name} every={every} times={times}")

    async def tick() -> None:
        for n in range(1, times + 1):
            await asyncio.sleep(every)
            ctx.log.info("tick %d", n)

    yield tick()
    journal.append(f"teardown {ctx.name}")


@lifespan
async def broken(ctx: LifespanContext) -> AsyncIterator[Coroutine[Any, Any, None]]:
    """A task that fails at once."""

    async def explode() -> None:
        raise RuntimeError("sensor unplugged")

    yield explode()
    journal.append("teardown broken")


@lifespan
async def show_manager(ctx: LifespanContext) -> AsyncIterator[Coroutine[Any, Any, None]]:
    """Note what the lifespan sees as its manager."""
    journal.append(f"manager={ctx.manager!r} label={ctx.bus.get('label')!r}")
    yield asyncio.sleep(0)


def make_program() -> LifespanProgram:
    @lifespan_program(ticker, broken, name="tool")
    @click.option("--label", default="none", help="A label the program records.")
    @click.option("--quiet", is_flag=True, help="Only warnings and errors.")
    @pass_run
    def tool(run: ProgramRun, label: str, quiet: bool) -> None:
        """A tool made of lifespans."""
        journal.append(f"program label={label}")
        run.manager = f"manager-for-{label}"
        run.bus.set("label", label)  # the program's own values reach its lifespans on the bus
        if quiet:
            run.log_level = "warning"

    tool.add_lifespan(show_manager)
    return tool


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(make_program(), list(args), catch_exceptions=False)


def test_the_program_s_own_option_reaches_its_callback_before_any_setup() -> None:
    result = invoke("--label", "blue", "ticker", "--times", "2", "show_manager")
    assert result.exit_code == 0, result.output
    assert journal[:3] == [
        "program label=blue",
        "setup ticker every=0.0 times=2",
        "manager='manager-for-blue' label='blue'",
    ]
    assert "INFO:nbplug.lifespan.ticker:tick 2" in result.output


def test_a_run_setting_changed_by_the_callback_applies() -> None:
    loud = invoke("ticker")
    quiet = invoke("--quiet", "ticker")
    assert "INFO:nbplug.lifespan.ticker:tick 1" in loud.output
    assert "tick 1" not in quiet.output and quiet.exit_code == 0


def test_help_lists_the_program_s_options_and_its_lifespans_with_their_summaries() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Usage: tool [OPTIONS] NAME [OPTIONS] [NAME [OPTIONS]]...")
    assert "A tool made of lifespans." in out
    assert "--label TEXT" in out and "--log-level" in out
    assert "Lifespans:" in out
    assert "ticker        Tick a few times, then end." in out
    assert "broken        A task that fails at once." in out
    assert "show_manager  Note what the lifespan sees as its manager." in out
    one = invoke("ticker", "--help")
    assert one.exit_code == 0 and one.output.startswith("Usage: tool ticker [OPTIONS]")
    assert "--every FLOAT    Seconds between ticks." in one.output
    assert journal == ["program label=none"]  # help set nothing up


def test_the_same_lifespan_twice_runs_two_instances_torn_down_in_reverse() -> None:
    result = invoke(
        "--log-level", "debug", "ticker", "--times", "1", "ticker", "--times", "3", "--every", "0.001"
    )
    assert result.exit_code == 0, result.output
    assert journal == [
        "program label=none",
        "setup ticker every=0.0 times=1",
        "setup ticker#2 every=0.001 times=3",
        "teardown ticker#2",
        "teardown ticker",
    ]
    assert "INFO:nbplug.lifespan.ticker#2:tick 3" in result.output
    assert "INFO:nbplug.lifespan.ticker:tick 2" not in result.output
    assert "Tearing down 'ticker#2'" in result.output


def test_an_instance_named_outright_keeps_its_name() -> None:
    result = invoke("ticker#3", "--times", "2", "ticker")
    assert result.exit_code == 0, result.output
    assert journal[1:] == [
        "setup ticker#3 every=0.0 times=2",
        "setup ticker every=0.0 times=1",
        "teardown ticker",
        "teardown ticker#3",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tickr"], "Error: No such lifespan 'tickr'. Did you mean 'ticker'?"),
        (["--label", "x"], "Error: Missing lifespan name"),
        (["ticker", "--times", "many"], "Error: Invalid value for '--times'"),
        (["ticker", "--tims", "3"], "Error: No such option '--tims'. Did you mean '--times'?"),
        (["--lable", "x", "ticker"], "Error: No such option '--lable'. Did you mean '--label'?"),
        ([], "Lifespans:"),
    ],
)
def test_bad_input_exits_two_before_any_setup(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not any(line.startswith("setup") for line in journal)


def test_a_failing_task_tears_everything_down_and_exits_one() -> None:
    result = invoke("ticker", "--times", "1000", "--every", "0.01", "broken")
    assert result.exit_code == 1, result.output
    assert journal[-2:] == ["teardown broken", "teardown ticker"]
    assert "Error: RuntimeError: sensor unplugged" in result.output


def test_a_lifespan_with_a_parameter_no_option_gives_is_a_usage_error() -> None:
    @lifespan
    async def needs(port: int) -> AsyncIterator[None]:
        yield None

    program = LifespanProgram("tool", [needs])
    result = CliRunner().invoke(program, ["needs"])
    assert result.exit_code == 2
    assert "Error: Lifespan 'needs' cannot be called with []" in result.output


def test_lifespans_are_added_by_decorator_module_or_object_and_names_stay_unique() -> None:
    program = LifespanProgram("tool")

    @program.lifespan(name="renamed")
    async def plain(ctx: LifespanContext) -> AsyncIterator[None]:  # never run
        """Marked by the program's decorator."""
        yield None

    class Plugin:
        @lifespan
        async def method(self) -> AsyncIterator[None]:
            yield None

    program.add_lifespans(Plugin())
    assert list(program.specs) == ["renamed", "method"]
    assert program.specs["renamed"].doc == "Marked by the program's decorator."
    with pytest.raises(ValueError, match="already has a lifespan named 'method'"):
        program.add_lifespans(Plugin())
    with pytest.raises(ValueError, match="defines no lifespans"):
        program.add_lifespans(object())
    with pytest.raises(ValueError, match="always chained"):
        LifespanProgram("tool", chain=False)


def test_root_logging_is_left_as_it_was_after_a_run() -> None:
    import logging

    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    invoke("--log-level", "debug", "ticker")
    assert (root.level, list(root.handlers)) == before


# ---------------------------------------------------------------------- a real process, real signals
def load_demo() -> ModuleType:
    sys.path.insert(0, str(EXAMPLES))
    try:
        spec = importlib.util.spec_from_file_location("demo_example", EXAMPLES / "demo.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(EXAMPLES))


def test_the_example_program_runs_in_process_with_its_own_option() -> None:
    demo = load_demo().demo
    result = CliRunner().invoke(demo, ["--verbose", "countdown", "--from", "2", "--sleep", "0.001"])
    assert result.exit_code == 0, result.output
    assert "DEBUG:nbplug.lifespans:Setting up task for 'countdown'" in result.output
    assert "INFO:nbplug.lifespan.countdown:Finished counting down" in result.output
    quiet = CliRunner().invoke(demo, ["countdown", "--from", "1", "--sleep", "0.001"])
    assert "DEBUG" not in quiet.output and "Counting down… 1" in quiet.output


def demo_child(*args: str) -> Child:
    return Child(str(EXAMPLES / "demo.py"), *args, argv=[sys.executable])


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_the_example_program_s_instances_tear_down_in_reverse_on_a_signal(
    signum: int, status: int
) -> None:
    child = demo_child("--verbose", "ticker", "--every", "0.02", "ticker", "--every", "0.03")
    child.wait_for("ticker:tick 2")
    child.wait_for("ticker#2:tick 2")
    child.proc.send_signal(signum)
    code, _ = child.finish()
    assert code == status, child.lines
    over = [child.index("Lifespan over for ticker#2"), child.index("Lifespan over for ticker")]
    assert over == sorted(over), child.lines
    assert child.index(f"Received {signal.Signals(signum).name}; stopping…") < over[0]


def test_the_example_program_echoes_the_countdown_as_a_script() -> None:
    child = demo_child("countdown", "--from", "2", "--sleep", "0.01", "echo")
    child.wait_for("INFO:nbplug.lifespan.echo:Countdown currently at 1")
    child.proc.send_signal(signal.SIGINT)
    code, _ = child.finish()
    assert code == 130, child.lines
    assert child.lines[0] == "INFO:nbplug.lifespan.countdown:Counting down… 2"


def test_completion_offers_every_lifespan_again_after_one_with_its_options() -> None:
    from click.shell_completion import ShellComplete

    complete = ShellComplete(make_program(), {}, "tool", "_TOOL_COMPLETE")

    def values(args: list[str], incomplete: str) -> list[str]:
        return [item.value for item in complete.get_completions(args, incomplete)]

    assert values([], "ti") == ["ticker"]
    assert values(["ticker", "--times", "2"], "ti") == ["ticker"]  # another instance
    assert values(["ticker"], "") == ["ticker", "broken", "show_manager"]
    assert values(["ticker", "--times", "2"], "--") == ["--every", "--help"]
    assert values([], "--l") == ["--label", "--log-level"]


def test_tasks_ending_together_stop_the_program_once() -> None:
    result = invoke("--log-level", "debug", "ticker", "ticker", "ticker", "ticker")
    assert result.exit_code == 0, result.output
    assert result.output.count("Every task has ended; stopping") == 1, result.output
    assert journal[-4:] == [f"teardown {n}" for n in ("ticker#4", "ticker#3", "ticker#2", "ticker")]


def test_a_result_callback_is_refused_with_what_to_do_instead() -> None:
    with pytest.raises(TypeError, match=r"runs its lifespans itself.*program's own callback"):
        make_program().result_callback()


def test_a_spec_added_under_another_name_keeps_its_options() -> None:
    spec = LifespanProgram("x").add_lifespan(ticker)
    program = LifespanProgram("tool")
    renamed = program.add_lifespan(spec, name="clock")
    assert renamed.name == "clock" and renamed.params == spec.params
    result = CliRunner().invoke(program, ["clock", "--times", "1"])
    assert result.exit_code == 0, result.output
    assert journal == ["setup clock every=0.0 times=1", "teardown clock"]
