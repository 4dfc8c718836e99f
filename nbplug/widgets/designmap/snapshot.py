"""The design map's data: a plain, frozen snapshot of what plugin managers hold.

A design map is a hook × plugin matrix: for each hook (its extension point, its mode, its
extensions in call order) and each plugin, the cell says whether that plugin implements the hook,
where in the call order it runs, and how it is marked (wrapper, tryfirst, trylast, specname).

Decision: the renderers (:mod:`nbplug.widgets.designmap.text`) read only this snapshot, never a manager.
A *reader* turns a manager into a snapshot — :func:`nbplug.widgets.designmap.readers.read_manager` for
nbplug's managers; a reader over a live ``pluggy.PluginManager`` (pytest's own) produces the same
classes — so one view serves both and is tested on plain data. Rejected: rendering straight from
the managers through structural types, which ties every view to one
manager's attribute names and makes a pluggy manager a second, drifting code path.

The explanations (:func:`mode_words`, :func:`why_this_order`) are derived from the snapshot alone:
call order follows from each cell's marks and position (pluggy's rule), so it can be explained
without knowing how the manager stores it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Cell",
    "DesignMap",
    "HookEntry",
    "PendingEntry",
    "PluginEntry",
    "ProjectMap",
    "cell_marks",
    "count",
    "mode_words",
    "why_this_order",
]


@dataclass(frozen=True)
class Cell:
    """One plugin's extension of one hook: where it runs in the call and how it is marked.

    ``position`` counts from 1 in call order (wrappers, outermost first, then the plain extensions).
    ``function`` is the function's own name; ``specname`` is set when the extension names the hook
    it implements with ``specname=`` (so ``function`` differs from the hook's name).
    """

    plugin: str
    function: str
    position: int
    wrapper: bool = False
    tryfirst: bool = False
    trylast: bool = False
    specname: str | None = None
    is_async: bool = False
    optional: bool = False
    legacy_wrapper: bool = False  # pluggy's hookwrapper=True (the outcome object at the yield)

    @property
    def wraps(self) -> bool:
        """Whether this extension wraps the others (a new-style or a legacy wrapper)."""
        return self.wrapper or self.legacy_wrapper


@dataclass(frozen=True)
class HookEntry:
    """One hook: its extension point (None when only extensions have been seen), mode and cells."""

    name: str
    mode: str  # collecting, firstresult, pipeline or historic
    signature: str | None = None  # the extension point's signature; None: not declared
    doc: str = ""
    argnames: tuple[str, ...] = ()
    cells: tuple[Cell, ...] = ()  # in call order

    @property
    def declared(self) -> bool:
        """Whether an extension point has been added for this hook."""
        return self.signature is not None

    def cell_of(self, plugin: str) -> Cell | None:
        """The cell of ``plugin`` in this hook's row (None: it does not implement the hook)."""
        return next((cell for cell in self.cells if cell.plugin == plugin), None)

    def cells_of(self, plugin: str) -> tuple[Cell, ...]:
        """Every extension ``plugin`` has of this hook, in call order (one plugin may hold several,
        by ``specname``)."""
        return tuple(cell for cell in self.cells if cell.plugin == plugin)


@dataclass(frozen=True)
class PluginEntry:
    """A registered plugin: its name, what it is (``Alpha instance``, ``module shop``) and the name
    the map shows (``shown``: its class or module when it was registered without a name, which
    names it by its id; empty means the name itself)."""

    name: str
    label: str
    shown: str = ""


@dataclass(frozen=True)
class PendingEntry:
    """An extension of a hook that has no extension point (``check_pending()`` refuses it)."""

    plugin: str
    hook: str
    function: str


@dataclass(frozen=True)
class ProjectMap:
    """Everything one manager holds: hooks (sorted by name), plugins in registration order, pending."""

    project: str
    hooks: tuple[HookEntry, ...] = ()
    plugins: tuple[PluginEntry, ...] = ()
    pending: tuple[PendingEntry, ...] = ()
    kind: str = "nbplug"  # who was read: "nbplug", "pluggy", ...

    def hook(self, name: str) -> HookEntry:
        """The hook called ``name`` (KeyError naming the hooks there are)."""
        for hook in self.hooks:
            if hook.name == name:
                return hook
        raise KeyError(f"no hook {name!r} in project {self.project!r}; hooks: "
                       + (", ".join(h.name for h in self.hooks) or "none"))

    def names(self) -> dict[str, str]:
        """Each plugin's name -> the name the map shows for it."""
        return {p.name: p.shown or p.name for p in self.plugins}

    def implementing_plugins(self) -> tuple[str, ...]:
        """The matrix's columns: plugins that implement at least one hook, in registration order
        (names seen only in cells, e.g. of a plugin since unregistered, come last)."""
        used = {cell.plugin for hook in self.hooks for cell in hook.cells}
        ordered = [p.name for p in self.plugins if p.name in used]
        extra = sorted(used.difference(ordered))
        return (*ordered, *extra)


@dataclass(frozen=True)
class DesignMap:
    """The design map of one or more managers (one :class:`ProjectMap` each)."""

    projects: tuple[ProjectMap, ...] = field(default_factory=tuple)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 extension point``, ``2 extension points``, ``0 plugins``."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def cell_marks(cell: Cell) -> list[str]:
    """A cell's marks in words: wrapper (or hookwrapper), tryfirst, trylast, specname, async,
    optional."""
    return [
        mark
        for mark, on in (
            ("wrapper", cell.wrapper),
            ("hookwrapper", cell.legacy_wrapper),
            ("tryfirst", cell.tryfirst),
            ("trylast", cell.trylast),
            ("specname", cell.specname is not None),
            ("async", cell.is_async),
            ("optional", cell.optional),
        )
        if on
    ]


def mode_words(hook: HookEntry) -> str:
    """What the hook's mode means for a call, in one sentence."""
    if not hook.declared:
        return ("no extension point declared yet: a call collects like the default, and "
                "check_pending() refuses these extensions")
    if hook.mode == "firstresult":
        return ("firstresult: the first extension to return something other than None answers; "
                "the ones after it are not called")
    if hook.mode == "pipeline":
        value = hook.argnames[0] if hook.argnames else "the first argument"
        return (f"pipeline: {value} is threaded through the extensions; each gets the value the one "
                "before returned (None leaves it unchanged), and the call returns the last value")
    if hook.mode == "historic":
        return ("historic: call_historic() remembers each call and replays it to plugins "
                "registered later")
    return "collecting: every extension is called; the call returns their non-None results in call order"


#: Longest list of names a "why" line spells out; longer ones show their ends and a count.
MAX_NAMES = 4


def _names(labels: Sequence[str]) -> str:
    if len(labels) > MAX_NAMES:
        return f"{labels[0]}, {labels[1]}, … {labels[-1]} ({len(labels)})"
    return ", ".join(labels)


def _rules(cells: Sequence[Cell], last: bool, shown: Mapping[str, str]) -> tuple[str, str]:
    """The names of ``cells`` (one tier of the order) and the rules that ordered them.

    pluggy's rule: a later registration runs first, and within one plugin (several extensions of a
    hook, by ``specname``) the member whose name sorts last runs first -- both turned round among
    trylast ones (``last``). A plugin's extensions are named ``plugin.function`` when it has
    several in the tier."""
    counts = Counter(cell.plugin for cell in cells)  # one pass: a tier may hold 5,000 plugins
    plugins = list(counts)
    several = {p for p, count in counts.items() if count > 1}
    labels = [f"{shown.get(c.plugin, c.plugin)}.{c.function}" if c.plugin in several
              else shown.get(c.plugin, c.plugin) for c in cells]
    runs = "runs last" if last else "runs first"
    rules = []
    if len(plugins) > 1:
        rules.append(f"registered last {runs}")
    if several:
        rules.append(f"within a plugin, the name sorting last {runs}")
    return _names(labels), "; ".join(rules)


def _group_reason(cells: Sequence[Cell], what: str, shown: Mapping[str, str]) -> str:
    """Why ``cells`` (one group of the order: wrappers or plain extensions) run as they do."""
    first = [c for c in cells if c.tryfirst]
    middle = [c for c in cells if not (c.tryfirst or c.trylast)]
    last = [c for c in cells if c.trylast]
    parts = []
    if first:
        names, rules = _rules(first, False, shown)
        parts.append(f"{names} moved up by tryfirst" + (f" ({rules} among them)" if rules else ""))
    if len(middle) > 1:
        parts.append(": ".join(_rules(middle, False, shown)))
    elif middle and (first or last):
        parts.append(f"{_rules(middle, False, shown)[0]} unmarked")
    if last:
        names, rules = _rules(last, True, shown)
        parts.append(f"{names} moved down by trylast" + (f" ({rules} among them)" if rules else ""))
    if not parts:  # one unmarked cell
        return f"{_rules(cells, False, shown)[0]} is the only {what}"
    return "; ".join(parts)


def why_this_order(hook: HookEntry, names: Mapping[str, str] | None = None) -> str:
    """One line saying why the hook's extensions run in the order they do (pluggy's rule);
    ``names`` maps a plugin's name to the name shown (:meth:`ProjectMap.names`)."""
    shown = names or {}
    if not hook.cells and hook.mode == "historic":
        return "no extensions yet: each call_historic() is kept for the plugins registered later"
    if not hook.cells:
        return "no extensions: a call returns " + (
            "None" if hook.mode == "firstresult" else
            f"the {hook.argnames[0]} it was given" if hook.mode == "pipeline" and hook.argnames else
            "an empty list")
    wrappers = [c for c in hook.cells if c.wraps]
    plain = [c for c in hook.cells if not c.wraps]
    parts = []
    if wrappers:
        outer = "wraps" if len(wrappers) == 1 else "wrap"
        mark = "hookwrapper" if all(c.legacy_wrapper for c in wrappers) else "wrapper"
        reason = f"{_rules(wrappers, False, shown)[0]} {outer} the call ({mark})"
        if len(wrappers) > 1:
            reason += f", outermost first: {_group_reason(wrappers, 'wrapper', shown)}"
        parts.append(reason)
    if plain:
        parts.append(_group_reason(plain, "extension", shown))
    return "; ".join(parts)
