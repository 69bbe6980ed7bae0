"""Plan files: what graduate plan writes, graduate run and program read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.plan import PlanFile, PlannedLibrary
from oslo_incubator.workspace.planfile import parse_plan_file, read_plan_file, render_plan_file

PLAN = PlanFile(
    (
        PlannedLibrary(
            "oslo.utils", "oslo_utils", ("excutils", "strutils"), ("changed together",)
        ),
        PlannedLibrary("oslo.log", "oslo_log", ("log", "local")),
    ),
    "1234abcd" * 5,
)


def test_a_written_plan_reads_back_the_same_with_its_comments_dropped() -> None:
    text = render_plan_file(PLAN)
    assert '# changed together\nname = "oslo.utils"' in text
    back = parse_plan_file(text)
    assert [(lib.name, lib.package, lib.modules) for lib in back.libraries] == [
        (lib.name, lib.package, lib.modules) for lib in PLAN.libraries
    ]
    assert [lib.line for lib in back.libraries] == [8, 14]
    assert back.incubator_head == PLAN.incubator_head
    assert back.library_of("local") == back.libraries[1]


def test_package_defaults_from_the_name() -> None:
    plan = parse_plan_file('[[library]]\nname = "oslo.my-lib"\nmodules = ["a"]\n')
    assert plan.libraries[0].package == "oslo_my_lib"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[[library]\n", "not a TOML plan file", 1),
        ('schema = "x/9"\n[[library]]\nname = "a"\nmodules = ["m"]\n', "schema 'x/9'", None),
        ("", "names no [[library]]", None),
        ('[[library]]\nname = "a"\nmodules = []\n', "library a: modules must be", 1),
        ('[[library]]\nmodules = ["m"]\n', "a library needs a name", 1),
        (
            '[[library]]\nname = "a"\nmodules = ["m"]\n[[library]]\nname = "b"\nmodules = ["m"]\n',
            "module 'm' is in both a and b",
            4,
        ),
        ('[[library]]\nname = "a"\nmodules = ["m"]\nversion = 1\n', "unknown key 'version'", 1),
        (
            '[[library]]\nname = "a"\npackage = "no-pe"\nmodules = ["m"]\n',
            "not a Python package",
            1,
        ),
    ],
)
def test_malformed_plans_name_the_file_and_line(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ConfigError) as error:
        parse_plan_file(text, Path("p.toml"))
    assert message in error.value.message
    assert error.value.line == line


def test_an_unreadable_plan_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the plan file"):
        read_plan_file(tmp_path / "absent.toml")


names = st.from_regex(r"[a-z][a-z0-9_]{0,6}(\.[a-z][a-z0-9_]{0,6})?", fullmatch=True)


@given(
    st.lists(
        st.tuples(names, st.lists(names, min_size=1, max_size=4, unique=True),
                  st.lists(st.text(max_size=30), max_size=2)),
        min_size=1, max_size=5, unique_by=lambda t: t[0],
    )
)  # fmt: skip
def test_any_plan_round_trips(libraries: list[tuple[str, list[str], list[str]]]) -> None:
    seen: set[str] = set()
    planned = []
    for name, modules, why in libraries:
        own = tuple(m for m in modules if m not in seen)
        seen.update(own)
        if own:
            planned.append(PlannedLibrary(name, name.replace(".", "_"), own, tuple(why)))
    if not planned:
        return
    plan = PlanFile(tuple(planned), "abc")
    back = parse_plan_file(render_plan_file(plan))
    assert [(lib.name, lib.package, lib.modules) for lib in back.libraries] == [
        (lib.name, lib.package, lib.modules) for lib in plan.libraries
    ]
