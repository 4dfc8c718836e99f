"""``%plugin start/stop/status``, replacement and unload teardown, in the in-process shell."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from ipython_fixtures import Shell, shell
from package_paths import PACKAGE_DIR

from nbplug.ipython import get_session
from nbplug.lifespans import Phase
from nbplug.session.errors import SessionUsageError

__all__ = ["shell"]

LIFESPANS = '''
import asyncio
import click
from nbplug import Extension, ExtensionPoint
from nbplug.lifespans import lifespan

journal = []
extension = Extension("feed")

@lifespan
@click.option("--from", "start", type=int, default=3)
async def countdown(ctx, start):
    journal.append(f"setup countdown {start}")
    async def run():
        n = start
        while n > 0:
            ctx.bus.set("countdown", n)
            n = await asyncio.sleep(0, n - 1)
    yield run()
    journal.append("teardown countdown")

@lifespan
@click.option("--immediately", is_flag=True)
async def echo(ctx, immediately):
    journal.append(f"setup echo {immediately}")
    yield asyncio.Event().wait()
    journal.append("teardown echo")

class Station:
    @extension
    def fetch(self, topic):
        return "station"

    @lifespan
    async def antenna(self):
        journal.append("setup antenna")
        yield
        journal.append("teardown antenna")
'''


@pytest.fixture
def lifespans(shell: Shell) -> Shell:
    shell.run(LIFESPANS)
    shell.run("%plugin add countdown echo")
    return shell


def phases(shell: Shell) -> dict[str, Phase]:
    return {s.name: s.phase for s in get_session(shell.ip).group.states}


def test_chained_start_passes_each_lifespan_its_options(lifespans: Shell) -> None:
    lifespans.run("%plugin start countdown --from 5 echo --immediately")
    assert lifespans.ns["journal"] == ["setup countdown 5", "setup echo True"]
    assert phases(lifespans) == {"countdown": Phase.RUNNING, "echo": Phase.RUNNING}
    lifespans.run("await asyncio.sleep(0.01)")
    assert get_session(lifespans.ip).group.bus.get("countdown") == 1


def test_stop_all_tears_down_in_reverse_order(lifespans: Shell) -> None:
    lifespans.run("%plugin start countdown echo")
    lifespans.run("%plugin stop")
    assert lifespans.ns["journal"][-2:] == ["teardown echo", "teardown countdown"]
    assert set(phases(lifespans).values()) == {Phase.STOPPED}


def test_stop_one_and_start_it_again(lifespans: Shell) -> None:
    lifespans.run("%plugin start countdown echo")
    lifespans.run("%plugin stop echo")
    assert phases(lifespans) == {"countdown": Phase.RUNNING, "echo": Phase.STOPPED}
    lifespans.run("%plugin start echo")
    assert phases(lifespans)["echo"] is Phase.RUNNING
    assert lifespans.ns["journal"].count("setup echo False") == 2


def test_start_errors(lifespans: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    error = lifespans.fails("%plugin start cuontdown")
    assert isinstance(error, UsageError)
    assert "countdown" in str(error) and "nbplug run" not in str(error)
    error = lifespans.fails("%plugin start countdown --frm 3")
    assert isinstance(error, UsageError) and "--frm" in str(error)
    lifespans.run("%plugin start echo")
    error = lifespans.fails("%plugin start echo")
    assert isinstance(error, UsageError) and "already running" in str(error)
    capsys.readouterr()
    lifespans.run("%plugin start countdown --help")
    assert "--from INTEGER" in capsys.readouterr().out
    assert "countdown" not in phases(lifespans)


def test_status_shows_the_board(lifespans: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    lifespans.run("%plugin start echo")
    capsys.readouterr()
    lifespans.run("%plugin status")
    out = capsys.readouterr().out
    assert "echo" in out and "running" in out


def test_plugin_with_lifespan_method_replaced_tears_down_first(lifespans: Shell) -> None:
    lifespans.run("%plugin add Station\n%plugin start antenna")
    assert lifespans.ns["journal"] == ["setup antenna"]
    lifespans.run("%plugin add Station")  # same object: nothing changes
    assert lifespans.ns["journal"] == ["setup antenna"]
    lifespans.run(
        "class Station(Station):\n"
        "    @extension\n"
        "    def fetch(self, topic):\n"
        "        return 'new station'\n"
        "%plugin add Station\n"
    )
    assert lifespans.ns["journal"] == ["setup antenna", "teardown antenna"]
    assert lifespans.run("%hook -q fetch topic='x'") == ["new station"]
    lifespans.run("%plugin start antenna")
    lifespans.run("%plugin remove Station")
    assert lifespans.ns["journal"][-1] == "teardown antenna"
    with pytest.raises(SessionUsageError, match="no hook named 'fetch'"):  # its last one is gone
        get_session(lifespans.ip).find_caller("fetch")


def test_lifespan_name_clash_between_plugins_is_refused(lifespans: Shell) -> None:
    lifespans.run("%plugin add Station")
    error = lifespans.fails("%plugin add Station --name other")
    assert isinstance(error, UsageError)
    assert "'antenna', which plugin 'Station' already provides" in str(error)


def test_unload_tears_down_running_lifespans(lifespans: Shell) -> None:
    lifespans.run("%plugin start countdown echo")
    journal = lifespans.ns["journal"]
    lifespans.run("%unload_ext nbplug")
    assert journal[-2:] == ["teardown echo", "teardown countdown"]
    lifespans.run("%load_ext nbplug")
    assert get_session(lifespans.ip).group.names == []  # a fresh session after reloading


def test_unload_from_synchronous_code_schedules_the_teardown(lifespans: Shell) -> None:
    lifespans.run("%plugin start echo")
    lifespans.run("def unload():\n    get_ipython().run_line_magic('unload_ext', 'nbplug')\nunload()")
    assert lifespans.ns["journal"][-1] == "teardown echo"
    lifespans.run("%load_ext nbplug")


@pytest.mark.parametrize("raised", ["ValueError('cannot set up')",
                                    "KeyboardInterrupt('raised by code')"],
                         ids=["ValueError", "KeyboardInterrupt"])
def test_set_up_errors_show_the_lifespans_frame_not_the_groups(
    lifespans: Shell, raised: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # a KeyboardInterrupt the code raises is its failure, as any error: no Ctrl-C was pressed
    # (a real Ctrl-C in a set-up ends it stopped: test_ipython_interrupts)
    lifespans.run(
        "@lifespan\n"
        "async def broken():\n"
        f"    raise {raised}\n"
        "    yield\n"
        "%plugin add broken\n"
    )
    capsys.readouterr()
    error = lifespans.fails("%plugin start broken")
    assert type(error).__name__ == raised.split("(")[0]
    out = capsys.readouterr()
    shown = out.out + out.err
    assert f"raise {raised}" in shown
    assert PACKAGE_DIR not in shown  # no nbplug frame
    state = get_session(lifespans.ip).group.state("broken")
    assert state.phase is Phase.FAILED and state.error is error
    assert any(line.startswith("set-up failed: " + raised.split("(")[0]) for line in state.log)
    lifespans.run("%plugin start echo")  # the session is still usable
    assert phases(lifespans)["echo"] is Phase.RUNNING


def test_a_keyboard_interrupt_a_teardown_raises_is_its_failure_not_a_cut(lifespans: Shell) -> None:
    # (a real Ctrl-C in a teardown cuts it short: LifespanInterrupted, test_ipython_interrupts)
    lifespans.run(
        "@lifespan\n"
        "async def quits():\n"
        "    yield\n"
        "    raise KeyboardInterrupt('raised by code')\n"
        "%plugin add quits\n"
        "%plugin start echo quits\n"
    )
    error = lifespans.fails("%plugin stop")
    group = get_session(lifespans.ip).group
    state = group.state("quits")
    assert state.phase is Phase.FAILED and isinstance(state.error, KeyboardInterrupt), state.error
    assert str(state.error) == "raised by code" and group.interrupted_teardowns == []
    assert isinstance(error, KeyboardInterrupt)
    assert phases(lifespans)["echo"] is Phase.STOPPED  # the other teardown ran
    assert lifespans.ns["journal"][-1] == "teardown echo"


def test_lifespans_see_the_session_manager_as_ctx_manager(lifespans: Shell) -> None:
    lifespans.run(
        "class Specs:\n"
        "    @staticmethod\n"
        "    @ExtensionPoint('feed')\n"
        "    def fetch(topic): ...\n"
        "@lifespan\n"
        "async def caller(ctx):\n"
        "    journal.append(await ctx.manager.hook.fetch(topic='from a lifespan'))\n"
        "    yield\n"
        "%plugin add Specs Station caller\n"
        "%plugin start caller\n"
    )
    assert lifespans.ns["journal"][-1] == ["station"]
    assert get_session(lifespans.ip).group.manager is get_session(lifespans.ip).manager_for("feed")


def test_reload_tears_down_then_starts_a_fresh_session(lifespans: Shell) -> None:
    lifespans.run("%plugin start echo")
    lifespans.run("%reload_ext nbplug")
    assert lifespans.ns["journal"][-1] == "teardown echo"
    assert get_session(lifespans.ip).plugins == {}
    lifespans.run("%plugin add echo\n%plugin start echo")
    assert phases(lifespans) == {"echo": Phase.RUNNING}



def test_a_name_given_twice_starts_two_instances_each_with_its_options(
    lifespans: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    lifespans.run("%plugin start echo --immediately echo countdown --from 5")
    assert lifespans.ns["journal"] == ["setup echo True", "setup echo False", "setup countdown 5"]
    assert list(phases(lifespans)) == ["echo", "echo#2", "countdown"]
    capsys.readouterr()
    lifespans.run("%plugin status")
    assert "echo#2" in capsys.readouterr().out
    lifespans.run("%plugin stop echo#2")
    assert phases(lifespans)["echo#2"] is Phase.STOPPED and phases(lifespans)["echo"] is Phase.RUNNING
    # a re-run cell must not pile up instances: while echo runs, starting it again is refused
    error = lifespans.fails("%plugin start echo echo")
    assert isinstance(error, UsageError) and "'echo' is already running" in str(error)
    assert phases(lifespans)["echo#2"] is Phase.STOPPED
    # another instance beside a running one is named outright, and refused again while it runs
    lifespans.run("%plugin start echo#2 --immediately echo#3")
    assert lifespans.ns["journal"][-2:] == ["setup echo True", "setup echo False"]
    assert phases(lifespans)["echo#2"] is Phase.RUNNING and phases(lifespans)["echo#3"] is Phase.RUNNING
    error = lifespans.fails("%plugin start echo#3")
    assert isinstance(error, UsageError) and "'echo#3' is already running" in str(error)
    lifespans.run("%plugin stop echo#3")
    lifespans.run("%plugin remove echo")  # every instance of the removed plugin's lifespan stops
    assert lifespans.ns["journal"][-2:] == ["teardown echo", "teardown echo"]
    assert phases(lifespans)["echo"] is Phase.STOPPED and phases(lifespans)["echo#2"] is Phase.STOPPED
    assert phases(lifespans)["countdown"] is Phase.RUNNING
