"""Findings can be ignored inline or in the configuration, baselined, or limited to a
change (--since); what is waived is still reported, it just does not fail."""

from __future__ import annotations

import json
from pathlib import Path

from check_fixtures import CONFIG_PY, SERVICE_PY, Workspace, findings_of

from oslo_incubator.history.git import run_git

IMPORT = "from keystone.openstack.common import log"


def test_an_inline_ignore_waives_the_finding_on_its_line(keystone: Workspace) -> None:
    ignored = CONFIG_PY.replace(
        IMPORT, IMPORT + "  # oslo-incubator: ignore[drift/graduated-import]"
    )
    keystone.project.write({"keystone/common/config.py": ignored})
    code, doc = keystone.check_json()
    assert code == 0
    assert findings_of(doc)[0] == (
        "drift/graduated-import", "keystone/common/config.py", 1, "error", "inline",
    )  # fmt: skip
    code, out = keystone.check()
    assert "not counted: 1 ignored inline" in out
    assert "config.py:1" not in out


def test_an_inline_ignore_of_another_rule_waives_nothing(keystone: Workspace) -> None:
    other = CONFIG_PY.replace(
        IMPORT, IMPORT + "  # oslo-incubator: ignore[drift/graduated-string]"
    )
    keystone.project.write({"keystone/common/config.py": other})
    assert keystone.check()[0] == 1


def test_a_bare_ignore_and_a_list_of_globs_both_work(keystone: Workspace) -> None:
    text = (
        CONFIG_PY.replace(IMPORT, IMPORT + "  # oslo-incubator: ignore")
        .replace("'keystone.openstack.common.log')", "'keystone.openstack.common.log')  # oslo-incubator: ignore[drift/x, drift/graduated-*]")
    )  # fmt: skip
    keystone.project.write({"keystone/common/config.py": text})
    code, doc = keystone.check_json("--fail-level", "warning")
    assert code == 1  # the alias table on line 6 is not ignored
    assert [(f[2], f[4]) for f in findings_of(doc)] == [(1, "inline"), (3, "inline"), (6, None)]


def test_configuration_ignores_take_a_rule_and_path_globs(keystone: Workspace) -> None:
    conf = keystone.path / "openstack-common.conf"
    conf.write_text(
        conf.read_text()
        + "check_ignore = drift/graduated-string keystone/common/*\n"
        + "check_ignore = drift/graduated-import keystone/other/*\n"
    )
    code, doc = keystone.check_json("--fail-level", "warning")
    assert code == 1
    assert [f[4] for f in findings_of(doc)] == [None, "config", "config"]


def test_pyproject_ignores_are_tables_or_strings(keystone: Workspace) -> None:
    (keystone.path / "openstack-common.conf").unlink()
    (keystone.path / "pyproject.toml").write_text(
        '[tool.oslo-incubator]\nbase = "keystone"\n'
        'modules = ["log", "jsonutils", "rpc"]\n'
        'check-ignore = [\n  {rule = "drift/graduated-*", paths = ["keystone/common/config.py"]},\n]\n'
    )
    code, doc = keystone.check_json()
    assert code == 0
    assert [f[4] for f in findings_of(doc)] == ["config", "config", "config"]


def test_an_unknown_rule_in_the_configuration_is_bad_input(keystone: Workspace) -> None:
    conf = keystone.path / "openstack-common.conf"
    conf.write_text(conf.read_text() + "check_ignore = drift/graduated-imports\n")
    code, out = keystone.check()
    assert code == 2
    assert (
        "openstack-common.conf:6: check_ignore: 'drift/graduated-imports' matches no rule" in out
    )


