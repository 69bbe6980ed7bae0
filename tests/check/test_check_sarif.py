"""SARIF and JUnit carry levels, help, fingerprints and waivers; SARIF is valid 2.1.0."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
from check_fixtures import CONFIG_PY, Workspace

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data/sarif-schema-2.1.0.json").read_text()
)
IGNORED = CONFIG_PY.replace(
    "'keystone.openstack.common.log')",
    "'keystone.openstack.common.log')  # oslo-incubator: ignore",
)


def sarif(workspace: Workspace, *args: str) -> dict:  # type: ignore[type-arg]
    code, out = workspace.check("--format", "sarif", *args)
    assert code in (0, 1), out
    doc = json.loads(out)
    jsonschema.validate(doc, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    return doc


def test_sarif_is_valid_and_carries_rules_with_help(keystone: Workspace) -> None:
    doc = sarif(keystone)
    driver = doc["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    string = rules["drift/graduated-string"]
    assert string["defaultConfiguration"] == {"level": "warning"}
    assert string["helpUri"].endswith("check.html#rule-drift-graduated-string")
    assert "driver-alias table" in string["help"]["text"]
    assert rules["drift/diverged"]["defaultConfiguration"] == {"level": "error"}
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("drift/graduated-import", "error"),
        ("drift/graduated-string", "warning"),
        ("drift/graduated-string", "warning"),
    ]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        (value,) = result["partialFingerprints"].values()
        assert len(value) == 32
        assert "baselineState" not in result and "suppressions" not in result


def test_sarif_fingerprints_do_not_move_with_lines(keystone: Workspace) -> None:
    before = [r["partialFingerprints"] for r in sarif(keystone)["runs"][0]["results"]]
    keystone.project.write({"keystone/common/config.py": "\n\n" + CONFIG_PY})
    moved = sarif(keystone)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in moved] == before
    assert moved[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_sarif_marks_ignored_and_baselined_results(keystone: Workspace, tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    keystone.project.write({"keystone/common/config.py": IGNORED})
    keystone.check("--write-baseline", str(baseline))
    keystone.project.write({"keystone/service.py": "import keystone.openstack.common.log\n"})
    results = sarif(keystone, "--baseline", str(baseline))["runs"][0]["results"]
    assert [(r.get("suppressions"), r["baselineState"]) for r in results] == [
        (None, "new"),
        (None, "unchanged"),
        ([{"kind": "inSource"}], "new"),
        (None, "unchanged"),
    ]


def test_junit_fails_errors_and_skips_what_does_not_fail(keystone: Workspace) -> None:
    code, out = keystone.check("--format", "junit")
    assert code == 1
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    assert (suite.get("failures"), suite.get("skipped"), suite.get("tests")) == ("1", "2", "8")
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "drift/graduated-import"
    skipped = [s.get("message") or "" for s in suite.iter("skipped")]
    assert skipped[0].startswith("drift/graduated-string: warning, below the fail level: ")
