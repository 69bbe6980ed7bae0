"""The lock file: a stable text that reads back to the same entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.sync import LockEntry, LockFile
from oslo_incubator.workspace.lockfile import (
    LOCK_NAME,
    parse_lock,
    read_lock,
    render_lock,
    sha256_hex,
    updated_lock,
)

ENTRY = LockEntry(
    path="nova/openstack/common/log.py",
    module="log",
    master_path="openstack/common/log.py",
    master_commit="a" * 40,
    master_sha256=sha256_hex(b"master"),
    written_sha256=sha256_hex(b"written"),
    rewrite="update.py@36b0e857",
)

HEX = "0123456789abcdef"
NAMES = st.text(alphabet="abcdefghij_", min_size=1, max_size=8)
entries = st.builds(
    LockEntry,
    path=NAMES.map(lambda n: f"nova/openstack/common/{n}.py"),
    module=NAMES,
    master_path=NAMES.map(lambda n: f"openstack/common/{n}.py"),
    master_commit=st.text(alphabet=HEX, min_size=40, max_size=40),
    master_sha256=st.text(alphabet=HEX, min_size=64, max_size=64),
    written_sha256=st.text(alphabet=HEX, min_size=64, max_size=64),
    rewrite=st.sampled_from(["imports", "update.py@f4b14008"]),
)


@given(st.lists(entries, unique_by=lambda e: e.path, max_size=8))
def test_lock_file_round_trips_and_is_sorted(items: list[LockEntry]) -> None:
    lock = LockFile("nova", DEFAULT_PACKAGE_ROOT, tuple(items))
    text = render_lock(lock)
    again = parse_lock(text)
    assert again.entries == tuple(sorted(items, key=lambda e: e.path))
    assert render_lock(again) == text


def test_lock_file_text_is_readable_json(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text(
        render_lock(LockFile("nova", DEFAULT_PACKAGE_ROOT, (ENTRY,)))
    )
    text = (tmp_path / LOCK_NAME).read_text()
    assert text.startswith('{\n  "base": "nova",\n  "files": [\n    {\n')
    assert '"schema": "oslo-incubator.lock/1"' in text
    assert read_lock(tmp_path) == LockFile("nova", DEFAULT_PACKAGE_ROOT, (ENTRY,))


def test_missing_lock_file_reads_as_none(tmp_path: Path) -> None:
    assert read_lock(tmp_path) is None


def test_updated_lock_replaces_entries_of_the_same_path_and_keeps_others() -> None:
    other = LockEntry("nova/openstack/common/a.py", "a", "openstack/common/a.py", "b" * 40,
                      "0" * 64, "1" * 64, "imports")  # fmt: skip
    old = LockFile("nova", DEFAULT_PACKAGE_ROOT, (ENTRY, other))
    newer = LockEntry(**{**ENTRY.__dict__, "master_commit": "c" * 40})
    assert updated_lock(old, "nova", DEFAULT_PACKAGE_ROOT, [newer]).entries == (other, newer)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{\n  nope", "invalid JSON"),
        ('{"schema": "other/1"}', "not a lock file"),
        ('{"schema": "oslo-incubator.lock/1", "base": "nova", "package_root": "x",'
         ' "files": [{"path": "a"}]}', "lacks module"),
    ],
)  # fmt: skip
def test_malformed_lock_files_are_config_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_lock(text)
