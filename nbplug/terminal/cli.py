"""``nbplug run TARGET NAME [OPTIONS] [NAME [OPTIONS]]...``: run lifespans from a terminal.

TARGET is a Python file or an importable module (``pkg.mod`` or ``pkg.mod:object``) defining
``@lifespan`` functions or a plugin object with lifespan methods. The lifespans run until every task
has ended, or until Ctrl-C / SIGTERM, and always tear down in reverse order. Exit status: 0 when all
ended by themselves, 1 when a lifespan failed, whatever it raised (also when a teardown failed during
a signal stop), 2 for bad input, 128+signal when stopped by a signal. Ctrl-C follows the interrupt model of
:mod:`nbplug.terminal.runner`. Errors from the user's code are shown with the user's frames only;
``--full-traceback`` (or ``NBPLUG_TRACEBACK=full``) shows nbplug's frames too.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import click

from .._base.safetext import message_text
from ..lifespans import LifespanSpec, find_lifespans
from ..lifespans.usertraceback import ENV_SWITCH, format_user_traceback
from .program import LifespanProgram
from .runner import LOG_LEVELS


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
            f"{target!r} is neither a file nor an importable module ({message_text(exc)}); give a path to a "
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
            f"importing {target} failed:\n{format_user_traceback(exc)}"
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
@click.option(
    "--full-traceback",
    is_flag=True,
    help=f"Show nbplug's own frames in tracebacks too (the same as {ENV_SWITCH}=full).",
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
    full_traceback: bool,
) -> None:
    """Run lifespans from TARGET: NAME [OPTIONS] [NAME [OPTIONS]]...

    TARGET is a .py file or a module ('pkg.mod' or 'pkg.mod:plugin'). Run
    'nbplug run TARGET --help' to list its lifespans, 'nbplug run TARGET NAME --help' for one.
    Name a lifespan more than once to run another instance of it (NAME#2). The lifespan 'keys'
    reads keys from the terminal while the others run (press ? for the list).
    """
    from .keyboard import keys

    if full_traceback:
        os.environ[ENV_SWITCH] = "full"
    target_obj = _import(target)
    specs = _specs_of(target_obj, target)
    builtin = [keys] if "keys" not in specs else []  # TARGET's own "keys" wins
    program = LifespanProgram(
        f"{ctx.command_path} {target}",
        [*specs.values(), *builtin],
        log_level=log_level,
        log_option=False,
        manager=_manager_of(target_obj, manager),
        help=f"The lifespans of {target}, run until they end or Ctrl-C.",
    )
    program.main(list(invocations), prog_name=program.name)


if __name__ == "__main__":
    main(prog_name="nbplug")
