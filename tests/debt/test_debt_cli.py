"""``oslo-incubator debt``: the table, the JSON document, exit codes for CI and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from oslo_incubator.cli import main

API = """\
from debtcollector import removals

@removals.remove(removal_version="2.0")
def old_func():
    pass

@removals.remove(removal_version="3.0", message="use New instead")
class Old(object):
    pass
"""
CALLER = "from liba.api import old_func\nold_func()\n"


def project(tmp_path: Path, version: str) -> Path:
    root = tmp_path / "liba"
    files = {
        "setup.cfg": f"[metadata]\nname = liba\nversion = {version}\n",
        "liba/__init__.py": "",
        "liba/api.py": API,
        "liba/user.py": CALLER,
        "liba/legacy.py": "def f(:\n    pass\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["debt", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_table_marks_overdue_and_counts_uses(tmp_path: Path) -> None:
    code, out, _ = run(str(project(tmp_path, "2.1")))
    assert code == 0
    assert out == (
        "  project  version  from       release\n"
        "  liba     2.1      setup.cfg  -\n"
        "\n"
        "  deprecated         kind      declared at         replacement  removal  status   uses  possible\n"
        "  liba.api.old_func  function  liba:liba/api.py:3  -            2.0      OVERDUE  2     0\n"
        "  liba.api.Old       class     liba:liba/api.py:7  New          3.0      pending  0     0\n"
        "\n"
        "2 deprecations in 1 project(s): 1 overdue, 1 pending; 2 use(s), 0 possible\n"
        "4 files scanned, 1 skipped because they do not parse; -v lists them\n"
    )


def test_fail_on_overdue_exits_1_only_when_something_is_overdue(tmp_path: Path) -> None:
    root = project(tmp_path, "2.0")
    assert run("--fail-on-overdue", str(root))[0] == 1
    assert run(str(root))[0] == 0
    (root / "setup.cfg").write_text("[metadata]\nname = liba\nversion = 1.9\n")
    assert run("--fail-on-overdue", str(root))[0] == 0


def test_json_document_has_schema_items_uses_and_summary(tmp_path: Path) -> None:
    code, out, _ = run("--format", "json", str(project(tmp_path, "1.0")))
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "oslo-incubator.debt/1"
    assert doc["projects"] == [
        {"name": "liba", "path": str(tmp_path / "liba"), "version": "1.0",
         "version_source": "setup.cfg", "release": None}
    ]  # fmt: skip
    first = doc["deprecations"][0]
    assert {k: first[k] for k in ("name", "kind", "source", "api", "line", "status")} == {
        "name": "liba.api.old_func", "kind": "function", "source": "debtcollector",
        "api": "removals.remove", "line": 3, "status": "pending",
    }  # fmt: skip
    assert first["status_reason"] == "1.0 is before 2.0"
    assert first["uses"] == [
        {"project": "liba", "path": "liba/user.py", "line": 1, "kind": "import",
         "scope": "liba.user", "confidence": "certain", "reason": None},
        {"project": "liba", "path": "liba/user.py", "line": 2, "kind": "call",
         "scope": "liba.user", "confidence": "certain", "reason": None},
    ]  # fmt: skip
    assert doc["skipped"] == [
        {"project": "liba", "path": "liba/legacy.py", "line": 1,
         "reason": "invalid syntax"}
    ]  # fmt: skip
    assert doc["summary"] == {
        "deprecations": 2, "overdue": 0, "pending": 2, "unscheduled": 0, "unknown": 0,
        "uses": 2, "possible_uses": 0, "files_scanned": 4, "files_skipped": 1,
    }  # fmt: skip


def test_verbose_lists_uses_reasons_and_skipped_files(tmp_path: Path) -> None:
    code, out, _ = run("-v", str(project(tmp_path, "2.1")))
    assert code == 0
    assert "  removal: overdue (2.1 has reached 2.0)\n" in out
    assert "  call          liba:liba/user.py:2 in liba.user\n" in out
    assert "skipped (do not parse):\n  liba:liba/legacy.py:1: invalid syntax" in out
    assert "-v lists them" not in out


def test_a_file_instead_of_a_project_exits_2_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "setup.py"
    path.write_text("x = 1\n")
    code, out, err = run(str(path))
    assert (code, out) == (2, "")
    assert err == f"oslo-incubator: error: {path}: not a project directory (it is a file)\n"


def test_a_missing_directory_exits_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope"))
    assert code == 2
    assert err == f"oslo-incubator: error: {tmp_path / 'nope'}: no such project directory\n"


def test_an_unknown_release_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("--release", "Zebra", str(project(tmp_path, "1.0")))
    assert code == 2
    assert "'Zebra' is not a release letter, name or series" in err
