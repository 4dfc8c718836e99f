"""Programs of one's own made of lifespans: a chained click group whose commands are lifespans.

    @lifespan_program(countdown, echo)
    @click.option("--verbose", "-v", is_flag=True, help="Log the whole life cycle.")
    @pass_run
    def demo(run: ProgramRun, verbose: bool) -> None:
        '''The countdown demo, as a program of its own.'''
        run.log_level = "debug" if verbose else "info"

    demo()        # python demo.py --verbose countdown --from 3 echo --immediately

A :class:`LifespanProgram` is a ``click.Group`` with ``chain=True``: its own options come first,
then ``NAME [OPTIONS]`` per lifespan, a name repeated for another instance (``ticker --every 1
ticker --every 5`` runs ``ticker`` and ``ticker#2``). Its commands only parse; once click has read
the whole line, the group runs every lifespan in one :class:`~nbplug.lifespans.LifespanGroup` under
:mod:`nbplug.terminal.runner` (signals, the teardown promise, exit codes), which ``nbplug run`` uses too.

Decision: the group's ``invoke`` runs the lifespans. Rejected: click-async-plugins' way, a
``result_callback`` (a user's own result callback would silently replace the runner) and commands
whose callbacks start their lifespan (click would set up each one alone, with nothing to tear the
others down in reverse when one fails). The program's callback reaches the run's settings
(:class:`ProgramRun`: log level, manager, bus) through ``@pass_run``, click's own
``pass_meta_key``; ``click.Context.obj`` stays the user's.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

from .._kit.suggest import closest
from ..lifespans import (
    LifespanSpec,
    LifespanUsageError,
    find_lifespans,
    find_spec,
    is_lifespan,
    lifespan,
    name_instances,
    resolve_params,
)
from ..lifespans.spec import LifespanFunction
from .runner import EXIT_USAGE, LOG_LEVELS, Invocation, ProgramRun, run_program

RUN_KEY = "nbplug.run"
CHAIN_METAVAR = "NAME [OPTIONS] [NAME [OPTIONS]]..."

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "LifespanCommand",
    "LifespanProgram",
    "ProgramRun",
    "lifespan_program",
    "pass_run",
    "run_program",
]


pass_run = click.decorators.pass_meta_key(RUN_KEY, doc_description="the run's ProgramRun")
"""Pass the run's :class:`ProgramRun` as the first argument of a lifespan program's callback."""


# ------------------------------------------------------------------------------------ the program
class LifespanCommand(click.Command):
    """One lifespan as a command of a :class:`LifespanProgram`: parses its options, runs nothing."""

    def __init__(self, spec: LifespanSpec) -> None:
        super().__init__(
            spec.name,
            params=list(spec.params),
            help=inspect.getdoc(spec.function) or None,
            short_help=spec.doc or None,
        )
        self.spec = spec

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Its options, then every lifespan of the program: one already given too (an instance).

        click leaves out the commands a chain has given; here a name may come again.
        """
        from click.shell_completion import CompletionItem

        options = [i for i in super().shell_complete(ctx, incomplete) if i.value.startswith("-")]
        program = ctx.parent.command if ctx.parent is not None else None
        if not isinstance(program, LifespanProgram) or incomplete.startswith("-"):
            return options
        names = [
            CompletionItem(name, help=command.get_short_help_str())
            for name, command in program.commands.items()
            if name.startswith(incomplete) and not command.hidden
        ]
        return options + names

    def invoke(self, ctx: click.Context) -> Invocation:
        """The lifespan and its parameters (click defaults filled in), checked against its function."""
        try:
            return self.spec, resolve_params(self.spec, ctx.params)
        except LifespanUsageError as exc:
            raise click.UsageError(exc.error, ctx=ctx) from None


