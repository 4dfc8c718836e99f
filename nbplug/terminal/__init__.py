"""The terminal side: ``nbplug run``, the runner of one run, programs of one's own, terminal keys.

- ``runner``: one run of lifespans -- signals, logging, the exit status (:func:`run_program`);
- ``program``: :class:`LifespanProgram` / :func:`lifespan_program`, chained click programs of
  one's own built from lifespans;
- ``keyboard``: the ``keys`` lifespan (debug keys in a terminal) and :func:`terminal_keys`;
- ``cli``: ``nbplug run TARGET NAME [OPTIONS]...``, itself a lifespan program.

These need click; ``import nbplug`` and ``import nbplug.lifespans`` do not load them.
"""

from __future__ import annotations

from .keyboard import Key, keys, terminal_keys
from .program import LifespanCommand, LifespanProgram, lifespan_program, pass_run
from .runner import ProgramRun, run_lifespans, run_program

__all__ = ["Key", "LifespanCommand", "LifespanProgram", "ProgramRun", "keys", "lifespan_program",
           "pass_run", "run_lifespans", "run_program", "terminal_keys"]
