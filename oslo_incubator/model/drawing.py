"""A graph laid out for drawing: boxes and circles at coordinates, and the lines
between them.

``graph.layout`` computes drawings from the copy graph and from a graduation plan;
``report.html`` turns them into SVG. Coordinates are in pixels at 100% zoom, the origin
top left, ``x`` and ``y`` the centre of a node; nothing here says how things look, only
what they are (``kind``, ``status``) so that the renderer can choose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DrawnNode:
    """One node.

    ``kind`` is what it stands for: ``master`` (an incubator file or symbol),
    ``member`` (a copy in a family; ``representative`` when it stands for a family
    with no master) or ``library`` (a library of a plan). ``status`` is a member's
    drift status, or a library's number in graduation order. ``label`` is drawn,
    ``title`` is the full description (tooltip and accessible name); ``lines`` are
    drawn inside a box under its label. ``project`` and ``path`` locate a member.
    """

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str
    status: str | None = None
    project: str | None = None
    path: str | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrawnEdge:
    """A line from ``source`` to ``target`` (node ids), drawn straight.

    ``kind`` is ``copy-of`` (a member to its master or representative), or for a plan
    the strongest import behind a dependency: ``strong``, ``lazy`` or ``weak``;
    ``later`` is true for an import of a library that graduates later.
    """

    source: str
    target: str
    kind: str
    title: str = ""
    later: bool = False


@dataclass(frozen=True)
class DrawnGroup:
    """A frame around nodes that belong together (a family), with its label on top."""

    id: str
    label: str
    title: str
    x: float  # top left
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Drawing:
    """Everything drawn, and what was left out.

    ``note`` says how a large graph was reduced (``drawn: 196 of 431 families, those
    that span two or more projects``); empty when nothing was left out.
    """

    width: float
    height: float
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...] = ()
    groups: tuple[DrawnGroup, ...] = ()
    note: str = ""
