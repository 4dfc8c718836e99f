"""``nbplug run`` in a subprocess with real signals: Ctrl-C always wins (issue 12, cases 2, 6, 8).

The first SIGINT cancels what runs and starts the orderly teardown; a second one cuts the teardown
running then short (its finally blocks run, it is reported by name) and the others still run; a
third exits at once, naming what was abandoned. Synchronous set-up and teardown code is
interruptible. Teardown errors of a signal stop are printed with their traceback (status 1), and
tracebacks of user errors show the user's frames only, unless --full-traceback.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from cli_fixtures import Child, no_child_left, run, write
from package_paths import PACKAGE_DIR

__all__ = ["no_child_left"]  # autouse: every test's children are killed and closed



def frames(text: str) -> list[str]:
    """The ``File "..."`` lines of the tracebacks in ``text``."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith('File "')]


def test_a_second_sigint_cuts_a_hanging_teardown_short_and_the_others_still_run(
    tmp_path: Path,
) -> None:
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
        async def hangs(ctx):
            yield None
            try:  # (a Ctrl-C may land in the log call: still inside the try)
                ctx.log.info("teardown begins")
                await asyncio.Event().wait()
            finally:
                ctx.log.info("finally of hangs ran")
        """,
    )
    child = Child(target, "first", "hangs")
    child.wait_for("Waiting until stopped for 'hangs'")
    child.proc.send_signal(signal.SIGINT)
    child.wait_for("teardown begins")
    child.proc.send_signal(signal.SIGINT)
    code, _ = child.finish()
    err = "\n".join(child.lines)
    assert code == 1, err
    assert err.count("finally of hangs ran") == 1 and err.count("first torn down") == 1
    assert err.index("finally of hangs ran") < err.index("first torn down")
    assert "cut short the teardown of 'hangs'" in err
    assert "LifespanInterrupted: the teardown of lifespan 'hangs' was cut short" in err


def test_a_third_sigint_exits_at_once_naming_what_was_abandoned(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        import asyncio
        from nbplug.lifespans import lifespan

        @lifespan
        async def stubborn(ctx):
            yield None
            while True:  # a teardown that swallows every cancellation and interrupt
                try:
                    ctx.log.info("stubborn waits")
                    await asyncio.sleep(60)
                except (asyncio.CancelledError, KeyboardInterrupt):
                    ctx.log.info("stubborn ignores the cancel")
        """,
    )
    child = Child(target, "stubborn")
    child.wait_for("Waiting until stopped for 'stubborn'")
    child.proc.send_signal(signal.SIGINT)
    child.wait_for("stubborn waits")
    # (a Ctrl-C that lands in its synchronous lines, outside the try, would end it for good --
    # as Python would -- so each interrupt waits until it awaits again)
    time.sleep(0.3)
    child.proc.send_signal(signal.SIGINT)
    child.wait_for("stubborn ignores the cancel")
    time.sleep(0.3)
    started = time.monotonic()
    child.proc.send_signal(signal.SIGINT)
    code, _ = child.finish()
    assert time.monotonic() - started < 5
    assert code == 130, child.lines
    assert any(
        "exiting at once; abandoned: stubborn (stopping)" in line for line in child.lines
    ), child.lines[5:]


def test_synchronous_setup_and_teardown_code_is_interruptible(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        """
        import time
        from nbplug.lifespans import lifespan

        @lifespan
        async def blocking(ctx):
            yield None
            ctx.log.info("blocking teardown sleeps")
            time.sleep(60)
            ctx.log.info("blocking teardown woke")

        @lifespan
        async def slow_setup(ctx):
            ctx.log.info("set-up sleeps")
            time.sleep(60)
            yield None
        """,
    )
    child = Child(target, "blocking", "slow_setup")
    child.wait_for("set-up sleeps")
    started = time.monotonic()
    child.proc.send_signal(signal.SIGINT)  # lands in time.sleep of the set-up
    child.wait_for("blocking teardown sleeps")
    child.proc.send_signal(signal.SIGINT)  # lands in time.sleep of the teardown
    code, _ = child.finish()
    assert time.monotonic() - started < 10
    err = "\n".join(child.lines)
    assert "blocking teardown woke" not in err
    assert "LifespanInterrupted: the teardown of lifespan 'blocking' was cut short" in err
    assert code == 1, err


def test_a_teardown_error_during_a_signal_stop_is_shown_with_its_traceback_and_exits_one(
    tmp_path: Path,
) -> None:
    target = write(
        tmp_path,
        """
        from nbplug.lifespans import lifespan

        @lifespan
        async def leaky(ctx):
            yield None
            raise ValueError("could not close the port")
        """,
    )
    child = Child(target, "leaky")
    child.wait_for("Waiting until stopped for 'leaky'")
    child.proc.send_signal(signal.SIGINT)
    code, _ = child.finish()
    err = "\n".join(child.lines)
    assert code == 1, err
    assert "Error: ValueError: could not close the port" in err
    assert "Traceback (most recent call last)" in err
    assert 'raise ValueError("could not close the port")' in err
    assert frames(err) and all(PACKAGE_DIR not in line for line in frames(err)), err


USER_ERROR = """
from nbplug.lifespans import lifespan

def connect():
    raise ConnectionError("no sensor on /dev/ttyUSB0")

@lifespan
async def sensor(ctx):
    connect()
    yield None
"""


def test_user_errors_show_only_the_users_frames_unless_full_traceback(tmp_path: Path) -> None:
    target = write(tmp_path, USER_ERROR)
    result = run(target, "sensor")
    assert result.returncode == 1, result.stderr
    shown = frames(result.stderr)
    assert [line.rpartition(", in ")[2] for line in shown] == ["sensor", "connect"], result.stderr
    assert "ConnectionError: no sensor on /dev/ttyUSB0" in result.stderr
    full = run("--full-traceback", target, "sensor")
    assert full.returncode == 1
    assert any(PACKAGE_DIR in line for line in frames(full.stderr)), full.stderr
