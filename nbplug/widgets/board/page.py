"""Which lifespans one rendering of the board shows: a filter (by phase, by name) and a page of
:data:`PAGE_SIZE`, with the line that says what was left out and how to see it.

A board of 5,000 lifespans drawn whole published a 5.6 MB display bundle, and its live widget sent
a message per row on every tick (about 92 MB over one start and stop): past Jupyter's IOPub
data-rate limit (1 MB/s), so the notebook dropped or stalled it. Decision: the board shows one
page of the lifespans the filter keeps, in the group's order (its set-up order), and counts the
others per phase; the live widget keeps one row of widgets per place on the page, so an update
re-sends what changed on the page only, however many lifespans there are. A page past the last
shows the last (a filter that keeps fewer moves the reader back, never to an empty board).
Rejected: a byte budget (it cuts a row mid-way and cannot say what is missing in words one can
act on), and one widget per lifespan hidden off the page (5,000 rows' widgets are opened in the
front end all the same).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nbplug.lifespans.events import LifespanState

from ..format.text import phase_label
from .text import PHASE_MEANINGS

__all__ = ["PAGE_SIZE", "PHASES", "BoardPage", "Selection"]

#: Lifespans one page of the board shows.
PAGE_SIZE = 50

#: The phases a filter may name, in the order a lifespan goes through them.
PHASES: tuple[str, ...] = tuple(phase for phase, _ in PHASE_MEANINGS)


@dataclass(frozen=True)
class Selection:
    """One page of lifespans as the board shows it, and what it says of the rest."""

    shown: tuple[LifespanState, ...]
    #: lifespans in each phase (every lifespan of the group, in phase order), and the count the filter keeps
    counts: tuple[tuple[str, int], ...]
    matching: int
    number: int
    size: int
    filters: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """How many lifespans the group holds."""
        return sum(n for _, n in self.counts)

    @property
    def pages(self) -> int:
        """How many pages the kept lifespans fill (at least one)."""
        return max(1, -(-self.matching // self.size))

    @property
    def first(self) -> int:
        """The place (from 1) of the first lifespan shown among those kept."""
        return (self.number - 1) * self.size + 1

    @property
    def whole(self) -> bool:
        """Whether every lifespan is shown (no filter, one page): then no scope line is needed."""
        return not self.filters and self.matching <= self.size

    def heading(self) -> str:
        """``5,000 (4,950 running, 50 failed)``: every lifespan, counted per phase."""
        return f"{self.total:,} (" + ", ".join(f"{n:,} {phase}" for phase, n in self.counts) + ")"

    def showing(self) -> str:
        """``showing 1–50 of 5,000 (page 1 of 100)``, with the filter first when there is one."""
        kept = f"{self.matching:,} of {self.total:,} kept by the filter ({', '.join(self.filters)}); " \
            if self.filters else ""
        if not self.shown:
            return kept + "none shown"
        last = self.first + len(self.shown) - 1
        return (f"{kept}showing {self.first:,}–{last:,} of {self.matching:,} "
                f"(page {self.number:,} of {self.pages:,})")

    def how(self) -> str:
        """How to see the rest, in the words of :class:`LifespanBoard`'s arguments."""
        after = self.matching - (self.first + len(self.shown) - 1)
        ways = [f"page={self.number + 1} shows the next {min(self.size, after):,}"] if after > 0 else []
        if self.number > 1:
            ways.append(f"page={self.number - 1} the ones before")
        ways.append("phase='failed' or name='TEXT' shows fewer" if not self.filters
                    else "phase=None, name=None shows every one")
        return "; ".join(ways)

    def scope(self) -> str | None:
        """The line saying which lifespans this rendering shows (None: every one)."""
        return None if self.whole else f"{self.showing()}; {self.how()}"


@dataclass(frozen=True)
class BoardPage:
    """A filter -- lifespans in ``phase`` (a phase's word on the board: ``running``, ``set-up``,
    ``failed``...) whose names contain ``name`` -- and a page ``number`` of ``size`` lifespans."""

    phase: str | None = None
    name: str | None = None
    number: int = 1
    size: int = PAGE_SIZE

    def __post_init__(self) -> None:
        if not isinstance(self.number, int) or self.number < 1:
            raise ValueError(f"page counts from 1; got {self.number!r}")
        if not isinstance(self.size, int) or self.size < 1:
            raise ValueError(f"a page holds at least 1 lifespan; got size={self.size!r}")
        if self.phase is not None and self.phase not in PHASES:
            raise ValueError(f"phase is one of {', '.join(map(repr, PHASES))} (or None); "
                             f"got {self.phase!r}")

    def filters(self) -> tuple[str, ...]:
        """The filter in words (empty when there is none)."""
        return tuple(words for words, on in ((f"phase {self.phase!r}", self.phase is not None),
                                             (f"names containing {self.name!r}", bool(self.name))) if on)

    def select(self, states: Sequence[LifespanState]) -> Selection:
        """This page of the lifespans the filter keeps (the last page when ``number`` is past
        it), with every lifespan counted per phase."""
        labels = [phase_label(state.phase) for state in states]
        tally: dict[str, int] = {}
        for label in labels:
            tally[label] = tally.get(label, 0) + 1
        counts = tuple((phase, tally[phase]) for phase in (*PHASES, *sorted(set(tally) - set(PHASES)))
                       if phase in tally)
        kept = [state for state, label in zip(states, labels, strict=True)
                if (self.phase is None or label == self.phase) and (not self.name or self.name in state.name)]
        number = min(self.number, max(1, -(-len(kept) // self.size)))
        first = (number - 1) * self.size
        return Selection(tuple(kept[first:first + self.size]), counts, len(kept), number, self.size,
                         self.filters())
