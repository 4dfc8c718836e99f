"""The view of one recorded pytest run (``%pytest``'s output): pytest's own summary and output, the
recording (per-hook counts and times, the call tree, the timeline, filters, the call view of any
call) and, on request, the design map of pytest's plugin manager as the run left it.

pytest's terminal output is shown folded (``<details>``) under its last line: the point of the
view is the hooks, and the output is one click away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nbplug._base.safetext import shorten

from ..base.view import View, ipywidgets_module
from ..designmap.html import project_html
from ..designmap.page import Page, check
from ..designmap.snapshot import DesignMap
from ..designmap.text import project_text
from ..format.text import escape_html, text_form
from .widget import RecordingView

if TYPE_CHECKING:
    from ...recording.pytest_run import PytestRun

__all__ = ["PytestRunView"]

#: pytest's output is shown by its last lines (its summary), each cut: a verbose run of thousands of
#: tests would otherwise publish megabytes.
MAX_OUTPUT_LINES = 400
MAX_OUTPUT_LINE = 300

_PRE = ("margin:0;font-size:12px;white-space:pre-wrap;max-height:24em;overflow:auto;"
        "font-family:var(--jp-code-font-family,monospace)")


class PytestRunView(View):
    """Shows a PytestRun: text, escaped HTML, or a live widget. ``design=True`` adds the design
    map of pytest's plugin manager; ``hook`` / ``plugin`` filter the recording and the map,
    ``all_hooks`` shows the map's hooks without extensions too."""

    def __init__(self, run: PytestRun, *, hook: str | None = None, plugin: str | None = None,
                 design: bool = False, all_hooks: bool = False) -> None:
        if not hasattr(run, "recording") or not hasattr(run, "exit_code"):
            raise TypeError(f"PytestRunView needs a PytestRun (from run_pytest(...)); got "
                            f"{type(run).__name__}")
        self.run = run
        self.design = design
        self.page = Page(hook=hook, plugin=plugin, all=all_hooks, how="%pytest --map --all")
        if run.design is not None:
            check(DesignMap((run.design,)), self.page)
        self.recording = RecordingView(run.recording, hook=hook, plugin=plugin)

    def _headline(self) -> str:
        return f"pytest {' '.join(self.run.args)}: {self.run.summary()} (exit code {self.run.exit_code})"

    def text(self) -> str:
        parts = [self._headline(), self.recording.text()]
        if self.design and self.run.design is not None:
            parts.append(project_text(self.run.design, self.page))
        return text_form(parts)

    def _output_html(self) -> str:
        lines = self.run.output.splitlines()
        shown = "\n".join(shorten(line, MAX_OUTPUT_LINE) for line in lines[-MAX_OUTPUT_LINES:])
        earlier = len(lines) - MAX_OUTPUT_LINES
        cut = (f"… {earlier:,} earlier lines not shown (the run's .output holds them all)\n"
               if earlier > 0 else "")
        return (f'<details class="nbplug-pytest-output"><summary>pytest\'s output</summary>'
                f'<pre style="{_PRE}">{escape_html(cut + shown, keep_newlines=True)}</pre></details>')

    def _design_html(self) -> str:
        if self.run.design is None:
            return ""
        opened = " open" if self.design else ""
        return (f'<details class="nbplug-pytest-design"{opened}><summary>design map of pytest\'s '
                "plugin manager, as the run left it</summary>"
                f"{project_html(self.run.design, self.page)}</details>")

    def html(self) -> str:
        return (f'<div class="nbplug-pytest-run"><div><b>{escape_html(self._headline())}</b></div>'
                f"{self._output_html()}{self.recording.html()}{self._design_html()}</div>")

    def _build_widget(self) -> Any:
        w = ipywidgets_module()
        head = w.HTML(value=f"<b>{escape_html(self._headline())}</b>{self._output_html()}")
        parts = [head, self.recording.widget]
        if self.run.design is not None:
            parts.append(w.HTML(value=self._design_html()))
        box = w.VBox(parts)
        box.add_class("nbplug-pytest-run")
        return box
