"""Specification of oslo_incubator.deprecation.moves (with literal messages)."""

import asyncio
import inspect
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from oslo_incubator.deprecation import fixtures, moves

# Types of the ``warned`` and ``unwarned`` fixtures from conftest.py.
Warned = Callable[[Callable[[], object]], Any]
Unwarned = Callable[[Callable[[], object]], Any]


def yellow_sun(brightness: int = 1) -> str:
    """Shine."""
    return f"yellow {brightness}"


yellowish_sun = moves.moved_function(yellow_sun, "yellowish_sun", __name__)

dim_sun = moves.moved_function(
    yellow_sun, "dim_sun", "old.place", version="1.0", removal_version="2.0", message="see docs"
)


async def fetch(x: int) -> int:
    return x


old_fetch = moves.moved_function(fetch, "old_fetch", __name__)


class NewHotness:
    """The new class."""

    def __init__(self, heat: int = 1) -> None:
        self.heat = heat

    def hot(self) -> str:
        return "cold"


OldHotness = moves.moved_class(NewHotness, "OldHotness", __name__)

OldPending = moves.moved_class(
    NewHotness, "OldPending", "old.place", category=PendingDeprecationWarning, version="2.1"
)


class KittyKat:
    @moves.moved_method("supermeow")
    def meow(self, volume: int = 11) -> str:
        """Meow."""
        return self.supermeow(volume)

    @moves.moved_method("supermeow()", version="1.0", removal_version="?")
    def maow(self, volume: int = 11) -> str:
        return self.supermeow(volume)

    def supermeow(self, volume: int = 11) -> str:
        return f"supermeow {volume}"

    @moves.moved_method("create")
    @classmethod
    def make(cls) -> "KittyKat":
        return cls()

    @moves.moved_method("apurr")
    async def purr(self) -> str:
        return "purr"

    @property
    def bark(self) -> str:
        return "woof"

    @property
    @moves.moved_property("bark", category=PendingDeprecationWarning)
    def burk(self) -> str:
        return self.bark

    color = "orange"
    colour = moves.moved_read_only_property("colour", "color", version="1.0")

    @property
    def height(self) -> int:
        return 2

    heightt = moves.moved_read_only_property("heightt", "height", removal_version="3")


class Dog:
    bark = "woof"

    def burk(self) -> str:
        return self.bark

    def _set_burk(self, value: str) -> None:
        self.bark = value

    burk = moves.moved_property("bark")(property(burk, _set_burk))  # type: ignore[assignment]


class TestMovedFunction:
    def test_calling_the_old_name_warns_with_both_locations(self, warned: Warned) -> None:
        assert warned(lambda: yellowish_sun(2)) == (
            "yellow 2",
            DeprecationWarning,
            f"Function '{__name__}.yellowish_sun()' has moved to '{__name__}.yellow_sun()'",
        )

    def test_details_are_appended(self, warned: Warned) -> None:
        assert warned(lambda: dim_sun()).message == (
            f"Function 'old.place.dim_sun()' has moved to '{__name__}.yellow_sun()'"
            " in version '1.0' and will be removed in version '2.0': see docs"
        )

    def test_the_new_function_does_not_warn(self, unwarned: Unwarned) -> None:
        assert unwarned(lambda: yellow_sun()) == "yellow 1"

    def test_the_wrapper_is_named_after_the_old_location(self) -> None:
        assert yellowish_sun.__name__ == "yellowish_sun"
        assert yellowish_sun.__qualname__ == "yellowish_sun"
        assert yellowish_sun.__module__ == __name__
        assert yellowish_sun.__doc__ == "Shine."
        assert yellowish_sun.__wrapped__ is yellow_sun  # type: ignore[attr-defined]
        assert inspect.signature(yellowish_sun) == inspect.signature(yellow_sun)
        assert yellowish_sun.__deprecated__.startswith("Function ")  # type: ignore[attr-defined]

    def test_the_old_name_pickles_by_reference(self, unwarned: Unwarned) -> None:
        assert unwarned(lambda: pickle.loads(pickle.dumps(yellowish_sun))) is yellowish_sun

    def test_builtins_are_named_by_their_own_name(self, warned: Warned) -> None:
        old_len = moves.moved_function(len, "size", "old.place")
        assert warned(lambda: old_len([1])).message == (
            "Function 'old.place.size()' has moved to 'builtins.len()'"
        )

    def test_coroutine_functions_stay_coroutine_functions(self, warned: Warned) -> None:
        assert inspect.iscoroutinefunction(old_fetch)
        assert warned(lambda: asyncio.run(old_fetch(4))).result == 4


