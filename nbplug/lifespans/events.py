"""Phases, events and per-lifespan state that observers (CLI log, widgets) follow."""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass, field
from typing import Literal


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


LOG_LINES_KEPT = 50


@dataclass
class LifespanState:
    """What observers see of one lifespan: phase, start time (monotonic), error, recent log lines."""

    name: str
    phase: Phase = Phase.PENDING
    started_at: float | None = None
    stopped_at: float | None = None
    error: BaseException | None = None
    log: deque[str] = field(default_factory=lambda: deque(maxlen=LOG_LINES_KEPT))
    depends_on: tuple[str, ...] = ()
    has_task: bool = False
