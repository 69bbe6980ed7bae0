"""model/codec.py: model dataclasses to JSON-able data and back, as the caches use it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.model.codec import from_jsonable, to_jsonable
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.debt import DeprecatedKind, Deprecation, DeprecationSource
from oslo_incubator.model.drift import CopyDrift, DriftStatus, Hunk, Policy
from oslo_incubator.model.history import Commit
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.model.plan import DependencyKind, ImportLine
from oslo_incubator.model.program import (
    MovedTest,
    ProgramLibrary,
    ProgramRecord,
)
from oslo_incubator.model.program import TestRun as Outcomes  # not a pytest class


@dataclass(frozen=True)
class Pair:
    """A fixed-length tuple of two types (as ``PlanResult.weights`` has)."""

    value: tuple[str, int]


@dataclass(frozen=True)
class Mapping_:
    counts: dict[int, str]


@dataclass(frozen=True)
class Loose:
    """A list field, and a field whose type the codec does not know (passed as is)."""

    items: list[DriftStatus]
    extra: object = None


COMMIT = Commit("a" * 40, ("b" * 40,), 1400000000, "2014-05-13T20:00:00+00:00", "Fix é", 3)
HUNK = Hunk(2, ("old",), 2, ("new",), "--- m\n+++ c\n@@ -2 +2 @@\n-old\n+new\n", "c" * 40)
DRIFT = CopyDrift(
    module="log",
    copy_path="nova/openstack/common/log.py",
    master_path="openstack/common/log.py",
    status=DriftStatus.DIVERGED,
    base_commit="d" * 40,
    missed_commits=(COMMIT,),
    hunks=(HUNK,),
    lifecycle=Lifecycle(LifecycleState.OBSOLETE, "oslo.log", "e" * 40, RecordSource.SHIM),
    parses=True,
    match="nearest",
)


def _roundtrip(cls: type[Any], obj: Any) -> Any:
    return from_jsonable(cls, json.loads(json.dumps(to_jsonable(obj))))


def test_to_jsonable_turns_dataclasses_enums_and_tuples_into_plain_data() -> None:
    assert to_jsonable(HUNK) == {
        "base_start": 2,
        "removed": ["old"],
        "copy_start": 2,
        "added": ["new"],
        "text": "--- m\n+++ c\n@@ -2 +2 @@\n-old\n+new\n",
        "backported_from": "c" * 40,
    }
    data = to_jsonable(DRIFT)
    assert data["status"] == "diverged"
    assert data["lifecycle"] == {
        "state": "obsolete",
        "library": "oslo.log",
        "commit": "e" * 40,
        "source": "shim",
    }
    assert data["missed_commits"][0]["parents"] == ["b" * 40]


def test_to_jsonable_passes_scalars_and_stringifies_dict_keys() -> None:
    assert to_jsonable(None) is None
    assert to_jsonable("é") == "é"
    assert to_jsonable(1.5) == 1.5
    assert to_jsonable({1: (DriftStatus.CURRENT,)}) == {"1": ["current"]}
    assert to_jsonable([]) == []


def test_fields_left_out_of_equality_are_left_out_of_the_data() -> None:
    config = ProjectConfig(source=None, base="nova", modules=("log",), module_lines={"log": 3})
    assert "module_lines" not in to_jsonable(config)


def test_copy_drift_round_trips_through_json() -> None:
    assert _roundtrip(CopyDrift, DRIFT) == DRIFT


def test_program_record_round_trips_through_json() -> None:
    library = ProgramLibrary(
        name="oslo.log",
        package="oslo_log",
        modules=("log",),
        version="0.1.0",
        path="oslo.log",
        head="f" * 40,
        shim_commit="0" * 40,
        private=(),
        requirements=("six",),
        test_requirements=(),
        tests=(MovedTest("tests/unit/test_log.py", "oslo_log/tests/test_log.py"),),
        seconds=1.25,
    )
    record = ProgramRecord("/inc", "1" * 40, "plan.json", libraries=(library,))
    assert _roundtrip(ProgramRecord, record) == record


def test_dicts_of_string_keys_round_trip() -> None:
    run = Outcomes({"t.test_a": "pass", "t.test_b": "fail"}, error=None)
    assert _roundtrip(Outcomes, run) == run


def test_dicts_of_int_keys_round_trip() -> None:
    assert from_jsonable(Mapping_, to_jsonable(Mapping_({1: "a"}))) == Mapping_({1: "a"})


def test_missing_optional_fields_take_their_defaults() -> None:
    data = {"module": "log", "copy_path": "p", "master_path": None, "status": "current"}
    drift = from_jsonable(CopyDrift, data)
    assert drift == CopyDrift("log", "p", None, DriftStatus.CURRENT)
    assert drift.lifecycle.state is LifecycleState.ACTIVE


def test_missing_required_field_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cannot read CopyDrift"):
        from_jsonable(CopyDrift, {"module": "log", "copy_path": "p", "status": "current"})


def test_wrong_scalar_type_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="expected int, got str"):
        from_jsonable(ImportLine, {"path": "a.py", "line": "3", "kind": "strong"})


def test_unknown_enum_value_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        from_jsonable(ImportLine, {"path": "a.py", "line": 3, "kind": "sideways"})


def test_data_of_the_wrong_shape_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        from_jsonable(ImportLine, ["a.py", 3, "strong"])
    with pytest.raises(ValueError):
        from_jsonable(CopyDrift, None)


def test_none_is_kept_for_optional_fields() -> None:
    line = from_jsonable(ImportLine, {"path": "a.py", "line": 1, "kind": "lazy"})
    assert line == ImportLine("a.py", 1, DependencyKind.LAZY)
    assert from_jsonable(CopyDrift, to_jsonable(CopyDrift("m", "p", None, DriftStatus.MISSING)))


def test_fixed_length_tuples_of_several_types_round_trip() -> None:
    assert _roundtrip(Pair, Pair(("a", 1))) == Pair(("a", 1))


def test_frozensets_become_json_able() -> None:
    json.dumps(to_jsonable(Policy()))


def test_path_fields_are_not_converted() -> None:
    # Documented by the docstring's silence: values it does not know pass unchanged.
    config = ProjectConfig(source=Path("/p/openstack-common.conf"), base="nova")
    assert to_jsonable(config)["source"] == Path("/p/openstack-common.conf")


TEXT = st.text(max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.from_type(CopyDrift))
def test_any_copy_drift_round_trips(drift: CopyDrift) -> None:
    assert _roundtrip(CopyDrift, drift) == drift


@settings(max_examples=60, deadline=None)
@given(st.from_type(Deprecation))
def test_any_deprecation_round_trips(dep: Deprecation) -> None:
    assert _roundtrip(Deprecation, dep) == dep


@settings(max_examples=40, deadline=None)
@given(
    st.builds(
        ProgramRecord,
        incubator=TEXT,
        head=TEXT,
        plan=TEXT,
        libraries=st.lists(
            st.builds(
                ProgramLibrary,
                seconds=st.floats(allow_nan=False),
                tests=st.lists(st.from_type(MovedTest), max_size=2).map(tuple),
            ),
            max_size=2,
        ).map(tuple),
    )
)
def test_any_program_record_round_trips(record: ProgramRecord) -> None:
    assert _roundtrip(ProgramRecord, record) == record


def test_enum_members_round_trip() -> None:
    dep = Deprecation(
        name="nova.utils.f",
        kind=DeprecatedKind.KWARG_DEFAULT,
        source=DeprecationSource.PEP702,
        api="deprecated",
        line=4,
        target="nova.utils.f",
        owner="nova.utils.f",
        kwarg="x",
    )
    data = to_jsonable(dep)
    assert (data["kind"], data["source"]) == ("kwarg-default", "pep702")
    assert from_jsonable(Deprecation, data) == dep


def test_lists_convert_their_items_and_unknown_types_pass_as_they_are() -> None:
    loose = Loose([DriftStatus.BEHIND, DriftStatus.CURRENT], extra={"k": [1, 2]})
    data = to_jsonable(loose)
    assert data == {"items": ["behind", "current"], "extra": {"k": [1, 2]}}
    assert from_jsonable(Loose, data) == loose
