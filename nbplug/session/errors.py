"""The notebook session's own error, which the magics turn into IPython's ``UsageError``.

The session (:mod:`.session`) knows nothing of IPython: it is usable from plain Python, and its
refusals must be told apart by type, not by the words of a message. Decision: one type, with a
field saying what *did* change, because the magics must say so -- a refused ``%plugin`` verb has
changed nothing and says that; a mistake found only while running (a lifespan that yields twice,
found at its teardown) has changed something, and says what.
"""

from __future__ import annotations


class SessionUsageError(Exception):
    """Bad input for the session, or a mistake in how a plugin or lifespan is written.

    ``str(err)`` says what was wrong and what would be right. ``err.changed`` is None when the
    operation was refused before anything changed, else what did change, in words.
    """

    def __init__(self, message: str, *, changed: str | None = None) -> None:
        super().__init__(message)
        self.changed = changed

    def outcome(self) -> str:
        """The message with what changed: ``Nothing was changed.`` for a refusal."""
        if self.changed is None:
            return f"{self}\nNothing was changed."
        return f"{self}\n({self.changed}.)"
