"""Specification of removal_version: anything debtcollector accepts decorates, with
debtcollector's message; strict mode refuses what cannot be ordered."""

import re
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import oslo_incubator.deprecation as deprecation
from oslo_incubator.deprecation import _utils, fixtures, moves, removals, renames, versions

#: Every public entry point that takes removal_version, applied to a target.
ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "remove": lambda v: removals.remove(removal_version=v)(lambda: None),
    "removed_kwarg": lambda v: removals.removed_kwarg("x", removal_version=v),
    "removed_class": lambda v: removals.removed_class("X", removal_version=v),
    "removed_property": lambda v: removals.removed_property(removal_version=v),
    "moved_function": lambda v: moves.moved_function(len, "size", "old", removal_version=v),
    "moved_method": lambda v: moves.moved_method("new", removal_version=v),
    "moved_property": lambda v: moves.moved_property("new", removal_version=v),
    "moved_read_only_property": lambda v: moves.moved_read_only_property(
        "a", "b", removal_version=v
    ),
    "moved_class": lambda v: moves.moved_class(dict, "Old", "old", removal_version=v),
    "renamed_kwarg": lambda v: renames.renamed_kwarg("a", "b", removal_version=v),
}

VALID = [
    "1",
    "2.0",
    "1.2.3.4",
    "1!2.0",
    "1.0a1",
    "1.0-alpha.2",
    "1.0b2",
    "1.0rc1",
    "1.0C1",
    "1.0.post1",
    "1.0-1",
    "1.0rev",
    "1.0.dev3",
    "1.0a1.post2.dev3",
    "1.0+ubuntu.1",
    "v2.0",
    " 2.0\n",
    "?",
]
INVALID = ["2.0.x", "1..0", "1.", ".1", "2.0 beta", "1.0+", "1.0+a-", "1.0 1", "??"]

#: (version, removal_version) pairs as real OpenStack code passed them to debtcollector
#: (neutron, ceilometer, heat, keystoneclient, oslo.db, 2015 to 2019).
REAL_ARGUMENTS: list[tuple[Any, Any]] = [
    ("Newton", "Ocata"),
    ("newton", "ocata"),
    ("Ocata", "Pike"),
    ("Mitaka", "newton"),
    ("Queens", "T"),
    ("Stein", "U"),
    ("Train", "V"),
    ("Mitaka", "N*-cycle"),
    ("mitaka", "?"),
    ("8.0.0", "9.0.0"),
    ("2.0.0", "3.0.0"),
    (6.0, "?"),  # ceilometer passed a float
    ("1.7.0", "2.0.0"),
    ("liberty", None),
    (None, "Rocky"),
    ("Queens", "the Train release"),
    ("4.12", "next major release"),  # free text
    ("Pike", "when nobody uses it anymore"),
    (None, 10.0),
    ("", ""),
]

#: Removal versions strict mode can order: PEP 440, series names, initials, cycles.
ORDERABLE = ["Ocata", "ocata", "OCATA", "T", "u", "N*-cycle", "Pike release", "9.0.0", "?"]
UNORDERABLE = [
    "Newtonn", "next major release", "2.0.x", "when nobody uses it anymore", "??", "7.x"
]  # fmt: skip


def packaging_accepts(text: str) -> bool:
    """The oracle: does packaging (allowed in tests, never in the package) accept it?"""
    version_module = pytest.importorskip("packaging.version")
    try:
        version_module.Version(text)
    except version_module.InvalidVersion:
        return False
    return True


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("removal_version", VALID)
def test_pep440_versions_and_question_mark_are_accepted(
    entry_point: str, removal_version: str
) -> None:
    ENTRY_POINTS[entry_point](removal_version)


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("removal_version", INVALID + UNORDERABLE)
def test_anything_decorates_outside_strict_mode(entry_point: str, removal_version: str) -> None:
    ENTRY_POINTS[entry_point](removal_version)


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("removal_version", INVALID + UNORDERABLE)
def test_strict_mode_refuses_what_it_cannot_order_naming_the_version(
    entry_point: str, removal_version: str
) -> None:
    expected = f"removal_version {removal_version!r} is neither a PEP 440 version nor a release"
    with fixtures.strict(), pytest.raises(ValueError, match=re.escape(expected)):
        ENTRY_POINTS[entry_point](removal_version)


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("removal_version", ORDERABLE)
def test_strict_mode_accepts_versions_and_release_series(
    entry_point: str, removal_version: str
) -> None:
    with fixtures.strict():
        ENTRY_POINTS[entry_point](removal_version)


