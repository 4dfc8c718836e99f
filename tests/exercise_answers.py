"""Answers to notebooks/06_exercises.ipynb, right and wrong, and what its checks must then say.

``RIGHT`` and ``WRONG`` map an exercise cell's id to a student's source for it; ``CLAIMS`` (the
stored, unsolved cells), ``RIGHT_CLAIMS`` and ``WRONG_CLAIMS`` check, after each check cell, the
feedback it showed (``_``, the cell's value). A wrong answer is a likely mistake, not nonsense.
"""

from __future__ import annotations

MANAGER = '''class Manager:
    @extension({mark})
    def greet(self, name: str) -> str:
        return f"Welcome to the café, {{name}}."


cafe = PluginManager("cafe")
cafe.add_extension_points(CafeSpec)
cafe.register(Manager(), name="manager")
cafe.register(Barista(), name="barista")
'''

VAT = '''class VAT:
    @extension(wrapper=True)
    def price(self, item: str):
        result = yield
        {body}


shop = PluginManager("cafe")
shop.add_extension_points(CafeSpec)
shop.register(Menu(), name="menu")
shop.register(VAT(), name="vat")
'''

DISCOUNT = '''class DiscountSpec:
    @extension_point({mode})
    def discount(self, customer: str) -> float | None:
        """A customer's discount, from the first plugin that knows one."""


class LoyaltyCard:
    @extension({mark})
    def discount(self, customer: str) -> float | None:
        return 0.1 if customer == "Ada" else None


class Till:
    @extension
    def discount(self, customer: str) -> float | None:
        return 0.0


discounts = PluginManager("cafe")
discounts.add_extension_points(DiscountSpec)
discounts.register(LoyaltyCard(), name="loyalty_card")
discounts.register(Till(), name="till")
'''

CACHE = '''@lifespan{options}
async def cache(ctx: LifespanContext):
    ctx.log.info("cache: filled from the database")
    yield
    ctx.log.info("cache: written back to the database")
'''

RIGHT = {
    "06-ex1": MANAGER.format(mark="tryfirst=True"),
    "06-ex2": VAT.format(body="return result * 1.2  # 5.3999999999999995 is 5.4 to a student"),
    "06-ex3": DISCOUNT.format(mode="firstresult=True", mark="tryfirst=True"),
    "06-ex4": CACHE.format(options='(depends_on=("database",))'),
}

WRONG = {
    "06-ex1": MANAGER.format(mark="trylast=True"),  # the other mark
    "06-ex2": VAT.format(body="round(result * 1.2, 2)\n        return result"),  # computed, not returned
    "06-ex3": DISCOUNT.format(mode="firstresult=True", mark=""),  # stops, but at the till
    "06-ex4": CACHE.format(options='(depends_on=("db",))'),  # a name the group does not know
}


def _said(exercise: str, done: bool, *words: str) -> str:
    """A check that the feedback just shown is this exercise's, with that verdict and words."""
    lines = [f"assert _.exercise == {exercise!r} and _.done is {done}, _.text()"]
    lines += [f"assert {word!r} in _.words_text(), _.words_text()" for word in words]
    return "\n".join(lines)


CLAIMS = {
    "after 06-ex1-check": _said("Exercise 1", False, "barista answered first",
                                "call order: barista, manager", "hint:"),
    "after 06-ex2-check": _said("Exercise 2", False, "vat received 4.5, returned it unchanged",
                                "the call returned 4.5"),
    "after 06-ex3-check": _said("Exercise 3", False, "the extension point is collecting",
                                "called: loyalty_card, till"),
    "after 06-ex4-check": _said("Exercise 4", False, "set up: cache, database",
                                "torn down: database, cache"),
}

RIGHT_CLAIMS = {
    "after 06-ex1-check": _said("Exercise 1", True, "manager answered first", "moved up by tryfirst"),
    "after 06-ex2-check": _said("Exercise 2", True, "received 4.5, returned 5.3999"),
    "after 06-ex3-check": _said("Exercise 3", True, "firstresult; called: loyalty_card; not called: till",
                                "returned 0.1"),
    "after 06-ex4-check": _said("Exercise 4", True, "set up: database, cache",
                                "torn down: cache, database",
                                "cache: written back to the database → database: closed"),
}

WRONG_CLAIMS = {
    "after 06-ex1-check": _said("Exercise 1", False, "barista answered first", "moved down by trylast"),
    "after 06-ex2-check": _said("Exercise 2", False, "returned it unchanged", "hint:"),
    "after 06-ex3-check": _said("Exercise 3", False, "firstresult; called: till; not called: loyalty_card",
                                "returned 0.0"),
    "after 06-ex4-check": _said("Exercise 4", False, "did not start: LifespanDependencyError",
                                "depends on 'db'"),
}
