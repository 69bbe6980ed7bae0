"""Specification of renames.renamed_kwarg and updating.updated_kwarg_default_value."""

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from oslo_incubator.deprecation import renames, updating

# Types of the ``warned`` and ``unwarned`` fixtures from conftest.py.
Warned = Callable[[Callable[[], object]], Any]
Unwarned = Callable[[Callable[[], object]], Any]

RENAMED = "Using the 'blip' argument is deprecated, please use the 'blop' argument instead"
UPDATED = (
    "The type argument is changing its default value to feline,"
    " please update the code to explicitly set cat as the value"
)


@renames.renamed_kwarg("blip", "blop")
def blip_blop(blip: int = 1, blop: int = 1) -> tuple[int, int]:
    return blip, blop


def blip_blop_unwrapped(blip: int = 1, blop: int = 1) -> tuple[int, int]:
    return blip, blop


@renames.renamed_kwarg("blip", "blop", replace=True)
def blop_only(blop: int = 1) -> int:
    return blop


@renames.renamed_kwarg(
    "blip", "blop", version="1.0", removal_version="2.0", message="see docs", category=UserWarning
)
def detailed(blip: int = 1, blop: int = 1) -> int:
    return blip + blop


@updating.updated_kwarg_default_value("type", "cat", "feline")
def meow(type: str = "cat") -> str:
    return f"The {type} meowed quietly"


class Cat:
    @updating.updated_kwarg_default_value("type", "cat", "feline", version="3.0", message="hm")
    def meow(self, volume: int = 1, type: str = "cat") -> str:
        return f"{type} {volume}"

    @renames.renamed_kwarg("loud", "volume", replace=True)
    @classmethod
    def purr(cls, volume: int = 0) -> int:
        return volume


class TestRenamedKwarg:
    def test_the_old_name_warns_and_still_reaches_the_function(self, warned: Warned) -> None:
        assert warned(lambda: blip_blop(blip=2)) == ((2, 1), DeprecationWarning, RENAMED)

    def test_the_new_name_or_no_name_does_not_warn(self, unwarned: Unwarned) -> None:
        assert unwarned(lambda: blip_blop()) == (1, 1)
        assert unwarned(lambda: blip_blop(blop=2)) == (1, 2)
        assert unwarned(lambda: blip_blop(5, 6)) == (5, 6)

    def test_replace_hands_the_value_over_under_the_new_name(self, warned: Warned) -> None:
        assert warned(lambda: blop_only(blip=2)) == (2, DeprecationWarning, RENAMED)

    def test_with_replace_an_explicit_new_name_wins(self, warned: Warned) -> None:
        assert warned(lambda: blop_only(blip=2, blop=3)).result == 3

    def test_details_and_category(self, warned: Warned) -> None:
        assert warned(lambda: detailed(blip=2)) == (
            3,
            UserWarning,
            "Using the 'blip' argument is deprecated in version '1.0' and will be removed in"
            " version '2.0', please use the 'blop' argument instead: see docs",
        )

    def test_works_above_a_classmethod(self, warned: Warned) -> None:
        assert warned(lambda: Cat.purr(loud=4)).result == 4

    def test_works_on_coroutine_functions(self, warned: Warned) -> None:
        @renames.renamed_kwarg("old", "new", replace=True)
        async def fetch(new: int = 0) -> int:
            return new

        assert inspect.iscoroutinefunction(fetch)
        assert warned(lambda: asyncio.run(fetch(old=3))).result == 3

    def test_works_on_a_class_constructor(self, warned: Warned) -> None:
        @renames.renamed_kwarg("colour", "color", replace=True)
        class Box:
            def __init__(self, color: str = "red") -> None:
                self.color = color

        assert warned(lambda: Box(colour="blue")).result.color == "blue"  # type: ignore[call-arg]

    def test_keeps_the_argspec(self) -> None:
        assert inspect.getfullargspec(blip_blop) == inspect.getfullargspec(blip_blop_unwrapped)
        assert not hasattr(blip_blop, "__deprecated__")


class TestUpdatedKwargDefaultValue:
    def test_relying_on_the_default_warns_with_a_future_warning(self, warned: Warned) -> None:
        assert warned(lambda: meow()) == ("The cat meowed quietly", FutureWarning, UPDATED)

    def test_passing_the_value_by_keyword_or_position_does_not_warn(
        self, unwarned: Unwarned
    ) -> None:
        assert unwarned(lambda: meow(type="kitten")) == "The kitten meowed quietly"
        assert unwarned(lambda: meow("kitten")) == "The kitten meowed quietly"

    def test_methods_count_self_when_matching_positions(
        self, warned: Warned, unwarned: Unwarned
    ) -> None:
        assert unwarned(lambda: Cat().meow(2, "lion")) == "lion 2"
        assert unwarned(lambda: Cat().meow(type="lion")) == "lion 1"
        assert warned(lambda: Cat().meow(2)).message == (
            "The type argument is changing its default value to feline in version '3.0',"
            " please update the code to explicitly set cat as the value: hm"
        )

    def test_keyword_only_and_var_keyword_parameters(
        self, warned: Warned, unwarned: Unwarned
    ) -> None:
        @updating.updated_kwarg_default_value("mode", "a", "b")
        def keyword_only(*, mode: str = "a") -> str:
            return mode

        @updating.updated_kwarg_default_value("mode", "a", "b")
        def var_keyword(**kwargs: str) -> str:
            return kwargs.get("mode", "a")

        for function in (keyword_only, var_keyword):
            assert warned(lambda: function()).result == "a"  # noqa: B023
            assert unwarned(lambda: function(mode="b")) == "b"  # noqa: B023

    def test_an_unknown_parameter_is_rejected_at_decoration_time(self) -> None:
        decorator = updating.updated_kwarg_default_value("tpye", "cat", "feline")
        with pytest.raises(ValueError, match="has no parameter 'tpye'"):
            decorator(meow)

    def test_category_is_configurable(self, warned: Warned) -> None:
        @updating.updated_kwarg_default_value("x", 1, 2, category=DeprecationWarning)  # type: ignore[arg-type]
        def f(x: int = 1) -> int:
            return x

        assert warned(lambda: f()).message == (
            "The x argument is changing its default value to 2,"
            " please update the code to explicitly set 1 as the value"
        )

    def test_keeps_the_signature(self) -> None:
        assert str(inspect.signature(meow)) == "(type: str = 'cat') -> str"
