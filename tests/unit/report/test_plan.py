"""report/plan.py: a graduation plan as numbered text, as the plan/2 JSON document and
as Graphviz DOT (the plan itself comes from conftest.py)."""

from __future__ import annotations

import dataclasses
import json

from oslo_incubator.model.plan import GraduationPlan
from oslo_incubator.report.plan import (
    PLAN_SCHEMA,
    TEXT_API_LIMIT,
    plan_to_json,
    render_plan_dot,
    render_plan_json,
    render_plan_text,
)


def _block(text: str, head: str) -> str:
    """The text block of one library, from its numbered head to the next blank line."""
    start = text.index(head)
    end = text.find("\n\n", start)
    return text[start : end if end != -1 else None]


def _fields(lines: list[str]) -> dict[str, str]:
    """``label: value`` of a block's lines, wrapped values joined again."""
    fields: dict[str, str] = {}
    label = ""
    for line in lines:
        if line[6:24].strip():
            label = line[6:24].strip()
            fields[label] = line[25:]
        else:
            fields[label] += " " + line[25:]
    return fields


def test_json_document_head(plan: GraduationPlan) -> None:
    doc = plan_to_json(plan)
    assert doc["schema"] == PLAN_SCHEMA
    assert doc["incubator"] == {
        "path": "/src/oslo-incubator",
        "head": "a" * 40,
        "package_root": "openstack/common",
    }
    assert doc["granularity"] == "fine"
    assert doc["weights"] == {"co-change": 1.0, "name": 0.25}
    assert (doc["projects"], doc["requested"], doc["released"]) == (
        ["nova", "glance"],
        ["log"],
        ["oslo.config"],
    )


def test_json_libraries_are_numbered_with_requirement_lines(plan: GraduationPlan) -> None:
    i18n, log = plan_to_json(plan)["libraries"]
    assert (i18n["position"], i18n["name"], i18n["libraries"]) == (1, "oslo.i18n", ["oslo.log"])
    assert log["position"] == 2
    assert (
        log["requirements"][0] | {"requirement": "six>=1.7", "kind": "strong"}
        == (log["requirements"][0])
    )
    assert log["requirements"][1]["requirement"] == "eventlet; python_version<'3'"
    assert log["test_requirements"][0]["requirement"] == "mock"
    assert log["close_calls"][0]["bond"]["ties"][0]["signal"] == "co-change"
    assert log["baggage"] == {"modules": ["local"], "lines": 120, "requirements": ["six"]}


def test_json_modules_edges_and_cycles(plan: GraduationPlan) -> None:
    doc = json.loads(render_plan_json(plan))
    assert doc == plan_to_json(plan)
    assert [m["name"] for m in doc["modules"]] == ["gettextutils", "local", "log"]
    assert doc["modules"][2]["requirements"][0]["requirement"] == "six>=1.7"
    assert doc["edges"][1] == {
        "source": "local",
        "target": "log",
        "kind": "weak",
        "sites": [{"path": "openstack/common/local.py", "line": 7, "kind": "weak"}],
    }
    assert doc["cycles"][0]["breaking_edges"][0]["source"] == "gettextutils"
    assert doc["notes"] == ["setup.cfg: one line not read <é>"]


def test_text_heading(plan: GraduationPlan) -> None:
    lines = render_plan_text(plan).splitlines()
    assert lines[:3] == [
        "incubator /src/oslo-incubator at aaaaaaaa: 3 modules, 3 import edges; "
        "consumers: nova, glance",
        "",
        "2 libraries in graduation order (each after the libraries it imports; fine granularity):",
    ]


def test_text_block_of_a_full_library(plan: GraduationPlan) -> None:
    block = _block(render_plan_text(plan), "2. oslo.log")
    lines = block.splitlines()
    assert lines[0] == "2. oslo.log  (2 modules, 2 files, 1 line)"
    fields = _fields(lines[1:])
    assert fields["modules:"] == "log, local"
    assert fields["requested:"] == "log"
    assert fields["baggage:"] == "local (+120 lines; adds six)"
    assert fields["together because:"] == "log imports local; requested: log"
    assert fields["used by:"] == (
        "nova (12 import sites in 1 file); glance (1 import site in 3 files)"
    )
    assert fields["requires:"] == (
        "six>=1.7, eventlet; python_version<'3' [from test-requirements.txt; lazy import]"
    )
    assert fields["test requires:"] == "mock [in no requirements file]"
    assert fields["unmapped:"] == "weird_mod"
    assert fields["imports:"] == "gettextutils (in oslo.i18n)"
    assert fields["tests:"] == "tests/unit/test_log.py"
    assert fields["close call:"].startswith(
        "log ~ gettextutils (oslo.i18n), bond 0.81: changed together in 3 commits; "
        "log imports gettextutils."
    )


