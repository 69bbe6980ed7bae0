"""Sync commits fit Gerrit: OpenStack's message conventions, and the repository's own
commit-msg hook adds its Change-Id."""

from __future__ import annotations

from pathlib import Path

from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.history.git import git_text, run_git

# A commit-msg hook as Gerrit installs one, reduced to what matters here: it refuses a
# message whose subject is too long or lacks the blank line after it, and adds a
# Change-Id trailer (computed from the message, as Gerrit's is) unless there is one.
COMMIT_MSG_HOOK = """\
#!/bin/sh
msg="$1"
subject=$(head -n 1 "$msg")
if [ ${#subject} -gt 72 ]; then echo "commit-msg: subject over 72 characters" >&2; exit 1; fi
if [ -n "$(sed -n 2p "$msg")" ]; then echo "commit-msg: no blank line after the subject" >&2; exit 1; fi
grep -q '^Change-Id:' "$msg" && exit 0
id=$( { git var GIT_COMMITTER_IDENT; cat "$msg"; } | git hash-object --stdin)
git interpret-trailers --in-place --trailer "Change-Id: I$id" "$msg"
"""
LONG_SUBJECT = (
    "Make the correlation middleware keep the request id that the client sent, "
    "when there is one, instead of minting a new one"
)
MODULES = {
    "log": "import logging\n",
    "middleware.correlation_id": "import uuid\n",
    "db.sqlalchemy.migration": "import os\n",
    "report.generators.threading": "import threading\n",
}


def _path(module: str) -> str:
    return "openstack/common/" + module.replace(".", "/") + ".py"


def _packages() -> dict[str, str]:
    inits = {}
    for module in MODULES:
        parts = module.split(".")[:-1]
        for n in range(1, len(parts) + 1):
            inits["openstack/common/" + "/".join(parts[:n]) + "/__init__.py"] = ""
    return inits


def test_sync_commit_runs_the_commit_msg_hook_and_fits_the_conventions(tmp_path: Path) -> None:
    files = {_path(m): text for m, text in MODULES.items()}
    incubator = make_incubator(tmp_path / "inc", [("Add modules", {**_packages(), **files})])
    incubator.commit(
        LONG_SUBJECT, {_path("middleware.correlation_id"): "import uuid\n\nHEADER = 'x'\n"}
    )
    conf = "[DEFAULT]\n" + "".join(f"module={m}\n" for m in MODULES) + "base=nova\n"
    # The project has the first correlation_id; the others are new to it.
    copies = {"middleware/__init__.py": "", "middleware/correlation_id.py": "import uuid\n"}
    project = make_project(tmp_path / "nova", "nova", copies, conf=conf).path
    hook = project / ".git/hooks/commit-msg"
    hook.write_text(COMMIT_MSG_HOOK)
    hook.chmod(0o755)

    args = ["sync", "--commit", "--incubator", str(incubator.path), str(project)]
    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    message = git_text(project, "log", "-1", "--format=%B").rstrip("\n")
    lines = message.splitlines()
    assert lines[0] == "Sync 4 modules from oslo-incubator"
    assert len(lines[0]) <= 50 and lines[1] == ""
    # The command line is one unbreakable token, on its own line; all else wraps at 72.
    (command,) = [line for line in lines if line.startswith("oslo-incubator sync ")]
    assert lines[lines.index(command) - 1] == "Generated with:"
    assert [line for line in lines if len(line) > 72] == [command], message
    sha = incubator.head()[:7]
    picked = lines.index(f"  {sha} Make the correlation middleware keep the request id that the")
    assert (
        lines[picked + 1]
        == "          client sent, when there is one, instead of minting a new one"
    )
    trailers = run_git(project, "interpret-trailers", "--parse", input=message.encode()).decode()
    assert (
        trailers.startswith("Change-Id: I") and len(trailers.strip()) == len("Change-Id: I") + 40
    )
    assert git_text(project, "status", "--porcelain") == ""
