"""The terminal key lifespan: keys pressed while lifespans run print what is going on.

    nbplug run examples/countdown.py countdown --from 9 keys
    python examples/demo.py ticker keys               # any program: add `keys` (or your own)

``?`` lists the keys; Ctrl-D prints the running tasks and the context (the lifespans, the bus, the
manager); ``+`` / ``-`` make the log more / less verbose; Enter prints a blank line and Esc a marker
with the time, to find one's place in the log. A program adds keys of its own::

    def show_time(ctx: LifespanContext) -> str:
        return time.strftime("%H:%M:%S")

    keys = terminal_keys(Key("t", "Print the time", show_time))     # a lifespan named "keys"

The terminal is put in cbreak mode (keys arrive one by one, unechoed; Ctrl-C still interrupts) and
put back exactly as it was when the lifespan ends, whatever ends it: its teardown, a ``finally``
around its ``yield``, an ``atexit`` hook for an exit that skips both, and the runner's
``at_hard_exit`` for the third Ctrl-C, which leaves at once. When standard input is
not a terminal (a pipe, a notebook kernel) it does nothing. It is a ``daemon`` lifespan: it never
keeps a program up by itself.

Decision: keys are read with ``loop.add_reader`` on the unchanged descriptor. Rejected:
click-async-plugins' ``O_NONBLOCK`` on stdin with a 0.1 s polling loop (the flag belongs to the open
file, which the terminal's stdout and stderr usually share, so their writes can fail with EAGAIN).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import inspect
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .._base.safetext import MAX_MESSAGE, own_name, safe_repr, safe_str
from ..lifespans import Lifespan, LifespanContext, LifespanFactory, lifespan

logger = logging.getLogger("nbplug.keys")

KeyAction = Callable[[LifespanContext], "str | Awaitable[str | None] | None"]
"""What a key does: called with the key lifespan's context, returns text to print (or None).

