"""Specification of oslo_incubator.deprecation.removals (with literal messages)."""

import asyncio
import dataclasses
import inspect
import pickle
import sys
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oslo_incubator.deprecation import fixtures, removals

# Types of the ``warned`` and ``unwarned`` fixtures from conftest.py.
Warned = Callable[[Callable[[], object]], Any]
Unwarned = Callable[[Callable[[], object]], Any]

DEPRECATED = DeprecationWarning
PENDING = PendingDeprecationWarning


# Module-level targets, so that pickling by reference can be checked.


@removals.remove
def removed_function(a: int, b: int = 2) -> int:
    """Add two numbers."""
    return a + b


@removals.remove(version="1.0", removal_version="2.0", message="use add()")
def removed_function_with_details(a: int) -> int:
    return a


@removals.remove(removal_version="?")
def removed_soon() -> None:
    pass


@removals.remove
async def removed_coroutine_function(x: int) -> int:
    """Return x, later."""
    await asyncio.sleep(0)
    return x


@removals.remove
class RemovedClass:
    """A deprecated class."""

    def __init__(self, value: int = 0) -> None:
        self.value = value


@removals.removed_class("StarLord", version="1.0", removal_version="?")
class StarLord:
    def __init__(self) -> None:
        self.name = "star"


class StarLordJr(StarLord):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class Thing:
    @removals.remove
    def method(self, x: int) -> int:
        """Return x."""
        return x

    @removals.remove(category=PENDING)
    @classmethod
    def class_method_inside(cls, x: int) -> tuple[type, int]:
        return cls, x

    @classmethod
    @removals.remove
    def class_method_outside(cls, x: int) -> tuple[type, int]:
        return cls, x

    @removals.remove
    @staticmethod
    def static_method_inside(x: int) -> int:
        return x

    @staticmethod
    @removals.remove
    def static_method_outside(x: int) -> int:
        return x

    @removals.remove
    async def coroutine_method(self, x: int) -> int:
        return x

    @removals.remove
    @classmethod
    async def coroutine_class_method(cls, x: int) -> int:
        return x

    class Inner:
        @removals.remove
        def method(self) -> str:
            return "inner"

    @removals.removed_property
    def colour(self) -> str:
        """The colour."""
        return getattr(self, "_colour", "green")

    @colour.setter  # type: ignore[no-redef]
    def colour(self, value: str) -> None:
        self._colour = value

    @colour.deleter  # type: ignore[no-redef]
    def colour(self) -> None:
        del self._colour

    @removals.removed_property(message="stop using me", version="1.0", removal_version="3.0")
    def shade(self) -> str:
        """The shade."""
        return "dark"

    @removals.remove  # type: ignore[prop-decorator]
    @property
    def weight(self) -> int:
        """The weight."""
        return 3

    @removals.removed_kwarg("resp", message="Please use 'response' instead")
    @classmethod
    def factory(cls, resp: object = None, response: object = None) -> str:
        return "made"


@removals.removed_kwarg("b", version="1.0", removal_version="2.0")
def takes_b(a: int = 1, b: int = 2) -> int:
    return a + b


