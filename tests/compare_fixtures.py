"""The two pricing designs of notebook 04 (firstresult versus pipeline) and a slow feed, for the
comparison, replay and diagram tests."""

from __future__ import annotations

import asyncio

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginManager

PRICES = {"tea": 3.0, "cake": 4.5}
MEMBERS = {"Ada"}

point_a, ext_a = ExtensionPoint("design_a"), Extension("design_a")
point_b, ext_b = ExtensionPoint("design_b"), Extension("design_b")
feed_point, feed_ext = ExtensionPoint("feed"), Extension("feed")


class SpecA:
    @point_a(firstresult=True)
    def price(self, item: str, customer: str) -> float | None:
        """The price, from the most specific plugin that has one."""


class PriceListA:
    @ext_a(trylast=True)
    def price(self, item: str) -> float:
        return PRICES[item]


class MembersA:
    @ext_a
    def price(self, item: str, customer: str) -> float | None:
        return round(PRICES[item] * 0.9, 2) if customer in MEMBERS else None


class SpecB:
    @point_b(pipeline=True)
    def price(self, amount: float, item: str, customer: str) -> float:  # type: ignore[empty-body]
        """Adjust the amount."""


class PriceListB:
    @ext_b(tryfirst=True)
    def price(self, item: str) -> float:
        return PRICES[item]


class MembersB:
    @ext_b
    def price(self, amount: float, customer: str) -> float | None:
        return round(amount * 0.9, 2) if customer in MEMBERS else None


def designs() -> tuple[PluginManager, PluginManager]:
    """Design A (firstresult, the price list trylast) and design B (pipeline, it tryfirst)."""
    a, b = PluginManager("design_a"), PluginManager("design_b")
    a.add_extension_points(SpecA)
    b.add_extension_points(SpecB)
    for pm, plugins in ((a, (PriceListA(), MembersA())), (b, (PriceListB(), MembersB()))):
        for name, plugin in zip(("price_list", "members"), plugins, strict=True):
            pm.register(plugin, name=name)
    return a, b


class FeedSpecs:
    @feed_point
    def fetch(self, topic: str) -> str:  # type: ignore[empty-body]
        """A headline."""


class Slow:
    def __init__(self, name: str, seconds: float = 0.03) -> None:
        self.name, self.seconds = name, seconds

    @feed_ext
    async def fetch(self, topic: str) -> str:
        await asyncio.sleep(self.seconds)
        return self.name


def slow_feed(names: str = "abc") -> AsyncPluginManager:
    """A feed whose sources each sleep 30 ms."""
    pm = AsyncPluginManager("feed")
    pm.add_extension_points(FeedSpecs)
    for name in names:
        pm.register(Slow(name), name=name)
    return pm