An ``async def`` action is awaited (say, a hook call: ``await ctx.manager.hook.report()``)."""

_NAMED = {"\n": "Enter", "\r": "Enter", "\x1b": "Esc", " ": "Space", "\t": "Tab"}


def key_label(char: str) -> str:
    """How a key is shown in the list: ``Esc``, ``Ctrl-D``, ``Enter``, or the character itself."""
    if char in _NAMED:
        return _NAMED[char]
    if len(char) == 1 and ord(char) < 32:
        return f"Ctrl-{chr(ord(char) + 64)}"
    return char


@dataclass(frozen=True)
class Key:
    """One key: the character it is, what the key list says it does, and the action."""

    char: str
    help: str
    action: KeyAction

    def __post_init__(self) -> None:
        if len(self.char) != 1:
            raise ValueError(
                f"a Key is one character (such as 't' or '\\x04' for Ctrl-D), not {safe_repr(self.char)}"
            )

    @property
    def label(self) -> str:
        return key_label(self.char)


# ------------------------------------------------------------------------------ the standard keys
def blank_line(ctx: LifespanContext) -> str:
    """Print a blank line."""
    return ""


def time_marker(ctx: LifespanContext) -> str:
    """Print a few blank lines and the time."""
    return "\n" * 4 + f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} ---"


def _coroutine_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return safe_str(own_name(coro, "__qualname__") or own_name(coro) or coro)


def debug_info(ctx: LifespanContext) -> str:
    """Print the running tasks and the context (lifespans, bus, manager)."""
    lines = ["*** Tasks:"]
    tasks = sorted(asyncio.all_tasks(), key=lambda t: t.get_name())
    width = max((len(t.get_name()) for t in tasks), default=0)
    for task in tasks:
        state = "cancelled" if task.cancelled() else "done" if task.done() else "pending"
        lines.append(f"  {task.get_name().ljust(width)}  {state:9}  {_coroutine_name(task)}")
    lines.append("*** Lifespans:")
    states = list(getattr(ctx.group, "states", ()))
    width = max((len(s.name) for s in states), default=0)
    now = time.monotonic()
    for state in states:
        up = f"  up {now - state.started_at:.1f}s" if state.started_at is not None else ""
        lines.append(f"  {state.name.ljust(width)}  {state.phase.value}{up}")
    lines += [
        "*** Context:",
        f"  bus      {ctx.bus!r}",
        f"  manager  {safe_repr(ctx.manager)}",
        "*** End",
    ]
    return "\n".join(lines)


def _change_level(step: int) -> str:
    root = logging.getLogger()
    level = min(max(root.getEffectiveLevel() + step, logging.DEBUG), logging.CRITICAL)
    root.setLevel(level)
    return f"Log level now {logging.getLevelName(level)}"


def more_verbose(ctx: LifespanContext) -> str:
    """Log more (down to DEBUG)."""
    return _change_level(-10)


def less_verbose(ctx: LifespanContext) -> str:
    """Log less (up to CRITICAL)."""
    return _change_level(+10)


STANDARD_KEYS = (
    Key("\n", "Print a blank line", blank_line),
    Key("\x1b", "Print a few blank lines and the time", time_marker),
    Key("\x04", "Print the running tasks and the context", debug_info),
    Key("+", "Log more (down to DEBUG)", more_verbose),
    Key("-", "Log less (up to CRITICAL)", less_verbose),
)


def key_list(keys: Iterable[Key]) -> str:
    """The text ``?`` prints: each key with what it does."""
    rows = [("?", "Print this list of keys"), *((k.label, k.help) for k in keys)]
    width = max(len(label) for label, _ in rows)
    return "\n".join(["Keys:", *(f"  {label.ljust(width)}  {text}" for label, text in rows)])


# ------------------------------------------------------------------------------------- the terminal
class RawKeys:
    """Standard input in cbreak mode for as long as it is open; the mode saved is put back on close."""

    def __init__(self, fd: int) -> None:
        import termios

        from .runner import at_hard_exit

        self.fd = fd
        self._saved = termios.tcgetattr(fd)
        self.closed = False
        atexit.register(self.close)
        self._forget_hard_exit = at_hard_exit(self.close)
        mode = termios.tcgetattr(fd)
        mode[3] &= ~(termios.ICANON | termios.ECHO)  # keys one by one, unechoed; ISIG stays on
        mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
        termios.tcsetattr(fd, termios.TCSADRAIN, mode)

    def close(self) -> None:
        """Put the terminal back as it was (once; later calls do nothing)."""
        import termios

        if self.closed:
            return
        self.closed = True
        atexit.unregister(self.close)
        self._forget_hard_exit()
        with contextlib.suppress(OSError, termios.error):  # the terminal may be gone already
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)


async def read_keys(
    fd: int, ctx: LifespanContext, keys: dict[str, Key], output: Callable[[str], object]
) -> None:
    """Run each key's action as it is pressed, until the terminal closes."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()

    def readable() -> None:
        try:
            chunk = os.read(fd, 64)
        except OSError:
            chunk = b""
        if not chunk:
            loop.remove_reader(fd)
        queue.put_nowait(chunk)

    loop.add_reader(fd, readable)
    try:
        while chunk := await queue.get():
            text = chunk.decode(errors="replace")
            if text.startswith("\x1b") and len(text) > 1:  # an arrow or function key's sequence
                logger.debug("Ignoring the key sequence %r", text)
                continue
            for char in text:
                if char == "?":
                    output(key_list(keys.values()))
                elif (key := keys.get(char)) is not None:
                    said = key.action(ctx)
                    if inspect.isawaitable(said):  # an async action: awaited before the next key
                        said = await said
                    if said is not None:  # a result whose str raises is shown guarded
                        output(said if isinstance(said, str)
                               else safe_str(said, MAX_MESSAGE, keep_newlines=True))
                else:
                    logger.debug("Ignoring the key %r; press ? for the list", char)
    finally:
        loop.remove_reader(fd)


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def terminal_keys(
    *extra: Key, name: str = "keys", output: Callable[[str], object] = _to_stderr
) -> LifespanFactory:
    """A key lifespan with the standard keys and ``extra`` (which may replace a standard one).

    ``name``: the lifespan's name on the command line; ``output``: where text goes (stderr).
    """
    keys = {k.char: k for k in (*STANDARD_KEYS, *extra)}
    if "?" in keys:
        raise ValueError("'?' lists the keys; give your key another character")

    @lifespan(name=name, daemon=True)
    async def keys_lifespan(ctx: LifespanContext) -> Lifespan:
        """Read keys from the terminal: ? lists them, Ctrl-D shows tasks, +/- log level."""
        fd, why_not = _terminal_fd()
        if fd is None:
            ctx.log.info("%s; no keys are read", why_not)
            yield None
            return
        terminal = RawKeys(fd)
        try:
            ctx.log.info("Press ? for the keys")
            yield read_keys(fd, ctx, keys, output)
        finally:
            terminal.close()

    keys_lifespan.__qualname__ = keys_lifespan.__name__ = name
    return keys_lifespan


def _terminal_fd() -> tuple[int | None, str]:
    """Standard input's descriptor if keys can be read from it, else None and the reason."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):  # replaced, closed or detached stdin
        return None, "Standard input is not a terminal"
    if not os.isatty(fd):
        return None, "Standard input is not a terminal"
    try:
        import termios  # noqa: F401  (POSIX only)
    except ImportError:
        return None, "This platform has no termios"
    try:
        foreground = os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        foreground = False
    if not foreground:  # changing the mode from the background would stop us (SIGTTOU)
        return None, "The program runs in the background of its terminal"
    return fd, ""


keys = terminal_keys()
"""The standard key lifespan, named ``keys``."""
