# mypy: disable-error-code="untyped-decorator,no-any-return,no-redef,method-assign"
"""Differential tests: the same code run against debtcollector and against us.

Each scenario decorates and uses things through ``lib`` (either library) and
is run twice; the results and every warning's category, message, filename and
line must be identical. Behaviours where we deliberately differ are covered by
the other test modules (and listed in doc/source/deprecation.rst).
"""

import asyncio
import types
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import oslo_incubator.deprecation as ours_root
from oslo_incubator.deprecation import moves, removals, renames, updating

dc_root = pytest.importorskip("debtcollector")
dc_moves = pytest.importorskip("debtcollector.moves")
dc_removals = pytest.importorskip("debtcollector.removals")
dc_renames = pytest.importorskip("debtcollector.renames")
dc_updating = pytest.importorskip("debtcollector.updating")

OURS = types.SimpleNamespace(
    removals=removals, moves=moves, renames=renames, updating=updating, root=ours_root
)
THEIRS = types.SimpleNamespace(
    removals=dc_removals, moves=dc_moves, renames=dc_renames, updating=dc_updating, root=dc_root
)

Scenario = Callable[[Any], object]
SCENARIOS: dict[str, Scenario] = {}


def scenario(function: Scenario) -> Scenario:
    SCENARIOS[function.__name__] = function
    return function