class LifespanProgram(click.Group):
    """A click program made of lifespans: ``PROG [OPTIONS] NAME [OPTIONS] [NAME [OPTIONS]]...``.

    ``lifespans``: ``@lifespan`` functions, specs, modules or plugin objects defining them.
    ``log_level``: the default of the ``--log-level`` option (added unless ``log_option=False``).
    ``manager``: what lifespans see as ``ctx.manager``. Other keywords go to ``click.Group``.
    """

    def __init__(
        self,
        name: str | None = None,
        lifespans: Iterable[object] = (),
        *,
        log_level: str | None = "info",
        log_option: bool = True,
        manager: Any = None,
        **attrs: Any,
    ) -> None:
        if not attrs.pop("chain", True):
            raise ValueError(
                "a LifespanProgram is always chained (NAME [OPTIONS] [NAME [OPTIONS]]...); "
                "leave out chain=False"
            )
        attrs.setdefault("subcommand_metavar", CHAIN_METAVAR)
        # invoke_without_command: a line with options but no lifespan reaches invoke(), which
        # says what is missing (click's own message would be "Missing command.").
        super().__init__(name, chain=True, invoke_without_command=True, **attrs)
        self.log_level = log_level
        self.manager = manager
        if log_option:
            self.params.append(
                click.Option(
                    ["--log-level"],
                    type=click.Choice(LOG_LEVELS, case_sensitive=False),
                    default=log_level,
                    show_default=True,
                    expose_value=False,
                    callback=_set_log_level,
                    help="Lowest level of log lines to print (debug shows the whole life cycle).",
                )
            )
        for source in lifespans:
            self.add_lifespans(source)

    # --------------------------------------------------------------------------------- lifespans
    @property
    def specs(self) -> dict[str, LifespanSpec]:
        """The program's lifespans by name, in the order they were added."""
        return {
            name: cmd.spec for name, cmd in self.commands.items() if isinstance(cmd, LifespanCommand)
        }

    def add_lifespan(self, fn: LifespanFunction | LifespanSpec, name: str | None = None) -> LifespanSpec:
        """Add one lifespan (a function, marked or not, or a spec) as a command; returns its spec."""
        spec = fn if isinstance(fn, LifespanSpec) else LifespanSpec.from_function(fn, name)
        if name is not None and spec.name != name:
            spec = dataclasses.replace(spec, name=name)
        if spec.name in self.commands:
            raise ValueError(
                f"the program already has a lifespan named {spec.name!r}; add this one under "
                f"another name (add_lifespan(fn, name=...))"
            )
        self.add_command(LifespanCommand(spec))
        return spec

    def add_lifespans(self, source: object) -> list[LifespanSpec]:
        """Add every lifespan of a module, a plugin object, a function or a spec."""
        if isinstance(source, LifespanSpec):
            return [self.add_lifespan(source)]
        found = find_lifespans(source)
        if not found:
            raise ValueError(
                f"{source!r} defines no lifespans: mark async generator functions with @lifespan"
            )
        return [self.add_lifespan(spec) for spec in found.values()]

    def lifespan(
        self, fn: F | None = None, /, *, name: str | None = None, depends_on: Iterable[object] = ()
    ) -> Any:
        """Decorator: mark ``fn`` as a lifespan (unless it is already) and add it to the program.

        Returns the function unchanged, so it stays a lifespan to use elsewhere (a notebook, a
        test, another program). Use bare or with ``@lifespan``'s options.
        """

        def add(f: F) -> F:
            marked = f if is_lifespan(f) else lifespan(name=name, depends_on=depends_on)(f)
            self.add_lifespan(marked)
            return marked

        return add if fn is None else add(fn)

    # ------------------------------------------------------------------------------------ click
    def result_callback(self, replace: bool = False) -> Callable[[F], F]:
        """Refused: a LifespanProgram runs its lifespans itself once the line is parsed."""
        raise TypeError(
            "a LifespanProgram runs its lifespans itself, so it takes no result callback; do "
            "set-up in the program's own callback (it runs before any lifespan) and tear-down "
            "in a lifespan's code after its yield"
        )

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The lifespan's command; for an instance named outright (``ticker#3``), one under it."""
        command = self.commands.get(cmd_name) or self.commands.get(cmd_name.replace("-", "_"))
        if command is None:
            spec = find_spec(self.specs, cmd_name)
            if spec is not None:
                return LifespanCommand(spec)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        word = args[0]
        command = self.get_command(ctx, word)
        if command is None and not word.startswith("-") and not ctx.resilient_parsing:
            close = closest(word, self.commands)
            hint = f" Did you mean {close!r}?" if close else ""
            raise click.UsageError(
                f"No such lifespan {word!r}.{hint} Available: {', '.join(self.commands) or 'none'}.",
                ctx,
            )
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault(RUN_KEY, ProgramRun(log_level=self.log_level, manager=self.manager))
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), err=True)
            ctx.exit(EXIT_USAGE)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        limit = formatter.width - 6 - max((len(n) for n in self.commands), default=0)
        for name, command in self.commands.items():
            if command.hidden:
                continue
            text = command.get_short_help_str(limit)
            if isinstance(command, LifespanCommand) and command.spec.depends_on:
                text = f"{text} (needs {', '.join(command.spec.depends_on)})".lstrip()
            rows.append((name, text))
        if rows:
            with formatter.section("Lifespans"):
                formatter.write_dl(rows)
            formatter.write_paragraph()
            formatter.write_text(
                f"Run '{ctx.command_path} NAME --help' for the options of one lifespan; name one "
                f"more than once for another instance (NAME#2)."
            )

    def invoke(self, ctx: click.Context) -> Any:
        """Run the program's callback, parse every lifespan's options, then run them all."""
        invocations = super().invoke(ctx)
        if not invocations:
            raise click.UsageError(
                f"Missing lifespan name: give {CHAIN_METAVAR} after the program's options; "
                f"available: {', '.join(self.commands) or 'none'}.",
                ctx,
            )
        code = run_program(name_instances(invocations), ctx.meta[RUN_KEY])
        ctx.exit(code)


def _set_log_level(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[RUN_KEY].log_level = value


def lifespan_program(
    *lifespans: object,
    name: str | None = None,
    log_level: str | None = "info",
    log_option: bool = True,
    manager: Any = None,
    **attrs: Any,
) -> Callable[[Callable[..., Any]], LifespanProgram]:
    """Decorator: turn a function (the program's own options and set-up) into a LifespanProgram.

    Like ``@click.group()``: the function's click options are the program's, its docstring the
    help, and it runs before any lifespan is set up. Lifespans come as arguments here or later
    through ``@program.lifespan`` / ``program.add_lifespans(module)``.
    """

    def decorate(fn: Callable[..., Any]) -> LifespanProgram:
        program = click.group(
            name,
            cls=LifespanProgram,
            lifespans=lifespans,
            log_level=log_level,
            log_option=log_option,
            manager=manager,
            **attrs,
        )(fn)
        assert isinstance(program, LifespanProgram)
        return program

    return decorate

