"""Exceptions of the lifespan layer, kept apart so every module can raise them without cycles."""

from __future__ import annotations


class LifespanUsageError(Exception):
    """Bad input for lifespans: unknown name, bad option, missing dependency.

    ``str(err)`` is the full message click would show (usage line, hint, error); ``err.error`` is the
    one-line reason alone. The CLI prints it and exits with status 2; ``%plugin start`` shows it.
    """

    def __init__(self, message: str, *, error: str | None = None, usage: str = "") -> None:
        super().__init__(message)
        self.error = error if error is not None else message
        self.usage = usage


class LifespanHelpRequested(LifespanUsageError):
    """``--help`` was given for a lifespan: ``err.text`` is the help to show (not an error)."""

    def __init__(self, text: str, *, name: str) -> None:
        super().__init__(text, error=f"help requested for lifespan {name!r}")
        self.text = text
        self.name = name


class LifespanDependencyError(LifespanUsageError):
    """A lifespan depends on one that is neither running nor being started, or on itself."""


class LifespanError(RuntimeError):
    """A lifespan broke its protocol: it yielded no value or something that cannot be run."""


class LifespanInterrupted(LifespanError):
    """An interrupt (Ctrl-C) that came while a lifespan's teardown ran cut it short.

    ``CancelledError`` was thrown into the teardown at the ``await`` where it waited (or, in
    synchronous code, a ``KeyboardInterrupt`` raised), so its ``finally`` blocks ran; the rest of
    it did not. Recorded as the lifespan's error (it is marked
    failed) and raised with the other teardown errors; ``err.name`` is the lifespan's name.
    """

    def __init__(self, name: str, where: str = "teardown") -> None:
        super().__init__(
            f"the {where} of lifespan {name!r} was cut short by an interrupt (Ctrl-C) while it "
            f"ran: its finally blocks ran, the rest of it did not"
        )
        self.name = name