def observe(lib: Any, action: Scenario) -> tuple[object, list[tuple[object, ...]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: object = action(lib)
        except Exception as error:  # compare failures too
            result = (type(error), str(error))
    return result, [(w.category, str(w.message), w.filename, w.lineno) for w in caught]


# -- removals.remove -------------------------------------------------------------------


@scenario
def remove_bare_function(lib: Any) -> object:
    @lib.removals.remove
    def crimson_lightning(fake_input: int) -> int:
        return fake_input

    return crimson_lightning(666), crimson_lightning(fake_input=1)


@scenario
def remove_with_every_detail(lib: Any) -> object:
    @lib.removals.remove(
        message="use blue",
        version="1.0",
        removal_version="2.0",
        category=PendingDeprecationWarning,
    )
    def red_comet() -> bool:
        return True

    return red_comet()


@scenario
def remove_with_unknown_removal_version(lib: Any) -> object:
    @lib.removals.remove(removal_version="?", version="0.1")
    def soon() -> int:
        return 1

    return soon()


@scenario
def remove_with_custom_stacklevel(lib: Any) -> object:
    @lib.removals.remove(stacklevel=4)
    def internal() -> int:
        return 2

    def public() -> int:
        return internal()

    return public()


@scenario
def remove_on_methods_of_every_kind(lib: Any) -> object:
    class ThingB:
        @lib.removals.remove()
        def black_tristars(self) -> str:
            return "black"

        @lib.removals.remove(category=PendingDeprecationWarning)
        @classmethod
        def white_wolf(cls) -> str:
            return cls.__name__

        @classmethod
        @lib.removals.remove
        def yellow_wolf(cls) -> str:
            return cls.__name__

        @lib.removals.remove()
        @staticmethod
        def blue_giant() -> str:
            return "blue"

        @staticmethod
        @lib.removals.remove(message="gone")
        def green_giant() -> str:
            return "green"

        class Inner:
            @lib.removals.remove
            def deep(self) -> str:
                return "deep"

    thing = ThingB()
    return (
        thing.black_tristars(),
        ThingB.white_wolf(),
        thing.white_wolf(),
        ThingB.yellow_wolf(),
        thing.blue_giant(),
        ThingB.green_giant(),
        ThingB.Inner().deep(),
    )


@scenario
def remove_on_a_class(lib: Any) -> object:
    @lib.removals.remove(version="3")
    class EFSF:
        def __init__(self, crew: int = 1) -> None:
            self.crew = crew

    return EFSF(4).crew, isinstance(EFSF(), EFSF)


@scenario
def remove_on_a_coroutine_function(lib: Any) -> object:
    @lib.removals.remove
    async def fetch(x: int) -> int:
        return x

    async def main() -> int:
        return await fetch(1)

    return asyncio.run(fetch(2)), asyncio.run(main())


# -- removals: kwargs, classes, modules, properties -------------------------------------


@scenario
def removed_kwarg_passed_and_not_passed(lib: Any) -> object:
    @lib.removals.removed_kwarg("b", message="b is gone", removal_version="?")
    def f(b: int = 2) -> int:
        return b

    return f(b=3), f(), f(4)


@scenario
def removed_kwarg_above_a_classmethod(lib: Any) -> object:
    class WoofWoof:
        @lib.removals.removed_kwarg("resp", message="Please use 'response' instead")
        @classmethod
        def factory(cls, resp: object = None, response: object = None) -> str:
            return "super-duper"

    return WoofWoof.factory(resp="hi"), WoofWoof.factory(response="hi")


@scenario
def removed_class_directly_and_through_inheritance(lib: Any) -> object:
    @lib.removals.removed_class("StarLord", version="1", removal_version="2", message="m")
    class StarLord:
        def __init__(self) -> None:
            self.name = "star"

    class StarLordJr(StarLord):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class StarLordIII(StarLord):
        pass

    return StarLord().name, StarLordJr("jr").name, StarLordIII().name


@scenario
def removed_class_on_a_non_class(lib: Any) -> object:
    return lib.removals.removed_class("X")(3)


@scenario
def removed_module_by_name_and_object(lib: Any) -> object:
    lib.removals.removed_module(
        "old.module", replacement="new.module", version="1", removal_version="2", message="bye"
    )
    lib.removals.removed_module(types.ModuleType("a.module.object"))
    return lib.removals.removed_module("x", category=PendingDeprecationWarning)


@scenario
def removed_module_with_a_bad_type(lib: Any) -> object:
    return lib.removals.removed_module(2)


@scenario
def removed_property_read_set_delete(lib: Any) -> object:
    class ThingB:
        @lib.removals.removed_property
        def green_tristars(self) -> str:
            return "green"

        @green_tristars.setter
        def green_tristars(self, value: str) -> None:
            pass

        @green_tristars.deleter
        def green_tristars(self) -> None:
            pass

        @lib.removals.removed_property(message="stop using me", version="1", removal_version="?")
        def green_blue_tristars(self) -> str:
            return "green-blue"

    thing = ThingB()
    value = thing.green_tristars
    thing.green_tristars = "b"
    del thing.green_tristars
    return value, thing.green_blue_tristars


# -- moves ------------------------------------------------------------------------------


def yellow_sun() -> bool:
    """Yellow."""
    return True


@scenario
def moved_function_called(lib: Any) -> object:
    yellowish_sun = lib.moves.moved_function(
        yellow_sun, "yellowish_sun", "old.module", version="1", removal_version="2"
    )
    return yellowish_sun(), yellowish_sun.__name__, yellowish_sun.__doc__


@scenario
def moved_read_only_property_on_class_and_instance(lib: Any) -> object:
    class Giraffe:
        color = "orange"
        colour = lib.moves.moved_read_only_property("colour", "color", version="1")

        @property
        def height(self) -> int:
            return 2

        heightt = lib.moves.moved_read_only_property("heightt", "height", removal_version="?")

    return Giraffe.colour, Giraffe().heightt


@scenario
def moved_class_instances_and_subclasses(lib: Any) -> object:
    class NewHotness:
        def hot(self) -> str:
            return "cold"

    old_hotness = lib.moves.moved_class(NewHotness, "OldHotness", "old.module", message="m")
    old_dict = lib.moves.moved_class(dict, "OldDict", "old.module")

    class MyOldThing(old_hotness):  # type: ignore[valid-type,misc]
        pass

    return old_hotness().hot(), MyOldThing().hot(), old_dict(a=1), old_hotness.__name__


@scenario
def moved_class_of_a_non_class(lib: Any) -> object:
    return lib.moves.moved_class("b", "Old", "old.module")


# -- renames and updating -------------------------------------------------------------


@scenario
def renamed_kwarg_with_and_without_replace(lib: Any) -> object:
    @lib.renames.renamed_kwarg("blip", "blop", version="1", removal_version="2")
    def blip_blop(blip: int = 1, blop: int = 1) -> tuple[int, int]:
        return blip, blop

    @lib.renames.renamed_kwarg("blip", "blop", replace=True, category=PendingDeprecationWarning)
    def blop_only(blop: int = 1) -> int:
        return blop

    return blip_blop(blip=2), blip_blop(blop=2), blop_only(blip=3), blop_only(blip=3, blop=4)


@scenario
def updated_kwarg_default_value_on_a_function(lib: Any) -> object:
    @lib.updating.updated_kwarg_default_value("type", "cat", "feline", version="1", message="m")
    def meow(volume: int = 1, type: str = "cat") -> str:
        return f"{type} {volume}"

    return meow(), meow(2), meow(2, "dog"), meow(type="dog")


# -- deprecate() ------------------------------------------------------------------------


@scenario
def deprecate_with_every_part(lib: Any) -> object:
    lib.root.deprecate("Its broken")
    lib.root.deprecate(
        "Its really broken", postfix=", really", message="fix it", version="1", removal_version="2"
    )
    return lib.root.deprecate("pending", category=PendingDeprecationWarning, stacklevel=4)


# Parametrised last, once every scenario above is registered.
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_behaves_exactly_like_debtcollector(name: str) -> None:
    ours, theirs = observe(OURS, SCENARIOS[name]), observe(THEIRS, SCENARIOS[name])
    assert ours == theirs
    assert ours[1] or isinstance(ours[0], tuple), "scenario should warn or fail"
