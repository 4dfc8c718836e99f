"""Did-you-mean suggestions for misspelt names, and name lists for error messages: the one place.

Every layer (the kit, the lifespans' command line, the notebook's magics) words its own errors but
asks this module for the closest name, so that a typo is answered the same way everywhere.
``difflib`` is imported only when an error message is being written.
Loaded lazily: the kit imports it inside the error paths that word a message, never at import.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (difflib's ratio of at least 0.6), or None."""
    import difflib  # only when an error message is being written

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close is not None else ""


def quoted_list(names: Iterable[str]) -> str:
    """Return the names as ``'a', 'b'`` — or ``(none)`` when there are none."""
    items = [repr(n) for n in names]
    return ", ".join(items) if items else "(none)"
