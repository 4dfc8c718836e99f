"""Stepping through a call: its moments one at a time, numbered, in the order they happened.

A call's moments are a wrapper's *before yield*, each extension's run (or why it was not
called), then the wrapper's *after yield* -- nested as the wrappers nest, so the steps read as
the call ran. :class:`CallReplay` shows them numbered: the text form lists every step, the HTML
form marks the current one (``▶``, bold, coloured edge) with the steps already taken in the
theme's text colour and those still to come muted; the widget has ◀ / ▶ buttons and a slider.

Decision: replay the call view's model (the call already made), not the call: a step cannot
re-run an extension's side effects, and the same model gives the same words as the call view.
Rejected: a debugger-style pause inside the call, which would hold the kernel's event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base.view import View, ipywidgets_module
from ..format import theme
from ..format.text import escape_html, format_duration, text_form
from .model import CallModel, Node

__all__ = ["CallReplay", "ReplayStep", "replay_steps"]


@dataclass(frozen=True)
class ReplayStep:
    """One moment of the call: its number, who, what happened and what it said."""

    number: int
    depth: int
    label: str
    what: str  # before yield, ran, raised, not called, after yield
    words: str
    took: float | None

    def line(self) -> str:
        """``3. members: ran → 2.7 (2.9 µs)``."""
        sep = ", " if self.words.startswith("received") else " "  # ran, received 3.0 → 2.7
        words = f"{sep}{self.words}" if self.words else ""
        took = f" ({format_duration(self.took)})" if self.took is not None else ""
        return f"{self.number}. {self.label}: {self.what}{words}{took}"


def _visit(node: Node, depth: int, found: list[tuple[int, str, str, str, float | None]]) -> None:
    if node.kind == "extension":
        what = {"raised": "raised", "not called": "not called"}.get(node.status, "ran")
        words = node.outcome.removeprefix("raised ").removeprefix("not called").lstrip(" —")
        received = f"received {node.received} " if node.received is not None else ""
        found.append((depth, node.label, what, received + words, node.took))
        return
    if node.before is not None:
        found.append((depth, node.label, "before yield", node.before.words, node.before.took))
    for child in node.children:
        _visit(child, depth + 1, found)
    if node.after is not None:
        found.append((depth, node.label, "after yield", node.after.words, node.after.took))


def replay_steps(model: CallModel) -> list[ReplayStep]:
    """The call's moments in the order they happened, numbered from 1."""
    found: list[tuple[int, str, str, str, float | None]] = []
    for node in model.nodes:
        _visit(node, 0, found)
    return [ReplayStep(n, *moment) for n, moment in enumerate(found, 1)]


class CallReplay(View):
    """A call replayed one moment at a time: ``.step`` (from 1), ``.forward()``, ``.back()``."""

    def __init__(self, model: CallModel) -> None:
        self.model = model
        self.steps = replay_steps(model)
        self._step = 1 if self.steps else 0

    @property
    def step(self) -> int:
        """The current step's number (0 when the call had no steps)."""
        return self._step

    @step.setter
    def step(self, number: int) -> None:
        self._step = min(max(int(number), 1), len(self.steps)) if self.steps else 0
        if self._widget is not None:
            self._slider.value = self._step
            self._body.value = self.html()

    def forward(self) -> None:
        """Go to the next moment."""
        self.step = self._step + 1

    def back(self) -> None:
        """Go to the moment before."""
        self.step = self._step - 1

    def _head(self) -> str:
        return f"{self.model.call}: step {self._step} of {len(self.steps)}; result {self.model.outcome}"

    def text(self) -> str:
        lines = [self._head()]
        lines.extend(f"{'▶' if s.number == self._step else ' '} {'  ' * s.depth}{s.line()}"
                     for s in self.steps)
        if not self.steps:
            lines.append("  (no extensions: nothing answers this hook yet)")
        return text_form(lines)

    def html(self) -> str:
        rows = []
        for s in self.steps:
            now = s.number == self._step
            color = theme.TEXT if s.number <= self._step else theme.MUTED
            edge = theme.INFO if now else "transparent"
            rows.append(
                f'<li class="nbplug-replay-step{" nbplug-replay-now" if now else ""}" '
                f'data-step="{s.number}" style="list-style:none;color:{color};padding-left:'
                f'{0.3 + 1.2 * s.depth:.1f}em;border-left:3px solid {edge};'
                f'font-weight:{700 if now else 400};overflow-wrap:anywhere">'
                f'{"▶ " if now else ""}{escape_html(s.line())}</li>')
        return (
            '<div class="nbplug-replay" style="font-family:var(--jp-code-font-family,monospace);'
            f'font-size:var(--jp-code-font-size,13px);line-height:1.55;color:{theme.TEXT}">'
            f"<div><b>{escape_html(self._head())}</b></div>"
            f'<ol style="margin:.3em 0;padding:0">{"".join(rows)}</ol></div>'
        )

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        count = max(len(self.steps), 1)
        self._slider = w.IntSlider(value=max(self._step, 1), min=1, max=count, description="step",
                                   disabled=not self.steps)
        back = w.Button(description="◀ back", tooltip="the moment before")
        ahead = w.Button(description="next ▶", tooltip="the next moment")
        back.add_class("nbplug-replay-back")
        ahead.add_class("nbplug-replay-next")
        back.on_click(lambda _b: self.back())
        ahead.on_click(lambda _b: self.forward())
        self._slider.observe(lambda change: setattr(self, "step", change["new"]), names="value")
        self._body = w.HTML(value=self.html())
        box = w.VBox([w.HBox([back, self._slider, ahead]), self._body])
        box.add_class("nbplug-replay-widget")
        return box
