"""Turning command-line words into lifespan parameters, the way a chained click group would.

Shared by ``nbplug run`` and ``%plugin start``: nothing here prints or exits; bad input raises
LifespanUsageError carrying the text click would have shown. click is imported only when a function
here needs it, so ``import nbplug.lifespans`` stays free of click.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from nbplug._base.safetext import message_text
from nbplug._kit.suggest import closest

from .errors import LifespanHelpRequested, LifespanUsageError
from .spec import CTX_PARAM, LifespanSpec

if TYPE_CHECKING:
    import click

DEFAULT_PROG = "nbplug run"
INSTANCE_MARK = "#"


def name_instances(
    invocations: Sequence[tuple[LifespanSpec, dict[str, Any]]],
) -> list[tuple[LifespanSpec, dict[str, Any]]]:
    """Name each repeat of a lifespan in a chain after its place: ``ticker``, ``ticker#2``, ...

    The first keeps the lifespan's own name (so ``depends_on`` and ``stop NAME`` find it); the
    later ones are instances of their own, set up, logged, shown and torn down under their name.
    An instance named explicitly (``ticker#3``) keeps its name, and the others skip it.
    """
    taken = {spec.name for spec, _ in invocations}
    counts: dict[str, int] = {}
    named: list[tuple[LifespanSpec, dict[str, Any]]] = []
    for spec, params in invocations:
        if lifespan_of(spec.name) == spec.name:
            count = counts.get(spec.name, 0) + 1
            while count > 1 and instance_name(spec.name, count) in taken:
                count += 1
            counts[spec.name] = count
            if count > 1:
                spec = dataclasses.replace(spec, name=instance_name(spec.name, count))
                taken.add(spec.name)
        named.append((spec, params))
    return named


def instance_name(lifespan: str, number: int) -> str:
    """The name of instance ``number`` (2, 3, ...) of ``lifespan``: ``ticker#2``."""
    return f"{lifespan}{INSTANCE_MARK}{number}"


def lifespan_of(instance: str) -> str:
    """The lifespan an instance name was made from: ``ticker#2`` -> ``ticker``."""
    base, mark, number = instance.rpartition(INSTANCE_MARK)
    return base if mark and base and number.isdigit() and int(number) >= 2 else instance


def find_spec(specs: Mapping[str, LifespanSpec], word: str) -> LifespanSpec | None:
    """The lifespan ``word`` names (``-`` for ``_`` allowed), or an instance of it (``ticker#2``)."""
    for candidate in (word, word.replace("-", "_")):
        if candidate in specs:
            return specs[candidate]
    base, _, number = word.rpartition(INSTANCE_MARK)
    if lifespan_of(word) != word and (spec := find_spec(specs, base)) is not None:
        return dataclasses.replace(spec, name=instance_name(spec.name, int(number)))
    return None


class _HelpRequested(Exception):
    """Raised by the ``--help`` flag's callback, before other values are converted."""


def _raise_help(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if value:
        raise _HelpRequested


def _command(spec: LifespanSpec, params: Sequence[click.Parameter] | None = None) -> click.Command:
    import click

    help_option = click.Option(
        ["--help"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_raise_help,
        help="Show this message and exit.",
    )
    return click.Command(
        spec.name,
        params=[*(spec.params if params is None else params), help_option],
        help=inspect.getdoc(spec.function) or None,
        add_help_option=False,
    )


def lifespan_help(spec: LifespanSpec, prog: str = DEFAULT_PROG) -> str:
    """The ``--help`` text of one lifespan, as click formats it (usage, description, options)."""
    import click

    command = _command(spec)
    ctx = click.Context(command, info_name=f"{prog} {spec.name}")
    return command.get_help(ctx)


def lifespans_overview(specs: Mapping[str, LifespanSpec], prog: str = DEFAULT_PROG) -> str:
    """A listing of the available lifespans with their first doc line, for help screens."""
    lines = [_chain_usage(prog), "", "Lifespans:"]
    width = max((len(n) for n in specs), default=0)
    for name, spec in specs.items():
        deps = f"(needs {', '.join(spec.depends_on)})" if spec.depends_on else ""
        text = " ".join(filter(None, (spec.doc, deps)))
        lines.append(f"  {name.ljust(width)}  {text}".rstrip())
    if not specs:
        lines.append("  (none found)")
    lines += ["", f"Run '{prog} NAME --help' for the options of one lifespan."]
    return "\n".join(lines)


def _chain_usage(prog: str) -> str:
    return f"Usage: {prog} NAME [OPTIONS] [NAME [OPTIONS]]..."


def _fail(message: str, usage: str, hint: str) -> NoReturn:
    raise LifespanUsageError(f"{usage}\n{hint}\n\nError: {message}", error=message, usage=usage)


def _lookup(specs: Mapping[str, LifespanSpec], word: str, prog: str) -> LifespanSpec:
    spec = find_spec(specs, word)
    if spec is not None:
        return spec
    usage = _chain_usage(prog)
    hint = f"Available lifespans: {', '.join(specs) or 'none'}."
    if word.startswith("-"):
        _fail(f"Expected a lifespan name, got the option {word!r}.", usage, hint)
    close = closest(word, specs)
    suggestion = f" Did you mean {close!r}?" if close is not None else ""
    _fail(f"No such lifespan {word!r}.{suggestion}", usage, hint)


def _click_error(exc: click.ClickException, spec: LifespanSpec, prog: str) -> LifespanUsageError:
    import click

    ctx = exc.ctx if isinstance(exc, click.UsageError) else None
    path = f"{prog} {spec.name}"
    usage = ctx.get_usage() if ctx is not None else f"Usage: {path} [OPTIONS]"
    message = exc.format_message()
    return LifespanUsageError(
        f"{usage}\nTry '{path} --help' for help.\n\nError: {message}", error=message, usage=usage
    )


def _parse_one(
    spec: LifespanSpec, args: list[str], prog: str, params: Sequence[click.Parameter] | None = None
) -> tuple[dict[str, Any], list[str]]:
    import click

    command = _command(spec, params)
    try:
        ctx = command.make_context(
            f"{prog} {spec.name}",
            list(args),
            allow_extra_args=True,
            allow_interspersed_args=False,
        )
    except _HelpRequested:
        raise LifespanHelpRequested(lifespan_help(spec, prog), name=spec.name) from None
    except click.ClickException as exc:
        raise _click_error(exc, spec, prog) from None
    return dict(ctx.params), list(ctx.args)


def parse_invocations(
    specs: Mapping[str, LifespanSpec], argv: Sequence[str], *, prog: str = DEFAULT_PROG
) -> list[tuple[LifespanSpec, dict[str, Any]]]:
    """Split ``NAME [OPTIONS] [NAME [OPTIONS]]...`` into (spec, params) pairs, in the order given.

    A lifespan named more than once runs once per mention, each an instance with its own options
    and name (``ticker``, ``ticker#2``: see :func:`name_instances`). Raises LifespanHelpRequested
    for ``--help`` and LifespanUsageError (unknown name with a did-you-mean, bad or missing option)
    with click's message.
    """
    args = list(argv)
    if not args:
        _fail(
            "Missing lifespan name.",
            _chain_usage(prog),
            f"Available lifespans: {', '.join(specs) or 'none'}.",
        )
    result: list[tuple[LifespanSpec, dict[str, Any]]] = []
    while args:
        spec = _lookup(specs, args.pop(0), prog)
        params, args = _parse_one(spec, args, prog)
        result.append((spec, params))
    return name_instances(result)


def resolve_params(spec: LifespanSpec, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """``params`` completed with the click defaults of the options not given, then checked.

    Raises LifespanUsageError for a name the lifespan has no parameter for, a missing required
    option, or arguments the function cannot be called with.
    """
    given = dict(params or {})
    known = spec.param_names
    for key in given:
        if key not in known and not _accepts(spec, key):
            expected = ", ".join(known) or "none"
            raise LifespanUsageError(
                f"Lifespan {spec.name!r} has no parameter {key!r} (its parameters: {expected}).",
            )
    missing = [p for p in spec.params if p.expose_value and p.name not in given]
    if missing:
        defaults, _ = _parse_one(spec, [], DEFAULT_PROG, missing)
        given = {**defaults, **given}
    call = dict(given)
    if spec.wants_ctx:
        call[CTX_PARAM] = None
    try:
        if spec.signature is not None:
            spec.signature.bind(**call)
    except TypeError as exc:
        raise LifespanUsageError(
            f"Lifespan {spec.name!r} cannot be called with {sorted(given)}: {message_text(exc)}. Give every "
            f"parameter of the function a click option, a default, or name it {CTX_PARAM!r}."
        ) from None
    return given


def _accepts(spec: LifespanSpec, key: str) -> bool:
    """True if the function takes ``key`` as a keyword even without a click option for it."""
    if spec.signature is None:  # pragma: no cover - builtins have no signature
        return False
    parameters = spec.signature.parameters
    if key == CTX_PARAM:
        return False
    param = parameters.get(key)
    if param is not None:
        return param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY)
    return any(p.kind is p.VAR_KEYWORD for p in parameters.values())
