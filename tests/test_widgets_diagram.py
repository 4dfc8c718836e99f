"""The design diagram: host, extension points and plugins drawn as SVG, the same in text, themed,
escaped, bounded."""

from __future__ import annotations

from xml.etree import ElementTree

from nbplug import ExtensionPoint, PluginManager
from nbplug.widgets import DesignDiagram, ManagerInspector
from nbplug.widgets.designmap.readers import read_manager
from nbplug.widgets.diagram.layout import MAX_HOOKS, lay_out
from tests.compare_fixtures import designs
from tests.widgets_fixtures import EVIL, shop_extension, shop_manager

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ElementTree.Element]:
    found = []
    for piece in html.split("<svg")[1:]:
        found.append(ElementTree.fromstring("<svg" + piece.split("</svg>")[0] + "</svg>"))
    return found


def test_the_diagram_draws_host_hooks_plugins_and_an_edge_per_extension() -> None:
    a, b = designs()
    diagram = ManagerInspector([a, b]).diagram()
    assert isinstance(diagram, DesignDiagram)
    first, second = svgs(diagram.html())  # well-formed SVG, one per project
    groups = {g.get("class"): [] for g in first.iter(f"{SVG}g")}
    for g in first.iter(f"{SVG}g"):
        groups[g.get("class")].append(g)
    assert [g.get("data-name") for g in groups["nbplug-diagram-host"]] == ["design_a"]
    assert [g.get("data-name") for g in groups["nbplug-diagram-hook"]] == ["price"]
    assert [g.get("data-name") for g in groups["nbplug-diagram-plugin"]] == ["members", "price_list"]
    edges = [(g.get("data-hook"), g.get("data-plugin"), "".join(g.itertext()))
             for g in groups["nbplug-diagram-edge"]]
    assert [(h, p) for h, p, _ in edges] == [("price", "members"), ("price", "price_list")]
    assert edges[1][2].endswith("2 ↓last")
    assert "1 ↑first" in "".join(second.itertext())
    text = diagram.text()
    assert "design of design_a: host design_a calls 1 hook" in text
    assert "├─ price (firstresult)" in text and "2. price_list [trylast]" in text
    assert "price_list: price" in text


def test_every_colour_is_a_theme_variable() -> None:
    a, _ = designs()
    html = DesignDiagram(a).html()
    styles = [el.get("style") or "" for svg in svgs(html) for el in svg.iter()]
    painted = [s for s in styles if "fill:" in s or "stroke:" in s]
    assert painted
    plain = ("none", "transparent", "currentColor")  # a text's fill follows its colour
    for style in painted:
        for part in style.split(";"):
            if part.startswith(("fill:", "stroke:", "color:")) and part.split(":", 1)[1] not in plain:
                assert "var(--jp-" in part, part


def test_layout_has_no_overlapping_boxes_and_each_edge_ends_on_its_plugin() -> None:
    pm = shop_manager({f"p{i}": type(f"P{i}", (), {"price": shop_extension(lambda self, item: 1.0)})()
                       for i in range(5)})
    layout = lay_out(read_manager(pm))
    boxes = [layout.host, *layout.hooks, *layout.plugins]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1:]:
            apart = (one.x + one.w <= other.x or other.x + other.w <= one.x
                     or one.y + one.h <= other.y or other.y + other.h <= one.y)
            assert apart, (one, other)
    by_name = {box.name: box for box in layout.plugins}
    assert len(layout.edges) == 5
    for edge in layout.edges:
        assert (edge.x2, edge.y2) == (by_name[edge.plugin].x, by_name[edge.plugin].middle)
        assert layout.hooks[0].y <= edge.y1 <= layout.hooks[0].y + layout.hooks[0].h
    assert max(b.y + b.h for b in boxes) <= layout.height


def test_names_are_escaped_and_cut() -> None:
    class Evil:
        @shop_extension
        def price(self, item: str) -> float:
            return 1.0

    diagram = DesignDiagram(shop_manager({EVIL + "\u202e" + "x" * 80: Evil()}))
    html, text = diagram.html(), diagram.text()
    assert "<img" not in html and "\u202e" not in html and "\u202e" not in text
    svgs(html)  # still well-formed
    assert "…" in html  # cut to fit its box; the whole name is its title


def test_a_big_design_is_drawn_bounded_and_says_what_it_left_out() -> None:
    pm = PluginManager("huge")
    point = ExtensionPoint("huge")
    namespace = {f"hook{i:03}": staticmethod(point(lambda item: None)) for i in range(MAX_HOOKS + 15)}
    for name, value in namespace.items():
        value.__func__.__name__ = name
    pm.add_extension_points(type("Specs", (), namespace))
    diagram = DesignDiagram(pm)
    html = diagram.html()
    assert html.count('class="nbplug-diagram-hook"') == MAX_HOOKS
    assert "not drawn: 15 more hooks" in html and "not drawn: 15 more hooks" in diagram.text()
    assert len(html) < 200_000


def test_the_widget_redraws_on_refresh() -> None:
    pm = shop_manager({})
    diagram = DesignDiagram(pm)
    button, body = diagram.widget.children
    assert 'class="nbplug-diagram-plugin"' not in body.value

    class Late:
        @shop_extension
        def price(self, item: str) -> float:
            return 2.0

    pm.register(Late(), name="late")
    button.click()
    assert 'data-name="late"' in body.value
