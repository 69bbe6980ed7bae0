"""Lay graphs out for drawing: the copy graph by family, a graduation plan by layer.

Positions are computed here, in Python with networkx, so the report's SVG needs no
script and no layout engine when it is viewed. Both functions return a
:class:`~oslo_incubator.model.drawing.Drawing`; ``report.html`` draws it.

The copy graph (see :mod:`oslo_incubator.graph.copies` for its attributes) is drawn
family by family: each family a ring of its members around its master (or its
representative member), laid out with :func:`networkx.shell_layout`, the families
packed in rows. A graph with more members than the drawing can show is reduced to the
families that span two or more projects, and the drawing says so.

A plan is drawn in layers (:func:`networkx.topological_generations` over the imports
between libraries): a library stands one layer right of the rightmost library it
imports at module level, so the first libraries to graduate are on the left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx

from oslo_incubator.model.drawing import Drawing, DrawnEdge, DrawnGroup, DrawnNode
from oslo_incubator.model.plan import DependencyKind, GraduationPlan, Library

#: Members drawn before a copy graph is reduced to the families spanning projects.
MAX_DRAWN_MEMBERS = 400
#: The width the families are packed into, in pixels at 100% zoom.
FAMILY_CANVAS_WIDTH = 1100

_MEMBER = 12.0  # diameter of a member's circle
_MASTER = 16.0  # side of a master's square
_PAD = 14.0  # inside a family's frame
_LABEL = 18.0  # the frame's label line
_GAP = 10.0  # between frames
_MIN_RING = 34.0  # radius of the smallest ring: room for a frame's label

_BOX_WIDTH = 210.0  # a library's box
_BOX_LINE = 15.0  # one module line in it
_BOX_HEAD = 22.0  # its name line
_BOX_LINES = 6  # module lines shown before "+N more"
_LAYER_GAP = 70.0  # between the columns of layers
_ROW_GAP = 18.0  # between boxes of one layer
_MARGIN = 12.0


def family_drawing(graph: nx.DiGraph, max_members: int = MAX_DRAWN_MEMBERS) -> Drawing:
    """The copy graph drawn family by family.

    Args:
        graph: from :func:`oslo_incubator.graph.copies.build_copy_graph`.
        max_members: above this many members in all, only the families whose members
            sit in two or more projects are drawn.

    Returns:
        A frame per family (in the graph's order: families with a master first), a
        node per member (kind ``member``, or ``representative`` for the member that
        stands for a family with no master) and per master, and a ``copy-of`` edge
        from each member to its master or representative.
    """
    families = _families(graph)
    total = len(families)
    members = sum(len(nodes) for _, nodes in families.values())
    note = ""
    if members > max_members:
        spanning = {
            fid: found
            for fid, found in families.items()
            if len({graph.nodes[n].get("project") for n in found[1]}) > 1
        }
        kept = sum(len(nodes) for _, nodes in spanning.values())
        note = (
            f"drawn: {len(spanning)} of {total} families, the ones that span two or more "
            f"projects ({kept} of {members} copies); the tables list them all"
        )
        families = spanning
    frames = [
        _family_frame(graph, fid, centre, nodes) for fid, (centre, nodes) in families.items()
    ]
    return _pack(frames, FAMILY_CANVAS_WIDTH, note)


def plan_drawing(plan: GraduationPlan) -> Drawing:
    """The libraries of ``plan`` as boxes in layers, with an edge from each library to
    every library it imports (``later`` for one that graduates after it).

    Node ids are library names; ``status`` is the library's number in graduation order.
    """
    libraries = {lib.name: lib for lib in plan.libraries}
    order = {name: n for n, name in enumerate(libraries, start=1)}
    layering = nx.DiGraph()
    layering.add_nodes_from(libraries)
    edges: list[DrawnEdge] = []
    for library in plan.libraries:
        for target, kind, later in _imported_libraries(library):
            if target not in libraries or target == library.name:
                continue
            edges.append(
                DrawnEdge(
                    library.name,
                    target,
                    kind.value,
                    f"{library.name} imports {target} ({kind.value}"
                    + (", which graduates later)" if later else ")"),
                    later,
                )
            )
            if not later:
                layering.add_edge(target, library.name)
    layers = _layers(layering, order)
    nodes: list[DrawnNode] = []
    height = 0.0
    for column, names in enumerate(layers):
        y = _MARGIN
        x = _MARGIN + column * (_BOX_WIDTH + _LAYER_GAP) + _BOX_WIDTH / 2
        for name in names:
            library = libraries[name]
            lines = _module_lines(library.modules)
            box = _BOX_HEAD + _BOX_LINE * len(lines) + 8
            nodes.append(
                DrawnNode(
                    id=name,
                    kind="library",
                    x=x,
                    y=y + box / 2,
                    width=_BOX_WIDTH,
                    height=box,
                    label=f"{order[name]}. {name}",
                    title=_library_title(order[name], library),
                    status=str(order[name]),
                    lines=lines,
                )
            )
            y += box + _ROW_GAP
        height = max(height, y)
    width = _MARGIN * 2 + max(len(layers), 1) * (_BOX_WIDTH + _LAYER_GAP) - _LAYER_GAP
    return Drawing(width, max(height, 2 * _MARGIN), tuple(nodes), tuple(edges))


# Private

# family id -> (centre node, member nodes in family order)
_Families = dict[str, tuple[str, list[str]]]


def _families(graph: nx.DiGraph) -> _Families:
    """Each family's member nodes and the node its members are copies of."""
    members: dict[str, list[str]] = {}
    masters: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        family = data.get("family")
        if family is None:
            continue
        if data.get("kind") == "master":
            masters[family] = node
        else:
            members.setdefault(family, []).append(node)
    found: _Families = {}
    for family, nodes in members.items():
        centre = masters.get(family)
        if centre is None:
            centre = _copied_node(graph, family, nodes)
        found[family] = (centre, nodes)
    return found


def _copied_node(graph: nx.DiGraph, family: str, nodes: list[str]) -> str:
    """The member the others are ``copy-of`` (the representative); the first one when
    the family has a single member."""
    for node in nodes:
        for _, target, data in graph.out_edges(node, data=True):
            if data.get("kind") == "copy-of" and data.get("family") == family:
                return str(target)
    return nodes[0]


class _Frame:
    """One family laid out around (0, 0), before packing."""

    def __init__(self, group: DrawnGroup, nodes: list[DrawnNode], edges: list[DrawnEdge]):
        self.group = group
        self.nodes = nodes
        self.edges = edges


def _family_frame(graph: nx.DiGraph, family: str, centre: str, members: list[str]) -> _Frame:
    ring = [m for m in members if m != centre]
    radius = max(_MIN_RING, len(ring) * (_MEMBER + 6) / (2 * math.pi))
    star = nx.Graph()
    star.add_node(centre)
    star.add_edges_from((m, centre) for m in ring)
    if ring:
        # shell_layout puts shell i of n at scale * i / n: the ring at scale / 2.
        positions = nx.shell_layout(star, nlist=[[centre], ring], scale=2 * radius)
    else:
        positions = {centre: (0.0, 0.0)}
    side = 2 * radius + _MASTER + 2 * _PAD
    nodes = []
    for node in [centre, *ring]:
        x, y = (float(v) for v in positions[node])
        nodes.append(_family_node(graph, node, x, y + _LABEL / 2, node == centre))
    edges = [DrawnEdge(m, centre, "copy-of", _edge_title(graph, m, centre), False) for m in ring]
    data = graph.nodes[centre]
    unit = str(data.get("label") or centre)
    projects = len({graph.nodes[m].get("project") for m in members})
    head = f"master {unit}" if data.get("kind") == "master" else f"representative {unit}"
    title = (
        f"family {family}: {head}; {len(members)} cop{'y' if len(members) == 1 else 'ies'} "
        f"in {projects} project{'s' if projects != 1 else ''}"
    )
    short = unit.rsplit("/", 1)[-1]
    group = DrawnGroup(
        id=family,
        label=_truncate(f"{family} {short}", int(side / 6.5)),
        title=title,
        x=-side / 2,
        y=-side / 2 - _LABEL / 2,
        width=side,
        height=side + _LABEL,
    )
    return _Frame(group, nodes, edges)


def _family_node(graph: nx.DiGraph, node: str, x: float, y: float, centre: bool) -> DrawnNode:
    data = graph.nodes[node]
    label = str(data.get("label") or node)
    if data.get("kind") == "master":
        return DrawnNode(
            id=node,
            kind="master",
            x=x,
            y=y,
            width=_MASTER,
            height=_MASTER,
            label=label,
            title=f"master {label}" + (f" ({data['lifecycle']})" if data.get("lifecycle") else ""),
            status=data.get("lifecycle"),
            path=data.get("path"),
        )
    project = str(data.get("project", ""))
    path = str(data.get("path", ""))
    where = f"{path}:{data['name']}" if data.get("kind") == "symbol" else path
    status = data.get("status")
    title = f"{project}: {where}" + (f" ({status})" if status else "")
    if centre:
        title += ", the representative"
    return DrawnNode(
        id=node,
        kind="representative" if centre else "member",
        x=x,
        y=y,
        width=_MEMBER,
        height=_MEMBER,
        label=label,
        title=title,
        status=status,
        project=project,
        path=path,
    )


def _edge_title(graph: nx.DiGraph, source: str, target: str) -> str:
    data = graph.get_edge_data(source, target) or {}
    similarity = data.get("similarity")
    return f"similarity {similarity:.2f}" if isinstance(similarity, float) else ""


def _pack(frames: Sequence[_Frame], width: float, note: str) -> Drawing:
    """Shelf packing: frames left to right in rows, in order."""
    nodes: list[DrawnNode] = []
    edges: list[DrawnEdge] = []
    groups: list[DrawnGroup] = []
    x, y, row = _MARGIN, _MARGIN, 0.0
    used = 0.0
    for frame in frames:
        g = frame.group
        if x > _MARGIN and x + g.width > width - _MARGIN:
            x, y, row = _MARGIN, y + row + _GAP, 0.0
        dx, dy = x - g.x, y - g.y
        groups.append(DrawnGroup(g.id, g.label, g.title, x, y, g.width, g.height))
        nodes += [_moved(n, dx, dy) for n in frame.nodes]
        edges += frame.edges
        x += g.width + _GAP
        used = max(used, x)
        row = max(row, g.height)
    height = y + row + _MARGIN if frames else 2 * _MARGIN
    return Drawing(
        max(min(width, used + _MARGIN), 2 * _MARGIN),
        height,
        tuple(nodes),
        tuple(edges),
        tuple(groups),
        note,
    )


def _moved(node: DrawnNode, dx: float, dy: float) -> DrawnNode:
    return DrawnNode(
        node.id,
        node.kind,
        round(node.x + dx, 1),
        round(node.y + dy, 1),
        node.width,
        node.height,
        node.label,
        node.title,
        node.status,
        node.project,
        node.path,
        node.lines,
    )


def _imported_libraries(library: Library) -> list[tuple[str, DependencyKind, bool]]:
    """Each library ``library`` imports, with the strongest import kind and whether it
    graduates later."""
    found: dict[str, tuple[DependencyKind, bool]] = {}
    for dep in library.dependencies:
        kind, later = found.get(dep.library, (dep.kind, dep.later))
        if dep.kind.strength > kind.strength:
            kind = dep.kind
        found[dep.library] = (kind, later and dep.later)
    return [(name, kind, later) for name, (kind, later) in found.items()]


def _layers(graph: nx.DiGraph, order: dict[str, int]) -> list[list[str]]:
    """Libraries by layer; within a layer ordered by where what they import sits
    (fewer crossing lines), then by graduation order."""
    try:
        generations = [list(g) for g in nx.topological_generations(graph)]
    except nx.NetworkXUnfeasible:  # a cycle no plan should have: one library per layer
        return [[name] for name in sorted(order, key=order.__getitem__)]
    layers: list[list[str]] = []
    place: dict[str, float] = {}  # a library's row in its layer
    for generation in generations:
        ranked = sorted(
            generation, key=lambda name: (_barycentre(graph, place, name), order[name])
        )
        place.update({name: float(i) for i, name in enumerate(ranked)})
        layers.append(ranked)
    return layers


def _barycentre(graph: nx.DiGraph, place: dict[str, float], name: str) -> float:
    """The mean row of the libraries ``name`` imports (-1 when it imports none)."""
    rows = [place[p] for p in graph.predecessors(name) if p in place]
    return sum(rows) / len(rows) if rows else -1.0


def _module_lines(modules: Sequence[str]) -> tuple[str, ...]:
    if len(modules) <= _BOX_LINES:
        return tuple(_truncate(m, 30) for m in modules)
    shown = [_truncate(m, 30) for m in modules[: _BOX_LINES - 1]]
    return (*shown, f"+{len(modules) - len(shown)} more")


def _library_title(number: int, library: Library) -> str:
    parts = [f"{number}. {library.name}: {', '.join(library.modules)}"]
    if library.reasons:
        parts.append("together because " + "; ".join(library.reasons))
    return ". ".join(parts)


def _truncate(text: str, limit: int) -> str:
    limit = max(limit, 4)
    return text if len(text) <= limit else text[: limit - 1] + "…"
