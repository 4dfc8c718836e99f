"""``nbplug run`` in a subprocess: the seed's life cycle, SIGINT / SIGTERM teardown, exit codes."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from cli_fixtures import ROOT, Child, no_child_left, run, write

__all__ = ["no_child_left"]  # autouse: every test's children are killed and closed

EXAMPLE = str(ROOT / "examples" / "countdown.py")


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_seed_demo_life_cycle_and_teardown_on_signal(signum: int, status: int) -> None:
    child = Child(EXAMPLE, "countdown", "--from", "2", "--sleep", "0.01", "echo", "--immediately")
    child.wait_for("Finished counting down")
    child.wait_for("Task for 'countdown' finished")
    child.proc.send_signal(signum)
    code, _ = child.finish()
    assert code == status, child.lines
    order = [
        "DEBUG:nbplug.lifespans:Setting up task for 'countdown'",
        "DEBUG:nbplug.lifespans:Setting up task for 'echo'",
        "DEBUG:nbplug.lifespans:Scheduling task for 'countdown'",
        "DEBUG:nbplug.lifespans:Scheduling task for 'echo'",
        "INFO:nbplug.lifespan.countdown:Counting down… 1",
        "INFO:nbplug.lifespan.echo:Countdown currently at 1",
        "INFO:nbplug.lifespan.countdown:Finished counting down",
        f"DEBUG:nbplug.run:Received {signal.Signals(signum).name}; stopping…",
        "DEBUG:nbplug.lifespans:Task for 'echo' cancelled",
        "DEBUG:nbplug.lifespans:Terminating…",
        "DEBUG:nbplug.lifespan.echo:Lifespan over for echo",
        "DEBUG:nbplug.lifespan.countdown:Lifespan over for countdown",
        "DEBUG:nbplug.run:Finished.",
    ]
    positions = [child.index(line) for line in order]
    assert positions == sorted(positions), child.lines
    assert "INFO:nbplug.lifespan.countdown:Counting down… 2" in child.lines
    assert "DEBUG:nbplug.bus:Notifying subscribers of update to 'countdown'…" in child.lines


def test_all_tasks_ending_stops_by_itself_with_status_zero() -> None:
    result = run("--log-level", "info", EXAMPLE, "countdown", "--from", "1", "--sleep", "0.01")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "INFO:nbplug.lifespan.countdown:Counting down… 1",
        "INFO:nbplug.lifespan.countdown:Finished counting down",
    ]


def test_a_failing_task_tears_everything_down_and_exits_one(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        import asyncio
        from nbplug.lifespans import lifespan

        @lifespan
        async def steady(ctx):
            yield asyncio.Event().wait()
            ctx.log.info("steady torn down")

        @lifespan
        async def broken(ctx):
            async def explode():
                await asyncio.sleep(0)
                raise RuntimeError("sensor unplugged")
            yield explode()
            ctx.log.info("broken torn down")
        """,
    )
    result = run(target, "steady", "broken")
    assert result.returncode == 1, result.stderr
    err = result.stderr
    assert err.count("broken torn down") == 1 and err.count("steady torn down") == 1
    assert err.index("broken torn down") < err.index("steady torn down")
    assert "Error: RuntimeError: sensor unplugged" in err
    assert "(raised by the task of lifespan 'broken')" in err


def test_sigint_during_setup_tears_down_what_was_set_up(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        import asyncio
        from nbplug.lifespans import lifespan

        @lifespan
        async def first(ctx):
            yield None
            ctx.log.info("first torn down")

        @lifespan
        async def stuck(ctx):
            ctx.log.info("stuck in set-up")
            await asyncio.Event().wait()
            yield None
            ctx.log.info("stuck torn down")
        """,
    )
    child = Child(target, "first", "stuck")
    child.wait_for("stuck in set-up")
    child.proc.send_signal(signal.SIGINT)
    code, _ = child.finish()
    assert code == 130, child.lines
    assert sum("first torn down" in line for line in child.lines) == 1
    assert not any("stuck torn down" in line for line in child.lines)


def test_help_of_one_lifespan_and_of_the_target() -> None:
    one = run(EXAMPLE, "echo", "--help")
    assert one.returncode == 0
    assert one.stdout.startswith("Usage: nbplug run ")
    assert "--immediately" in one.stdout and "Echo every update of the countdown." in one.stdout
    listing = run(EXAMPLE, "--help")
    assert listing.returncode == 0
    assert "countdown  Count down to 1" in listing.stdout
    assert "echo       Echo every update" in listing.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["countdwn"], "Error: No such lifespan 'countdwn'. Did you mean 'countdown'?"),
        (["countdown", "--from", "zero"], "Error: Invalid value for '--from' / '-f'"),
        (["countdown", "--frm", "3"], "Error: No such option '--frm'. Did you mean '--from'?"),
        ([], "Lifespans:"),
    ],
)
def test_bad_input_exits_two_with_a_clear_message(args: list[str], message: str) -> None:
    result = run(EXAMPLE, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Setting up" not in result.stderr


def test_a_missing_dependency_exits_two_before_any_setup(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        from nbplug.lifespans import lifespan

        @lifespan
        async def db(ctx):
            yield None

        @lifespan(depends_on=("db",))
        async def web(ctx):
            yield None
        """,
    )
    result = run(target, "web")
    assert result.returncode == 2
    assert "Error: Lifespan 'web' depends on 'db', which is neither running" in result.stderr
    assert "Setting up" not in result.stderr


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("no/such/file.py", "no such file: no/such/file.py"),
        ("no_such_module_xyz", "'no_such_module_xyz' is neither a file nor an importable module"),
        ("json", "json defines no lifespans"),
        ("json:nothing", "module 'json' has no attribute 'nothing'"),
    ],
)
def test_bad_targets_are_explained(target: str, message: str) -> None:
    result = run(target, "x")
    assert result.returncode == 2
    assert message in result.stderr


def test_a_target_that_fails_to_import_shows_its_traceback(tmp_path: Path) -> None:
    target = write(tmp_path, "raise ImportError('missing driver')\n")
    result = run(target, "x")
    assert result.returncode == 1
    assert "importing" in result.stderr and "ImportError: missing driver" in result.stderr


def test_a_failing_setup_tears_down_the_earlier_ones_and_exits_one(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        from nbplug.lifespans import lifespan

        @lifespan
        async def first(ctx):
            yield None
            ctx.log.info("first torn down")

        @lifespan
        async def second(ctx):
            raise OSError("port 80 is taken")
            yield None
        """,
    )
    result = run(target, "first", "second")
    assert result.returncode == 1
    assert result.stderr.count("first torn down") == 1
    assert "Error: OSError: port 80 is taken" in result.stderr
    assert "(raised by the set-up of lifespan 'second')" in result.stderr


def test_manager_option_is_what_lifespans_see_as_ctx_manager(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        from nbplug.lifespans import lifespan

        class Manager:
            project_name = "feed"

        pm = Manager()

        @lifespan
        async def show(ctx):
            ctx.log.info("manager is %s", ctx.manager.project_name)
            yield None
        """,
    )
    child = Child("--manager", "pm", target, "show")
    child.wait_for("manager is feed")
    child.proc.send_signal(signal.SIGINT)
    assert child.finish()[0] == 130
    result = run("--manager", "nope", target, "show")
    assert result.returncode == 2
    assert "TARGET has no attribute 'nope'" in result.stderr
