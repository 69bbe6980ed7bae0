"""impact on a graduated library: projects that import it, and the release it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.git import run_git
from oslo_incubator.model.errors import GitError
from oslo_incubator.model.impact import Bump, Verdict
from oslo_incubator.operations.impact import library_impact

SETUP_CFG = "[metadata]\nname = oslo.demo\n\n[files]\npackages =\n    oslo_demo\n"
LOCKUTILS = """\
def synchronized(name, external=False):
    return name


def old_helper(a, b):
    total = a + b
    total *= 2
    return total
"""
CONSUMER = """\
from oslo_demo import lockutils


def run():
    return lockutils.synchronized("x")
"""

# Each kind of change, made on its own branch from the release 1.2.3.
CASES = {
    "removed": (
        LOCKUTILS.replace("def synchronized(name, external=False):\n    return name\n\n\n", ""),
        Bump.MAJOR,
        "2.0.0",
    ),
    "renamed": (LOCKUTILS.replace("old_helper", "new_helper"), Bump.MAJOR, "2.0.0"),
    "required": (
        LOCKUTILS.replace("(name, external=False)", "(name, prefix, external=False)"),
        Bump.MAJOR,
        "2.0.0",
    ),
    "default": (LOCKUTILS.replace("external=False", "external=True"), Bump.MAJOR, "2.0.0"),
    "added": (LOCKUTILS + "\n\ndef fresh():\n    return 1\n", Bump.MINOR, "1.3.0"),
    "extended": (
        LOCKUTILS.replace("(name, external=False)", "(name, external=False, fair=False)"),
        Bump.MINOR,
        "1.3.0",
    ),
    "body": (LOCKUTILS.replace("return name", "return name.lower()"), Bump.PATCH, "1.2.4"),
    "private": (LOCKUTILS + "\n\ndef _internal():\n    return 2\n", Bump.PATCH, "1.2.4"),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("oslo.demo")
    repo = RepoBuilder(path)
    repo.commit(
        "Initial",
        {
            "setup.cfg": SETUP_CFG,
            "oslo_demo/__init__.py": "",
            "oslo_demo/lockutils.py": LOCKUTILS,
            "oslo_demo/tests/test_lockutils.py": "def test():\n    pass\n",
        },
    )
    run_git(path, "tag", "1.2.3")
    heads = {}
    for name, (text, _, _) in CASES.items():
        repo.branch(name, "1.2.3")
        heads[name] = repo.commit(f"Change: {name}", {"oslo_demo/lockutils.py": text})
    repo.branch("tests-only", "1.2.3")
    heads["tests-only"] = repo.commit(
        "Test more", {"oslo_demo/tests/test_lockutils.py": "def test():\n    assert True\n"}
    )
    return path, heads


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("consumer") / "nova"
    RepoBuilder(path).commit("Use oslo.demo", {"nova/__init__.py": "", "nova/locks.py": CONSUMER})
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_release_a_change_needs_is_the_smallest_bump_that_describes_it(
    library: tuple[Path, dict[str, str]], case: str
) -> None:
    path, heads = library
    report = library_impact(path, [], change=heads[case], since_release=True)
    assert report.release is not None
    _, bump, version = CASES[case]
    assert (report.release.last_tag, report.release.bump, report.release.next_version) == (
        "1.2.3",
        bump,
        version,
    )
    assert report.release.reasons


def test_a_change_to_the_tests_alone_needs_no_release(
    library: tuple[Path, dict[str, str]],
) -> None:
    path, heads = library
    report = library_impact(path, [], change=heads["tests-only"], since_release=True)
    assert report.release is not None and report.release.bump is Bump.NONE
    assert report.modules == ()


def test_a_project_that_imports_the_library_is_judged_by_its_calls(
    library: tuple[Path, dict[str, str]], consumer: Path
) -> None:
    path, heads = library
    required = library_impact(path, [consumer], change=heads["required"])
    project = required.projects[0]
    assert project.verdict is Verdict.BREAKING
    assert [(s.path, s.line) for s in project.sites] == [("nova/locks.py", 5)]
    assert [(i.module, i.path, i.line) for i in project.imports] == [
        ("lockutils", "nova/locks.py", 1)
    ]
    extended = library_impact(path, [consumer], change=heads["extended"])
    assert extended.projects[0].verdict is Verdict.AFFECTED
    renamed = library_impact(path, [consumer], change=heads["renamed"])
    assert renamed.projects[0].verdict is Verdict.UNTOUCHED


def test_since_release_without_a_tag_is_an_error(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "lib")
    repo.commit("One", {"setup.cfg": SETUP_CFG, "oslo_demo/__init__.py": ""})
    repo.commit("Two", {"oslo_demo/a.py": "def f():\n    pass\n"})
    with pytest.raises(GitError, match="no tag"):
        library_impact(repo.path, [], since_release=True)
