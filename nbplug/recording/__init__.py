"""Recording: the hook calls a system makes while it is watched, on nbplug and pluggy managers.

- ``recorder``: :class:`Recorder` / :func:`record`, which put stand-ins in front of a manager's
  extensions while open and take them out again, over a tape of the calls being written;
- ``standins``: the stand-ins themselves; ``tape``: the rows being written and their stack;
- ``model``: the :class:`Recording` they fill (calls, steps, per-hook and per-extension counts);
- ``pytest_run``: :func:`run_pytest`, a pytest run recorded in-process (``%pytest``).

``nbplug.record`` and ``nbplug.Recording`` are these; the views are in ``nbplug.widgets``.
"""

from __future__ import annotations

from .model import HookStats, ImplStats, RecordedCall, RecordedStep, Recording
from .pytest_run import PytestRun, run_pytest
from .recorder import Recorder, record

__all__ = ["HookStats", "ImplStats", "PytestRun", "RecordedCall", "RecordedStep", "Recorder", "Recording",
           "record", "run_pytest"]
