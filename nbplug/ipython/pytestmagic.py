"""``%pytest``: run pytest on paths in the kernel, recorded, and show how its plugins worked.

A thin layer over :func:`nbplug.recording.pytest_run.run_pytest` (IPython-free) and the run's view
(:class:`nbplug.widgets.recording.pytest.PytestRunView`): the line is parsed with IPython's
``magic_arguments`` (so ``%pytest?`` is the help), everything after ``--`` goes to pytest as it is,
and the value of the magic is the view (``v = %pytest tests/`` keeps it: ``v.run.recording``).
Tab completes the options, after ``--hook`` / ``--plugin`` the names the last run recorded, and
paths through IPython's own file completion. Rejected: passing unknown options straight to
pytest, which would make a typo in nbplug's own options a pytest error about something else.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any, TypeVar

from IPython.core.completer import (
    CompletionContext,
    SimpleCompletion,
    SimpleMatcherResult,
    context_matcher,
)
from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import (
    MagicHelpFormatter,
    argument,
    kwds,
    magic_arguments,
    parse_argstring,
)

from .._base.safetext import message_text
from ..recording.pytest_run import PytestRun, run_pytest
from ..recording.recorder import MAX_CALLS
from ..widgets.designmap.pluggy_reader import read_pluggy_manager

__all__ = ["OPTIONS", "PytestMagics", "make_pytest_matcher", "view_options"]

#: The magic's own options, offered by Tab.
OPTIONS = ("--hook", "--plugin", "--map", "--all", "--max-calls", "--quiet", "--text")


F = TypeVar("F", bound=Callable[..., Any])


def view_options(quiet: str) -> Callable[[F], F]:
    """The options every recording magic takes after its own (``%pytest``, ``%%record``): the
    budget, and the form of its output; ``quiet`` says what the value is without a view."""
    options = [
        argument("--max-calls", type=int, default=MAX_CALLS, metavar="N",
                 help=f"keep the first N calls in detail (default {MAX_CALLS}); the rest are counted"),
        argument("-q", "--quiet", action="store_true", help=quiet),
        argument("--text", action="store_true", help="print the text form instead of the live view"),
    ]

    def add(magic: F) -> F:
        for option in reversed(options):  # as if written one above the other, top first
            magic = option(magic)
        return magic

    return add


class PlainUsageFormatter(MagicHelpFormatter):
    """IPython's magic help, its usage line as plain text: ``Usage: %pytest ...``, not the
    ``::`` of a reST literal block (which ``%pytest?`` shows as a stray first line)."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = "Usage: %") -> None:
        super().add_usage(usage, actions, groups, prefix)


@magics_class
class PytestMagics(Magics):
    """``%pytest``: pytest run in this kernel with every hook call recorded."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self.last_run: PytestRun | None = None

    @magic_arguments()
    @kwds(usage="%(prog)s PATHS [options] [-- PYTEST_ARGS...]", formatter_class=PlainUsageFormatter)
    @argument("paths", nargs="+", help="test files, folders or node ids (file.py::test_name)")
    @argument("--hook", metavar="HOOK",
              help="show only calls of HOOK (and those around them); the map: only HOOK")
    @argument("--plugin", metavar="PLUGIN",
              help="show only calls where PLUGIN's extension ran; the map: its hooks")
    @argument("-m", "--map", action="store_true",
              help="open the design map of pytest's plugin manager (each hook's call order)")
    @argument("--all", action="store_true",
              help="the map shows every hook, those without extensions too")
    @view_options("show no view; the value is the PytestRun (exit code, output, recording)")
    @line_magic
    def pytest(self, line: str) -> Any:
        """Run pytest in this kernel on PATHS (everything after -- goes to pytest unchanged),
        record its hook calls and show them: pytest's summary and output, the calls per hook with
        counts and times, the call tree (each call marked with the plugin that made it), the
        timeline, and the call view of any call you pick. Nothing is left behind (no
        .pytest_cache, sys.path as it was), so a test edited and run again runs as edited.

        Example:  v = %pytest tests/test_shop.py --hook pytest_runtest_makereport -- -q -k cart
        """
        own, _, passed = line.partition(" -- ")
        if own.strip() == "--":
            own = ""
        try:
            args = parse_argstring(self.pytest, own)
            pytest_args = shlex.split(passed)
        except ValueError as exc:  # shlex: an unclosed quote
            raise UsageError(f"%pytest: {message_text(exc)}") from None
        if args.max_calls < 0:
            raise UsageError(f"%pytest: --max-calls must be 0 or more, got {args.max_calls}")
        try:
            run = run_pytest(args.paths, pytest_args, max_calls=args.max_calls,
                             read_design=read_pluggy_manager)
        except (FileNotFoundError, ValueError, ImportError) as exc:
            raise UsageError(f"%pytest: {message_text(exc)}") from None
        self.last_run = run
        if args.quiet:
            return run
        from ..widgets.recording.pytest import PytestRunView

        try:
            view = PytestRunView(run, hook=args.hook, plugin=args.plugin, design=args.map,
                                 all_hooks=args.all)
        except ValueError as exc:  # a filter naming nothing recorded
            print(run.summary())
            raise UsageError(f"%pytest: {message_text(exc)}") from None
        if args.text:
            print(view.text())
            return None
        return view


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def make_pytest_matcher(magics: PytestMagics) -> Any:
    """An IPython v2 matcher for ``%pytest``: its options, and the hooks and plugins of the last
    run after ``--hook`` / ``--plugin``; paths are left to IPython's file completion."""

    @context_matcher()
    def pytest_matcher(context: CompletionContext) -> SimpleMatcherResult:
        line = context.line_with_cursor
        if not line.lstrip().startswith("%pytest ") or " -- " in line:
            return {"completions": []}
        token = context.token
        words = _words(line)
        word = "" if line.endswith(" ") else (words[-1] if words else "")
        before = words[-1] if line.endswith(" ") else (words[-2] if len(words) > 1 else "")
        run = magics.last_run
        candidates: list[tuple[str, str]] = []
        if before in ("--hook", "--plugin"):
            if run is not None:
                names = run.recording.hooks if before == "--hook" else run.recording.plugins()
                candidates = [(name, before[2:]) for name in names]
        elif word.startswith("-"):
            candidates = [(option, "option") for option in (*OPTIONS, "--")]
        if not candidates:
            return {"completions": []}
        skip = len(word) - len(token) if word.endswith(token) else 0
        found = [SimpleCompletion(text=text[skip:], type=kind) for text, kind in candidates
                 if text.startswith(word)]
        return {"completions": found, "suppress": bool(found), "ordered": True,
                "matched_fragment": token}

    return pytest_matcher
