"""A scripted lifespan group for the widgets' unit tests.

The traces, managers, phases, states and events in the widget tests are nbplug's own; only the
lifespan group is scripted here, so a test can emit exactly the events it wants (a burst of log
lines, a failure, a teardown) and check what the board shows after each, without timing.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nbplug import Extension, ExtensionPoint, PluginManager
from nbplug.lifespans.events import LifespanEvent as Event
from nbplug.lifespans.events import LifespanState as State
from nbplug.lifespans.events import Phase

EVIL = '<img src=x onerror="alert(1)">'

#: The source of a lifespan whose set-up logs a line and fails (for notebook and shell cells).
BROKEN_LIFESPAN = '''
@lifespan
async def broken(ctx):
    ctx.log.info("broken half set up")
    raise RuntimeError("no database")
    yield
'''

#: A class of 5,000 lifespans, life_0000 ... life_4999, each logging one long line as it sets up.
MANY_LIFESPANS = """
from nbplug.lifespans import lifespan

def numbered(number):
    async def life(self, ctx):
        ctx.log.info("set up " + "x" * 200)
        yield
    life.__name__ = life.__qualname__ = f"life_{number:04d}"
    return lifespan(life)

Many = type("Many", (), {f"life_{n:04d}": numbered(n) for n in range(5000)})
"""


class ScriptedGroup:
    """A lifespan group whose events the test drives; stop() tears down in reverse order."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._states: dict[str, State] = {}
        self._subscribers: list[Callable[[Event], None]] = []
        self.stop_calls: list[list[str] | None] = []

    @property
    def states(self) -> list[State]:
        return list(self._states.values())

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def _emit(self, event: Event) -> None:
        for callback in list(self._subscribers):
            callback(event)

    def set_phase(self, name: str, phase: Phase, error: BaseException | None = None) -> None:
        state = self._states.setdefault(name, State(name))
        state.phase = phase
        state.phases.append((phase, self.clock()))
        if phase is Phase.RUNNING and state.started_at is None:
            state.started_at = self.clock()
        if phase in (Phase.STOPPED, Phase.FAILED):
            state.stopped_at = self.clock()
            state.error = error
        self._emit(Event(name, "phase", phase, phase.value, self.clock(), error))

    def log(self, name: str, line: str) -> None:
        state = self._states[name]
        state.log.append(line)
        self._emit(Event(name, "log", state.phase, line, self.clock()))

    def start(self, *names: str) -> None:
        for name in names:
            self.set_phase(name, Phase.SETTING_UP)
            self.set_phase(name, Phase.RUNNING)

    async def stop(self, names: Sequence[str] | None = None) -> None:
        self.stop_calls.append(None if names is None else list(names))
        chosen = [s.name for s in self.states if names is None or s.name in names]
        for name in reversed(chosen):
            if self._states[name].phase is not Phase.RUNNING:
                continue
            self.set_phase(name, Phase.STOPPING)
            self.set_phase(name, Phase.STOPPED)


shop_point = ExtensionPoint("shop")
shop_extension = Extension("shop")


class ShopSpecs:
    """The extension point of the small shop designs the views' tests draw."""

    @shop_point
    def price(self, item: str) -> float:  # type: ignore[empty-body]
        """The price of an item."""


def shop_manager(plugins: dict[str, object]) -> PluginManager:
    """A shop's manager with ``plugins`` registered under their names, in order."""
    pm = PluginManager("shop")
    pm.add_extension_points(ShopSpecs)
    for name, plugin in plugins.items():
        pm.register(plugin, name=name)
    return pm


# ---- what a live widget renders, and the messages it sends -----------------------------------------


def parts(widget: Any, css_class: str) -> list[Any]:
    """The widgets inside ``widget`` (itself included) that carry ``css_class``, as the front end
    renders them: only the children a box shows, in order."""
    found = [widget] if css_class in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found.extend(parts(child, css_class))
    return found


def part(widget: Any, css_class: str) -> Any:
    """The one widget inside ``widget`` that carries ``css_class``."""
    found = parts(widget, css_class)
    assert len(found) == 1, f"{len(found)} widgets carry {css_class!r}"
    return found[0]


def shown_rows(board: Any) -> dict[str, dict[str, Any]]:
    """What each row of a board's live widget shows, by the lifespan name it shows."""
    rows = {}
    for row in parts(board.widget, "nbplug-board-row"):
        name = html.unescape(re.sub(r"<[^>]+>", "", part(row, "nbplug-row-name").value))
        stop = part(row, "nbplug-row-stop")
        rows[name] = {"phase": part(row, "nbplug-row-phase").value,
                      "uptime": part(row, "nbplug-row-uptime").value,
                      "log": part(row, "nbplug-row-log").value,
                      "stop": stop, "stop_disabled": stop.disabled}
    return rows


@dataclass
class Message:
    """One message a widget's comm sent to the front end: its kind, the widget, its data as JSON."""

    kind: str
    comm_id: str
    data: dict[str, Any]

    @property
    def size(self) -> int:
        return len(json.dumps(self.data, default=str).encode())


class Wire(list[Message]):
    """Every widget message sent while it is installed (``comm.create_comm`` is the hook ipywidgets
    opens its comms through; comm's own default comm sends nothing)."""

    def since(self, mark: int) -> list[Message]:
        return self[mark:]

    def updates(self, mark: int = 0) -> list[Message]:
        """The state updates (``comm_msg``) sent after ``mark``."""
        return [m for m in self[mark:] if m.kind == "comm_msg"]

    @property
    def size(self) -> int:
        return sum(m.size for m in self)


def install_wire(monkeypatch: Any) -> Wire:
    """Record every widget message from now on (until ``monkeypatch`` undoes it)."""
    import comm
    from comm.base_comm import BaseComm

    wire = Wire()

    class Tapped(BaseComm):  # type: ignore[misc]
        def publish_msg(self, msg_type: str, data: Any = None, metadata: Any = None,
                        buffers: Any = None, **keys: Any) -> None:
            wire.append(Message(msg_type, self.comm_id, dict(data or {})))

    monkeypatch.setattr(comm, "create_comm", lambda *args, **kwargs: Tapped(*args, **kwargs))
    return wire
