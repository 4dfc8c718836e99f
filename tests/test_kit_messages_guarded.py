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


class NamelessByProperty(types.ModuleType):
    """A module whose ``__name__`` is replaced by a property that raises."""

    @property  # type: ignore[override]
    def __name__(self) -> NoReturn:
        raise RuntimeError("no name outside of application context")


def nameless_module(how: str) -> types.ModuleType:
    if how == "property":
        module: types.ModuleType = NamelessByProperty("nameless")
    else:  # __name__ deleted and a module __getattr__ that raises for it (a lazy module)
        module = types.ModuleType("nameless")
        del module.__name__

        def missing(name: str) -> NoReturn:
            raise RuntimeError(f"lazy module has no {name}")

        module.__getattr__ = missing  # type: ignore[method-assign]

    @EXT
    def nohook(x: int) -> int:
        return x

    module.nohook = nohook
    return module


@pytest.mark.parametrize("how", ["property", "getattr"])
def test_a_module_whose_name_cannot_be_read_registers_under_its_id_and_is_shown_so(how: str) -> None:
    from nbplug.widgets import ManagerInspector

    pm = PluginManager("guarded")
    module = nameless_module(how)
    assert pm.get_canonical_name(module) == str(id(module))
    assert pm.register(module) == str(id(module))
    with pytest.raises(ValueError, match=r"is already registered as '\d+'; unregister it first"):
        pm.register(module, "other")
    assert (f"<name unreadable>  module <name unreadable>, registered without a name ({id(module)})"
            in ManagerInspector(pm).text())