def test_strict_mode_from_the_environment_refuses_too(monkeypatch: pytest.MonkeyPatch) -> None:
    removals.remove(removal_version="7.x")
    monkeypatch.setenv(_utils.STRICT_ENV_VAR, "1")
    with pytest.raises(ValueError, match="'7.x'"):
        removals.remove(removal_version="7.x")


def test_strict_mode_orders_series_the_environment_adds(monkeypatch: pytest.MonkeyPatch) -> None:
    with fixtures.strict():
        with pytest.raises(ValueError, match="'Hibiscus'"):
            removals.remove(removal_version="Hibiscus")
        monkeypatch.setenv(versions.SERIES_ENV_VAR, "Hibiscus, Ivy")
        removals.remove(removal_version="hibiscus")


@pytest.mark.parametrize("removal_version", UNORDERABLE)
def test_removed_module_and_deprecate_validate_when_called_in_strict_mode(
    removal_version: str,
) -> None:
    with fixtures.strict():
        with pytest.raises(ValueError, match="cannot be ordered"):
            removals.removed_module("m", removal_version=removal_version)
        with pytest.raises(ValueError, match="cannot be ordered"):
            deprecation.deprecate("x", removal_version=removal_version)


@pytest.mark.parametrize("removal_version", [None, ""])
def test_no_removal_version_means_no_removal_clause(removal_version: Any) -> None:
    assert _utils.build_message("X", removal_version=removal_version) == "X"


def test_the_valid_examples_agree_with_packaging() -> None:
    assert all(packaging_accepts(v) for v in VALID if v != "?")
    assert not any(packaging_accepts(v) for v in INVALID)


@pytest.mark.parametrize(
    ("text", "name"),
    [("Ocata", "Ocata"), ("ocata", "Ocata"), ("T", "Train"), ("N*-cycle", "Newton"),
     ("Pike release", "Pike"), ("the Queens cycle", "Queens"), ("z", "Zed")],
)  # fmt: skip
def test_release_series_are_read_in_the_forms_real_code_writes(text: str, name: str) -> None:
    series = versions.parse_series(text)
    assert series is not None and series.name == name


def test_a_project_can_extend_the_series_list() -> None:
    assert versions.parse_series("Hibiscus") is None
    found = versions.parse_series("hibiscus", extra=["Hibiscus"])
    assert found is not None and found.ordinal == len(versions.RELEASE_SERIES) + 1


# -- the same arguments through debtcollector and through us -----------------------------

dc_removals = pytest.importorskip("debtcollector.removals")
dc_moves = pytest.importorskip("debtcollector.moves")
dc_renames = pytest.importorskip("debtcollector.renames")


def measure(text: str) -> int:
    return len(text)


