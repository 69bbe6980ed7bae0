"""The places a check runs: the pre-commit hooks at the repository root, and the Zuul
job and GitHub Actions workflow in doc/source/ci/, each run against a sample workspace
as the CI system would run it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from check_fixtures import SERVICE_PY, Workspace, build_keystone

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "doc/source/ci"
BIN = str(Path(sys.executable).parent)  # where this environment's oslo-incubator is
STRINGS_ONLY = "NAMES = ['keystone.openstack.common.log']\n"


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], **extra}


def change(workspace: Workspace, files: dict[str, str]) -> str:
    """Commit a change on top of the sample project; return the commit it starts from."""
    base = workspace.project.head()
    workspace.project.commit("A change under review", files)
    return base


# pre-commit


def test_the_hook_manifest_is_valid() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["check", "check-system"]
    assert {h["entry"] for h in hooks} == {"oslo-incubator check"}
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=ROOT, capture_output=True, text=True, env=env(), check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs this repository's git checkout")
@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_check_offline(tmp_path: Path) -> None:
    workspace = build_keystone(tmp_path)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "check-system",
               "--all-files"]  # fmt: skip
    run_env = env(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit"), OSLO_INCUBATOR=str(workspace.incubator)
    )

    # The sample's own code imports a graduated module: the hook fails, naming it.
    proc = subprocess.run(command, cwd=workspace.path, capture_output=True, text=True,
                          env=run_env, check=False)  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "keystone/common/config.py:1: imports keystone.openstack.common.log" in proc.stdout
    assert "oslo-incubator check (installed)" in proc.stdout and "Failed" in proc.stdout

    # With the import gone only the strings are left: warnings, and the hook passes.
    config = workspace.path / "keystone/common/config.py"
    config.write_text(
        config.read_text().replace("from keystone.openstack.common import log\n", "")
    )
    workspace.project.commit("Use oslo.log")
    proc = subprocess.run(command, cwd=workspace.path, capture_output=True, text=True,
                          env=run_env, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


# Zuul


def test_the_zuul_job_runs_its_playbook_command_on_a_change(tmp_path: Path) -> None:
    jobs = yaml.safe_load((CI / "zuul.yaml").read_text())
    (job,) = [item["job"] for item in jobs if "job" in item]
    (project,) = [item["project"] for item in jobs if "project" in item]
    assert project["check"]["jobs"] == [job["name"]] == project["gate"]["jobs"]
    assert job["required-projects"] == ["openstack/oslo-incubator"]
    playbook = yaml.safe_load((CI / job["run"]).read_text())
    tasks = {task["name"]: task for task in playbook[0]["tasks"]}
    assert "pip" in tasks["Install oslo-incubator"]
    (task,) = [t for t in tasks.values() if "shell" in t]

    # Zuul's layout: the change and oslo-incubator under src/ of the user's home.
    home = tmp_path / "home"
    src = "src/opendev.org/openstack"
    workspace = build_keystone(home / src, incubator="oslo-incubator", project="keystone")
    assert job["vars"]["oslo_incubator_venv"] == "{{ ansible_user_dir }}/.venv-oslo-incubator"
    variables = {
        "ansible_user_dir": str(home),
        # What the playbook's pip task installs there is installed here already.
        "oslo_incubator_venv": str(Path(BIN).parent),
        "zuul.project.src_dir": f"{src}/keystone",
        "zuul.projects[oslo_incubator_repo].src_dir": f"{src}/oslo-incubator",
    }

    def run_task() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            render(task["shell"], variables), shell=True, text=True, capture_output=True,
            cwd=render(task["args"]["chdir"], variables), env=env(), check=False,
        )  # fmt: skip

    # A change that only adds strings naming a graduated module passes (a warning);
    # the import the project already had is not the change's doing.
    change(workspace, {"keystone/names.py": STRINGS_ONLY})
    proc = run_task()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning: keystone/names.py:1: names keystone.openstack.common.log" in proc.stdout
    assert "not counted: 3 unchanged since" in proc.stdout
    # A change that adds an import fails.
    change(workspace, {"keystone/service.py": SERVICE_PY})
    proc = run_task()
    assert proc.returncode == 1
    assert "keystone/service.py:1: imports keystone.openstack.common.log" in proc.stdout


def render(text: str, variables: dict[str, str]) -> str:
    """Replace each ``{{ expression }}`` by its value; every one must be known."""

    def value(match: re.Match[str]) -> str:
        return variables[match.group(1).strip()]

    rendered = re.sub(r"\{\{(.*?)\}\}", value, text)
    assert "{{" not in rendered
    return rendered


# GitHub Actions


@pytest.mark.slow
def test_the_github_workflow_checks_a_pull_request_into_sarif(tmp_path: Path) -> None:
    workflow = yaml.safe_load((CI / "github-actions.yaml").read_text())
    assert set(workflow[True]) == {"pull_request", "push"}  # YAML 1.1 reads "on" as true
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert [s["with"]["path"] for s in checkouts] == ["project", "oslo-incubator"]
    assert all(s["with"]["fetch-depth"] == 0 for s in checkouts)
    (step,) = [s for s in steps if s.get("id") == "check"]
    (upload,) = [
        s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    ]
    assert upload["if"] == "always()"

    # GitHub's layout: both checkouts side by side in the workspace.
    workspace = build_keystone(tmp_path, incubator="oslo-incubator", project="project")
    base = change(workspace, {"keystone/service.py": SERVICE_PY})
    sarif_path = tmp_path / upload["with"]["sarif_file"]

    def run_step(base_sha: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
        assert step["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=tmp_path / step["working-directory"],
            text=True, capture_output=True, env=env(BASE=base_sha), check=False,
        )  # fmt: skip
        return proc, json.loads(sarif_path.read_text())

    proc, sarif = run_step(base)  # a pull request
    assert proc.returncode == 1, proc.stdout + proc.stderr
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema, cls=jsonschema.Draft4Validator)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results if r["baselineState"] == "new"] == [
        ("drift/graduated-import", "new")
    ]
    proc, sarif = run_step("")  # a push: everything counts
    assert proc.returncode == 1
    assert all("baselineState" not in r for r in sarif["runs"][0]["results"])
