"""pluggy-marked code in the notebook face: ``%plugin add`` finds pluggy's markers (dicts), and
``%hook`` calls through the session's async manager with a legacy wrapper in the chain."""

from __future__ import annotations

from ipython_fixtures import Shell, shell  # noqa: F401 -- the fixture

PLUGGY_MARKED = '''
import pluggy

hookspec = pluggy.HookspecMarker("shop")
hookimpl = pluggy.HookimplMarker("shop")

class ShopSpecs:
    @hookspec
    def price(self, item):
        """Price an item."""

class Shop:
    @hookimpl
    def price(self, item):
        return len(item)

class Doubling:
    @hookimpl(hookwrapper=True)
    def price(self, item):
        outcome = yield
        outcome.force_result([2 * value for value in outcome.get_result()])
'''


def test_pluggy_marked_plugins_in_the_notebook(shell: Shell) -> None:  # noqa: F811
    shell.run(PLUGGY_MARKED)
    shell.run("%plugin add ShopSpecs Shop Doubling")
    assert shell.run("%hook -q price item='tea'") == [6]
    error = shell.fails("%hook price itme='tea'")
    assert "did you mean 'item'" in str(error)