class TestRemoveOnFunctions:
    def test_calling_warns_with_the_qualified_name_and_returns_the_result(
        self, warned: Warned
    ) -> None:
        assert warned(lambda: removed_function(1)) == (
            3,
            DEPRECATED,
            "Using function/method 'removed_function()' is deprecated",
        )

    def test_version_removal_version_and_message_are_appended_in_order(
        self, warned: Warned
    ) -> None:
        assert warned(lambda: removed_function_with_details(5)).message == (
            "Using function/method 'removed_function_with_details()' is deprecated"
            " in version '1.0' and will be removed in version '2.0': use add()"
        )

    def test_unknown_removal_version_reads_as_a_future_version(self, warned: Warned) -> None:
        assert warned(lambda: removed_soon()).message == (
            "Using function/method 'removed_soon()' is deprecated"
            " and will be removed in a future version"
        )

    def test_category_is_configurable(self, warned: Warned) -> None:
        @removals.remove(category=PENDING)
        def pending() -> int:
            return 1

        assert warned(lambda: pending()).category is PENDING

    def test_empty_parentheses_form_equals_the_bare_form(self, warned: Warned) -> None:
        @removals.remove()
        def empty() -> int:
            return 7

        assert warned(lambda: empty()).result == 7

    def test_every_call_warns(self) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            removed_function(1)
            removed_function(2)
        assert len(caught) == 2

    def test_a_larger_stacklevel_points_further_up_the_stack(self, warned: Warned) -> None:
        @removals.remove(stacklevel=4)
        def internal() -> None:
            pass

        def public_helper() -> None:
            internal()

        assert warned(lambda: public_helper()).message.startswith("Using function/method")

    def test_metadata_signature_and_wrapped_function_are_kept(self) -> None:
        assert removed_function.__name__ == "removed_function"
        assert removed_function.__qualname__ == "removed_function"
        assert removed_function.__doc__ == "Add two numbers."
        assert removed_function.__module__ == __name__
        assert str(inspect.signature(removed_function)) == "(a: int, b: int = 2) -> int"
        original = removed_function.__wrapped__  # type: ignore[attr-defined]
        assert not hasattr(original, "__deprecated__")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert original(1) == 3

    def test_carries_the_pep_702_deprecated_attribute(self) -> None:
        assert removed_function.__deprecated__ == (  # type: ignore[attr-defined]
            "Using function/method 'removed_function()' is deprecated"
        )

    def test_module_level_function_pickles_by_reference(self, unwarned: Unwarned) -> None:
        assert unwarned(lambda: pickle.loads(pickle.dumps(removed_function))) is removed_function

    def test_removal_version_typo_fails_at_decoration_time_in_strict_mode(self) -> None:
        removals.remove(removal_version="2.0.x")
        with fixtures.strict(), pytest.raises(ValueError, match="'2.0.x'"):
            removals.remove(removal_version="2.0.x")


class TestRemoveOnMethods:
    def test_instance_method_warns_with_class_qualified_name(self, warned: Warned) -> None:
        assert warned(lambda: Thing().method(4)) == (
            4,
            DEPRECATED,
            "Using function/method 'Thing.method()' is deprecated",
        )

    def test_nested_class_method_uses_the_full_qualified_name(self, warned: Warned) -> None:
        assert warned(lambda: Thing.Inner().method()).message == (
            "Using function/method 'Thing.Inner.method()' is deprecated"
        )

    @pytest.mark.parametrize("name", ["class_method_inside", "class_method_outside"])
    def test_classmethod_in_either_order_warns_and_binds_the_class(
        self, warned: Warned, name: str
    ) -> None:
        observed = warned(lambda: getattr(Thing, name)(5))
        assert observed.result == (Thing, 5)
        assert observed.message == f"Using function/method 'Thing.{name}()' is deprecated"

    def test_classmethod_called_on_an_instance_binds_the_class(self, warned: Warned) -> None:
        assert warned(lambda: Thing().class_method_inside(1)).result == (Thing, 1)

    @pytest.mark.parametrize("name", ["static_method_inside", "static_method_outside"])
    def test_staticmethod_in_either_order_warns(self, warned: Warned, name: str) -> None:
        assert warned(lambda: getattr(Thing(), name)(6)) == (
            6,
            DEPRECATED,
            f"Using function/method 'Thing.{name}()' is deprecated",
        )

    def test_descriptors_keep_their_kind(self) -> None:
        assert isinstance(Thing.__dict__["class_method_inside"], classmethod)
        assert isinstance(Thing.__dict__["static_method_inside"], staticmethod)

    def test_signatures_of_bound_methods_are_kept(self) -> None:
        assert str(inspect.signature(Thing().method)) == "(x: int) -> int"
        assert str(inspect.signature(Thing.class_method_inside)) == "(x: int) -> tuple[type, int]"
        assert str(inspect.signature(Thing.static_method_outside)) == "(x: int) -> int"

    def test_classmethod_carries_the_deprecated_attribute(self) -> None:
        assert Thing.class_method_inside.__deprecated__ == (  # type: ignore[attr-defined]
            "Using function/method 'Thing.class_method_inside()' is deprecated"
        )


