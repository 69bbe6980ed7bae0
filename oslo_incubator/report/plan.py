"""Render a graduation plan: a numbered sequence for people, JSON, and DOT for a picture."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from oslo_incubator.model.codec import to_jsonable
from oslo_incubator.model.plan import (
    CloseCall,
    Cycle,
    DependencyKind,
    GraduationPlan,
    Library,
    ModuleDependency,
    ModuleEdge,
    ThirdParty,
)

PLAN_SCHEMA = "oslo-incubator.plan/2"
# API names shown per library in text; JSON has them all.
TEXT_API_LIMIT = 12
_WIDTH = 99
_LABEL = 18  # width of the field labels in a library block


def plan_to_json(plan: GraduationPlan) -> dict[str, Any]:
    """The ``oslo-incubator.plan/2`` document (see doc/source/graduate.rst)."""
    return {
        "schema": PLAN_SCHEMA,
        "incubator": {
            "path": plan.incubator,
            "head": plan.head,
            "package_root": plan.package_root.path,
        },
        "projects": list(plan.projects),
        "requested": list(plan.requested),
        "granularity": plan.granularity.value,
        "weights": {signal.value: weight for signal, weight in plan.weights},
        "libraries": [_library_json(n, lib) for n, lib in enumerate(plan.libraries, start=1)],
        "cycles": to_jsonable(plan.cycles),
        "modules": [
            {**to_jsonable(m), "requirements": [_third_party_json(r) for r in m.requirements]}
            for m in plan.modules
        ],
        "edges": to_jsonable(plan.edges),
        "notes": list(plan.notes),
        "released": list(plan.released),
    }


def render_plan_json(plan: GraduationPlan) -> str:
    """:func:`plan_to_json` as indented text."""
    return json.dumps(plan_to_json(plan), indent=2) + "\n"


def render_plan_text(plan: GraduationPlan) -> str:
    """One numbered block per library in graduation order, then the cycles and notes."""
    consumers = ", ".join(plan.projects) or "none given"
    out = [
        f"incubator {plan.incubator} at {plan.head[:8]}: {len(plan.modules)} modules, "
        f"{len(plan.edges)} import edges; consumers: {consumers}",
        "",
        f"{len(plan.libraries)} libraries in graduation order "
        f"(each after the libraries it imports; {plan.granularity.value} granularity):",
    ]
    width = len(str(len(plan.libraries)))
    for number, library in enumerate(plan.libraries, start=1):
        out.append("")
        out += _library_block(f"{number:>{width}}. ", library, bool(plan.projects))
    if plan.cycles:
        out.append("")
        out.append("import cycles:")
        for cycle in plan.cycles:
            libraries = {lib.name for m in cycle.modules if (lib := plan.library_of(m))}
            out += _cycle_block(cycle, libraries)
    if plan.notes:
        out.append("")
        out.append("notes:")
        out += [f"  {note}" for note in plan.notes]
    return "\n".join(out) + "\n"


def render_plan_dot(plan: GraduationPlan) -> str:
    """A Graphviz digraph: one cluster per library (numbered in order, what holds it
    together as its tooltip), a node per module, import edges solid (strong), dashed
    (lazy) or dotted (weak); the edges a cycle is broken at are red; close calls are
    gray dotted lines without arrows, what kept them apart as their tooltip."""
    breaking = {(e.source, e.target) for c in plan.cycles for e in c.breaking_edges}
    out = ["digraph graduation {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for number, library in enumerate(plan.libraries, start=1):
        out.append(f"  subgraph {_dot_id(f'cluster_{number}')} {{")
        out.append(f"    label={_dot_id(f'{number}. {library.name}')};")
        if library.reasons:
            out.append(f"    tooltip={_dot_id('; '.join(library.reasons))};")
        for module in library.modules:
            lines = next((m.lines for m in plan.modules if m.name == module), 0)
            style = ", style=bold" if module in library.requested else ""
            label = _dot_label(module, f"{lines} lines")
            out.append(f"    {_dot_id(module)} [label={label}{style}];")
        out.append("  }")
    for edge in plan.edges:
        attrs = [f"style={_EDGE_STYLE[edge.kind]}", f"tooltip={_dot_id(_site_text(edge))}"]
        if (edge.source, edge.target) in breaking:
            attrs.append("color=red")
        out.append(f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)} [{', '.join(attrs)}];")
    seen = set()
    for library in plan.libraries:
        for call in library.close_calls:
            a, b = call.bond.modules
            if (a, b) in seen:
                continue
            seen.add((a, b))
            tip = f"bond {call.bond.weight:.2f}; apart: {call.apart}"
            out.append(
                f"  {_dot_id(a)} -> {_dot_id(b)} [dir=none, style=dotted, color=gray, "
                f"constraint=false, tooltip={_dot_id(tip)}];"
            )
    out.append("}")
    return "\n".join(out) + "\n"


# Private

_EDGE_STYLE = {
    DependencyKind.STRONG: "solid",
    DependencyKind.LAZY: "dashed",
    DependencyKind.WEAK: "dotted",
}


def _library_json(number: int, library: Library) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(library)
    data["position"] = number
    data["requirements"] = [_third_party_json(r) for r in library.requirements]
    data["test_requirements"] = [_third_party_json(r) for r in library.test_requirements]
    data["libraries"] = list(library.libraries)
    return data


def _third_party_json(item: ThirdParty) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(item)
    data["requirement"] = item.requirement
    return data


def _library_block(head: str, library: Library, with_consumers: bool) -> list[str]:
    size = ", ".join(
        [
            _count(len(library.modules), "module"),
            _count(library.files, "file"),
            _count(library.lines, "line"),
        ]
    )
    out = [f"{head}{library.name}  ({size})"]
    pad = " " * len(head)
    fields: list[tuple[str, str]] = [("modules", ", ".join(library.modules))]
    if library.requested:
        fields.append(("requested", ", ".join(library.requested)))
    if library.baggage is not None:
        bag = library.baggage
        text = "none"
        if bag.modules:
            text = f"{', '.join(bag.modules)} (+{bag.lines} lines"
            text += f"; adds {', '.join(bag.requirements)})" if bag.requirements else ")"
        fields.append(("baggage", text))
    if library.reasons:
        fields.append(("together because", "; ".join(library.reasons)))
    if with_consumers:
        fields.append(("used by", _consumers_text(library)))
        fields.append(("api used", _api_text(library)))
    fields.append(("requires", _requirements_text(library.requirements, "requirements.txt")))
    if library.test_requirements:
        tests = _requirements_text(library.test_requirements, "test-requirements.txt")
        fields.append(("test requires", tests))
    if library.unmapped:
        fields.append(("unmapped", ", ".join(library.unmapped)))
    fields.append(("imports", _dependencies_text(library.dependencies)))
    fields.append(("tests", ", ".join(library.tests) or "none"))
    for call in library.close_calls:
        fields.append(("close call", _close_call_text(call, library.name)))
    for label, value in fields:
        out += _field(pad, label, value)
    return out


def _close_call_text(call: CloseCall, library: str) -> str:
    (a, b), (lib_a, lib_b) = call.bond.modules, call.libraries
    mine, other, where = (a, b, lib_b) if lib_a == library else (b, a, lib_a)
    ties = "; ".join(t.text for t in call.bond.ties)
    return f"{mine} ~ {other} ({where}), bond {call.bond.weight:.2f}: {ties}. Apart: {call.apart}"


def _field(pad: str, label: str, value: str) -> list[str]:
    lead = f"{pad}   {label + ':':<{_LABEL}} "
    return textwrap.wrap(
        value,
        width=_WIDTH,
        initial_indent=lead,
        subsequent_indent=" " * len(lead),
        break_on_hyphens=False,
    ) or [lead.rstrip()]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _consumers_text(library: Library) -> str:
    if not library.consumers:
        return "no consumer imports it"
    return "; ".join(
        f"{c.project} ({_count(c.import_sites, 'import site')} in {_count(c.files, 'file')})"
        for c in library.consumers
    )


def _api_text(library: Library) -> str:
    if not library.api:
        return "none"
    several = len(library.modules) > 1
    names = [
        f"{f'{a.module}.' if several else ''}{a.name} ({a.uses})"
        for a in sorted(library.api, key=lambda a: -a.uses)[:TEXT_API_LIMIT]
    ]
    rest = len(library.api) - len(names)
    return ", ".join(names) + (f", and {rest} more" if rest > 0 else "")


def _requirements_text(items: Sequence[ThirdParty], expected_file: str) -> str:
    if not items:
        return "standard library only"
    parts = []
    for item in items:
        notes = []
        if not item.listed_in:
            notes.append("in no requirements file")
        elif item.listed_in != expected_file:
            notes.append(f"from {item.listed_in}")
        if item.kind is not DependencyKind.STRONG:
            notes.append(f"{item.kind.value} import")
        parts.append(item.requirement + (f" [{'; '.join(notes)}]" if notes else ""))
    return ", ".join(parts)


def _dependencies_text(dependencies: Iterable[ModuleDependency]) -> str:
    parts = []
    for dep in dependencies:
        text = dep.module if dep.module == dep.library else f"{dep.module} (in {dep.library})"
        notes = [] if dep.kind is DependencyKind.STRONG else [dep.kind.value]
        if dep.later:
            notes.append("graduates later")
        parts.append(text + (f" [{', '.join(notes)}]" if notes else ""))
    return ", ".join(parts) or "no other incubator module"


def _cycle_block(cycle: Cycle, libraries: set[str]) -> list[str]:
    if cycle.forced:
        verdict = "module-level imports close it: these modules graduate together"
        fix = "to split them, remove"
    elif len(libraries) == 1:
        verdict = (
            "closed only through lazy or weak imports, and its modules share "
            f"library {next(iter(libraries))} for other reasons"
        )
        fix = "it could be broken at"
    else:
        verdict = "closed only through lazy or weak imports: the plan breaks it"
        fix = "broken at"
    exact = "" if cycle.exact else " (greedy estimate, too large to search exactly)"
    out = [f"  {', '.join(cycle.modules)}", f"    {verdict}; {fix}{exact}:"]
    out += [f"      {_edge_text(e)}" for e in cycle.breaking_edges]
    out.append("    all its imports:")
    out += [f"      {_edge_text(e)}" for e in cycle.edges]
    return out


def _edge_text(edge: ModuleEdge) -> str:
    return f"{edge.source} -> {edge.target} ({edge.kind.value}) {_site_text(edge)}"


def _site_text(edge: ModuleEdge) -> str:
    return ", ".join(f"{s.path}:{s.line}" for s in edge.sites)


def _dot_id(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _dot_label(*lines: str) -> str:
    """A quoted label of several lines (DOT's ``\\n`` line break)."""
    body = "\\n".join(_dot_id(line)[1:-1] for line in lines)
    return f'"{body}"'
