"""The errors and warnings the kit raises: bad plugins at registration, bad calls at call time.

Where pluggy raises a builtin type (``TypeError`` for a positional hook call, ``AssertionError``
for unregistering a plugin that is not registered), nbplug's error is a subclass of that type too,
so code written for pluggy catches it, while nbplug's message says what was wrong and what would
be right. Rejected: raising the bare builtin (a lost message) or only nbplug's own type (pluggy
users' ``except`` clauses would miss it).
"""

from __future__ import annotations


class PluginValidationError(Exception):
    """A plugin (or an extension point) failed validation; nothing was registered.

    ``plugin`` is the offending object, so a caller can tell which registration failed.
    """

    def __init__(self, plugin: object, message: str) -> None:
        super().__init__(message)
        self.plugin = plugin


class HookCallError(Exception):
    """A hook was called with arguments its extension point does not accept."""


class PositionalCallError(HookCallError, TypeError):
    """A hook was called with positional arguments (a ``TypeError`` too, as in pluggy)."""


class NotRegisteredError(ValueError, AssertionError):
    """The plugin to unregister is not registered (an ``AssertionError`` too, as in pluggy)."""


class NbplugWarning(UserWarning):
    """The base of the warnings nbplug issues (pluggy's ``PluggyWarning``)."""


class TeardownRaisedWarning(NbplugWarning):
    """A legacy wrapper (``hookwrapper=True``) raised in its teardown (pluggy's
    ``PluggyTeardownRaisedWarning``).

    The error goes on outward, to the wrappers around it. To replace the outcome on purpose, call
    ``outcome.force_exception(error)`` instead of raising, or write a new-style wrapper
    (``wrapper=True``), whose raising is the ordinary way to replace an outcome.
    """


class MissingArgumentWarning(NbplugWarning):
    """A hook call left out an argument its extension point declares (pluggy warns the same).

    The call goes on; an extension that needs the argument raises ``HookCallError`` when its turn
    comes. This lets an extension point gain arguments while old callers keep working.
    """
