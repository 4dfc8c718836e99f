"""Phases, events and per-lifespan state that observers (CLI log, widgets) follow.

Decision: the state keeps one run's whole life -- each phase with the time it was entered, and its
log lines -- so a view made at any moment (a board in a later cell, one built from Python after
the start) shows the same run as one that watched it from the beginning. The log is bounded: the
first :data:`LOG_HEAD` lines of a run (its set-up) and the latest :data:`LOG_TAIL`, with a count of
those dropped between them. Rejected: the latest lines alone (the set-up lines scrolled away), and
every view recording its own copy of the events (a view made late had none of them).
"""

from __future__ import annotations

import enum
import itertools
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, overload

from .._base.safetext import shorten


class Phase(enum.Enum):
    """Where a lifespan is in its life cycle; ``.value`` is lowercase text for display."""

    PENDING = "pending"
    SETTING_UP = "setting up"
    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"
    FAILED = "failed"

    @property
    def is_active(self) -> bool:
        """True while the lifespan holds resources (setting up, running or stopping)."""
        return self in ACTIVE_PHASES

    @property
    def is_final(self) -> bool:
        """True once the lifespan is over (stopped or failed)."""
        return self in FINAL_PHASES


ACTIVE_PHASES = frozenset({Phase.SETTING_UP, Phase.RUNNING, Phase.STOPPING})
FINAL_PHASES = frozenset({Phase.STOPPED, Phase.FAILED})


@dataclass(frozen=True)
class LifespanEvent:
    """One thing that happened to a lifespan: a phase change or a log line."""

    name: str
    kind: Literal["phase", "log"]
    phase: Phase
    message: str
    time: float
    error: BaseException | None = None


#: A run's first lines kept (its set-up), its latest lines kept, the longest line kept.
LOG_HEAD = 20
LOG_TAIL = 200
MAX_LOG_LINE = 1000


class LogLines(Sequence[str]):
    """One run's log lines, bounded: the first ``head`` and the latest ``tail``; ``dropped`` counts
    the lines between them that were let go (they lie after the first ``len(head)`` lines)."""

    def __init__(self, head: int = LOG_HEAD, tail: int = LOG_TAIL) -> None:
        self._head_size = head
        self.head: list[str] = []
        self.tail: deque[str] = deque(maxlen=tail)
        self.dropped = 0

    def append(self, line: str) -> None:
        line = shorten(line, MAX_LOG_LINE)
        if len(self.head) < self._head_size:
            self.head.append(line)
            return
        if len(self.tail) == self.tail.maxlen:
            self.dropped += 1
        self.tail.append(line)

    @property
    def total(self) -> int:
        """Every line the run logged, the dropped ones included."""
        return len(self.head) + len(self.tail) + self.dropped

    def __len__(self) -> int:
        return len(self.head) + len(self.tail)

    def __iter__(self) -> Iterator[str]:
        return itertools.chain(self.head, self.tail)

    def __reversed__(self) -> Iterator[str]:
        return itertools.chain(reversed(self.tail), reversed(self.head))

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return list(self)[index]

    def __repr__(self) -> str:
        return f"<LogLines {len(self)} kept, {self.dropped} dropped>"


@dataclass
class LifespanState:
    """What observers see of one lifespan: phase, start time (monotonic), error, its run's log
    lines, ``phases``: each phase it entered with the monotonic time it entered it,
    ``set_up_at``: when its code before ``yield`` finished (it runs once every set-up of its
    start has), and ``teardown_at``: when its code after ``yield`` began (stopping waits its turn)."""

    name: str
    phase: Phase = Phase.PENDING
    started_at: float | None = None
    stopped_at: float | None = None
    error: BaseException | None = None
    log: LogLines = field(default_factory=LogLines)
    phases: list[tuple[Phase, float]] = field(default_factory=list)
    set_up_at: float | None = None
    teardown_at: float | None = None
    depends_on: tuple[str, ...] = ()
    has_task: bool = False
