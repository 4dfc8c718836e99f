"""A scripted lifespan group for the widgets' unit tests.

The traces, managers, phases, states and events in the widget tests are nbplug's own; only the
lifespan group is scripted here, so a test can emit exactly the events it wants (a burst of log
lines, a failure, a teardown) and check what the board shows after each, without timing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
