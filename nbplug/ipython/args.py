"""Parse what the magics are given: ``%%hook``/``%hook`` into keyword-argument expressions.

Hook calls are keyword-only, so a ``%%hook NAME`` body is a list of assignments
``name = expression`` and a ``%hook NAME`` line is ``name=expression`` items separated by spaces (or
commas). Parsing only splits and checks the source; :func:`evaluate_arguments` evaluates it in the
user's namespace.
"""

from __future__ import annotations

import ast
import functools
import inspect
import io
import itertools
import linecache
import tokenize
import types
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from IPython.core.error import UsageError

_FLAGS = {
    "-q": "quiet",
    "--quiet": "quiet",
    "-w": "widget",
    "--widget": "widget",
    "-t": "timeline",
    "--timeline": "timeline",
}
_counter = itertools.count(1)


@dataclass(frozen=True)
class Argument:
    """One keyword argument of a hook call: its name, its expression, and that compiled."""

    name: str
    source: str
    node: ast.expr
    lineno: int
    code: types.CodeType = field(compare=False, repr=False)


def _argument(
    name: str, source: str, node: ast.expr, lineno: int, filename: str, magic: str
) -> Argument:
    """Compile one argument; an expression that parses but cannot be compiled on its own (a
    ``yield``, a walrus in a comprehension's iterable) is the cell's mistake: a UsageError."""
    try:
        code = compile(ast.Expression(node), filename, "eval", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as exc:
        raise UsageError(
            f"{magic}: the value of {name!r} cannot be evaluated on its own: {source!r} "
            f"({exc.msg}); give a plain expression, or compute the value in an earlier cell"
        ) from None
    return Argument(name, source, node, lineno, code)


@dataclass(frozen=True)
class HookCall:
    """A parsed ``%%hook`` cell or ``%hook`` line: which hook, its arguments, and display flags."""

    hook: str
    arguments: tuple[Argument, ...]
    quiet: bool = False
    widget: bool = False
    timeline: bool = False
    filename: str = "<hook>"
    text: str = field(default="", repr=False)


def _split_head(line: str, magic: str) -> tuple[str, set[str], str]:
    """Split ``[flags] NAME [flags] rest`` into the hook name, the flags, and the rest."""
    flags: set[str] = set()
    name = ""
    rest = line.strip()
    while rest:
        word, _, after = rest.partition(" ")
        if word in _FLAGS:
            flags.add(_FLAGS[word])
        elif word.startswith("-") and not name:
            raise UsageError(
                f"{magic}: unknown option {word!r}; the options are -q/--quiet (no call view), "
                f"-w/--widget (the live call view) and -t/--timeline (the view with its "
                f"timeline). Usage: {magic} [-q | -w] [-t] HOOK ..."
            )
        elif not name and "=" not in word:
            name = word
        else:
            break
        rest = after.strip()
    if not name:
        example = (
            "%%hook fetch\ntopic = 'harbor'" if magic == "%%hook" else '%hook fetch topic="harbor"'
        )
        raise UsageError(f"{magic} needs the name of a hook to call, e.g.\n{example}")
    project, dot, hook = name.rpartition(".")  # a project may be named by any string (my-plugin)
    if not hook.isidentifier() or (dot and not project):
        raise UsageError(
            f"{magic}: {name!r} is not a hook name; "
            "write HOOK or PROJECT.HOOK, e.g. fetch or feed.fetch"
        )
    return name, flags, rest


def display_flags(line: str, magic: str) -> frozenset[str]:
    """The display flags (quiet, widget, timeline) of a ``%%hook`` / ``%hook`` line; none when the
    line is malformed (the magic itself reports that when it runs)."""
    try:
        return frozenset(_split_head(line, magic)[1])
    except UsageError:
        return frozenset()


def _register_source(filename: str, text: str) -> None:
    """Make ``text`` visible to tracebacks under ``filename`` (as IPython does for cells)."""
    lines = text.splitlines(keepends=True) or ["\n"]
    linecache.cache[filename] = (len(text), None, lines, filename)


@functools.lru_cache(maxsize=256)
def parse_cell(line: str, body: str) -> HookCall:
    """Parse ``%%hook [-q | -w] NAME`` and its body of ``name = expression`` assignments."""
    name, flags, rest = _split_head(line, "%%hook")
    if rest:
        raise UsageError(
            f"%%hook takes the hook's arguments from the cell body, one assignment per line; "
            f"move {rest!r} into the body (or use the line form: %hook {name} {rest})"
        )
    filename = f"<%%hook {name} #{next(_counter)}>"
    header = f"%%hook {line.strip()}\n"
    try:
        tree = compile(body, filename, "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: {(exc.text or '').strip()}" if exc.lineno else ""
        raise UsageError(
            f"the body of %%hook {name} is not valid Python ({exc.msg}; {where}). "
            "It holds the hook's keyword arguments as assignments, e.g. topic = 'harbor'"
        ) from None
    assert isinstance(tree, ast.Module)
    ast.increment_lineno(tree, 1)  # the body starts on the cell's second line
    arguments: list[Argument] = []
    seen: dict[str, int] = {}
    for statement in tree.body:
        target: ast.expr | None
        value: ast.expr | None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.simple:
            target, value = statement.target, statement.value
        else:
            target = value = None
        if not isinstance(target, ast.Name) or value is None:
            text = ast.get_source_segment(header + body, statement) or ast.unparse(statement)
            raise UsageError(
                f"the body of %%hook {name} holds keyword arguments as assignments "
                f"`name = expression`, one per statement; line {statement.lineno} is "
                f"`{text.strip()}`. Compute values in an earlier cell and assign them here."
            )
        if target.id in seen:
            raise UsageError(
                f"%%hook {name}: argument {target.id!r} is given twice "
                f"(lines {seen[target.id]} and {statement.lineno}); give each argument once"
            )
        seen[target.id] = statement.lineno
        source = ast.get_source_segment(header + body, value) or ast.unparse(value)
        arguments.append(
            _argument(target.id, source, value, statement.lineno, filename, f"%%hook {name}")
        )
    return _hook_call(name, arguments, flags, filename, header + body)


def _hook_call(name: str, arguments: list[Argument], flags: Collection[str], filename: str,
               text: str) -> HookCall:
    """The parsed call, from either form's arguments and the flags given."""
    return HookCall(name, tuple(arguments), quiet="quiet" in flags, widget="widget" in flags,
                    timeline="timeline" in flags, filename=filename, text=text)


def _keyword_starts(text: str) -> list[tuple[int, str, int]]:
    """Offsets of ``name=`` at bracket depth 0 in ``text``: (start, name, value start)."""
    starts: list[tuple[int, str, int]] = []
    depth = 0
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif (
            depth == 0
            and tok.type == tokenize.NAME
            and i + 1 < len(tokens)
            and tokens[i + 1].type == tokenize.OP
            and tokens[i + 1].string == "="
            and (i == 0 or not _is_lambda_context(tokens, i))
        ):
            starts.append((tok.start[1], tok.string, tokens[i + 1].end[1]))
    return starts


def _is_lambda_context(tokens: list[tokenize.TokenInfo], index: int) -> bool:
    """True when the token at ``index`` is a parameter default of an unfinished ``lambda``."""
    for tok in reversed(tokens[:index]):
        if tok.type == tokenize.OP and tok.string == ":":
            return False
        if tok.type == tokenize.NAME and tok.string == "lambda":
            return True
    return False


@functools.lru_cache(maxsize=256)
def parse_line(line: str) -> HookCall:
    """Parse ``%hook [-q | -w] NAME name=expr [name=expr ...]`` (items may be comma separated)."""
    name, flags, rest = _split_head(line, "%hook")
    filename = f"<%hook {name} #{next(_counter)}>"
    text = rest.strip()
    arguments: list[Argument] = []
    if text:
        try:
            starts = _keyword_starts(text)
        except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
            reason = exc.msg if isinstance(exc, SyntaxError) else str(exc.args[0])
            raise UsageError(
                f"%hook {name}: cannot read the arguments {text!r} ({reason}); write them as "
                f'name=expression items, e.g. %hook {name} topic="harbor" limit=3'
            ) from None
        if not starts or starts[0][0] != 0:
            head = text[: starts[0][0]].strip() if starts else text
            raise UsageError(
                f"%hook {name}: hook calls take keyword arguments only, but {head!r} has no "
                f'name; write name=expression items, e.g. %hook {name} topic="harbor"'
            )
        seen: set[str] = set()
        for (_start, key, value_start), nxt in itertools.zip_longest(starts, starts[1:]):
            end = nxt[0] if nxt else len(text)
            source = text[value_start:end].strip()
            if source.endswith(","):
                source = source[:-1].rstrip()
            if key in seen:
                raise UsageError(f"%hook {name}: argument {key!r} is given twice; give it once")
            seen.add(key)
            if not source:
                raise UsageError(f"%hook {name}: argument {key!r} has no value; write {key}=VALUE")
            try:
                expr = compile(
                    source, filename, "eval", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
                )
            except SyntaxError as exc:
                raise UsageError(
                    f"%hook {name}: the value of {key!r} is not a Python expression: {source!r} "
                    f"({exc.msg}). Put it in parentheses if it contains spaces and '='."
                ) from None
            assert isinstance(expr, ast.Expression)
            node = expr.body
            ast.fix_missing_locations(node)
            leading = len(text[value_start:]) - len(text[value_start:].lstrip())
            _shift_columns(node, value_start + leading)
            arguments.append(_argument(key, source, node, 1, filename, f"%hook {name}"))
    return _hook_call(name, arguments, flags, filename, text + "\n")


def _shift_columns(node: ast.AST, offset: int) -> None:
    """Move an expression parsed on its own to its column in the ``%hook`` line (for tracebacks)."""
    for child in ast.walk(node):
        if isinstance(child, ast.expr | ast.arg | ast.keyword):
            child.col_offset += offset
            if child.end_col_offset is not None:
                child.end_col_offset += offset


async def evaluate_arguments(call: HookCall, namespace: Mapping[str, Any]) -> dict[str, object]:
    """Evaluate the call's argument expressions in ``namespace``; later ones see earlier ones.

    Expressions may ``await``; errors propagate unchanged (they are the user's code).
    """
    __tracebackhide__ = True
    _register_source(call.filename, call.text)  # (again: parsing is cached, linecache may not be)
    kwargs: dict[str, object] = {}
    globals_ = namespace if isinstance(namespace, dict) else dict(namespace)
    for argument in call.arguments:
        code = argument.code
        value = eval(code, globals_, dict(kwargs))
        if code.co_flags & inspect.CO_COROUTINE:
            value = await value
        kwargs[argument.name] = value
    return kwargs