class TestRemoveOnCoroutineFunctions:
    def test_stays_a_coroutine_function(self) -> None:
        assert inspect.iscoroutinefunction(removed_coroutine_function)
        assert inspect.iscoroutinefunction(Thing().coroutine_method)
        assert inspect.iscoroutinefunction(Thing.coroutine_class_method)
        assert asyncio.iscoroutinefunction(removed_coroutine_function)

    def test_warns_when_called_pointing_at_the_caller(self, warned: Warned) -> None:
        assert warned(lambda: asyncio.run(removed_coroutine_function(3))) == (
            3,
            DEPRECATED,
            "Using function/method 'removed_coroutine_function()' is deprecated",
        )

    def test_methods_and_classmethods_warn_at_the_call(self, warned: Warned) -> None:
        assert warned(lambda: asyncio.run(Thing().coroutine_method(1))).result == 1
        assert warned(lambda: asyncio.run(Thing.coroutine_class_method(2))).message == (
            "Using function/method 'Thing.coroutine_class_method()' is deprecated"
        )

    def test_awaiting_inside_a_coroutine_points_at_the_await_line(self) -> None:
        async def main() -> tuple[int, int]:
            line = inspect.currentframe().f_lineno  # type: ignore[union-attr]
            return await removed_coroutine_function(8), line + 1

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result, line = asyncio.run(main())
        assert result == 8
        assert [(w.filename, w.lineno) for w in caught] == [(__file__, line)]

    def test_metadata_and_signature_are_kept(self) -> None:
        assert removed_coroutine_function.__name__ == "removed_coroutine_function"
        assert removed_coroutine_function.__doc__ == "Return x, later."
        assert str(inspect.signature(removed_coroutine_function)) == "(x: int) -> int"
        assert str(inspect.signature(Thing().coroutine_method)) == "(x: int) -> int"

    def test_pickles_by_reference(self, unwarned: Unwarned) -> None:
        restored = unwarned(lambda: pickle.loads(pickle.dumps(removed_coroutine_function)))
        assert restored is removed_coroutine_function


class TestRemoveOnClasses:
    def test_instantiation_warns_and_builds_the_instance(self, warned: Warned) -> None:
        observed = warned(lambda: RemovedClass(5))
        assert observed.message == "Using class 'RemovedClass' is deprecated"
        assert isinstance(observed.result, RemovedClass)
        assert observed.result.value == 5

    def test_instantiating_a_subclass_warns_too(self, warned: Warned) -> None:
        class Child(RemovedClass):
            pass

        assert warned(lambda: Child(1)).message == "Using class 'RemovedClass' is deprecated"

    def test_the_class_itself_is_returned_so_isinstance_and_pickle_work(
        self, unwarned: Unwarned
    ) -> None:
        assert type(RemovedClass) is type
        assert unwarned(lambda: pickle.loads(pickle.dumps(RemovedClass))) is RemovedClass
        instance = RemovedClass.__new__(RemovedClass)
        instance.value = 9
        restored = unwarned(lambda: pickle.loads(pickle.dumps(instance)))
        assert isinstance(restored, RemovedClass)
        assert restored.value == 9

    def test_name_doc_signature_and_deprecated_attribute(self) -> None:
        assert RemovedClass.__name__ == "RemovedClass"
        assert RemovedClass.__doc__ == "A deprecated class."
        assert str(inspect.signature(RemovedClass)) == "(value: int = 0) -> None"
        assert RemovedClass.__deprecated__ == (  # type: ignore[attr-defined]
            "Using class 'RemovedClass' is deprecated"
        )

    def test_class_without_init_still_rejects_arguments(self, warned: Warned) -> None:
        @removals.remove
        class Plain:
            pass

        assert str(inspect.signature(Plain)) == "()"
        assert isinstance(warned(lambda: Plain()).result, Plain)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(TypeError, match=r"Plain\(\) takes no arguments"):
                Plain(1)  # type: ignore[call-arg]

    def test_class_with_only_new_keeps_taking_its_arguments(self, warned: Warned) -> None:
        @removals.remove
        class WithNew:
            def __new__(cls, x: int) -> "WithNew":
                instance = super().__new__(cls)
                instance.x = x  # type: ignore[attr-defined]
                return instance

        assert warned(lambda: WithNew(3)).result.x == 3
        assert str(inspect.signature(WithNew)) == "(x: int) -> 'WithNew'"

    def test_dataclass_keeps_its_generated_init(self, warned: Warned) -> None:
        @removals.remove
        @dataclasses.dataclass
        class Point:
            x: int
            y: int = 0

        assert dataclasses.astuple(warned(lambda: Point(1)).result) == (1, 0)
        assert str(inspect.signature(Point)) == "(x: int, y: int = 0) -> None"


