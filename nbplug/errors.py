"""The errors the kit raises: bad plugins at registration, bad arguments at call time."""

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
