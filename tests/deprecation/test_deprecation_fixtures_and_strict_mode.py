"""Specification of silencing and strict mode (fixtures and environment variable)."""

import unittest
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import oslo_incubator.deprecation as deprecation
from oslo_incubator.deprecation import fixtures, removals, updating

# Types of the ``warned`` and ``unwarned`` fixtures from conftest.py.
Warned = Callable[[Callable[[], object]], Any]
Unwarned = Callable[[Callable[[], object]], Any]

STRICT = "OSLO_INCUBATOR_DEPRECATION_STRICT"


@removals.remove
def old_api() -> str:
    return "result"


@updating.updated_kwarg_default_value("mode", "a", "b")
def changing_default(mode: str = "a") -> str:
    return mode


def other_library_warning() -> None:
    warnings.warn("not ours", DeprecationWarning, stacklevel=2)


class TestStrictModeFromTheEnvironment:
    @pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " 1 "])
    def test_true_values_make_warnings_raise_their_category(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv(STRICT, value)
        with pytest.raises(DeprecationWarning, match=r"^Using function/method 'old_api\(\)'"):
            old_api()

    @pytest.mark.parametrize("value", ["", "0", "false", "no", "off", "strict"])
    def test_other_values_leave_warnings_alone(
        self, monkeypatch: pytest.MonkeyPatch, warned: Warned, value: str
    ) -> None:
        monkeypatch.setenv(STRICT, value)
        assert warned(lambda: old_api()).result == "result"

    def test_the_variable_is_read_when_warning_not_when_decorating(
        self, monkeypatch: pytest.MonkeyPatch, warned: Warned
    ) -> None:
        assert warned(lambda: old_api()).result == "result"
        monkeypatch.setenv(STRICT, "1")
        with pytest.raises(DeprecationWarning):
            old_api()
        monkeypatch.delenv(STRICT)
        assert warned(lambda: old_api()).result == "result"

    def test_the_deprecation_category_is_what_gets_raised(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(STRICT, "1")
        with pytest.raises(FutureWarning, match="changing its default value"):
            changing_default()
        with pytest.raises(DeprecationWarning, match="^gone$"):
            deprecation.deprecate("gone")

    def test_raising_happens_even_when_the_warning_filters_ignore_it(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(STRICT, "1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(DeprecationWarning):
                old_api()

    def test_calls_that_do_not_warn_are_unaffected(
        self, monkeypatch: pytest.MonkeyPatch, unwarned: Unwarned
    ) -> None:
        monkeypatch.setenv(STRICT, "1")
        assert unwarned(lambda: changing_default("b")) == "b"

    def test_other_libraries_warnings_are_not_escalated(
        self, monkeypatch: pytest.MonkeyPatch, warned: Warned
    ) -> None:
        monkeypatch.setenv(STRICT, "1")
        assert warned(lambda: other_library_warning()).message == "not ours"

    def test_a_replaced_os_environ_mapping_is_still_honoured(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("os.environ", {STRICT: "1"})
        with pytest.raises(DeprecationWarning):
            old_api()


class TestStrictFixture:
    def test_strict_context_manager_raises_inside_and_restores_outside(
        self, warned: Warned
    ) -> None:
        with fixtures.strict():
            assert fixtures.is_strict()
            with pytest.raises(DeprecationWarning):
                old_api()
        assert not fixtures.is_strict()
        assert warned(lambda: old_api()).result == "result"

    def test_strict_overrides_an_enclosing_silencer(self) -> None:
        with fixtures.silenced(), fixtures.strict(), pytest.raises(DeprecationWarning):
            old_api()

    def test_is_strict_reflects_the_environment_when_no_fixture_is_active(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert not fixtures.is_strict()
        monkeypatch.setenv(STRICT, "1")
        assert fixtures.is_strict()


class TestSilencing:
    def test_disable_fixture_silences_only_this_toolkits_warnings(
        self, unwarned: Unwarned, warned: Warned
    ) -> None:
        with fixtures.DisableFixture():
            assert unwarned(lambda: old_api()) == "result"
            assert unwarned(lambda: changing_default()) == "a"
            assert warned(lambda: other_library_warning()).message == "not ours"

    def test_silencing_wins_over_the_environment_variable(
        self, monkeypatch: pytest.MonkeyPatch, unwarned: Unwarned
    ) -> None:
        monkeypatch.setenv(STRICT, "1")
        with fixtures.silenced():
            assert unwarned(lambda: old_api()) == "result"

    def test_warnings_come_back_after_the_block(self, warned: Warned) -> None:
        with fixtures.silenced():
            pass
        assert warned(lambda: old_api()).result == "result"

    def test_overrides_can_be_cleaned_up_out_of_order(self, warned: Warned) -> None:
        outer, inner = fixtures.StrictFixture(), fixtures.DisableFixture()
        outer.setUp()
        inner.setUp()
        outer.cleanUp()
        assert not fixtures.is_strict()
        inner.cleanUp()
        assert warned(lambda: old_api()).result == "result"


class TestFixtureProtocol:
    def test_works_with_a_testtools_style_use_fixture(self) -> None:
        """The shape testtools' ``TestCase.useFixture`` relies on."""

        outcomes: list[str] = []

        class Case(unittest.TestCase):
            def useFixture(self, fixture: Any) -> Any:
                fixture.setUp()
                self.addCleanup(fixture.cleanUp)
                self.addCleanup(lambda: outcomes.append(repr(fixture.getDetails())))
                return fixture

            def test_strict(self) -> None:
                self.useFixture(fixtures.StrictFixture())
                with self.assertRaises(DeprecationWarning):
                    old_api()

            def test_disabled(self) -> None:
                self.useFixture(fixtures.DisableFixture())
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    old_api()
                self.assertEqual([], caught)

        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
        assert (result.testsRun, result.errors, result.failures) == (2, [], [])
        assert outcomes == ["{}", "{}"]
        assert not fixtures.is_strict()

    def test_fixtures_nest_with_use_fixture_and_underscore_setup(self) -> None:
        class Both(fixtures.Fixture):
            def _setUp(self) -> None:
                self.useFixture(fixtures.DisableFixture())
                self.addCleanup(events.append, "cleaned")

        events: list[str] = []
        both = Both()
        both.setUp()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            old_api()
        both.cleanUp()
        assert (caught, events) == ([], ["cleaned"])

    def test_a_failing_setup_cleans_up_what_it_did(self) -> None:
        class Broken(fixtures.Fixture):
            def _setUp(self) -> None:
                self.useFixture(fixtures.StrictFixture())
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            Broken().setUp()
        assert not fixtures.is_strict()

    def test_cleanup_runs_every_cleanup_and_reports_the_first_failure(self) -> None:
        calls: list[int] = []

        def fail(number: int) -> None:
            calls.append(number)
            raise ValueError(number)

        fixture = fixtures.Fixture()
        fixture.setUp()
        fixture.addCleanup(fail, 1)
        fixture.addCleanup(fail, 2)
        with pytest.raises(ValueError, match="2"):
            fixture.cleanUp()
        assert calls == [2, 1]

    def test_reset_sets_the_fixture_up_again(self) -> None:
        fixture = fixtures.StrictFixture()
        fixture.setUp()
        fixture.reset()
        assert fixtures.is_strict()
        fixture.cleanUp()
        assert not fixtures.is_strict()
