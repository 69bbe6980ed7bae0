"""history/index.py: every version of every master file from one small incubator whose
history has a rename, a deletion, a side branch, a clean and an evil merge, a companion
file, a unicode path and a HEAD that touched no tracked file."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import make_incubator

from oslo_incubator.history.index import CACHE_SCHEMA, HistoryIndex, build_index
from oslo_incubator.model.errors import GitError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

R = DEFAULT_PACKAGE_ROOT
LOG, UTILS, STRUTILS, GONE = f"{R}/log.py", f"{R}/utils.py", f"{R}/strutils.py", f"{R}/gone.py"
CAFE, TOOL = f"{R}/café.py", "tools/install_venv_common.py"
UTILS_TEXT = "".join(f"line {i}\n" for i in range(10))


@dataclass(frozen=True)
class History:
    path: Path
    add: str
    change_log: str
    rename: str
    delete: str
    side: str
    master: str
    merge: str
    docs: str
    index: HistoryIndex


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    path = tmp_path_factory.mktemp("incubator")
    repo = make_incubator(
        path,
        [
            (
                "Add log, utils and gone",
                {
                    LOG: "v1\n",
                    UTILS: UTILS_TEXT,
                    GONE: "g\n",
                    TOOL: "t1\n",
                    CAFE: "c\n",
                    "README.rst": "r\n",
                },
            ),
            ("Change log", {LOG: "v2\n"}),
        ],
    )
    add, change_log = subprocess.run(
        ["git", "rev-list", "--reverse", "HEAD"],
        cwd=path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    repo.move(UTILS, STRUTILS)
    rename = repo.commit("Rename utils to strutils")
    delete = repo.commit("Delete gone", {GONE: None})
    repo.branch("side")
    side = repo.commit(
        "Side: change log and strutils",
        {LOG: "v3-side\n", STRUTILS: UTILS_TEXT.replace("line 0", "first")},
    )
    repo.checkout("master")
    master = repo.commit(
        "Master: change tools and strutils",
        {TOOL: "t2\n", STRUTILS: UTILS_TEXT.replace("line 9", "last")},
    )
    # log.py is written over (an evil merge); strutils.py is git's merge of both sides.
    merge = repo.merge("side", "Merge side", resolve={LOG: "v4-evil\n"})
    docs = repo.commit("Docs only\n\nA body of\ntwo lines.", {"README.rst": "r2\n"})
    return History(
        path, add, change_log, rename, delete, side, master, merge, docs, build_index(path)
    )


def _subjects(commits: list[str], history: History) -> list[str]:
    return [history.index.commits[sha].subject for sha in commits]


def test_head_and_package_root(history: History) -> None:
    index = history.index
    assert index.head == history.docs
    assert index.package_root == R
    assert index.repo == history.path


def test_every_commit_is_indexed_with_order_zero_at_head(history: History) -> None:
    index = history.index
    assert len(index.commits) == 8
    assert index.commits[history.docs].order == 0
    assert index.commits[history.add].order == 7
    assert index.commits[history.merge].parents == (history.master, history.side)


def test_a_head_that_touched_no_tracked_file_still_has_its_date_and_subject(
    history: History,
) -> None:
    head = history.index.commits[history.docs]
    assert head.subject == "Docs only"
    assert head.date.startswith("2014-05-1")
    assert head.timestamp > history.index.commits[history.merge].timestamp


def test_lineage_follows_renames_and_is_named_by_the_newest_path(history: History) -> None:
    index = history.index
    assert index.lineage(UTILS) == STRUTILS
    assert index.lineage(STRUTILS) == STRUTILS
    assert index.lineage(LOG) == LOG
    assert index.lineage(f"{R}/never.py") is None


def test_only_the_package_root_and_companion_folders_are_tracked(history: History) -> None:
    index = history.index
    assert index.lineage(TOOL) == TOOL
    assert index.lineage("README.rst") is None
    assert "openstack/__init__.py" not in index.lineage_of
    assert set(index.head_tree) == {f"{R}/__init__.py", CAFE, LOG, STRUTILS, TOOL}


def test_unicode_paths_are_read_unquoted(history: History) -> None:
    assert history.index.lineage(CAFE) == CAFE
    assert history.index.read_at_head(CAFE) == b"c\n"


def test_versions_are_newest_first_and_include_the_evil_merge(history: History) -> None:
    versions = history.index.versions_of(LOG)
    assert [v.commit for v in versions] == [
        history.merge,
        history.side,
        history.change_log,
        history.add,
    ]
    assert [v.order for v in versions] == sorted(v.order for v in versions)
    texts = history.index.texts(v.blob for v in versions if v.blob)
    assert [texts[v.blob] for v in versions if v.blob] == [
        b"v4-evil\n",
        b"v3-side\n",
        b"v2\n",
        b"v1\n",
    ]


def test_a_content_only_gits_own_merge_made_is_a_version_of_the_merge(history: History) -> None:
    (newest, *_) = history.index.versions_of(STRUTILS)
    assert newest.commit == history.merge
    text = history.index.texts([newest.blob or ""])[newest.blob or ""]
    assert text.startswith(b"first\n") and text.endswith(b"last\n")


def test_a_rename_ends_the_old_path_and_starts_the_new_at_one_commit(history: History) -> None:
    at_rename = [
        (v.path, v.blob is None)
        for v in history.index.versions_of(STRUTILS)
        if v.commit == history.rename
    ]
    assert at_rename == [(STRUTILS, False), (UTILS, True)]  # content first, then the deletion


def test_versions_of_an_unknown_lineage_is_empty(history: History) -> None:
    assert history.index.versions_of("nothing") == []


def test_head_path(history: History) -> None:
    index = history.index
    assert index.head_path(STRUTILS) == STRUTILS
    assert index.head_path(LOG, prefer=LOG) == LOG
    assert index.head_path(LOG, prefer=STRUTILS) == LOG  # prefer of another lineage: ignored
    assert index.head_path(GONE) is None


def test_deletion_is_the_newest_deletion_of_a_lineage_absent_at_head(history: History) -> None:
    deletion = history.index.deletion(GONE)
    assert deletion is not None
    assert (deletion.path, deletion.blob, deletion.commit) == (GONE, None, history.delete)
    assert history.index.deletion(LOG) is None


def test_is_ancestor(history: History) -> None:
    index = history.index
    assert index.is_ancestor(history.add, history.docs)
    assert index.is_ancestor(history.side, history.merge)
    assert index.is_ancestor(history.docs, history.docs)
    assert not index.is_ancestor(history.docs, history.add)
    assert not index.is_ancestor(history.side, history.master)
    assert not index.is_ancestor("f" * 40, history.docs)


def test_changes_since_are_oldest_first_and_leave_out_a_combining_merge(
    history: History,
) -> None:
    since_add = history.index.changes_since(LOG, history.add)
    # The merge has the side commit (listed) among its ancestors: it is left out.
    assert [c.sha for c in since_add] == [history.change_log, history.side]


def test_changes_since_keep_a_merge_when_nothing_it_merged_is_listed(history: History) -> None:
    since_side = history.index.changes_since(LOG, history.side)
    assert [c.sha for c in since_side] == [history.merge]
    assert history.index.changes_since(LOG, history.merge) == []


def test_changes_since_follow_the_lineage_across_its_rename(history: History) -> None:
    since = history.index.changes_since(STRUTILS, history.add)
    assert _subjects([c.sha for c in since], history) == [
        "Rename utils to strutils",
        "Side: change log and strutils",
        "Master: change tools and strutils",
    ]


def test_texts_read_only_known_blobs_and_keep_order(history: History) -> None:
    blob = history.index.head_tree[LOG]
    assert history.index.texts([blob, blob]) == {blob: b"v4-evil\n"}
    assert history.index.texts([]) == {}


def test_read_many_at_head_leaves_out_absent_files(history: History) -> None:
    found = history.index.read_many_at_head(["README.rst", GONE, TOOL])
    assert found == {"README.rst": b"r2\n", TOOL: b"t2\n"}
    assert history.index.read_at_head(GONE) is None


def test_messages_are_full_commit_messages(history: History) -> None:
    messages = history.index.messages([history.docs, history.add, history.docs])
    assert messages == {
        history.docs: "Docs only\n\nA body of\ntwo lines.",
        history.add: "Add log, utils and gone",
    }


def test_json_round_trip_keeps_every_query(history: History) -> None:
    index = history.index
    data = index.to_json()
    assert data["schema"] == CACHE_SCHEMA
    again = HistoryIndex.from_json(index.repo, data)
    assert (again.head, again.package_root) == (index.head, index.package_root)
    assert again.commits == index.commits
    assert again.versions == index.versions
    assert again.lineage_of == index.lineage_of
    assert again.head_tree == index.head_tree
    assert [c.sha for c in again.changes_since(LOG, history.add)] == [
        history.change_log,
        history.side,
    ]


def test_from_json_refuses_other_schemas(history: History) -> None:
    with pytest.raises(ValueError, match="not a history index"):
        HistoryIndex.from_json(history.path, {**history.index.to_json(), "schema": "x/1"})
    with pytest.raises(ValueError):
        HistoryIndex.from_json(history.path, {})


def test_build_index_at_an_older_revision(history: History) -> None:
    older = build_index(history.path, rev=history.rename)
    assert older.head == history.rename
    assert len(older.commits) == 3
    assert older.lineage(UTILS) == STRUTILS
    assert GONE in older.head_tree
    assert older.commits[history.rename].subject == "Rename utils to strutils"


def test_build_index_with_another_package_root(history: History) -> None:
    other = build_index(history.path, package_root=PackageRoot("openstack"))
    assert other.package_root == PackageRoot("openstack")
    assert other.lineage("openstack/__init__.py") == "openstack/__init__.py"


def test_build_index_refuses_a_directory_that_is_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError):
        build_index(tmp_path)


def test_build_index_refuses_an_unknown_revision(history: History) -> None:
    with pytest.raises(GitError):
        build_index(history.path, rev="no-such-branch")


def test_build_index_refuses_a_shallow_clone(history: History, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", history.path.as_uri(), str(clone)],
        check=True,
        capture_output=True,
    )
    with pytest.raises(GitError, match="shallow"):
        build_index(clone)


def test_a_merge_off_the_first_parent_chain_makes_its_own_content(tmp_path: Path) -> None:
    """side merges sub (git merges two edits of log.py into new content), then master
    merges side: the content is side's merge's, not master's merge's."""
    text = "".join(f"line {i}\n" for i in range(10))
    repo = make_incubator(tmp_path, [("Add log", {LOG: text})])
    repo.branch("side")
    top = repo.commit("Side: top", {LOG: text.replace("line 0", "top")})
    repo.branch("sub", start="master")
    bottom = repo.commit("Sub: bottom", {LOG: text.replace("line 9", "bottom")})
    repo.checkout("side")
    side_merge = repo.merge("sub", "Merge sub into side")
    repo.checkout("master")
    master_merge = repo.merge("side", "Merge side")
    index = build_index(tmp_path)
    commits = [v.commit for v in index.versions_of(LOG)]
    assert commits[0] == side_merge
    assert master_merge not in commits
    assert set(commits[1:3]) == {top, bottom}
    merged = index.texts([index.head_tree[LOG]])[index.head_tree[LOG]]
    assert merged.startswith(b"top\n") and merged.endswith(b"bottom\n")
    assert index.versions_of(LOG)[0].blob == index.head_tree[LOG]


def test_paths_git_quotes_are_read_back(tmp_path: Path) -> None:
    odd = f'{R}/we"ird\\name.py'
    make_incubator(tmp_path, [("Add an odd name", {odd: "x\n", f"{R}/tab\there.py": "y\n"})])
    index = build_index(tmp_path)
    assert index.lineage(odd) == odd
    assert index.lineage(f"{R}/tab\there.py") == f"{R}/tab\there.py"
    assert index.read_at_head(odd) == b"x\n"
