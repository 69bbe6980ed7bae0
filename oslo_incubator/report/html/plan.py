"""The plan page: libraries in graduation order, drawn in layers, each with its
modules, baggage, requirements and the evidence that groups them."""

from __future__ import annotations

from collections.abc import Sequence

from oslo_incubator.model.drawing import Drawing, DrawnNode
from oslo_incubator.model.plan import (
    Bond,
    CloseCall,
    Cycle,
    DependencyKind,
    GraduationPlan,
    Library,
    ThirdParty,
)
from oslo_incubator.report.html.page import (
    NavItem,
    definition_list,
    esc,
    plural,
    render_page,
    table,
)
from oslo_incubator.report.html.svg import render_svg
from oslo_incubator.report.plan import PLAN_SCHEMA, plan_to_json


def render_plan_page(plan: GraduationPlan, drawing: Drawing | None, nav: Sequence[NavItem]) -> str:
    """The plan page; ``drawing`` is ``graph.layout.plan_drawing(plan)``."""
    numbers = {lib.name: n for n, lib in enumerate(plan.libraries, start=1)}
    consumers = ", ".join(plan.projects) or "none given"
    sections = [
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        f"<p>Incubator at <code>{esc(plan.head[:8])}</code>: "
        f"{plural(len(plan.modules), 'module')}, {plural(len(plan.edges), 'import edge')}; "
        f"consumers: {esc(consumers)}. {plural(len(plan.libraries), 'library', 'libraries')} "
        f"in graduation order, each after the libraries it imports "
        f"({esc(plan.granularity.value)} granularity).</p></section>"
    ]
    if drawing is not None and drawing.nodes:
        sections.append(_graph(drawing, numbers))
    sections.append(_overview(plan, numbers))
    sections += [_library(n, lib, numbers) for n, lib in enumerate(plan.libraries, start=1)]
    if plan.cycles:
        sections.append(_cycles(plan.cycles))
    if plan.notes:
        notes = "".join(f"<li>{esc(note)}</li>" for note in plan.notes)
        sections.append(f'<section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2>'
                        f"<ul>{notes}</ul></section>")  # fmt: skip
    return render_page(
        title="Plan",
        heading="Graduation plan",
        current="plan",
        root="",
        nav=nav,
        body="".join(sections),
        data=plan_to_json(plan),
        schema=PLAN_SCHEMA,
    )


# Private


def _graph(drawing: Drawing, numbers: dict[str, int]) -> str:
    def link(node: DrawnNode) -> str | None:
        return f"#lib-{numbers[node.id]}" if node.id in numbers else None

    label = f"Libraries in layers: {plural(len(drawing.nodes), 'library', 'libraries')}"
    return (
        '<section aria-labelledby="graph-h"><h2 id="graph-h">Order</h2>'
        "<p>A library stands right of every library it imports at module level, so the "
        "leftmost graduate first. Arrows point at what a library imports: solid for "
        "module-level imports, dashed for imports inside functions, dotted for module "
        "paths in strings; a red line imports a library that graduates later.</p>"
        '<div class="scroll graph-scroll" role="region" tabindex="0" '
        f'aria-label="{esc(label)}">'
        + render_svg(drawing, svg_id="plan-graph", label=label, link=link)
        + "</div></section>"
    )


def _overview(plan: GraduationPlan, numbers: dict[str, int]) -> str:
    rows = []
    for n, lib in enumerate(plan.libraries, start=1):
        imports = ", ".join(
            f'<a href="#lib-{numbers[name]}">{esc(name)}</a>'
            for name in lib.libraries
            if name in numbers
        )
        rows.append(
            f'<tr><td data-sort-value="{n}">{n}</td><th scope="row">'
            f'<a href="#lib-{n}">{esc(lib.name)}</a></th>'
            f"<td>{esc(', '.join(lib.modules))}</td><td>{lib.lines}</td>"
            f"<td>{esc(', '.join(r.distribution for r in lib.requirements)) or 'none'}</td>"
            f"<td>{imports or 'none'}</td>"
            f"<td>{esc(', '.join(c.project for c in lib.consumers)) or 'none'}</td></tr>"
        )
    headers = [("order", "number"), ("library", "text"), ("modules", "text"),
               ("lines", "number"), ("requires", "text"), ("imports", "text"),
               ("used by", "text")]  # fmt: skip
    return (
        '<section aria-labelledby="libraries-h"><h2 id="libraries-h">Libraries</h2>'
        + table(
            headers,
            rows,
            caption="Libraries in graduation order",
            table_id="libraries",
            filterable=True,
        )  # fmt: skip
        + "</section>"
    )


