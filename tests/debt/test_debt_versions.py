"""Release names, versionutils arithmetic, version discovery from text, and removal
verdicts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.versions import (
    RELEASES,
    assess_removal,
    parse_release,
    release_by_ordinal,
    release_of_version,
    version_from_pkg_info,
    version_from_pyproject,
    version_from_setup_cfg,
    version_from_tag,
    versionutils_removal,
)
from oslo_incubator.model.debt import RemovalStatus


@pytest.mark.parametrize(
    ("text", "name"),
    [("J", "Juno"), ("m", "Mitaka"), ("Mitaka", "Mitaka"), ("LIBERTY", "Liberty"),
     ("2015.1", "Kilo"), ("2023.1", "Antelope"), ("Z", "Zed"), ("A", "Austin")],
)  # fmt: skip
def test_release_is_read_from_letter_name_or_series(text: str, name: str) -> None:
    release = parse_release(text)
    assert release is not None and release.name == name


@pytest.mark.parametrize("text", ["2.0", "next", "", "2015.2", "Mitakaa"])
def test_text_that_names_no_release_gives_none(text: str) -> None:
    assert parse_release(text) is None


def test_release_ordinals_follow_the_alphabet_then_continue_into_the_second_cycle() -> None:
    assert [r.name[0] for r in RELEASES[:26]] == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    assert [(r.ordinal, r.name) for r in RELEASES[25:28]] == [
        (26, "Zed"), (27, "Antelope"), (28, "Bobcat"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("as_of", "remove_in", "removal"),
    [
        ("J", 1, "Kilo"),  # remove_in=+1
        ("J", 2, "Liberty"),  # the default
        ("K", 2, "Mitaka"),
        ("I", 3, "Liberty"),
        ("ICEHOUSE", 2, "Kilo"),
        ("B", 2, "Diablo"),  # versionutils' chr(ord('B') + 2) is 'D'
        ("Y", 2, "Antelope"),  # past Zed: the second cycle, not chr(ord('Y') + 2)
        ("J", 0, None),  # never
        ("J", None, None),  # oslo.log's "never"
    ],
)
def test_versionutils_remove_in_counts_releases_after_as_of(
    as_of: str, remove_in: int | None, removal: str | None
) -> None:
    release = versionutils_removal(as_of, remove_in)
    assert (release.name if release else None) == removal


def test_versionutils_removal_rejects_an_unknown_as_of() -> None:
    with pytest.raises(ValueError, match="'Q1' is not a release"):
        versionutils_removal("Q1", 2)


@pytest.mark.parametrize(
    ("version", "name"),
    [("2015.1.0", "Kilo"), ("2015.1", "Kilo"), ("2015.1.0rc2", "Kilo"), ("2014.2.3", "Juno"),
     ("v2014.1", "Icehouse"), ("2023.1", "Antelope")],
)  # fmt: skip
def test_series_versions_map_to_their_release(version: str, name: str) -> None:
    release = release_of_version(version)
    assert release is not None and release.name == name


@pytest.mark.parametrize("version", ["12.0.0", "1.2", "2015.2.0", "garbage"])
def test_semantic_versions_map_to_no_release(version: str) -> None:
    assert release_of_version(version) is None


def test_setup_cfg_version_is_read_from_metadata() -> None:
    text = "[metadata]\nname = nova\nversion = 2015.1\nsummary = x\n\n[files]\npackages = nova\n"
    assert version_from_setup_cfg(text) == "2015.1"


def test_setup_cfg_without_version_or_malformed_gives_none() -> None:
    assert version_from_setup_cfg("[metadata]\nname = nova\n") is None
    assert version_from_setup_cfg("no section header\n") is None


def test_pyproject_static_version_is_read_and_dynamic_is_none() -> None:
    assert version_from_pyproject('[project]\nname = "x"\nversion = "3.1.0"\n') == "3.1.0"
    assert version_from_pyproject('[project]\nname = "x"\ndynamic = ["version"]\n') is None
    assert version_from_pyproject("[project\n") is None


def test_pkg_info_version_comes_from_the_header_only() -> None:
    text = "Metadata-Version: 2.1\nName: glance\nVersion: 2015.1.0\n\nVersion: 9.9 in the body\n"
    assert version_from_pkg_info(text) == "2015.1.0"


def test_tag_prefix_v_is_dropped() -> None:
    assert version_from_tag("v1.2.0\n") == "1.2.0"
    assert version_from_tag("2015.1.0") == "2015.1.0"
    assert version_from_tag("vintage") == "vintage"


@pytest.mark.parametrize(
    ("removal", "current", "release", "status", "reason"),
    [
        ("2.0", "2.0.0", None, RemovalStatus.OVERDUE, "2.0.0 has reached 2.0"),
        ("2.0", "2.1", None, RemovalStatus.OVERDUE, "2.1 has reached 2.0"),
        ("2.0", "1.9.5", None, RemovalStatus.PENDING, "1.9.5 is before 2.0"),
        ("2.0", "2.0.0b1", None, RemovalStatus.OVERDUE, "2.0.0b1 has reached 2.0"),
        ("M", "2015.1.0", None, RemovalStatus.PENDING, "Kilo is before Mitaka"),
        ("Kilo", "2015.1.0", None, RemovalStatus.OVERDUE, "Kilo has reached Kilo"),
        ("Mitaka", "12.0.0", "mitaka", RemovalStatus.OVERDUE, "Mitaka has reached Mitaka"),
        ("2023.1", "27.0.0", "Bobcat", RemovalStatus.OVERDUE, "Bobcat has reached Antelope"),
        (None, "1.0", None, RemovalStatus.UNSCHEDULED, "no removal version given"),
        ("next", "1.0", None, RemovalStatus.UNKNOWN,
         "removal version 'next' cannot be ordered: it is neither a PEP 440 version nor a "
         "release series (add new series to release-series)"),
        ("2.0", None, None, RemovalStatus.UNKNOWN, "the project's version is unknown"),
        ("2.0", "master", None, RemovalStatus.UNKNOWN, "project version 'master' is not a version"),
        ("M", "12.0.0", None, RemovalStatus.UNKNOWN,
         "removal in Mitaka is a release name; the project has version 12.0.0 and no release "
         "series is known for it (pass --release)"),
    ],
)  # fmt: skip
def test_removal_verdict_states_the_comparison(
    removal: str | None, current: str | None, release: str | None,
    status: RemovalStatus, reason: str,
) -> None:  # fmt: skip
    chosen = parse_release(release) if release else None
    assert assess_removal(removal, current, chosen) == (status, reason)


@pytest.mark.parametrize(
    ("removal", "name"),
    [("Ocata", "Ocata"), ("ocata", "Ocata"), ("T", "Train"), ("N*-cycle", "Newton"),
     ("the Pike release", "Pike")],
)  # fmt: skip
def test_removal_versions_real_code_writes_are_dated_as_release_series(
    removal: str, name: str
) -> None:
    status, reason = assess_removal(removal, "2015.1.0")
    assert status is RemovalStatus.PENDING and reason == f"Kilo is before {name}"


def test_series_a_project_adds_are_ordered_after_the_known_ones() -> None:
    assert assess_removal("Hibiscus", "2026.1.0")[0] is RemovalStatus.UNKNOWN
    assert assess_removal("Hibiscus", "2026.1.0", extra=["Hibiscus"]) == (
        RemovalStatus.PENDING, "Gazpacho is before Hibiscus",
    )  # fmt: skip


@given(st.integers(1, 33), st.integers(1, 33))
def test_release_removal_is_overdue_exactly_when_the_current_ordinal_reaches_it(
    current: int, wanted: int
) -> None:
    now, then = release_by_ordinal(current), release_by_ordinal(wanted)
    assert now is not None and then is not None
    status, _ = assess_removal(then.name, None, now)
    assert (status is RemovalStatus.OVERDUE) == (current >= wanted)


@given(
    st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_numeric_removal_is_overdue_exactly_when_the_version_is_not_lower(
    current: tuple[int, int, int], removal: tuple[int, int]
) -> None:
    status, _ = assess_removal(".".join(map(str, removal)), ".".join(map(str, current)))
    expected = current >= (*removal, 0)
    assert status is (RemovalStatus.OVERDUE if expected else RemovalStatus.PENDING)