def _decorations(lib_removals: Any, lib_moves: Any, lib_renames: Any) -> dict[str, Any]:
    """Each helper applied and used once, per (version, removal_version).

    ``moved_method`` and ``moved_property`` are left out: their messages name the new
    location differently on purpose (doc/source/deprecation.rst), in every case.
    """

    def remove(version: Any, removal: Any) -> None:
        @lib_removals.remove(version=version, removal_version=removal)
        def fetch() -> None:
            pass

        fetch()

    def removed_class(version: Any, removal: Any) -> None:
        @lib_removals.removed_class("Old", version=version, removal_version=removal)
        class Old:
            pass

        Old()

    def removed_kwarg(version: Any, removal: Any) -> None:
        @lib_removals.removed_kwarg("colour", version=version, removal_version=removal)
        def paint(colour: str = "") -> None:
            pass

        paint(colour="red")

    def removed_property(version: Any, removal: Any) -> None:
        class Thing:
            @lib_removals.removed_property(version=version, removal_version=removal)
            def colour(self) -> str:
                return "red"

        assert Thing().colour == "red"

    def removed_module(version: Any, removal: Any) -> None:
        lib_removals.removed_module("old.place", version=version, removal_version=removal)

    def moved_function(version: Any, removal: Any) -> None:
        old = lib_moves.moved_function(
            measure, "size", "old", version=version, removal_version=removal
        )
        old("x")

    def renamed_kwarg(version: Any, removal: Any) -> None:
        @lib_renames.renamed_kwarg("a", "b", version=version, removal_version=removal)
        def go(a: int = 0, b: int = 0) -> None:
            pass

        go(a=1)

    return {
        "remove": remove,
        "removed_class": removed_class,
        "removed_kwarg": removed_kwarg,
        "removed_property": removed_property,
        "removed_module": removed_module,
        "moved_function": moved_function,
        "renamed_kwarg": renamed_kwarg,
    }


OURS = _decorations(removals, moves, renames)
THEIRS = _decorations(dc_removals, dc_moves, dc_renames)


def _messages(action: Callable[[], None]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("decorator", sorted(OURS))
@pytest.mark.parametrize(("version", "removal_version"), REAL_ARGUMENTS)
def test_real_arguments_decorate_with_debtcollectors_message(
    decorator: str, version: Any, removal_version: Any
) -> None:
    ours = _messages(lambda: OURS[decorator](version, removal_version))
    theirs = _messages(lambda: THEIRS[decorator](version, removal_version))
    assert ours == theirs and len(ours) == 1


def _separator() -> st.SearchStrategy[str]:
    return st.sampled_from(["", ".", "-", "_"])


def _number() -> st.SearchStrategy[str]:
    return st.integers(min_value=0, max_value=10**6).map(str)


@st.composite
def pep440_versions(draw: st.DrawFn) -> str:
    """Versions assembled from PEP 440 components, in their permitted spellings."""
    parts = [draw(st.sampled_from(["", "v", "V"]))]
    if draw(st.booleans()):
        parts.append(draw(_number()) + "!")
    parts.append(".".join(draw(st.lists(_number(), min_size=1, max_size=4))))
    if draw(st.booleans()):
        label = draw(st.sampled_from(["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"]))
        parts += [draw(_separator()), label, draw(_separator()), draw(st.just("") | _number())]
    if draw(st.booleans()):
        if draw(st.booleans()):
            parts.append("-" + draw(_number()))
        else:
            label = draw(st.sampled_from(["post", "rev", "r"]))
            parts += [draw(_separator()), label, draw(_separator()), draw(st.just("") | _number())]
    if draw(st.booleans()):
        parts += [draw(_separator()), "dev", draw(_separator()), draw(st.just("") | _number())]
    if draw(st.booleans()):
        segment = st.text(alphabet="abcxyz0123456789", min_size=1, max_size=4)
        segments = draw(st.lists(segment, min_size=1, max_size=3))
        separators = [draw(st.sampled_from(".-_")) for _ in segments[1:]]
        local = segments[0] + "".join(
            s + seg for s, seg in zip(separators, segments[1:], strict=True)
        )
        parts.append("+" + local)
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.upper()
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " ", "\n"]))


@settings(max_examples=300, deadline=None)
@given(pep440_versions())
def test_versions_built_from_pep440_components_are_accepted(removal_version: str) -> None:
    assert packaging_accepts(removal_version)
    assert versions.is_pep440_version(removal_version)
    removals.remove(removal_version=removal_version)


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet="0123456789.!+-_ vVabcdeilnoprstuvwxyzABCDRP\t\n\u00a0\u212a", max_size=10)
)
@example("1.0.post")
@example("1.0-")
@example("1.0\u00a0")
@example("1.0+loc\u212a")
def test_validator_agrees_with_packaging_on_arbitrary_short_strings(text: str) -> None:
    assert versions.is_pep440_version(text) == packaging_accepts(text)
