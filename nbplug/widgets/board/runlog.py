"""What a board row shows of one lifespan's log: the run's lines, and one note for those left out.

Decision: a row shows the whole run the group kept (its first lines -- the set-up -- and its latest,
see :class:`~nbplug.lifespans.events.LogLines`), in a box scrolled to the latest lines, with one
note where lines are missing that says how many and why: dropped by the group's bound, or not
shown because a board over many lifespans gives each row a share of :data:`MAX_SHOWN` lines (one
published output stays far under Jupyter's limits). Rejected: the last few lines only (the set-up
scrolled away) and a note per cause (the gap is one place in the log; one sentence says it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from nbplug.lifespans.events import LOG_HEAD, LOG_TAIL

from ..format.text import last_lines

__all__ = ["MAX_SHOWN", "MIN_SHARE", "RowLog", "row_log"]

#: Log lines one board shows in all (each row gets its share, at least MIN_SHARE).
MAX_SHOWN = 1000
MIN_SHARE = 4


class RowLog(NamedTuple):
    """The lines a row shows, where the gap lies (before ``lines[gap_at]``) and what it left out."""

    lines: tuple[str, ...]
    gap_at: int = 0
    not_shown: int = 0
    dropped: int = 0

    @property
    def note(self) -> str:
        """The sentence the gap is shown as ('' when nothing is left out)."""
        if not self.not_shown and not self.dropped:
            return ""
        parts = []
        if self.dropped:
            parts.append(f"{self.dropped} lines dropped (a run keeps its first {LOG_HEAD} and "
                         f"latest {LOG_TAIL} lines)")
        if self.not_shown:
            parts.append(f"{self.not_shown} lines not shown here")
        return "… " + "; ".join(parts) + " …"

    def with_note(self) -> list[str]:
        """The lines with the note in its place (the text form)."""
        note = self.note
        lines = list(self.lines)
        if note:
            lines.insert(self.gap_at, note)
        return lines


def row_log(log: Sequence[str], *, latest: int | None, share: int) -> RowLog:
    """What a row shows of ``log`` (a LogLines, or any sequence): the ``latest`` lines only when
    given, else the run's kept lines up to ``share`` of them (its first ones and its latest)."""
    dropped = int(getattr(log, "dropped", 0))
    head = list(getattr(log, "head", ()))
    if latest is not None:
        lines = last_lines(log, latest)
        return RowLog(lines, 0, len(log) - len(lines), dropped)
    if len(log) <= share:
        return RowLog(last_lines(log, len(log)), len(head), 0, dropped)
    first = min(len(head), share // 3)
    lines = last_lines(head[:first], first) + last_lines(log, share - first)
    return RowLog(lines, first, len(log) - len(lines), dropped)
