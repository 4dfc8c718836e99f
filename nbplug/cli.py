"""``nbplug run TARGET NAME [OPTIONS] [NAME [OPTIONS]]...``: run lifespans from a terminal.

TARGET is a Python file or an importable module (``pkg.mod`` or ``pkg.mod:object``) defining
``@lifespan`` functions or a plugin object with lifespan methods. The lifespans run until every task
has ended, or until Ctrl-C / SIGTERM, and always tear down in reverse order. Exit status: 0 when all
ended by themselves, 1 when a lifespan failed, 2 for bad input, 128+signal when stopped by a signal.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from .lifespans import (
    LifespanGroup,
    LifespanHelpRequested,
    LifespanSpec,
    LifespanUsageError,
    find_lifespans,
    lifespans_overview,
    parse_invocations,
)

logger = logging.getLogger("nbplug.run")

EXIT_FAILED = 1
EXIT_USAGE = 2
LOG_LEVELS = ("debug", "info", "warning", "error")


def load_target(target: str) -> object:
    """Import TARGET: a ``.py`` file path, a module name, or ``module:attribute``."""
    path = Path(target)
    if target.endswith(".py") or path.is_file():
        if not path.is_file():
            raise click.BadParameter(f"no such file: {target}", param_hint="TARGET")
        module_name = f"_nbplug_target_{path.stem.replace('-', '_')}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:  # pragma: no cover - .py files always have one
            raise click.BadParameter(f"cannot load {target} as Python", param_hint="TARGET")
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, str(path.resolve().parent))
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        return module
    module_part, _, attr = target.partition(":")
    try:
        obj: Any = importlib.import_module(module_part)
    except ModuleNotFoundError as exc:
        if exc.name != module_part.split(".")[0] and exc.name != module_part:
            raise
        raise click.BadParameter(
            f"{target!r} is neither a file nor an importable module ({exc}); give a path to a "
            f".py file or a module name such as 'pkg.mod' or 'pkg.mod:plugin'",
            param_hint="TARGET",
        ) from None
    for part in filter(None, attr.split(".")):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise click.BadParameter(
                f"module {module_part!r} has no attribute {attr!r}", param_hint="TARGET"
            ) from None
    if isinstance(obj, type):
        obj = obj()
    return obj


def _import(target: str) -> object:
    try:
        return load_target(target)
    except click.ClickException:
        raise
    except Exception as exc:
        raise click.ClickException(
            f"importing {target} failed:\n{''.join(traceback.format_exception(exc)).rstrip()}"
        ) from None


def _manager_of(target_obj: object, manager: str | None) -> object:
    """The object given by ``--manager``: an attribute of TARGET, or ``module:attribute``."""
    if manager is None:
        return None
    if ":" in manager:
        return _import(manager)
    try:
        return getattr(target_obj, manager)
    except AttributeError:
        raise click.BadParameter(
            f"TARGET has no attribute {manager!r}; name a plugin manager defined in TARGET, "
            f"or give 'module:attribute'",
            param_hint="'--manager'",
        ) from None


def _specs_of(obj: object, target: str) -> dict[str, LifespanSpec]:
    try:
        specs = find_lifespans(obj)
    except (TypeError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="TARGET") from None
    if not specs:
        raise click.BadParameter(
            f"{target} defines no lifespans: mark async generator functions with "
            f"@nbplug.lifespans.lifespan",
            param_hint="TARGET",
        )
    return specs


async def run_lifespans(
    invocations: list[tuple[LifespanSpec, dict[str, Any]]], manager: object = None
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
    group = LifespanGroup(manager, on_task_failure="stop_all")
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


def _report_failure(exc: BaseException) -> None:
    errors = list(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else [exc]
    for err in errors:
        click.echo(f"Error: {type(err).__name__}: {err}", err=True)
    click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)


@click.group()
def main() -> None:
    """nbplug: a fast, pluggy-style plugin kit with lifespan plugins."""


@main.command(
    "run",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option(
    "--log-level",
    type=click.Choice(LOG_LEVELS, case_sensitive=False),
    default="debug",
    show_default=True,
    help="Lowest level of log lines to print (debug shows the whole life cycle).",
)
@click.option(
    "--manager",
    metavar="ATTR",
    help="The plugin manager lifespans see as ctx.manager: an attribute of TARGET, "
    "or 'module:attribute'.",
)
@click.argument("target")
@click.argument("invocations", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def run(
    ctx: click.Context,
    target: str,
    invocations: tuple[str, ...],
    log_level: str,
    manager: str | None,
) -> None:
    """Run lifespans from TARGET: NAME [OPTIONS] [NAME [OPTIONS]]...

    TARGET is a .py file or a module ('pkg.mod' or 'pkg.mod:plugin'). Run
    'nbplug run TARGET --help' to list its lifespans, 'nbplug run TARGET NAME --help' for one.
    """
    target_obj = _import(target)
    specs = _specs_of(target_obj, target)
    plugin_manager = _manager_of(target_obj, manager)
    prog = f"{ctx.command_path} {target}"
    if not invocations or invocations[0] in ("--help", "-h"):
        click.echo(lifespans_overview(specs, prog), err=not invocations)
        ctx.exit(0 if invocations else EXIT_USAGE)
    try:
        parsed = parse_invocations(specs, list(invocations), prog=prog)
    except LifespanHelpRequested as exc:
        click.echo(exc.text)
        ctx.exit(0)
    except LifespanUsageError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_USAGE)
    logging.basicConfig(
        level=log_level.upper(), format="%(levelname)s:%(name)s:%(message)s", stream=sys.stderr
    )
    logging.getLogger("asyncio").setLevel(logging.WARNING)
    try:
        with asyncio.Runner() as runner:
            code = runner.run(run_lifespans(parsed, plugin_manager))
    except LifespanUsageError as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
    except Exception as exc:
        _report_failure(exc)
        ctx.exit(EXIT_FAILED)
    ctx.exit(code)


if __name__ == "__main__":
    main(prog_name="nbplug")
