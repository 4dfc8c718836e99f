"""Which calls a recording view shows: its scope, and the rows of its call tree.

A :class:`Scope` holds every filter a view takes. Two kinds, which compose:

* **matches**, by hook and by plugin: the calls that match, and, as context, the calls around
  them (so a match is seen where it happened);
* **where the tree starts**: every root (the default), the roots made on one thread (a call on
  another thread is a root of its own), the subtree under one call (``within``), or the chain of
  calls from a root down to one call (``path``: where a test failed, and what it was called
  inside). A path is the whole answer, so it takes no other filter.

Every form of the view (table, tree, timeline, list of calls; text and HTML) reads its calls
from :func:`tree_rows` over one scope, so they always agree on what they show. Rejected: a
tree of its own per filter (the thread filter first had one, and the table and the timeline
then counted other calls than the tree showed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from ...recording.model import RecordedCall, Recording, matches
from ..format.text import thread_label

__all__ = ["EVERYTHING", "OWN_THREAD", "Scope", "TreeRow", "made_by", "on_thread", "tree_rows"]

#: The ``thread=`` that picks the calls of the thread that opened the recorder.
OWN_THREAD = "(recording thread)"


@dataclass(frozen=True)
class Scope:
    """What a recording view shows (see the module): matches by ``hook`` and ``plugin``, within
    the roots of ``thread``, under the call ``within``, or only the chain ``path`` (outermost
    first, the call it leads to last)."""

    hook: str | None = None
    plugin: str | None = None
    thread: str | None = None
    within: RecordedCall | None = None
    path: tuple[RecordedCall, ...] = ()

    @property
    def marks(self) -> bool:
        """Whether some rows are context (shown greyed, ``·``) around the rows that matter."""
        return bool(self.hook or self.plugin or self.path)

    @property
    def narrowed(self) -> bool:
        """Whether the tree starts elsewhere than at every root: then the per-hook table counts
        the kept calls shown (the counts of calls only counted are not split that way)."""
        return bool(self.thread is not None or self.within is not None or self.path)

    @property
    def span(self) -> RecordedCall | None:
        """The one call every call shown was made inside (the timeline's axis), if any."""
        return self.path[0] if self.path else self.within

    def words(self) -> list[tuple[str, str]]:
        """``(name, value)`` of each filter given, as the view says it."""
        said = [("hook", self.hook), ("plugin", self.plugin), ("thread", self.thread)]
        if self.within is not None:
            said.append(("within", f"#{self.within.index} {self.within.hook}"))
        if self.path:
            said.append(("path to", f"#{self.path[-1].index} {self.path[-1].hook}"))
        return [(name, value) for name, value in said if value]

    def where(self) -> str:
        """Where the tree starts, in words (empty: at every root)."""
        if self.path:
            return f"on the path to #{self.path[-1].index}"
        if self.within is not None:
            return f"within #{self.within.index}"
        return f"on thread {self.thread}" if self.thread is not None else ""


#: The scope of a view with no filter: every kept call, from every root.
EVERYTHING = Scope()


def on_thread(call: RecordedCall, thread: str | None) -> bool:
    """Whether a root call was made on ``thread`` (None: any thread; OWN_THREAD: the recorder's)."""
    return thread is None or call.thread == (None if thread == OWN_THREAD else thread)


@dataclass(frozen=True)
class TreeRow:
    """One line of the tree: a call at a depth, the plugin that made it, and whether it matched
    the filter (a non-matching row is context: a call around a match, or on the way to the call
    a path leads to)."""

    depth: int
    call: RecordedCall
    via: str | None
    matched: bool

    @property
    def label(self) -> str:
        """What the line is marked with: the plugin whose extension made the call, and, for a
        call the tree starts at that was made on another thread, that thread
        (``pooled, thread pool_0``); empty for neither."""
        thread = thread_label(self.call.thread) if self.depth == 0 else ""
        return ", ".join(part for part in (self.via, thread) if part)


def _children_via(call: RecordedCall) -> Iterator[tuple[RecordedCall, str | None]]:
    for step in call.steps:
        for child in step.calls:
            yield child, step.plugin
    for child in call.calls:
        yield child, None


def made_by(outer: RecordedCall, inner: RecordedCall) -> str | None:
    """The plugin whose extension made ``inner`` inside ``outer`` (None: made outside any
    recorded extension)."""
    return next((via for child, via in _children_via(outer) if child == inner), None)


def _path_rows(path: tuple[RecordedCall, ...]) -> list[TreeRow]:
    vias = [None, *(made_by(outer, inner) for outer, inner in pairwise(path))]
    return [TreeRow(depth, call, via, depth == len(path) - 1)
            for depth, (call, via) in enumerate(zip(path, vias, strict=True))]


def tree_rows(recording: Recording, scope: Scope = EVERYTHING, limit: int = 300
              ) -> tuple[list[TreeRow], int]:
    """The rows of the tree ``scope`` shows, at most ``limit``, and how many matching calls were
    left out."""
    if scope.path:
        return _path_rows(scope.path)[:limit], max(0, len(scope.path) - limit)
    rows: list[TreeRow] = []
    left_out = 0
    hook, plugin = scope.hook, scope.plugin
    filtered = hook is not None or plugin is not None

    def visit(calls: Iterable[tuple[RecordedCall, str | None]], depth: int) -> bool:
        nonlocal left_out
        found = False
        for call, via in calls:
            hit = matches(call, hook, plugin)
            at = len(rows)
            if len(rows) < limit:
                rows.append(TreeRow(depth, call, via, hit))
            elif hit:
                left_out += 1
            inner = visit(_children_via(call), depth + 1)
            if filtered and not (hit or inner) and at < len(rows):
                del rows[at:]  # nothing here matches: prune the branch
            found = found or hit or inner
        return found

    if scope.within is not None:
        path = recording.path_to(scope.within)
        roots: Iterable[tuple[RecordedCall, str | None]] = [
            (scope.within, made_by(path[-2], scope.within) if len(path) > 1 else None)]
    else:
        roots = ((call, None) for call in recording.calls if on_thread(call, scope.thread))
    visit(roots, 0)
    return rows, left_out
