"""Draw a :class:`~oslo_incubator.model.drawing.Drawing` as inline SVG.

Positions come with the drawing; this module only writes shapes. Every node has a
``<title>`` (its tooltip and accessible name) and the classes ``node``, its kind and
``s-<status>``, so the stylesheet colours it and tests can count it; a node that has
a page is a link, reachable with the keyboard.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from oslo_incubator.model.drawing import Drawing, DrawnEdge, DrawnNode
from oslo_incubator.report.html.page import esc

Link = Callable[[DrawnNode], str | None]


def render_svg(drawing: Drawing, *, svg_id: str, label: str, link: Link) -> str:
    """The drawing as an ``<svg>`` element in a scrolling region.

    Args:
        drawing: nodes, edges and frames with their coordinates.
        svg_id: the element's id (also the prefix of its marker ids).
        label: what the drawing shows, for screen readers and as its ``<title>``.
        link: the page a node leads to (relative to the page), or ``None``.
    """
    nodes = {n.id: n for n in drawing.nodes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(svg_id)}" class="graph" '
        f'width="{_n(drawing.width)}" height="{_n(drawing.height)}" '
        f'viewBox="0 0 {_n(drawing.width)} {_n(drawing.height)}" role="group" '
        f'aria-label="{esc(label)}"><title>{esc(label)}</title>',
        "<defs>"
        f'<marker id="{esc(svg_id)}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>',
    ]
    for group in drawing.groups:
        parts.append(
            f'<g class="frame" data-family="{esc(group.id)}"><title>{esc(group.title)}</title>'
            f'<rect x="{_n(group.x)}" y="{_n(group.y)}" width="{_n(group.width)}" '
            f'height="{_n(group.height)}" rx="6"/>'
            f'<text x="{_n(group.x + 6)}" y="{_n(group.y + 13)}">{esc(group.label)}</text></g>'
        )
    for edge in drawing.edges:
        if edge.source in nodes and edge.target in nodes:
            parts.append(_edge(edge, nodes[edge.source], nodes[edge.target], svg_id))
    for node in drawing.nodes:
        parts.append(_node(node, link(node)))
    parts.append("</svg>")
    return "".join(parts)


# Private


def _n(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _edge(edge: DrawnEdge, source: DrawnNode, target: DrawnNode, svg_id: str) -> str:
    x1, y1 = _border(source, target.x, target.y)
    x2, y2 = _border(target, source.x, source.y)
    classes = f"edge k-{edge.kind}" + (" later" if edge.later else "")
    arrow = f' marker-end="url(#{esc(svg_id)}-arrow)"' if source.kind == "library" else ""
    title = f"<title>{esc(edge.title)}</title>" if edge.title else ""
    return (
        f'<g class="{esc(classes)}">{title}<line x1="{_n(x1)}" y1="{_n(y1)}" '
        f'x2="{_n(x2)}" y2="{_n(y2)}"{arrow}/></g>'
    )


def _border(node: DrawnNode, toward_x: float, toward_y: float) -> tuple[float, float]:
    """Where the line from the node's centre toward a point leaves its shape."""
    dx, dy = toward_x - node.x, toward_y - node.y
    distance = math.hypot(dx, dy)
    if distance == 0:
        return node.x, node.y
    if node.kind in ("member", "representative"):
        scale = (node.width / 2) / distance
    else:
        scale = min(
            (node.width / 2) / abs(dx) if dx else math.inf,
            (node.height / 2) / abs(dy) if dy else math.inf,
        )
    scale = min(scale, 1.0)
    return node.x + dx * scale, node.y + dy * scale


def _node(node: DrawnNode, href: str | None) -> str:
    status = f" s-{node.status}" if node.status and node.kind != "library" else ""
    if node.kind in ("member", "representative"):
        classes = f"node member{' representative' if node.kind == 'representative' else ''}"
        shape = f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{_n(node.width / 2)}"/>'
    elif node.kind == "master":
        classes = "node master"
        shape = _rect(node, 2)
    else:
        classes = f"node {esc(node.kind)}"
        top = node.y - node.height / 2
        left = node.x - node.width / 2
        lines = "".join(
            f'<text class="line" x="{_n(left + 8)}" y="{_n(top + 36 + 15 * i)}">{esc(line)}</text>'
            for i, line in enumerate(node.lines)
        )
        shape = (
            _rect(node, 5)
            + f'<text class="label" x="{_n(left + 8)}" y="{_n(top + 16)}">{esc(node.label)}</text>'
            + lines
        )
    data = ""
    if node.project is not None:
        data += f' data-project="{esc(node.project)}"'
    if node.path is not None:
        data += f' data-path="{esc(node.path)}"'
    body = f'<g class="{classes}{esc(status)}"{data}><title>{esc(node.title)}</title>{shape}</g>'
    if href:
        return f'<a href="{esc(href)}" aria-label="{esc(node.title)}">{body}</a>'
    return body


def _rect(node: DrawnNode, radius: float) -> str:
    return (
        f'<rect x="{_n(node.x - node.width / 2)}" y="{_n(node.y - node.height / 2)}" '
        f'width="{_n(node.width)}" height="{_n(node.height)}" rx="{_n(radius)}"/>'
    )