def test_a_baseline_fails_only_on_a_new_finding(keystone: Workspace, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, out = keystone.check("--write-baseline", str(baseline))
    assert code == 0, out
    recorded = json.loads(baseline.read_text())
    assert recorded["schema"] == "oslo-incubator.check-baseline/1"
    assert [(e["rule"], e["path"], e["module"]) for e in recorded["findings"]] == [
        ("drift/graduated-import", "keystone/common/config.py", "log"),
        ("drift/graduated-string", "keystone/common/config.py", "log"),
        ("drift/graduated-string", "keystone/common/config.py", "rpc"),
    ]
    assert keystone.check("--baseline", str(baseline))[0] == 0
    # Lines move (a licence header on top): the fingerprints stay.
    keystone.project.write(
        {
            "keystone/common/config.py": "# Copyright\n#\n\n"
            + CONFIG_PY.replace("    '", "        '")
        }
    )
    code, doc = keystone.check_json("--baseline", str(baseline))
    assert code == 0
    assert [(f[2], f[4]) for f in findings_of(doc)] == [
        (4, "baseline"),
        (6, "baseline"),
        (9, "baseline"),
    ]
    # A new import elsewhere fails, alone.
    keystone.project.write({"keystone/service.py": SERVICE_PY})
    code, doc = keystone.check_json("--baseline", str(baseline))
    assert code == 1
    assert [(f[1], f[4]) for f in findings_of(doc) if f[4] is None] == [
        ("keystone/service.py", None)
    ]
    code, out = keystone.check("--baseline", str(baseline))
    assert "check FAILED: 1 problem(s)" in out and "3 in the baseline" in out


def test_a_second_identical_line_is_a_new_finding(keystone: Workspace, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    keystone.check("--write-baseline", str(baseline))
    keystone.project.write({"keystone/common/config.py": CONFIG_PY + IMPORT + "\n"})
    code, doc = keystone.check_json("--baseline", str(baseline))
    assert code == 1
    assert [f["line"] for f in doc["findings"] if f["fails"]] == [8]


def test_a_diverged_copy_with_a_new_local_change_leaves_the_baseline(
    keystone: Workspace, tmp_path: Path
) -> None:
    copy = keystone.path / "keystone/openstack/common/jsonutils.py"
    copy.write_text(copy.read_text().replace("dumps(v)", "dumps(v, indent=1)"))
    baseline = tmp_path / "baseline.json"
    keystone.check("--fail-on", "diverged", "--write-baseline", str(baseline))
    assert keystone.check("--fail-on", "diverged", "--baseline", str(baseline))[0] == 0
    copy.write_text(copy.read_text().replace("import json", "import json  # local"))
    assert keystone.check("--fail-on", "diverged", "--baseline", str(baseline))[0] == 1


def test_a_baseline_that_is_not_one_is_bad_input(keystone: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  nope\n")
    code, out = keystone.check("--baseline", str(bad))
    assert code == 2
    assert f"{bad}:2: invalid JSON" in out


def test_since_fails_only_on_what_changed_since_the_commit(keystone: Workspace) -> None:
    # Before: an import of a graduated module and a diverged copy, both committed.
    copy = "keystone/openstack/common/jsonutils.py"
    keystone.project.write({copy: (keystone.path / copy).read_text() + "\nX = 1\n"})
    before = keystone.project.commit("Local patch")
    assert keystone.check("--fail-on", "diverged,graduated-import", "--since", before)[0] == 0
    # Lines shift in one file, and a new file imports a graduated module.
    keystone.project.commit(
        "More imports",
        {
            "keystone/common/config.py": "import os\n" + CONFIG_PY,
            "keystone/service.py": SERVICE_PY,
        },
    )
    code, doc = keystone.check_json("--fail-on", "diverged,graduated-import", "--since", before)
    assert code == 1
    assert [(f[0], f[1], f[2], f[4]) for f in findings_of(doc)] == [
        ("drift/diverged", copy, None, "unchanged"),
        ("drift/graduated-import", "keystone/service.py", 1, None),
        ("drift/graduated-import", "keystone/common/config.py", 2, "unchanged"),
        ("drift/graduated-string", "keystone/common/config.py", 4, "unchanged"),
        ("drift/graduated-string", "keystone/common/config.py", 7, "unchanged"),
    ]
    assert doc["since"] == before
    # The copy changes again in the work tree (uncommitted): now it counts.
    keystone.project.write({copy: (keystone.path / copy).read_text() + "Y = 2\n"})
    code, doc = keystone.check_json("--fail-on", "diverged", "--since", "HEAD")
    assert code == 1
    assert [(f[0], f[4]) for f in findings_of(doc)] == [("drift/diverged", None)]
    code, out = keystone.check("--fail-on", "graduated-import", "--since", "HEAD")
    assert code == 0
    assert f"4 unchanged since {keystone.project.head()[:8]}" in out


def test_since_an_untracked_file_is_all_new(keystone: Workspace) -> None:
    head = keystone.project.head()
    (keystone.path / "keystone/new.py").write_text(SERVICE_PY)
    code, doc = keystone.check_json("--since", head)
    assert [(f["path"], f["fails"]) for f in doc["findings"] if f["fails"]] == [
        ("keystone/new.py", True)
    ]


def test_since_a_missing_module_counts_when_the_configuration_changed(keystone: Workspace) -> None:
    head = keystone.project.head()
    conf = keystone.path / "openstack-common.conf"
    conf.write_text(conf.read_text() + "module=timeutils\n")
    code, doc = keystone.check_json("--since", head)
    assert code == 1
    assert [(f["rule"], f["module"]) for f in doc["findings"] if f["fails"]] == [
        ("drift/missing", "timeutils")
    ]
    run_git(keystone.path, "add", "-A")
    run_git(keystone.path, "commit", "-q", "-m", "declare timeutils")
    assert keystone.check("--since", "HEAD")[0] == 0


def test_since_an_unknown_commit_or_no_repository_is_bad_input(
    keystone: Workspace, tmp_path: Path
) -> None:
    code, out = keystone.check("--since", "no-such-rev")
    assert code == 2
    assert "--since no-such-rev: no such commit" in out


def test_an_unwritable_output_or_baseline_exits_2(keystone: Workspace, tmp_path: Path) -> None:
    for option in ("-o", "--write-baseline"):
        code, out = keystone.check(option, "/nonexistent/dir/x.sarif")
        assert code == 2, option
        assert "/nonexistent/dir/x.sarif" in out
        assert "Traceback" not in out
