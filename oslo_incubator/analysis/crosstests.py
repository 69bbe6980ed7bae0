"""Pure helpers of cross tests: which of a project's test files to run for a change,
the environment its ``.testr.conf`` runs tests with, and how two runs differ."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from oslo_incubator.model.impact import IMPORT_FAILURE, TestChange, TestOutcome


def is_test_file(path: str) -> bool:
    """A ``test_*.py`` (or ``*_test.py``) file: where unittest discovery looks."""
    name = path.rpartition("/")[2]
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def select_tests(imports: Mapping[str, Collection[str]], targets: Collection[str]) -> list[str]:
    """The test files (of ``imports``: file → the dotted names it imports) that import
    one of ``targets`` (dotted modules) or something inside one, sorted."""
    wanted = set(targets)

    def hits(dotted: str) -> bool:
        parts = dotted.split(".")
        return any(".".join(parts[:end]) in wanted for end in range(1, len(parts) + 1))

    return sorted(
        path
        for path, names in imports.items()
        if is_test_file(path) and any(hits(n) for n in names)
    )


def compare_runs(
    before: Mapping[str, str], after: Mapping[str, str]
) -> tuple[tuple[TestChange, ...], tuple[TestChange, ...], tuple[str, ...]]:
    """(newly failing, newly passing, cannot run) between two runs (test id →
    outcome). A test that passed (or was skipped) before and fails, errs or is gone
    after newly fails; a test module that loaded before and no longer does newly fails
    as one (``module.<import>``), its tests not listed; a test that failed before and
    passes after newly passes; a test module that loaded in neither run cannot run."""
    failing = []
    passing = []
    good = {TestOutcome.PASS, TestOutcome.SKIP}
    # A module that loaded before and no longer does is one finding, not one per test.
    broken = {
        t[: -len(IMPORT_FAILURE)] for t in after if t.endswith(IMPORT_FAILURE) and t not in before
    }
    for test in sorted(set(before) | set(after)):
        if test.endswith(IMPORT_FAILURE):
            continue
        old = _outcome(before.get(test))
        new = _outcome(after.get(test))
        if old in good and new not in good:
            if new is TestOutcome.MISSING and any(test.startswith(m + ".") for m in broken):
                continue
            failing.append(TestChange(test, old, new))
        elif old not in good and new is TestOutcome.PASS:
            passing.append(TestChange(test, old, new))
    for module in sorted(broken):
        if any(t.startswith(module + ".") for t in before):
            failing.append(
                TestChange(module + IMPORT_FAILURE, TestOutcome.PASS, TestOutcome.ERROR)
            )
    cannot = tuple(
        t[: -len(IMPORT_FAILURE)] for t in sorted(before) if t.endswith(IMPORT_FAILURE)
        and t in after
    )  # fmt: skip
    return tuple(failing), tuple(passing), cannot


# Private


def _outcome(value: str | None) -> TestOutcome:
    if value is None:
        return TestOutcome.MISSING
    if value in ("xfail",):
        return TestOutcome.PASS
    try:
        return TestOutcome(value)
    except ValueError:
        return TestOutcome.ERROR
