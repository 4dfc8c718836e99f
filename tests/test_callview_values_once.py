"""A value named many times in a call view is formatted once: a slow ``__repr__`` costs one run."""

from __future__ import annotations

from nbplug._kit.tracing import CallTrace, TraceStep
from nbplug.widgets import HookCallView


class Counted:
    """A value whose ``__repr__`` counts its runs (a slow one would take a second each)."""

    def __init__(self, name: str, seen: dict[str, int]) -> None:
        self.name, self.seen = name, seen

    def __repr__(self) -> str:
        self.seen[self.name] = self.seen.get(self.name, 0) + 1
        return f"<Counted {self.name}>"


def test_each_value_is_repr_once_for_every_form_of_the_view() -> None:
    seen: dict[str, int] = {}
    arg, result = Counted("arg", seen), Counted("result", seen)
    inner = TraceStep("p", "P.fetch", "impl", 0.0002, 0.0003, result=result)
    wrapper = TraceStep("timing", "Timing.fetch", "wrapper", 0.0001, 0.0005, result=result,
                        setup_end=0.00015, teardown_start=0.0004, children=[inner])
    trace = CallTrace("fetch", "firstresult", {"topic": arg}, [wrapper], result=result,
                      duration=0.0006)
    view = HookCallView(trace)
    text, html = view.text(), view.html()
    view.timeline = True
    view.html()
    assert seen == {"arg": 1, "result": 1}
    assert "<Counted result>" in text and "&lt;Counted result&gt;" in html
    assert "topic=<Counted arg>" in text


def test_a_collecting_hooks_answers_are_formatted_from_their_elements() -> None:
    seen: dict[str, int] = {}
    one, two = Counted("one", seen), Counted("two", seen)
    steps = [TraceStep("a", "A.f", "impl", 0.0, 0.1, result=one),
             TraceStep("b", "B.f", "impl", 0.1, 0.2, result=two)]
    wrapper = TraceStep("w", "W.f", "wrapper", 0.0, 0.3, result=[one, two], setup_end=0.0,
                        teardown_start=0.25, children=steps)
    view = HookCallView(CallTrace("f", "collecting", {}, [wrapper], result=[one, two],
                                  duration=0.3))
    assert "received [<Counted one>, <Counted two>], returned it unchanged" in view.text()
    assert seen == {"one": 1, "two": 1}
