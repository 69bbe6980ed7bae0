"""Specification of removal_version validation (PEP 440, checked when decorating)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import oslo_incubator.deprecation as deprecation
from oslo_incubator.deprecation import _utils, moves, removals, renames

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
INVALID = ["Newton", "2.0.x", "1..0", "1.", ".1", "v", "2.0 beta", "1.0+", "1.0+a-", "1.0 1", "??"]


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
@pytest.mark.parametrize("removal_version", INVALID)
def test_typos_raise_value_error_naming_the_version_when_decorating(
    entry_point: str, removal_version: str
) -> None:
    expected = f"removal_version {removal_version!r} is not a valid PEP 440 version"
    with pytest.raises(ValueError, match=re.escape(expected)):
        ENTRY_POINTS[entry_point](removal_version)


@pytest.mark.parametrize("removal_version", INVALID)
def test_removed_module_and_deprecate_validate_when_called(removal_version: str) -> None:
    with pytest.raises(ValueError, match="is not a valid PEP 440 version"):
        removals.removed_module("m", removal_version=removal_version)
    with pytest.raises(ValueError, match="is not a valid PEP 440 version"):
        deprecation.deprecate("x", removal_version=removal_version)


@pytest.mark.parametrize("removal_version", [None, ""])
def test_no_removal_version_means_no_removal_clause(removal_version: Any) -> None:
    assert _utils.build_message("X", removal_version=removal_version) == "X"


def test_the_valid_examples_agree_with_packaging() -> None:
    assert all(packaging_accepts(v) for v in VALID if v != "?")
    assert not any(packaging_accepts(v) for v in INVALID)


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
    assert _utils.is_pep440_version(removal_version)
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
    assert _utils.is_pep440_version(text) == packaging_accepts(text)
