"""Layouts computed for the report's drawings: families by ring, plans by layer."""

from __future__ import annotations

import itertools

from report_fixtures import Fleet, embedded

from oslo_incubator.graph.copies import build_copy_graph
from oslo_incubator.graph.layout import family_drawing, plan_drawing
from oslo_incubator.model.drawing import Drawing
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import (
    DependencyKind,
    GraduationPlan,
    Library,
    ModuleDependency,
)
from oslo_incubator.model.scan import (
    Family,
    Grain,
    Master,
    Member,
    ProjectScan,
    ScanOptions,
    ScanReport,
    UnitKind,
)


def member(project: str, path: str) -> Member:
    return Member(project, path, None, UnitKind.MODULE, 1, 10, 40, "k", 0.9)


def family(fid: str, projects: list[str], master: bool = True) -> Family:
    members = tuple(member(p, f"{p}/{fid.lower()}.py") for p in projects)
    return Family(
        id=fid,
        grain=Grain.MODULE,
        members=members,
        master=Master(f"openstack/common/{fid}.py", None, fid, "0" * 40, False)
        if master
        else None,
        representative=None if master else members[0],
        origin="master" if master else "oldest",
        lines=10,
        tokens=40,
    )


def scan(*families: Family) -> ScanReport:
    names = sorted({m.project for f in families for m in f.members})
    return ScanReport(
        projects=tuple(ProjectScan(n, n, (n,), 1, 10, None) for n in names),
        families=families,
        candidates=(),
        imports=(),
        incubator=None,
        options=ScanOptions(),
    )


def overlapping_frames(drawing: Drawing) -> list[tuple[str, str]]:
    found = []
    for a, b in itertools.combinations(drawing.groups, 2):
        apart = (
            a.x + a.width <= b.x
            or b.x + b.width <= a.x
            or a.y + a.height <= b.y
            or b.y + b.height <= a.y
        )
        if not apart:
            found.append((a.id, b.id))
    return found


def test_every_member_of_every_family_is_one_node_inside_its_frame() -> None:
    report = scan(
        family("M1", ["nova", "glance", "cinder"]),
        family("M2", ["nova"]),
        family("M3", ["nova", "heat"], master=False),
    )
    drawing = family_drawing(build_copy_graph(report))
    members = [n for n in drawing.nodes if n.kind in ("member", "representative")]
    assert len(members) == 6
    assert [n.kind for n in drawing.nodes].count("master") == 2
    assert [n.kind for n in drawing.nodes].count("representative") == 1
    assert drawing.note == ""
    frames = {g.id: g for g in drawing.groups}
    assert sorted(frames) == ["M1", "M2", "M3"]
    for node in members:
        fid = node.path.rsplit("/", 1)[1][:-3].upper() if node.path else ""
        frame = frames[fid]
        assert frame.x < node.x < frame.x + frame.width
        assert frame.y < node.y < frame.y + frame.height
    assert overlapping_frames(drawing) == []
    assert len(drawing.edges) == 6 - 1  # every copy to its master; M3's to its representative


def test_a_large_graph_keeps_the_families_that_span_projects_and_says_so() -> None:
    report = scan(
        family("M1", ["nova", "glance"]),
        family("M2", ["nova"]),
        family("M3", ["cinder"]),
        family("M4", ["heat", "cinder"], master=False),
    )
    drawing = family_drawing(build_copy_graph(report), max_members=5)
    assert sorted(g.id for g in drawing.groups) == ["M1", "M4"]
    assert sum(1 for n in drawing.nodes if n.kind != "master") == 4
    assert drawing.note.startswith("drawn: 2 of 4 families")
    assert "4 of 6 copies" in drawing.note


def test_the_sample_fleet_graph_draws_every_member(fleet: Fleet) -> None:
    page = fleet.page("families.html")
    _, document = embedded(page)
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" id="copy-graph"') :]
    svg = svg[: svg.index("</svg>")]
    members = sum(len(f["members"]) for f in document["families"])
    assert members == 16  # 14 copies of masters, 2 of retrying.py
    assert svg.count('class="node member') == members
    assert svg.count('class="node member representative') == 1
    assert svg.count('class="frame"') == len(document["families"])


def library(name: str, modules: list[str], deps: list[tuple[str, str, bool]] = ()) -> Library:  # type: ignore[assignment]
    return Library(
        name=name,
        modules=tuple(modules),
        reasons=("because",),
        files=len(modules),
        lines=10,
        requested=(),
        baggage=None,
        api=(),
        requirements=(),
        test_requirements=(),
        unmapped=(),
        dependencies=tuple(
            ModuleDependency(
                module, lib, DependencyKind.STRONG if not later else DependencyKind.LAZY, later
            )
            for module, lib, later in deps
        ),
        consumers=(),
        tests=(),
    )


def plan(*libraries: Library) -> GraduationPlan:
    return GraduationPlan("inc", "0" * 40, DEFAULT_PACKAGE_ROOT, (), (), libraries, (), (), ())


def test_a_library_stands_right_of_every_library_it_imports() -> None:
    drawing = plan_drawing(
        plan(
            library("oslo.i18n", ["gettextutils"]),
            library("oslo.utils", ["timeutils"]),
            library("oslo.log", ["log"], [("gettextutils", "oslo.i18n", False)]),
            library(
                "oslo.service",
                ["service", "a", "b", "c", "d", "e", "f"],
                [
                    ("log", "oslo.log", False),
                    ("timeutils", "oslo.utils", False),
                    ("later", "oslo.late", True),
                ],  # fmt: skip
            ),
            library("oslo.late", ["later"], [("service", "oslo.service", False)]),
        )
    )
    x = {n.id: n.x for n in drawing.nodes}
    assert x["oslo.i18n"] == x["oslo.utils"] < x["oslo.log"] < x["oslo.service"] < x["oslo.late"]
    edges = {(e.source, e.target): e for e in drawing.edges}
    assert set(edges) == {
        ("oslo.log", "oslo.i18n"),
        ("oslo.service", "oslo.log"),
        ("oslo.service", "oslo.utils"),
        ("oslo.service", "oslo.late"),
        ("oslo.late", "oslo.service"),
    }
    assert edges[("oslo.service", "oslo.late")].later
    assert edges[("oslo.service", "oslo.late")].kind == "lazy"
    service = next(n for n in drawing.nodes if n.id == "oslo.service")
    assert service.label == "4. oslo.service"
    assert service.lines[-1] == "+2 more" and len(service.lines) == 6
    for a, b in itertools.combinations(drawing.nodes, 2):
        if a.x == b.x:
            assert abs(a.y - b.y) >= (a.height + b.height) / 2


def test_an_empty_plan_draws_nothing() -> None:
    drawing = plan_drawing(plan())
    assert drawing.nodes == () and drawing.edges == ()
