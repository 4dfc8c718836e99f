"""An exercise's feedback: what was asked, what the student's design did, a hint, and its view.

A check cell ends with one ``Feedback``: a verdict ("done" or "not yet"), the request and the
attempt in words, a hint when it is not done, and the view of the attempt (the call view of the
call it made, or the board of the lifespans it ran), so the words can be checked against the
picture. Text, HTML and widget carry the same lines.

Rejected: raising on a wrong answer (an ``AssertionError`` reads as a crash to a student and stops
*Run All* at the first unsolved exercise), and words alone without the view (the view is where
the student learns to see why).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base.view import View, ipywidgets_module
from ..format import theme
from ..format.text import escape_html

__all__ = ["Feedback"]


@dataclass(eq=False)
class Feedback(View):
    """The outcome of one exercise's check, shown as words over the view of the attempt."""

    exercise: str
    done: bool
    asked: str
    did: str
    hint: str
    shown: View | None = None
    happened: tuple[str, ...] = ()  # what the attempt did, step by step (a lifespan's log)
    live: bool = True  # the widget shows the view live (a call view's timeline button), else as it was

    @property
    def verdict(self) -> str:
        """"done" or "not yet", with a mark that reads without colour."""
        return "✓ done" if self.done else "✗ not yet"

    def lines(self) -> list[tuple[str, str]]:
        """The feedback's labelled lines, in reading order (no hint once done)."""
        found = [("asked", self.asked), ("your design", self.did)]
        if self.happened:
            found.append(("what ran", " → ".join(self.happened)))
        return found if self.done else [*found, ("hint", self.hint)]

    def words_text(self) -> str:
        """The feedback without the view: a head line and the labelled lines."""
        width = max(len(label) for label, _ in self.lines())
        body = [f"  {label + ':':<{width + 1}} {text}" for label, text in self.lines()]
        return "\n".join([f"{self.exercise} · {self.verdict}", *body])

    def text(self) -> str:
        if self.shown is None:
            return self.words_text()
        return f"{self.words_text()}\n\n{self.shown.text()}"

    def words_html(self) -> str:
        """The feedback without the view, escaped, in the theme's colours."""
        colour = theme.SUCCESS if self.done else theme.WARN
        rows = "".join(  # label and text side by side: a long text wraps under itself
            f"<div style='display:flex;margin:2px 0'><span style='color:{theme.MUTED};"
            f"flex:0 0 7.5em'>{escape_html(label)}</span><span style='flex:1 1 auto;"
            f"min-width:0;overflow-wrap:anywhere'>{escape_html(text)}</span></div>"
            for label, text in self.lines()
        )
        return (
            f"<div class='nbplug-feedback' style='border-left:4px solid {colour};padding:4px 10px;"
            f"margin:4px 0 8px 0;color:{theme.TEXT};font-family:var(--jp-ui-font-family,sans-serif)'>"
            f"<div style='margin-bottom:4px'><b>{escape_html(self.exercise)}</b> · "
            f"<b style='color:{colour}'>{escape_html(self.verdict)}</b></div>{rows}</div>"
        )

    def html(self) -> str:
        return self.words_html() + ("" if self.shown is None else self.shown.html())

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        words = w.HTML(value=self.words_html())
        if self.shown is None:
            box = w.VBox([words])
        else:  # an attempt that is over (a stopped group) is shown as it ended, with no buttons
            box = w.VBox([words, self.shown.widget if self.live else w.HTML(value=self.shown.html())])
        box.add_class("nbplug-feedback-box")
        return box

    def __repr__(self) -> str:
        return self.text()
