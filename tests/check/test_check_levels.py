"""Rules have ids and levels: a module path in a string is a warning, an import an error."""

from __future__ import annotations

from check_fixtures import CONFIG_PY, Workspace


def test_a_string_table_is_a_warning_that_does_not_fail(keystone: Workspace) -> None:
    keystone.project.commit(
        "Use oslo.log", {"keystone/common/config.py": CONFIG_PY.replace(
            "from keystone.openstack.common import log", "from oslo_log import log")}
    )  # fmt: skip
    code, doc = keystone.check_json()
    assert code == 0, doc
    assert doc["passed"] is True
    assert [
        (f["rule"], f["line"], f["level"], f["module"], f["fails"]) for f in doc["findings"]
    ] == [
        ("drift/graduated-string", 3, "warning", "log", False),
        ("drift/graduated-string", 6, "warning", "rpc", False),
    ]
    code, out = keystone.check()
    assert code == 0
    assert (
        "keystone: warning: keystone/common/config.py:3: names keystone.openstack.common.log "
        "in a string, obsolete (replaced by oslo.log) in master [drift/graduated-string]"
    ) in out
    assert out.rstrip().endswith(
        "check passed: 0 problem(s) in 5 copies (2 warnings below --fail-level error)"
    )


def test_fail_level_warning_fails_on_strings_too(keystone: Workspace) -> None:
    code, doc = keystone.check_json("--fail-level", "warning")
    assert code == 1
    assert [(f["rule"], f["line"], f["fails"]) for f in doc["findings"]] == [
        ("drift/graduated-import", 1, True),
        ("drift/graduated-string", 3, True),
        ("drift/graduated-string", 6, True),
    ]


def test_the_import_is_an_error_and_fails_by_default(keystone: Workspace) -> None:
    code, out = keystone.check()
    assert code == 1
    assert out.splitlines()[0] == (
        "keystone: error: keystone/common/config.py:1: imports keystone.openstack.common.log, "
        "obsolete (replaced by oslo.log) in master [drift/graduated-import]"
    )
    assert "check FAILED: 1 problem(s) in 5 copies (2 warnings below" in out


def test_json_names_the_rules_with_level_help_and_link(keystone: Workspace) -> None:
    _, doc = keystone.check_json()
    assert doc["schema"] == "oslo-incubator.check/3"
    assert doc["counts"] == {
        "failing": 1,
        "error": 1,
        "warning": 2,
        "note": 0,
        "waived": {"inline": 0, "config": 0, "baseline": 0, "unchanged": 0},
    }
    rules = {r["id"]: r for r in doc["rules"]}
    assert set(rules) == {"drift/graduated-import", "drift/graduated-string"}
    assert rules["drift/graduated-string"]["level"] == "warning"
    assert rules["drift/graduated-string"]["help_uri"].endswith(
        "check.html#rule-drift-graduated-string"
    )
    assert "driver-alias table" in rules["drift/graduated-string"]["help"]


def test_a_string_table_in_a_python_2_file_is_still_a_string(keystone: Workspace) -> None:
    keystone.project.commit(
        "Python 2", {"keystone/common/config.py": "print 'x'\n" + CONFIG_PY[CONFIG_PY.index("\n") + 1:]}
    )  # fmt: skip
    code, doc = keystone.check_json()
    assert code == 0
    assert [(f["rule"], f["line"]) for f in doc["findings"]] == [
        ("drift/graduated-string", 3),
        ("drift/graduated-string", 6),
    ]


def test_every_rule_is_documented_where_its_help_uri_points() -> None:
    from pathlib import Path

    from oslo_incubator.model.check import RULES

    text = (Path(__file__).resolve().parents[2] / "doc/source/check.rst").read_text()
    for rule in RULES.values():
        assert f".. _{rule.anchor}:" in text, rule.id
        assert rule.help_uri.endswith(f"check.html#{rule.anchor}")
