"""What a running lifespan can reach: its name, the manager, the update bus and its own logger.

Each lifespan gets a private ``logging.Logger`` named ``nbplug.lifespan.<name>``: it propagates to the
shared ``nbplug.lifespan`` logger (so the CLI's handlers print it) and also hands every record to the
group, which turns it into a "log" event. Being private, two groups running the same name do not see
each other's lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .bus import UpdateBus

LOGGER_PREFIX = "nbplug.lifespan"


class _LifespanLogger(logging.Logger):
    """A logger outside logging's registry; never caches level checks (the registry can't clear it)."""

    def isEnabledFor(self, level: int) -> bool:
        if self.disabled or self.manager.disable >= level:
            return False
        return level >= self.getEffectiveLevel()


class _ToGroup(logging.Handler):
    """Passes each record of a lifespan's logger to the group as a log line."""

    def __init__(self, sink: Callable[[logging.LogRecord], None]) -> None:
        super().__init__(logging.NOTSET)
        self._sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._sink(record)
        except Exception:  # pragma: no cover - a broken observer must not break the lifespan
            self.handleError(record)


def make_logger(
    name: str, sink: Callable[[logging.LogRecord], None], level: int | None = None
) -> logging.Logger:
    """A private logger for lifespan ``name`` whose records also go to ``sink``."""
    log = _LifespanLogger(f"{LOGGER_PREFIX}.{name}")
    log.parent = logging.getLogger(LOGGER_PREFIX)
    if level is not None:
        log.setLevel(level)
    log.addHandler(_ToGroup(sink))
    return log


@dataclass(frozen=True)
class LifespanContext:
    """Injected as the ``ctx`` argument of a lifespan: name, manager (opaque), bus and logger."""

    name: str
    manager: Any
    bus: UpdateBus
    log: logging.Logger
    group: Any = None
