"""Extracting a module's history into a new repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_incubator

from oslo_incubator.history.extract import extract_history
from oslo_incubator.history.git import git_text
from oslo_incubator.model.errors import GitError


def to_library(path: str) -> str | None:
    if path.startswith("openstack/common/"):
        name = path.rsplit("/", 1)[1]
        return f"oslo_foo/{'jsonutils.py' if name == 'json.py' else name}"
    if path.startswith("tests/unit/"):
        return "oslo_foo/tests/" + path.rsplit("/", 1)[1]
    return None


@pytest.fixture(scope="module")
def incubator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the module's tests: extracting history only reads the incubator."""
    repo = make_incubator(
        tmp_path_factory.mktemp("history") / "inc",
        [
            (
                "Add json helpers",
                {
                    "openstack/common/json.py": "def dumps(v):\n    return str(v)\n",
                    "openstack/common/log.py": "X = 1\n",
                },
            ),
            ("Test json helpers", {"tests/unit/test_json.py": "def test():\n    pass\n"}),
            ("Touch log only", {"openstack/common/log.py": "X = 2\n"}),
        ],
    )
    repo.move("openstack/common/json.py", "openstack/common/jsonutils.py")
    repo.commit("Rename json to jsonutils")
    repo.commit(
        "jsonutils: use json",
        {
            "openstack/common/jsonutils.py": "import json\n\n\ndef dumps(v):\n    return json.dumps(v)\n"
        },
    )
    return repo.path


PATHS = ["openstack/common/json.py", "openstack/common/jsonutils.py", "tests/unit/test_json.py"]


def test_history_follows_the_rename_and_drops_unrelated_commits(
    incubator: Path, tmp_path: Path
) -> None:
    result = extract_history(incubator, tmp_path / "lib", PATHS, to_library)
    log = git_text(
        result.path, "log", "--format=%s|%an|%ad", "--date=unix", "--name-status"
    ).strip()
    subjects = git_text(result.path, "log", "--format=%s").split("\n")[:-1]
    # The rename changes nothing under the library's paths: an empty commit, dropped.
    assert subjects == ["jsonutils: use json", "Test json helpers", "Add json helpers"]
    assert result.commits == 3
    assert "Oslo Developer" in log
    assert "openstack/common/log.py" not in log
    first = git_text(result.path, "show", "--format=", "--name-only", "HEAD~2").split()
    assert first == ["oslo_foo/jsonutils.py"]
    assert (result.path / "oslo_foo/jsonutils.py").read_text().startswith("import json")
    assert (result.path / "oslo_foo/tests/test_json.py").exists()
    assert sorted(git_text(result.path, "ls-files").split()) == [
        "oslo_foo/jsonutils.py",
        "oslo_foo/tests/test_json.py",
    ]


def test_dates_and_authors_are_kept(incubator: Path, tmp_path: Path) -> None:
    result = extract_history(incubator, tmp_path / "lib", PATHS, to_library)
    fmt = "--format=%an <%ae> %at %ct %B%x00"
    ours = git_text(result.path, "log", fmt).split("\0")
    theirs = git_text(incubator, "log", fmt, "--", *PATHS).split("\0")
    assert ours == [entry for entry in theirs if "Rename json" not in entry]


def test_the_new_repository_stands_alone_and_the_source_is_untouched(
    incubator: Path, tmp_path: Path
) -> None:
    before = git_text(incubator, "for-each-ref"), git_text(incubator, "status", "--porcelain")
    result = extract_history(incubator, tmp_path / "lib", PATHS, to_library)
    assert not (result.path / ".git/objects/info/alternates").exists()
    git_text(result.path, "fsck", "--full")
    assert (
        git_text(incubator, "for-each-ref"),
        git_text(incubator, "status", "--porcelain"),
    ) == before


def test_nothing_to_keep_gives_an_empty_repository(incubator: Path, tmp_path: Path) -> None:
    result = extract_history(
        incubator, tmp_path / "lib", ["openstack/common/log.py"], lambda p: None
    )
    assert result.commits == 0 and result.head is None


def test_destination_must_be_empty(incubator: Path, tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "x").write_text("")
    with pytest.raises(GitError, match="not empty"):
        extract_history(incubator, tmp_path / "lib", PATHS, to_library)
