"""report/html/svg.py: a laid-out drawing as inline SVG."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from oslo_incubator.model.drawing import Drawing, DrawnEdge, DrawnGroup, DrawnNode
from oslo_incubator.report.html.svg import Link, render_svg

SVG = "{http://www.w3.org/2000/svg}"

MASTER = DrawnNode("m", "master", 100, 50, 40, 20, "log.py", "master log.py <HEAD>")
MEMBER = DrawnNode(
    "c1",
    "member",
    100,
    150,
    16,
    16,
    "",
    "nova: log.py",
    status="diverged",
    project="nova",
    path="nova/log.py",
)
REP = DrawnNode(
    "c2", "representative", 200.25, 150, 16, 16, "", "glance: utils.py", status="current"
)
LIB_A = DrawnNode(
    "oslo.i18n",
    "library",
    100,
    300,
    160,
    80,
    "1. oslo.i18n",
    "oslo.i18n",
    status="1",
    lines=("gettextutils", "300 lines"),
)
LIB_B = DrawnNode("oslo.log", "library", 400, 300, 160, 80, "2. oslo.log", "oslo.log", status="2")
DRAWING = Drawing(
    width=500.0,
    height=400.5,
    nodes=(MASTER, MEMBER, REP, LIB_A, LIB_B),
    edges=(
        DrawnEdge("c1", "m", "copy-of", "nova copy of log.py"),
        DrawnEdge("oslo.log", "oslo.i18n", "strong", "log imports gettextutils"),
        DrawnEdge("oslo.i18n", "oslo.log", "lazy", later=True),
        DrawnEdge("c1", "gone", "copy-of"),  # a node not drawn: no line
    ),
    groups=(DrawnGroup("F1", "F1 log.py", "family F1 & co", 50, 20, 200, 160),),
)


def _no_link(node: DrawnNode) -> str | None:
    return None


def _render(link: Link = _no_link) -> str:
    return render_svg(DRAWING, svg_id="g", label="Copy <graph>", link=link)


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_svg_element_size_and_accessible_label() -> None:
    root = _tree(_render())
    assert root.tag == f"{SVG}svg"
    assert root.get("id") == "g"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "500",
        "400.5",
        "0 0 500 400.5",
    )
    assert root.get("role") == "group"
    assert root.get("aria-label") == "Copy <graph>"
    assert root.find(f"{SVG}title").text == "Copy <graph>"  # type: ignore[union-attr]
    assert root.find(f".//{SVG}marker").get("id") == "g-arrow"  # type: ignore[union-attr]


def test_every_node_has_a_title_and_classes() -> None:
    root = _tree(_render())
    nodes = [g for g in root.iter(f"{SVG}g") if "node" in (g.get("class") or "").split()]
    classes = {g.find(f"{SVG}title").text: g.get("class") for g in nodes}  # type: ignore[union-attr]
    assert classes == {
        "master log.py <HEAD>": "node master",
        "nova: log.py": "node member s-diverged",
        "glance: utils.py": "node member representative s-current",
        "oslo.i18n": "node library",  # a library's status is its number, not a class
        "oslo.log": "node library",
    }


def test_shapes_and_coordinates() -> None:
    svg = _render()
    assert '<circle cx="100" cy="150" r="8"/>' in svg
    assert '<circle cx="200.2" cy="150" r="8"/>' in svg  # one decimal at most
    assert '<rect x="80" y="40" width="40" height="20" rx="2"/>' in svg  # master: centred box
    assert '<rect x="20" y="260" width="160" height="80" rx="5"/>' in svg
    assert '<text class="label" x="28" y="276">1. oslo.i18n</text>' in svg
    assert '<text class="line" x="28" y="296">gettextutils</text>' in svg
    assert '<text class="line" x="28" y="311">300 lines</text>' in svg


def test_member_data_attributes_locate_the_copy() -> None:
    root = _tree(_render())
    (member,) = [g for g in root.iter(f"{SVG}g") if g.get("data-project")]
    assert (member.get("data-project"), member.get("data-path")) == ("nova", "nova/log.py")


def test_edges_between_drawn_nodes_only_arrows_from_libraries() -> None:
    root = _tree(_render())
    edges = [g for g in root.iter(f"{SVG}g") if "edge" in (g.get("class") or "").split()]
    assert [e.get("class") for e in edges] == [
        "edge k-copy-of",
        "edge k-strong",
        "edge k-lazy later",
    ]
    copy_line, strong_line, lazy_line = (e.find(f"{SVG}line") for e in edges)
    assert copy_line.get("marker-end") is None  # type: ignore[union-attr]
    assert strong_line.get("marker-end") == "url(#g-arrow)"  # type: ignore[union-attr]
    assert edges[2].find(f"{SVG}title") is None  # no title given
    assert edges[0].find(f"{SVG}title").text == "nova copy of log.py"  # type: ignore[union-attr]


def test_lines_start_and_end_at_the_shapes_borders() -> None:
    root = _tree(_render())
    lines = list(root.iter(f"{SVG}line"))
    copy_line = lines[0]
    # From the member's circle (radius 8, centre y 150) up to the master box (bottom y 60).
    assert [copy_line.get(k) for k in ("x1", "y1", "x2", "y2")] == ["100", "142", "100", "60"]
    strong = lines[1]
    # Between two 160-wide boxes side by side: from x 320 (left of oslo.log) to x 180.
    assert [strong.get(k) for k in ("x1", "y1", "x2", "y2")] == ["320", "300", "180", "300"]


def test_linked_nodes_are_anchors_with_their_title_as_label() -> None:
    svg = _render(link=lambda node: f"copies/{node.project}/log.html" if node.project else None)
    assert (
        '<a href="copies/nova/log.html" aria-label="nova: log.py"><g class="node member s-diverged"'
        in svg
    )
    assert svg.count("<a ") == 1


def test_group_frames() -> None:
    svg = _render()
    assert (
        '<g class="frame" data-family="F1"><title>family F1 &amp; co</title>'
        '<rect x="50" y="20" width="200" height="160" rx="6"/>'
        '<text x="56" y="33">F1 log.py</text></g>'
    ) in svg


def test_nodes_at_the_same_place_do_not_divide_by_zero() -> None:
    a = DrawnNode("a", "master", 10, 10, 10, 10, "a", "a")
    b = DrawnNode("b", "member", 10, 10, 10, 10, "b", "b")
    svg = render_svg(
        Drawing(20, 20, (a, b), (DrawnEdge("b", "a", "copy-of"),)),
        svg_id="z",
        label="z",
        link=lambda n: None,
    )
    assert '<line x1="10" y1="10" x2="10" y2="10"/>' in svg


def test_empty_drawing() -> None:
    svg = render_svg(Drawing(0, 0, ()), svg_id="e", label="nothing", link=lambda n: None)
    root = _tree(svg)
    assert root.get("width") == "0"
    assert not re.search(r"<(circle|rect|line)", svg)
