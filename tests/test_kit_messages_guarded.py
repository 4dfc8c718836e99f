"""The kit's registry messages survive any plugin object: a module whose ``__getattr__`` and
``__repr__`` raise (a web framework's unbound proxy) is named ``<unrepresentable ...>`` and the
message is the kit's own, not the module's error."""

from __future__ import annotations

import types
from typing import NoReturn

import pytest

from nbplug import Extension, PluginManager, PluginValidationError

EXT = Extension("guarded")


class Hostile(types.ModuleType):
    def __getattr__(self, name: str) -> NoReturn:
        raise RuntimeError("working outside of application context")

    def __repr__(self) -> NoReturn:
        raise RuntimeError("working outside of application context")


def hostile_module() -> Hostile:
    module = Hostile("hostile")

    @EXT
    def nohook(x: int) -> int:
        return x

    module.nohook = nohook
    return module


def test_check_pending_names_a_hostile_module_in_its_own_message() -> None:
    pm = PluginManager("guarded")
    pm.register(hostile_module(), "hostile")
    with pytest.raises(PluginValidationError,
                       match=r"unknown hook 'nohook' in plugin <unrepresentable Hostile>: "
                             r"plugin 'hostile' implements it"):
        pm.check_pending()


def test_registry_refusals_name_a_hostile_module_in_their_own_words() -> None:
    pm = PluginManager("guarded")
    module = hostile_module()
    pm.register(module, "hostile")
    with pytest.raises(ValueError, match=r"<unrepresentable Hostile> is already registered as "
                                         r"'hostile'"):
        pm.register(module, "other")
    with pytest.raises(ValueError, match=r"plugin is not registered: <unrepresentable Hostile>"):
        pm.unregister(Hostile("stranger"))
    with pytest.raises(ValueError, match=r"plugin <unrepresentable Hostile> do not agree: 'hostile' "
                                         r"is registered to <unrepresentable Hostile>"):
        pm.unregister(Hostile("stranger"), name="hostile")
