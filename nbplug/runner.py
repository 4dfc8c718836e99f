"""Running lifespans from a terminal: one group, signals, logging, the exit status.

:func:`run_lifespans` is the loop's side: SIGINT and SIGTERM cancel the run, which tears every
lifespan down in reverse (the group's teardown promise) and returns 128+N. :func:`run_program` is
the process's side: a fresh event loop, log lines on stderr, errors printed, an exit status. Both
``nbplug run`` and every :class:`~nbplug.program.LifespanProgram` end here, so they behave alike.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from .lifespans import LifespanGroup, LifespanSpec, LifespanUsageError, UpdateBus

logger = logging.getLogger("nbplug.run")

EXIT_FAILED = 1
EXIT_USAGE = 2
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMAT = "%(levelname)s:%(name)s:%(message)s"

Invocation = tuple[LifespanSpec, dict[str, Any]]


@dataclass
class ProgramRun:
    """What one run of a lifespan program uses; its callback may change it through ``@pass_run``.

    ``log_level``: the lowest level printed (a name such as "info", or a number); None leaves
    logging as the program configured it. ``manager``: what lifespans see as ``ctx.manager`` (a
    plugin manager, or any object the program's lifespans share). ``bus``: their update bus.
    """

    log_level: str | int | None = "info"
    manager: Any = None
    bus: UpdateBus = field(default_factory=UpdateBus)


async def run_lifespans(
    invocations: Sequence[Invocation], manager: object = None, bus: UpdateBus | None = None
) -> int:
    """Run the lifespans until they end or a signal arrives; return the exit status."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    received: list[int] = []

    def on_signal(signum: int) -> None:
        name = signal.Signals(signum).name
        if received:
            logger.warning("Received %s again; still tearing down…", name)
        else:
            logger.debug("Received %s; stopping…", name)
        received.append(signum)
        main.cancel()

    handled = (signal.SIGINT, signal.SIGTERM)
    for signum in handled:
        loop.add_signal_handler(signum, on_signal, signum)
    group = LifespanGroup(manager, bus, on_task_failure="stop_all")
    try:
        for spec, params in invocations:
            group.add(spec, params)
        async with group:
            await group.wait()
    except asyncio.CancelledError:
        if not received:
            raise
        while main.uncancel():
            pass
        logger.debug("Finished.")
        return 128 + received[0]
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
    logger.debug("Finished.")
    return 0


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

    0: every task ended by itself; 1: a lifespan failed (the error is printed); 2: bad input found
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
    """Print each error on one line, then the whole traceback, to stderr."""
    errors = list(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else [exc]
    for err in errors:
        click.echo(f"Error: {type(err).__name__}: {err}", err=True)
    click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