class TestRemovedKwarg:
    def test_passing_the_keyword_warns(self, warned: Warned) -> None:
        assert warned(lambda: takes_b(b=5)) == (
            6,
            DEPRECATED,
            "Using the 'b' argument is deprecated in version '1.0'"
            " and will be removed in version '2.0'",
        )

    def test_not_passing_it_or_passing_it_positionally_does_not_warn(
        self, unwarned: Unwarned
    ) -> None:
        assert unwarned(lambda: takes_b()) == 3
        assert unwarned(lambda: takes_b(1, 5)) == 6

    def test_works_above_a_classmethod(self, warned: Warned, unwarned: Unwarned) -> None:
        assert warned(lambda: Thing.factory(resp="hi")).message == (
            "Using the 'resp' argument is deprecated: Please use 'response' instead"
        )
        assert unwarned(lambda: Thing.factory(response="hi")) == "made"

    def test_works_on_a_class_constructor(self, warned: Warned) -> None:
        @removals.removed_kwarg("colour")
        class Box:
            def __init__(self, colour: str = "red", color: str = "red") -> None:
                self.color = color

        assert isinstance(warned(lambda: Box(colour="blue")).result, Box)

    def test_works_on_coroutine_functions(self, warned: Warned) -> None:
        @removals.removed_kwarg("old")
        async def fetch(old: int = 0, new: int = 0) -> int:
            return old + new

        assert inspect.iscoroutinefunction(fetch)
        assert warned(lambda: asyncio.run(fetch(old=2))).result == 2

    def test_keeps_the_signature_and_sets_no_deprecated_attribute(self) -> None:
        assert str(inspect.signature(takes_b)) == "(a: int = 1, b: int = 2) -> int"
        # The function is not deprecated, only one of its arguments is.
        assert not hasattr(takes_b, "__deprecated__")


class TestRemovedClass:
    def test_direct_instantiation_warns(self, warned: Warned) -> None:
        observed = warned(lambda: StarLord())
        assert observed.message == (
            "Using class 'StarLord' (either directly or via inheritance) is deprecated"
            " in version '1.0' and will be removed in a future version"
        )
        assert observed.result.name == "star"

    def test_instantiation_through_a_subclass_warns_at_its_super_call(self) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            jr = StarLordJr("star_jr")
        assert jr.name == "star_jr"
        (warning,) = caught
        super_call_line = inspect.getsourcelines(StarLordJr.__init__)[1] + 1
        assert (warning.filename, warning.lineno) == (__file__, super_call_line)

    def test_rejects_non_classes(self) -> None:
        with pytest.raises(TypeError, match=r"Unexpected class type 'int' \(expected class"):
            removals.removed_class("X")(3)  # type: ignore[type-var]

    def test_carries_the_deprecated_attribute(self) -> None:
        assert StarLord.__deprecated__.startswith(  # type: ignore[attr-defined]
            "Using class 'StarLord' (either"
        )