def test_text_api_lists_the_most_used_names_first_up_to_the_limit(plan: GraduationPlan) -> None:
    block = _block(render_plan_text(plan), "2. oslo.log")
    names = _fields(block.splitlines()[1:])["api used:"].split(", ")
    assert names[0] == "log.name13 (13)"  # qualified: the library has several modules
    assert len(names) == TEXT_API_LIMIT + 1
    assert names[-1] == f"and {14 - TEXT_API_LIMIT} more"


def test_text_long_fields_wrap_under_their_label(plan: GraduationPlan) -> None:
    text = render_plan_text(plan)
    assert all(len(line) <= 99 for line in text.splitlines())
    block = _block(text, "2. oslo.log")
    continuation = [line for line in block.splitlines() if line.startswith(" " * 25)]
    assert continuation  # the api and close call fields are longer than a line


def test_text_block_of_a_bare_library(plan: GraduationPlan) -> None:
    block = _block(render_plan_text(plan), "1. oslo.i18n")
    assert block.splitlines()[0] == "1. oslo.i18n  (1 module, 1 file, 300 lines)"
    assert "used by:           no consumer imports it" in block
    assert "api used:          none" in block
    assert "requires:          standard library only" in block
    assert "imports:           log (in oslo.log) [lazy, graduates later]" in block
    assert "tests:             none" in block
    assert "baggage" not in block and "requested" not in block


def test_text_without_consumers_leaves_out_use_fields(plan: GraduationPlan) -> None:
    text = render_plan_text(dataclasses.replace(plan, projects=()))
    assert "consumers: none given" in text
    assert "used by:" not in text and "api used:" not in text


def test_text_cycles_and_notes(plan: GraduationPlan) -> None:
    text = render_plan_text(plan)
    cycles = text.split("import cycles:\n", 1)[1]
    assert cycles.startswith(
        "  gettextutils, log\n"
        "    closed only through lazy or weak imports: the plan breaks it; broken at:\n"
        "      gettextutils -> log (lazy) openstack/common/gettextutils.py:40\n"
        "    all its imports:\n"
        "      gettextutils -> log (lazy) openstack/common/gettextutils.py:40\n"
        "      log -> gettextutils (strong) openstack/common/log.py:3\n"
    )
    assert text.endswith("notes:\n  setup.cfg: one line not read <é>\n")


def test_text_cycle_verdicts(plan: GraduationPlan) -> None:
    forced = dataclasses.replace(plan.cycles[0], forced=True, exact=False)
    text = render_plan_text(dataclasses.replace(plan, cycles=(forced,)))
    assert (
        "    module-level imports close it: these modules graduate together; to split them, "
        "remove (greedy estimate, too large to search exactly):"
    ) in text
    together = dataclasses.replace(
        plan, libraries=(dataclasses.replace(plan.libraries[1], modules=("log", "gettextutils")),)
    )
    assert "its modules share library oslo.log for other reasons; it could be broken at:" in (
        render_plan_text(together)
    )


def test_dot_clusters_nodes_and_edges(plan: GraduationPlan) -> None:
    dot = render_plan_dot(plan)
    assert dot.startswith("digraph graduation {\n  rankdir=LR;\n")
    assert dot.endswith("}\n")
    assert '  subgraph "cluster_1" {\n    label="1. oslo.i18n";\n' in dot
    assert '    label="2. oslo.log";\n    tooltip="log imports local; requested: log";\n' in dot
    assert '    "log" [label="log\\n900 lines", style=bold];' in dot
    assert '    "local" [label="local\\n120 lines"];' in dot
    assert (
        '  "gettextutils" -> "log" [style=dashed, '
        'tooltip="openstack/common/gettextutils.py:40", color=red];'
    ) in dot
    assert '  "local" -> "log" [style=dotted, tooltip="openstack/common/local.py:7"];' in dot
    assert '  "log" -> "gettextutils" [style=solid, tooltip="openstack/common/log.py:3"];' in dot


def test_dot_draws_each_close_call_once(plan: GraduationPlan) -> None:
    dot = render_plan_dot(plan)
    close = [line for line in dot.splitlines() if "dir=none" in line]
    assert close == [
        '  "gettextutils" -> "log" [dir=none, style=dotted, color=gray, constraint=false, '
        'tooltip="bond 0.81; apart: an import cycle between them"];'
    ]


def test_dot_quotes_names(plan: GraduationPlan) -> None:
    odd = dataclasses.replace(plan.libraries[0], name='say "hi"\\')
    dot = render_plan_dot(dataclasses.replace(plan, libraries=(odd,), edges=(), cycles=()))
    assert 'label="1. say \\"hi\\"\\\\";' in dot