class TestMovedClass:
    def test_instantiating_the_old_class_warns_and_builds_a_new_class_instance(
        self, warned: Warned
    ) -> None:
        observed = warned(lambda: OldHotness(5))
        assert observed.message == (
            f"Class '{__name__}.OldHotness' has moved to '{__name__}.NewHotness'"
        )
        assert isinstance(observed.result, NewHotness)
        assert observed.result.heat == 5
        assert observed.result.hot() == "cold"

    def test_category_and_details(self, warned: Warned) -> None:
        observed = warned(lambda: OldPending())
        assert observed.category is PendingDeprecationWarning
        assert observed.message == (
            f"Class 'old.place.OldPending' has moved to '{__name__}.NewHotness' in version '2.1'"
        )

    def test_subclasses_of_the_old_class_warn_too(self, warned: Warned) -> None:
        class MyOldThing(OldHotness):  # type: ignore[valid-type,misc]
            pass

        assert isinstance(warned(lambda: MyOldThing()).result, NewHotness)

    def test_the_new_class_is_untouched(self, unwarned: Unwarned) -> None:
        assert isinstance(unwarned(lambda: NewHotness()), NewHotness)
        assert not hasattr(NewHotness, "__deprecated__")

    def test_old_class_identity_naming_and_pickling(self, unwarned: Unwarned) -> None:
        assert OldHotness.__name__ == OldHotness.__qualname__ == "OldHotness"
        assert OldHotness.__module__ == __name__
        assert OldHotness.__doc__ == "The new class."
        assert issubclass(OldHotness, NewHotness)
        assert inspect.signature(OldHotness) == inspect.signature(NewHotness)
        assert unwarned(lambda: pickle.loads(pickle.dumps(OldHotness))) is OldHotness
        assert OldHotness.__deprecated__.startswith("Class ")

    def test_builtin_new_classes_are_named_without_module(self, warned: Warned) -> None:
        OldDict = moves.moved_class(dict, "OldDict", "old.place")
        assert warned(lambda: OldDict(a=1)) == (
            {"a": 1},
            DeprecationWarning,
            "Class 'old.place.OldDict' has moved to 'dict'",
        )

    def test_rejects_non_classes(self) -> None:
        with pytest.raises(TypeError, match=r"Unexpected class type 'str' \(expected class"):
            moves.moved_class("b", __name__, __name__)  # type: ignore[arg-type]


class TestMovedMethod:
    def test_calling_the_old_method_names_the_new_one_on_the_same_class(
        self, warned: Warned
    ) -> None:
        assert warned(lambda: KittyKat().meow()) == (
            "supermeow 11",
            DeprecationWarning,
            "Method 'KittyKat.meow()' has moved to 'KittyKat.supermeow()'",
        )

    def test_trailing_parentheses_are_optional_and_details_appended(self, warned: Warned) -> None:
        assert warned(lambda: KittyKat().maow(3)).message == (
            "Method 'KittyKat.maow()' has moved to 'KittyKat.supermeow()' in version '1.0'"
            " and will be removed in a future version"
        )

    def test_the_new_method_does_not_warn(self, unwarned: Unwarned) -> None:
        assert unwarned(lambda: KittyKat().supermeow()) == "supermeow 11"

    def test_works_above_classmethod(self, warned: Warned) -> None:
        observed = warned(lambda: KittyKat.make())
        assert isinstance(observed.result, KittyKat)
        assert observed.message == "Method 'KittyKat.make()' has moved to 'KittyKat.create()'"

    def test_works_on_coroutine_methods(self, warned: Warned) -> None:
        assert inspect.iscoroutinefunction(KittyKat().purr)
        assert warned(lambda: asyncio.run(KittyKat().purr())).result == "purr"

    def test_keeps_the_argspec_and_metadata(self) -> None:
        assert inspect.getfullargspec(KittyKat.meow) == inspect.getfullargspec(KittyKat.supermeow)
        assert KittyKat.meow.__name__ == "meow"
        assert KittyKat.meow.__doc__ == "Meow."
        assert KittyKat.meow.__deprecated__ == (  # type: ignore[attr-defined]
            "Method 'KittyKat.meow()' has moved to 'KittyKat.supermeow()'"
        )


class TestMovedProperty:
    def test_reading_the_old_property_warns(self, warned: Warned) -> None:
        assert warned(lambda: KittyKat().burk) == (
            "woof",
            PendingDeprecationWarning,
            "Property 'KittyKat.burk' has moved to 'KittyKat.bark'",
        )

    def test_reading_the_new_property_does_not_warn(self, unwarned: Unwarned) -> None:
        assert unwarned(lambda: KittyKat().bark) == "woof"

    def test_also_works_above_property_covering_every_accessor(self, warned: Warned) -> None:
        dog = Dog()
        assert warned(lambda: setattr(dog, "burk", "yap")).message == (
            "Property 'Dog.burk' has moved to 'Dog.bark'"
        )
        assert warned(lambda: dog.burk) == (
            "yap",
            DeprecationWarning,
            "Property 'Dog.burk' has moved to 'Dog.bark'",
        )


class TestMovedReadOnlyProperty:
    def test_reading_on_an_instance_warns_and_returns_the_new_attribute(
        self, warned: Warned
    ) -> None:
        assert warned(lambda: KittyKat().heightt) == (
            2,
            DeprecationWarning,
            "Read-only property 'heightt' has moved to 'height'"
            " and will be removed in version '3'",
        )

    def test_reading_on_the_class_warns_too(self, warned: Warned) -> None:
        assert warned(lambda: KittyKat.colour) == (
            "orange",
            DeprecationWarning,
            "Read-only property 'colour' has moved to 'color' in version '1.0'",
        )

    def test_descriptor_carries_the_deprecated_attribute(self) -> None:
        assert KittyKat.__dict__["colour"].__deprecated__ == (
            "Read-only property 'colour' has moved to 'color' in version '1.0'"
        )

    def test_removal_version_typo_fails_at_class_definition_in_strict_mode(self) -> None:
        moves.moved_read_only_property("a", "b", removal_version="three")
        with fixtures.strict(), pytest.raises(ValueError, match="'three'"):
            moves.moved_read_only_property("a", "b", removal_version="three")
