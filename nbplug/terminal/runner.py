"""Running lifespans from a terminal: one group, signals, logging, the exit status.

:func:`run_lifespans` is the loop's side: SIGINT and SIGTERM cancel the run, which tears every
lifespan down in reverse (the group's teardown promise) and returns 128+N (1 when a teardown
failed meanwhile: its error is printed with its traceback).

Ctrl-C (the interrupt model, the same as in a notebook): the first cancels what runs (a set-up,
the running tasks; synchronous code gets a KeyboardInterrupt, see
:mod:`nbplug.lifespans.interrupts`) and starts the orderly teardown; a second, while a teardown
runs, cuts that one teardown short (CancelledError is thrown into it, its ``finally`` blocks run, it
is reported by name) and the teardown goes on; a third exits at once (status 130), naming what was
abandoned. SIGTERM counts the same way. Whatever else ends the run is a lifespan's failure (status
1, the lifespan and its error named): ``SystemExit``, an exception group, and a KeyboardInterrupt
that no signal caused (the user's code raised it; told apart by the signals counted). Rejected:
letting them reach click, which prints only "Aborted!" for a KeyboardInterrupt and exits silently
with a SystemExit's code, naming neither the lifespan nor the error.

:func:`run_program` is the process's side: a fresh event loop, log lines on stderr, errors printed,
an exit status. Both ``nbplug run`` and every :class:`~nbplug.terminal.program.LifespanProgram` end
here, so they behave alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from .._base.safetext import error_text
from ..lifespans import LifespanGroup, LifespanSpec, LifespanUsageError, UpdateBus
from ..lifespans.interrupts import interrupt_handler
from ..lifespans.usertraceback import format_user_traceback

logger = logging.getLogger("nbplug.run")

EXIT_FAILED = 1
EXIT_USAGE = 2
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMAT = "%(levelname)s:%(name)s:%(message)s"
MAX_ERROR_LINE = 1000  # the one-line "Error: ..." before the traceback, which says it all again

Invocation = tuple[LifespanSpec, dict[str, Any]]


@dataclass
class ProgramRun:
    """What one run of a lifespan program uses; its callback may change it through ``@pass_run``.

    ``log_level``: the lowest level printed (a name such as "info", or a number); None leaves
    logging as the program configured it. ``manager``: what lifespans see as ``ctx.manager`` (a
    plugin manager, or any object the program's lifespans share). ``bus``: their update bus (a
    program's callback may put its own options there: ``run.bus.set("config", ...)``).
    """

    log_level: str | int | None = "info"
    manager: Any = None
    bus: UpdateBus = field(default_factory=UpdateBus)


async def run_lifespans(
    invocations: Sequence[Invocation], manager: object = None, bus: UpdateBus | None = None
) -> int:
    """Run the lifespans until they end or a signal arrives; return the exit status.

    Teardown errors during a signal stop are printed with their tracebacks (status 1).
    """
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    received: list[int] = []
    group = LifespanGroup(manager, bus, on_task_failure="stop_all", interruptible_tasks=True)

    def on_signal(signum: int, raised_into: asyncio.Task[Any] | None = None) -> None:
        name = signal.Signals(signum).name
        received.append(signum)
        if len(received) >= 3:
            _exit_at_once(group, name)
        elif len(received) == 2:
            # (raised into a synchronous teardown: that one has ended interrupted by now)
            cut = group.interrupt() if raised_into is None else group.interrupted_teardowns[-1:]
            what = f"the teardown of {', '.join(map(repr, cut))}" if cut else "nothing"
            logger.warning("Received %s again; cut short %s (a third exits at once)", name, what)
        else:
            logger.debug("Received %s; stopping…", name)
            if raised_into is not main:  # else main got the KeyboardInterrupt itself
                main.cancel()

    def on_interrupt(count: int, raised_into: asyncio.Task[Any] | None) -> None:
        on_signal(signal.SIGINT, raised_into)

    loop.add_signal_handler(signal.SIGTERM, on_signal, signal.SIGTERM)
    handler = None
    try:
        with interrupt_handler(loop, on_interrupt, main) as handler:
            for spec, params in invocations:
                group.add(spec, params)
            async with group:
                await group.wait()
    except (asyncio.CancelledError, KeyboardInterrupt) as exc:
        # (a KeyboardInterrupt raised into synchronous code comes before on_signal has run)
        if received or (handler is not None and handler.count):
            return _signal_end(main, group, received)
        if isinstance(exc, asyncio.CancelledError):
            raise  # cancelled from outside, not by a signal: not ours to end
        report_failure(exc)  # raised by the user's code, not by a Ctrl-C: a lifespan failed
        return EXIT_FAILED
    except LifespanUsageError:
        raise
    except BaseException as exc:  # SystemExit and exception groups too: each is a lifespan's end
        report_failure(exc)
        return EXIT_FAILED
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
    logger.debug("Finished.")
    return 0


def _signal_end(main: asyncio.Task[Any], group: LifespanGroup, received: Sequence[int]) -> int:
    """The status of a run a signal ended: 128+N, or 1 when a teardown failed meanwhile."""
    while main.uncancel():
        pass
    errors = group.take_errors()
    if errors:
        report_failure(errors[0] if len(errors) == 1 else BaseExceptionGroup(
            f"{len(errors)} teardowns failed while stopping on a signal", errors))
        return EXIT_FAILED
    logger.debug("Finished.")
    return 128 + (received[0] if received else signal.SIGINT)


_HARD_EXIT_HOOKS: list[Callable[[], object]] = []


def at_hard_exit(hook: Callable[[], object]) -> Callable[[], None]:
    """Call ``hook`` if the process exits at once (the third Ctrl-C), where no teardown runs.

    For what must not outlive the process whatever happens, such as a terminal's mode (the keys
    lifespan). Returns a function that takes the hook back. Hooks run last registered first;
    one that raises does not stop the others.
    """
    _HARD_EXIT_HOOKS.append(hook)

    def remove() -> None:
        with contextlib.suppress(ValueError):
            _HARD_EXIT_HOOKS.remove(hook)

    return remove


def _exit_at_once(group: LifespanGroup, signame: str) -> None:
    """The third Ctrl-C: leave now, saying what is abandoned (teardowns not run or not finished)."""
    abandoned = [f"{s.name} ({s.phase.value})" for s in group.states if s.phase.is_active]
    listed = ", ".join(abandoned) if abandoned else "nothing"
    sys.stderr.write(f"nbplug: {signame} a third time: exiting at once; abandoned: {listed}\n")
    sys.stderr.flush()
    for hook in reversed(_HARD_EXIT_HOOKS):
        with contextlib.suppress(Exception):
            hook()
    os._exit(128 + signal.SIGINT)


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (click's test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def _prints_to_terminal(handler: logging.Handler) -> bool:
    return isinstance(handler, logging.StreamHandler) and handler.stream in (
        sys.stderr,
        sys.stdout,
        sys.__stderr__,
        sys.__stdout__,
    )


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    number = logging.getLevelName(level.upper())
    if not isinstance(number, int):
        raise click.BadParameter(f"unknown log level {level!r}; use one of {', '.join(LOG_LEVELS)}")
    return number


def run_program(invocations: Sequence[Invocation], run: ProgramRun | None = None) -> int:
    """Run ``invocations`` in a new event loop with the run's logging; return the exit status.

    0: every task ended by itself; 1: a lifespan failed, whatever it raised (``SystemExit`` and a
    ``KeyboardInterrupt`` its own code raised too; the error is printed); 2: bad input found
    only when starting (a missing dependency); 128+N: stopped by signal N. Unless the root logger
    already prints to the terminal, log lines go to stderr as ``LEVEL:logger:message``; that
    handler is removed afterwards and the root level restored.
    """
    run = run if run is not None else ProgramRun()
    root = logging.getLogger()
    saved_level = root.level
    handler: logging.Handler | None = None
    if run.log_level is not None:
        root.setLevel(_level(run.log_level))
        if not any(_prints_to_terminal(h) for h in root.handlers):
            handler = _StderrHandler()
            handler.setFormatter(logging.Formatter(LOG_FORMAT))
            root.addHandler(handler)
    asyncio_logger = logging.getLogger("asyncio")
    saved_asyncio = asyncio_logger.level
    asyncio_logger.setLevel(max(logging.WARNING, saved_asyncio))
    try:
        with asyncio.Runner() as runner:
            return runner.run(run_lifespans(invocations, run.manager, run.bus))
    except LifespanUsageError as exc:
        click.echo(f"Error: {exc}", err=True)
        return EXIT_USAGE
    except Exception as exc:
        report_failure(exc)
        return EXIT_FAILED
    finally:
        asyncio_logger.setLevel(saved_asyncio)
        if handler is not None:
            root.removeHandler(handler)
        if run.log_level is not None:
            root.setLevel(saved_level)


def report_failure(exc: BaseException) -> None:
    """Print each error on one line, then its traceback in the user's terms, to stderr."""
    errors = list(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else [exc]
    for err in errors:
        click.echo(f"Error: {error_text(err, MAX_ERROR_LINE)}", err=True)
    click.echo(format_user_traceback(exc), err=True)