class TestRemovedProperty:
    def test_reading_setting_and_deleting_each_warn(self, warned: Warned) -> None:
        thing = Thing()
        assert warned(lambda: setattr(thing, "colour", "blue")).message == (
            "Setting the 'Thing.colour' property is deprecated"
        )
        assert warned(lambda: thing.colour) == (
            "blue",
            DEPRECATED,
            "Reading the 'Thing.colour' property is deprecated",
        )
        assert warned(lambda: delattr(thing, "colour")).message == (
            "Deleting the 'Thing.colour' property is deprecated"
        )

    def test_parametrised_form_appends_details(self, warned: Warned) -> None:
        assert warned(lambda: Thing().shade).message == (
            "Reading the 'Thing.shade' property is deprecated in version '1.0'"
            " and will be removed in version '3.0': stop using me"
        )

    def test_class_access_returns_the_descriptor_without_warning(self, unwarned: Unwarned) -> None:
        descriptor = unwarned(lambda: Thing.colour)
        assert isinstance(descriptor, removals.removed_property)
        assert isinstance(descriptor, property)

    def test_getter_returns_a_copy_with_the_same_deprecation(self, warned: Warned) -> None:
        class Renamed:
            shade = Thing.shade.getter(lambda self: "light")

        observed = warned(lambda: Renamed().shade)
        assert observed.result == "light"
        assert observed.message.endswith("will be removed in version '3.0': stop using me")

    def test_getter_docstring_is_kept(self) -> None:
        assert Thing.colour.__doc__ == "The colour."
        assert Thing.shade.__doc__ == "The shade."

    def test_carries_the_deprecated_attribute(self) -> None:
        assert Thing.shade.__deprecated__.startswith(
            "Reading the 'Thing.shade' property is deprecated"
        )

    def test_missing_accessors_raise_attribute_error(self) -> None:
        class ReadOnly:
            @removals.removed_property
            def value(self) -> int:
                return 1

        with pytest.raises(AttributeError, match="can't set attribute"):
            ReadOnly().value = 2
        with pytest.raises(AttributeError, match="can't delete attribute"):
            del ReadOnly().value

    def test_remove_on_a_property_makes_it_a_removed_property(self, warned: Warned) -> None:
        assert isinstance(Thing.__dict__["weight"], removals.removed_property)
        assert warned(lambda: Thing().weight) == (
            3,
            DEPRECATED,
            "Reading the 'Thing.weight' property is deprecated",
        )


class TestRemovedModule:
    def test_warns_with_the_module_name_and_replacement(self, warned: Warned) -> None:
        assert warned(
            lambda: removals.removed_module("old.mod", replacement="new.mod", removal_version="?")
        ).message == (
            "The 'old.mod' module usage is deprecated and will be removed in a future version,"
            " please use new.mod instead"
        )

    def test_accepts_a_module_object(self, warned: Warned) -> None:
        assert warned(lambda: removals.removed_module(textwrap)).message == (
            "The 'textwrap' module usage is deprecated"
        )
        assert "textwrap" in textwrap.__deprecated__  # type: ignore[attr-defined]
        del textwrap.__deprecated__  # type: ignore[attr-defined]

    def test_rejects_other_types(self) -> None:
        with pytest.raises(TypeError, match="Unexpected module type 'int'"):
            removals.removed_module(2)  # type: ignore[arg-type]

    def test_called_at_import_time_it_points_at_the_module_body_by_default_and_the_import_with_4(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        call = "from oslo_incubator.deprecation import removals\nremovals.removed_module(__name__"
        (tmp_path / "dep_spec_default.py").write_text(call + ")\n")
        (tmp_path / "dep_spec_importer.py").write_text(call + ", stacklevel=4)\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        for name in ("dep_spec_default", "dep_spec_importer"):
            monkeypatch.delitem(sys.modules, name, raising=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import dep_spec_default  # type: ignore[import-not-found]  # noqa: F401

            import_line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
            import dep_spec_importer  # type: ignore[import-not-found]  # noqa: F401
        assert [(Path(w.filename).name, w.lineno) for w in caught] == [
            ("dep_spec_default.py", 2),
            (Path(__file__).name, import_line),
        ]
        assert sys.modules["dep_spec_default"].__deprecated__ == (
            "The 'dep_spec_default' module usage is deprecated"
        )
