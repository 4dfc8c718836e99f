"""Structured traces of hook calls: each wrapper and extension, in call order, with outcome and time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class TraceStep:
    """One wrapper or extension in a traced call; times are seconds since the call started."""

    plugin_name: str
    function: str
    kind: Literal["wrapper", "impl"]
    start: float = 0.0
    end: float = 0.0
    result: Any = None
    exception: BaseException | None = None
    setup_end: float | None = None
    teardown_start: float | None = None
    children: list[TraceStep] = field(default_factory=list)
    not_called: bool = False
    #: Lines it printed or logged while it ran: (seconds since the call started, stream, text),
    #: filled in by a capture around the call (``nbplug.widgets.callview.capture``); empty otherwise.
    output: list[tuple[float, str, str]] = field(default_factory=list)

    @property
    def duration(self) -> float:
        """Seconds the step took (for a wrapper, including everything inside it)."""
        return max(0.0, self.end - self.start)


@dataclass
class CallTrace:
    """What one hook call did: the steps (outermost first), the final result or exception, the time."""

    hook: str
    mode: str
    kwargs: dict[str, Any]
    steps: list[TraceStep] = field(default_factory=list)
    result: Any = None
    exception: BaseException | None = None
    start_time: float = 0.0
    duration: float = 0.0
    #: ``time.perf_counter()`` when the call started: the origin of every step's times.
    clock_origin: float = 0.0
    #: A pipeline call's threaded argument (the spec's first parameter); None in other modes.
    pipeline_arg: str | None = None

    def get_result(self) -> Any:
        """The call's result; re-raises the call's exception if it failed."""
        if self.exception is not None:
            raise self.exception
        return self.result

    def walk(self) -> Iterator[tuple[int, TraceStep]]:
        """Every step with its nesting depth, depth-first in call order."""

        def visit(steps: list[TraceStep], depth: int) -> Iterator[tuple[int, TraceStep]]:
            for step in steps:
                yield depth, step
                yield from visit(step.children, depth + 1)

        return visit(self.steps, 0)

    def implementations(self) -> list[TraceStep]:
        """The plain extensions' steps in call order, wrappers left out."""
        return [step for _, step in self.walk() if step.kind == "impl"]
