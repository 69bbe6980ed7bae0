"""What ``impact`` finds: how a change alters the API of the modules it touches, who
uses them, the verdict per project, the cross tests and the release a library needs."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oslo_incubator.model.api import ApiChange, ChangeKind
from oslo_incubator.model.drift import DriftStatus

IMPACT_SCHEMA = "oslo-incubator.impact/1"

#: What a test id ends with for a test module that does not even load.
IMPORT_FAILURE = ".<import>"


class Verdict(enum.Enum):
    """What a change does to one project (or one of its lines)."""

    BREAKING = "breaking"  # a use of something removed or changed incompatibly
    AFFECTED = "affected"  # a use of something whose code or signature changed
    UNTOUCHED = "untouched"  # no use of anything that changed


#: From best to worst: a project takes the worst verdict of its lines.
VERDICT_SEVERITY = {Verdict.UNTOUCHED: 0, Verdict.AFFECTED: 1, Verdict.BREAKING: 2}


class Bump(enum.Enum):
    """The smallest version bump that describes a library's changes."""

    MAJOR = "major"  # a public name removed, renamed or changed incompatibly
    MINOR = "minor"  # a public name added, or a signature extended
    PATCH = "patch"  # code changed, the API did not
    NONE = "none"  # nothing in the package changed


@dataclass(frozen=True)
class ChangedCommit:
    """One commit of the change."""

    sha: str
    subject: str


@dataclass(frozen=True)
class ModuleChange:
    """One module the change touches: its files before and after (``None``: absent),
    and every name that changed, public or private (``parsed`` false when a version
    is not valid Python 3: then nothing is known of its names)."""

    module: str
    old_paths: tuple[str, ...]
    new_paths: tuple[str, ...]
    changes: tuple[ApiChange, ...]
    parsed: bool = True
    moved_to: str | None = None  # the module it became, when its files were renamed

    @property
    def removed(self) -> bool:
        """Whether the module is gone after the change."""
        return not self.new_paths

    @property
    def public_changes(self) -> tuple[ApiChange, ...]:
        """The changes of public names."""
        return tuple(c for c in self.changes if c.public)


@dataclass(frozen=True)
class CallSite:
    """One line of a project that uses a changed name, and what the change does to it.

    ``name`` is the name used (inside ``module``), ``changed`` the changed name it
    reaches (itself, or the class or module it is in), ``call`` whether the line calls
    it (only then is its fit to a new signature checked).
    """

    module: str
    name: str
    path: str
    line: int
    changed: str
    change: ChangeKind
    verdict: Verdict
    reason: str
    call: bool = False
    via: str = ""  # the project's own name it was used through (``nova.utils.synchronized``)


@dataclass(frozen=True)
class CopyTouch:
    """A project's copy of a changed module, and where it stood before the change."""

    module: str
    status: DriftStatus
    paths: tuple[str, ...]
    commits_behind: int = 0  # master commits before the change the copy does not have
    local_lines: int = 0  # lines of local changes (a diverged copy)


@dataclass(frozen=True)
class ModuleImport:
    """One import statement, in a project's own code, of a changed module."""

    module: str
    path: str
    line: int


class TestOutcome(enum.Enum):
    """How one test ended."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"
    MISSING = "missing"  # not run at all (its module did not load, or the run died)


@dataclass(frozen=True)
class TestChange:
    """A test whose outcome differs before and after the change."""

    test: str
    before: TestOutcome
    after: TestOutcome


@dataclass(frozen=True)
class CrossTest:
    """One project's tests run before and after the change was synced in.

    ``modules`` are the test modules run (chosen by the import graph, or all);
    ``synced`` the project files the sync changed; ``newly_failing`` and
    ``newly_passing`` the tests whose outcome changed; ``cannot_run`` tests (or
    test modules) that ran in neither run. ``error`` says why nothing could run.
    """

    project: str
    modules: tuple[str, ...]
    synced: tuple[str, ...]
    before: int  # tests that passed before
    after: int  # tests that passed after
    newly_failing: tuple[TestChange, ...] = ()
    newly_passing: tuple[TestChange, ...] = ()
    cannot_run: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    python: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectImpact:
    """What the change does to one project.

    ``copies`` are its copies of changed modules (a project of the incubator);
    ``imports`` its import statements of changed modules; ``sites`` every line that
    uses a changed name; ``reasons`` why the verdict is what it is.
    """

    name: str
    path: str
    verdict: Verdict
    copies: tuple[CopyTouch, ...] = ()
    imports: tuple[ModuleImport, ...] = ()
    sites: tuple[CallSite, ...] = ()
    reasons: tuple[str, ...] = ()
    tests: CrossTest | None = None
    text_scanned: tuple[str, ...] = ()  # files read as text (not valid Python 3)


@dataclass(frozen=True)
class ReleaseNeed:
    """The smallest release that describes a library's changes since ``last_tag``."""

    last_tag: str | None
    bump: Bump
    next_version: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ImpactReport:
    """What one change (commits ``base``..``head`` of ``source``) does downstream.

    ``kind`` is ``incubator`` (projects copy its modules) or ``library`` (projects
    import its package ``package``).
    """

    source: str
    kind: str
    base: str
    head: str
    commits: tuple[ChangedCommit, ...]
    modules: tuple[ModuleChange, ...]
    projects: tuple[ProjectImpact, ...]
    package: str = ""
    release: ReleaseNeed | None = None
    notes: tuple[str, ...] = ()
    schema: str = IMPACT_SCHEMA

    @property
    def breaking(self) -> bool:
        """Whether any project would break."""
        return any(p.verdict is Verdict.BREAKING for p in self.projects)

    def module(self, name: str) -> ModuleChange | None:
        """The change of one module, if the change touches it."""
        return next((m for m in self.modules if m.module == name), None)

    def project(self, name: str) -> ProjectImpact | None:
        """One project's impact by name."""
        return next((p for p in self.projects if p.name == name), None)
