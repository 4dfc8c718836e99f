"""What a running lifespan can reach: its name, the manager, the update bus and its own logger.

Each lifespan gets a private ``logging.Logger`` named ``nbplug.lifespan.<name>``: it propagates to the
shared ``nbplug.lifespan`` logger (so the CLI's handlers print it) and also hands every record to the
group, which turns it into a "log" event. Being private, two groups running the same name do not see
each other's lines.

Decision: with no level given, the group hears :data:`OBSERVED_LEVEL` (INFO) and up whatever logging
is configured to, while the handlers get only what that configuration lets through: a board shows
a group's info lines in a kernel whose root logger is at WARNING, and nothing more is printed.
Rejected: the logging configuration deciding both (a group made in Python showed no lines at all).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .._base.safetext import safe_repr
from .bus import UpdateBus

LOGGER_PREFIX = "nbplug.lifespan"


#: The lowest level a group hears from its lifespans when it was given no level of its own.
OBSERVED_LEVEL = logging.INFO


class _LifespanLogger(logging.Logger):
    """A logger outside logging's registry; never caches level checks (the registry can't clear it).

    With no level of its own, it takes records from ``OBSERVED_LEVEL`` up for the group, and
    passes on to the handlers only those at the configured level (:meth:`handed_on`)."""

    def isEnabledFor(self, level: int) -> bool:
        if self.disabled or self.manager.disable >= level:
            return False
        if self.level == logging.NOTSET:
            return level >= min(OBSERVED_LEVEL, self.getEffectiveLevel())
        return level >= self.getEffectiveLevel()

    def handed_on(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` goes on to the handlers (the configured level decides)."""
        return self.level != logging.NOTSET or record.levelno >= self.getEffectiveLevel()


def make_logger(
    name: str, sink: Callable[[logging.LogRecord], None], level: int | None = None
) -> logging.Logger:
    """A private logger for lifespan ``name`` whose records also go to ``sink``."""
    log = _LifespanLogger(f"{LOGGER_PREFIX}.{name}")
    log.parent = logging.getLogger(LOGGER_PREFIX)
    if level is not None:
        log.level = level  # not setLevel(): that clears every registered logger's cache

    def to_group(record: logging.LogRecord) -> bool:
        sink(record)
        return log.handed_on(record)

    log.addFilter(to_group)  # a filter, not a handler: no lock, no registry, same records
    return log


class LifespanContext:
    """Injected as the ``ctx`` argument of a lifespan: name, manager (opaque), bus and logger.

    The logger is made on first use of ``ctx.log``, so lifespans that never log pay nothing for it.
    """

    __slots__ = ("_log", "_make_log", "bus", "group", "manager", "name")

    def __init__(
        self,
        name: str,
        manager: Any,
        bus: UpdateBus,
        log: logging.Logger | Callable[[], logging.Logger],
        group: Any = None,
    ) -> None:
        self.name = name
        self.manager = manager
        self.bus = bus
        self.group = group
        self._log = log if isinstance(log, logging.Logger) else None
        self._make_log = None if isinstance(log, logging.Logger) else log

    @property
    def log(self) -> logging.Logger:
        """The lifespan's own logger, ``nbplug.lifespan.<name>``; its lines become log events."""
        if self._log is None:
            assert self._make_log is not None
            self._log = self._make_log()
        return self._log

    def __repr__(self) -> str:
        return f"LifespanContext(name={self.name!r}, manager={safe_repr(self.manager)}, bus={self.bus!r})"
