"""What differs between two hook calls, read off their call views' models.

Rows are matched by **plugin name** (two designs name their classes differently, so a label such
as ``members (MembersA.price)`` would never match ``members (MembersB.price)``). Each row holds
the plugin's place in each call, what it did and how long it took, and the words of what differs:
``order`` (another place), ``answered`` (it gave a value in one call only), ``outcome`` (another
value or error), ``time`` (one took at least twice as long, and at least :data:`TIME_GAP` more).

Decision: timings differ only past a ratio *and* a gap -- two runs of the same call in µs differ
by 2x from the interpreter's noise alone, and marking them would teach the wrong thing.
Rejected: diffing the two text forms line by line, which marks every line once the names differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbplug._kit.tracing import CallTrace

from ..base.shapes import walk_steps
from ..callview.model import CallModel, Node, build_call_model
from ..format.text import format_duration, name_text

__all__ = ["TIME_GAP", "CallDiff", "RowDiff", "Side", "compare_calls", "ordinal"]

#: Two times differ only when one is at least twice the other and this many seconds longer.
TIME_GAP = 1e-3


@dataclass(frozen=True)
class Side:
    """One plugin in one of the two calls (``position`` None: not part of that call)."""

    position: int | None = None
    kind: str = ""
    status: str = "absent"  # returned, none, raised, not called, absent
    outcome: str = "not in this call"
    took: float | None = None

    @property
    def answered(self) -> bool:
        """Whether it gave the call a value (returned something other than None)."""
        return self.status == "returned"

    def words(self) -> str:
        """``2. → 3.0 (12.0 µs)``: place, outcome, time."""
        if self.position is None:
            return self.outcome
        time = f" ({format_duration(self.took)})" if self.took is not None else ""
        wrapper = "wrapper " if self.kind == "wrapper" else ""
        return f"{self.position}. {wrapper}{self.outcome or 'ran'}{time}"


@dataclass(frozen=True)
class RowDiff:
    """One plugin in both calls, and what differs (empty: the same)."""

    plugin: str
    left: Side
    right: Side
    differs: tuple[str, ...]


@dataclass(frozen=True)
class CallDiff:
    """Two calls, their rows, and what differs in sentences (``summary``)."""

    labels: tuple[str, str]
    left: CallModel
    right: CallModel
    rows: tuple[RowDiff, ...]
    summary: tuple[str, ...]

    @property
    def same(self) -> bool:
        """Whether nothing differs (modes, results, rows)."""
        return not self.summary


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _sides(trace: CallTrace, model: CallModel) -> dict[str, Side]:
    sides: dict[str, Side] = {}
    pairs = zip(walk_steps(trace.steps), model.walk(), strict=False)
    for position, ((_, step), (_, node)) in enumerate(pairs, 1):
        sides.setdefault(name_text(step.plugin_name), _side(position, node))
    return sides


def _side(position: int, node: Node) -> Side:
    outcome = node.outcome
    if node.kind == "wrapper" and node.after is not None:
        outcome = node.after.words
    return Side(position, node.kind, node.status, outcome, node.took)


def _times_differ(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    low, high = sorted((a, b))
    return high - low >= TIME_GAP and high >= 2 * low


def _row(plugin: str, left: Side, right: Side) -> RowDiff:
    differs = []
    if left.position != right.position:
        differs.append("order")
    if left.answered != right.answered:
        differs.append("answered")
    if left.outcome != right.outcome and left.position is not None and right.position is not None:
        differs.append("outcome")
    if _times_differ(left.took, right.took):
        differs.append("time")
    return RowDiff(plugin, left, right, tuple(differs))


def _summary(labels: tuple[str, str], left: CallModel, right: CallModel,
             rows: tuple[RowDiff, ...]) -> tuple[str, ...]:
    a, b = labels
    said = []
    if left.mode != right.mode:
        said.append(f"mode: {left.mode} in {a}, {right.mode} in {b}")
    moved = [r for r in rows if "order" in r.differs and r.left.position and r.right.position]
    if moved:
        said.append("order: " + "; ".join(
            f"{r.plugin} runs {ordinal(r.left.position or 0)} in {a}, {ordinal(r.right.position or 0)} in {b}"
            for r in moved))
    for row, label in [(r, b) for r in rows if r.left.position is None] + [
            (r, a) for r in rows if r.right.position is None]:
        said.append(f"{row.plugin} takes part only in {label}")
    answered = ([r.plugin for r in rows if r.left.answered], [r.plugin for r in rows if r.right.answered])
    if answered[0] != answered[1]:
        said.append(f"who answered: {', '.join(answered[0]) or 'nobody'} in {a}; "
                    f"{', '.join(answered[1]) or 'nobody'} in {b}")
    for row in rows:
        if "outcome" in row.differs:
            said.append(f"{row.plugin}: {row.left.outcome} in {a}; {row.right.outcome} in {b}")
    if left.outcome != right.outcome:
        said.append(f"result: {left.outcome} in {a}; {right.outcome} in {b}")
    slow = [r for r in rows if "time" in r.differs]
    if slow:
        said.append("time: " + "; ".join(
            f"{r.plugin} {format_duration(r.left.took or 0.0)} in {a}, "
            f"{format_duration(r.right.took or 0.0)} in {b}" for r in slow))
    if _times_differ(left.duration, right.duration):
        said.append(f"the whole call: {format_duration(left.duration)} in {a}, "
                    f"{format_duration(right.duration)} in {b}")
    return tuple(said)


def compare_calls(left: CallTrace, right: CallTrace, labels: tuple[str, str] = ("A", "B"),
                  ) -> CallDiff:
    """What differs between two traced calls (``labels`` name them in every sentence)."""
    models = build_call_model(left), build_call_model(right)
    sides = _sides(left, models[0]), _sides(right, models[1])
    names = [*sides[0], *(name for name in sides[1] if name not in sides[0])]
    rows = tuple(_row(name, sides[0].get(name, Side()), sides[1].get(name, Side())) for name in names)
    shown = (name_text(labels[0]), name_text(labels[1]))
    return CallDiff(shown, models[0], models[1], rows, _summary(shown, *models, rows))