def _library(number: int, lib: Library, numbers: dict[str, int]) -> str:
    size = ", ".join(
        [plural(len(lib.modules), "module"), plural(lib.files, "file"), plural(lib.lines, "line")]
    )
    facts = [("modules", ", ".join(f"<code>{esc(m)}</code>" for m in lib.modules))]
    if lib.requested:
        facts.append(("requested", esc(", ".join(lib.requested))))
    if lib.baggage is not None:
        bag = lib.baggage
        text = "none"
        if bag.modules:
            text = f"{esc(', '.join(bag.modules))} (+{plural(bag.lines, 'line')}"
            text += f"; adds {esc(', '.join(bag.requirements))})" if bag.requirements else ")"
        facts.append(("baggage", text))
    if lib.reasons:
        reasons = "".join(f"<li>{esc(r)}</li>" for r in lib.reasons)
        facts.append(("together because", f"<ul>{reasons}</ul>"))
    facts.append(("requires", _requirements(lib.requirements)))
    if lib.test_requirements:
        facts.append(("tests require", _requirements(lib.test_requirements)))
    if lib.unmapped:
        facts.append(("unmapped imports", esc(", ".join(lib.unmapped))))
    deps = []
    for dep in lib.dependencies:
        where = (
            f'<a href="#lib-{numbers[dep.library]}">{esc(dep.library)}</a>'
            if dep.library in numbers
            else esc(dep.library)
        )
        notes = [] if dep.kind is DependencyKind.STRONG else [dep.kind.value]
        if dep.later:
            notes.append("graduates later")
        note = f" [{esc(', '.join(notes))}]" if notes else ""
        deps.append(f"<code>{esc(dep.module)}</code> (in {where}){note}")
    facts.append(("imports", ", ".join(deps) or "no other incubator module"))
    if lib.consumers:
        used = "; ".join(
            f"{esc(c.project)} ({plural(c.import_sites, 'import site')} in "
            f"{plural(c.files, 'file')})"
            for c in lib.consumers
        )
        facts.append(("used by", used))
    if lib.api:
        names = ", ".join(
            f"<code>{esc(a.module)}.{esc(a.name)}</code> ({a.uses})"
            for a in sorted(lib.api, key=lambda a: -a.uses)
        )
        facts.append(("API used", names))
    facts.append(("tests", esc(", ".join(lib.tests)) or "none"))
    parts = [
        f'<section class="library" id="lib-{number}" aria-labelledby="lib-{number}-h">'
        f'<h2 id="lib-{number}-h">{number}. {esc(lib.name)} <small>({esc(size)})</small></h2>'
        + definition_list(facts)
    ]
    if lib.bonds:
        parts.append(_bonds(number, lib.bonds))
    if lib.close_calls:
        parts.append(_close_calls(lib.name, lib.close_calls, numbers))
    parts.append("</section>")
    return "".join(parts)


def _requirements(items: Sequence[ThirdParty]) -> str:
    if not items:
        return "standard library only"
    out = []
    for item in items:
        notes = []
        if not item.listed_in:
            notes.append("in no requirements file")
        else:
            notes.append(f"from {item.listed_in}")
        if item.kind is not DependencyKind.STRONG:
            notes.append(f"{item.kind.value} import")
        out.append(f"<code>{esc(item.requirement)}</code> ({esc('; '.join(notes))})")
    return ", ".join(out)


def _bonds(number: int, bonds: Sequence[Bond]) -> str:
    rows = [
        f"<tr><td><code>{esc(b.modules[0])}</code> – <code>{esc(b.modules[1])}</code></td>"
        f'<td data-sort-value="{b.weight}">{b.weight:.2f}</td>'
        f"<td>{esc('; '.join(t.text for t in b.ties))}</td></tr>"
        for b in bonds
    ]
    return "<h3>Evidence: what ties its modules</h3>" + table(
        [("modules", "text"), ("bond", "number"), ("ties", "text")],
        rows,
        caption="Bonds between the library's modules, strongest first",
        table_id=f"bonds-{number}",
    )


def _close_calls(name: str, calls: Sequence[CloseCall], numbers: dict[str, int]) -> str:
    items = []
    for call in calls:
        (a, b), (lib_a, lib_b) = call.bond.modules, call.libraries
        mine, other, where = (a, b, lib_b) if lib_a == name else (b, a, lib_a)
        link = (
            f'<a href="#lib-{numbers[where]}">{esc(where)}</a>' if where in numbers else esc(where)
        )
        ties = "; ".join(t.text for t in call.bond.ties)
        items.append(
            f"<li><code>{esc(mine)}</code> ~ <code>{esc(other)}</code> ({link}), bond "
            f"{call.bond.weight:.2f}: {esc(ties)}. Kept apart: {esc(call.apart)}</li>"
        )
    return f"<h3>Close calls</h3><ul>{''.join(items)}</ul>"


def _cycles(cycles: Sequence[Cycle]) -> str:
    items = []
    for cycle in cycles:
        verdict = (
            "module-level imports close it: these modules graduate together"
            if cycle.forced
            else "closed only through lazy or weak imports: broken at "
            + ", ".join(f"{e.source} → {e.target}" for e in cycle.breaking_edges)
        )
        items.append(f"<li><code>{esc(', '.join(cycle.modules))}</code>: {esc(verdict)}</li>")
    return (
        '<section aria-labelledby="cycles-h"><h2 id="cycles-h">Import cycles</h2>'
        f"<ul>{''.join(items)}</ul></section>"
    )
