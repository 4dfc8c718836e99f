"""The design map: a hook x plugin matrix of a design, with each hook's mode and call order.

- ``snapshot``: the plain, frozen data a map is drawn from, and the words that explain it
  (``mode_words``, ``why_this_order``);
- ``readers`` / ``pluggy_reader`` / ``labels``: nbplug managers and live pluggy managers read into
  a snapshot through their public API;
- ``doctext``: an extension point's docstring as text (first paragraph, reST markup stripped);
- ``select``: what part of a design is shown (the hooks with extensions, one hook, one plugin's);
- ``text`` / ``html``: the text and HTML forms; ``widget``: :class:`ManagerInspector`.
"""

from __future__ import annotations

from .snapshot import DesignMap, HookEntry, ProjectMap, mode_words, why_this_order

__all__ = ["DesignMap", "HookEntry", "ProjectMap", "mode_words", "why_this_order"]
