"""Did-you-mean suggestions for misspelt hook, argument and plugin names."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    import difflib  # only when an error message is being written

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def quoted_list(names: Iterable[str]) -> str:
    """Return the names as ``'a', 'b'`` — or ``(none)`` when there are none."""
    items = [repr(n) for n in names]
    return ", ".join(items) if items else "(none)"
