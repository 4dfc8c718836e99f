"""Exercises with feedback: checks that run a student's design and say what it did.

``check_order``, ``check_wrapper``, ``check_stops_early`` (hooks of a ``PluginManager``) and
``await check_lifespans(...)`` each return a :class:`Feedback`: what was asked, what the attempt
did, a hint, and the call view or board of the attempt (notebooks/06_exercises.ipynb).
"""

from __future__ import annotations

from .checks import check_lifespans, check_order, check_stops_early, check_wrapper
from .feedback import Feedback

__all__ = ["Feedback", "check_lifespans", "check_order", "check_stops_early", "check_wrapper"]
