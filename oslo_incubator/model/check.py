"""What ``check`` finds: its rules (id, level, help), findings, and why a finding does
not fail.

The rules are a closed registry (:data:`RULES`): every finding names one, and the
renderers (text, json, junit, sarif) take a rule's level and help from here, so a rule
is described once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from oslo_incubator.model.drift import (
    GRADUATED_IMPORT_RULE,
    GRADUATED_STRING_RULE,
    MAX_BEHIND_RULE,
    DriftStatus,
    Violation,
    lifecycle_rule,
)
from oslo_incubator.model.lifecycle import LifecycleState

#: Where the rules are documented (doc/source/check.rst); a rule's ``help_uri`` adds
#: its anchor.
DOC_URI = "https://docs.openstack.org/oslo-incubator/latest/check.html"


class Level(enum.Enum):
    """How much a finding weighs, as SARIF names levels. ``check`` fails on findings at
    or above its fail level (``error`` unless ``--fail-level`` says otherwise)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Higher is more severe: error 3, warning 2, note 1."""
        return {"error": 3, "warning": 2, "note": 1}[self.value]

    def reaches(self, threshold: Level) -> bool:
        """Whether a finding at this level fails a check whose fail level is ``threshold``."""
        return self.rank >= threshold.rank


@dataclass(frozen=True)
class Rule:
    """One rule of ``check``: its id, default level, a one-line summary and the longer
    help (what it means, what to do)."""

    id: str
    level: Level
    summary: str
    help: str

    @property
    def anchor(self) -> str:
        """The rule's anchor in the documentation (``rule-drift-diverged``)."""
        return "rule-" + self.id.replace("/", "-")

    @property
    def help_uri(self) -> str:
        """Where the rule is documented."""
        return f"{DOC_URI}#{self.anchor}"


class Waiver(enum.Enum):
    """Why a finding does not count, checked in this order."""

    INLINE = "inline"  # ``# oslo-incubator: ignore[rule]`` on its line
    CONFIG = "config"  # an ignore in the project's configuration
    BASELINE = "baseline"  # recorded in the baseline file
    UNCHANGED = "unchanged"  # --since: not introduced since the given commit


@dataclass(frozen=True)
class Finding:
    """A violation as ``check`` judged it: its level, a fingerprint that survives line
    moves (see :func:`oslo_incubator.analysis.findings.fingerprint`), why it is waived
    if it is, and whether it fails the check."""

    violation: Violation
    level: Level
    fingerprint: str
    waiver: Waiver | None
    fails: bool

    @property
    def rule(self) -> Rule:
        """The rule broken."""
        return RULES[self.violation.rule_id]


@dataclass(frozen=True)
class Baseline:
    """Fingerprints of findings accepted as they are (``check --baseline FILE``)."""

    fingerprints: frozenset[str]
    source: str | None = None  # the file it was read from


@dataclass(frozen=True)
class ProjectChanges:
    """What changed in a project's git work tree since a commit (``check --since``),
    paths relative to the project."""

    since: str  # the commit's full sha
    changed: frozenset[str]  # added, modified, renamed (new path) or deleted files
    added_lines: Mapping[str, frozenset[int]]  # per file, the lines added or modified
    untracked: frozenset[str] = frozenset()  # files git does not know: wholly new

    def is_new_file(self, path: str) -> bool:
        """Whether ``path`` changed since the commit (or is untracked)."""
        return path in self.changed or path in self.untracked

    def is_new_line(self, path: str, line: int) -> bool:
        """Whether line ``line`` of ``path`` was added or modified since the commit."""
        return path in self.untracked or line in self.added_lines.get(path, frozenset())


@dataclass(frozen=True)
class CheckResult:
    """Every finding of one ``check`` run, in report order, and how they were judged."""

    findings: tuple[Finding, ...]
    fail_level: Level = Level.ERROR
    since: str | None = None  # the commit --since compared with
    baseline: str | None = None  # the baseline file used

    @property
    def failed(self) -> bool:
        """Whether any finding fails the check."""
        return any(f.fails for f in self.findings)

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings that fail the check."""
        return tuple(f for f in self.findings if f.fails)

    def waived(self, waiver: Waiver) -> int:
        """How many findings ``waiver`` keeps from counting."""
        return sum(1 for f in self.findings if f.waiver is waiver)


def rule(rule_id: str) -> Rule:
    """The registered rule ``rule_id``.

    Raises:
        KeyError: no such rule.
    """
    return RULES[rule_id]


def rules_in_order() -> Iterator[Rule]:
    """Every rule, in the order the documentation lists them."""
    return iter(RULES.values())


# Private


_STATUS_HELP = {
    DriftStatus.CURRENT: (
        "copy equals master HEAD",
        "The copy is what master has now. Only a policy that fails current copies "
        "(to find every copy of a module) reports it.",
    ),
    DriftStatus.BEHIND: (
        "copy equals an older master version",
        "The copy has no local changes but misses master commits. Sync it "
        "(oslo-incubator sync --module <module>).",
    ),
    DriftStatus.DIVERGED: (
        "copy carries local changes on top of master",
        "The copy equals no master version: someone changed it in the project. Propose "
        "the change to the incubator and sync, or, for a deliberate local patch, record "
        "it in a baseline or ignore the rule for the file in the configuration.",
    ),
    DriftStatus.UNKNOWN: (
        "copy has no master origin",
        "Master never had a file at this path. Move the file out of the copy directory "
        "or add it to the incubator.",
    ),
    DriftStatus.OBSOLETE: (
        "copy of a file master no longer has",
        "Master deleted or replaced the file. Delete the copy, or migrate to the library "
        "that replaces it (oslo-incubator migrate).",
    ),
    DriftStatus.MISSING: (
        "declared module has no copy",
        "openstack-common.conf names the module but the project has no copy of it. Sync "
        "it, or remove the module= line.",
    ),
}

_STATE_HELP = {
    LifecycleState.ORPHAN: "Nobody maintains the module in the incubator (MAINTAINERS).",
    LifecycleState.GRADUATING: "The module is on its way to a library; plan the migration.",
    LifecycleState.DEPRECATED: "Master deprecated the module; stop depending on it.",
    LifecycleState.OBSOLETE: (
        "A library replaces the module (obsolete.txt, MAINTAINERS or a shim in master). "
        "Migrate to it (oslo-incubator migrate --library <library>)."
    ),
    LifecycleState.DELETED: (
        "Master deleted the module. Migrate to the library that replaced it, or delete the copy."
    ),
}


def _rules() -> list[Rule]:
    found = [
        Rule(f"drift/{status.value}", Level.ERROR, summary, text)
        for status, (summary, text) in _STATUS_HELP.items()
    ]
    found += [
        Rule(
            lifecycle_rule(state),
            Level.ERROR,
            f"copy of a module that is {state.value} in master",
            text,
        )
        for state, text in _STATE_HELP.items()
    ]
    found += [
        Rule(
            MAX_BEHIND_RULE,
            Level.ERROR,
            "copy is more master commits behind than allowed",
            "The copy misses more master commits than --max-behind allows. Sync it.",
        ),
        Rule(
            GRADUATED_IMPORT_RULE,
            Level.ERROR,
            "import of a module master says graduated",
            "The project's own code imports <base>.openstack.common.<module>, a module "
            "master retired for a library. Import the library instead; the copy is to go "
            "away.",
        ),
        Rule(
            GRADUATED_STRING_RULE,
            Level.WARNING,
            "string naming a module master says graduated",
            "A string literal spells <base>.openstack.common.<module> of a graduated "
            "module: a mock.patch target or import_module argument (these break when "
            "the copy goes), or a value or key of a table (a logger list, a driver-alias "
            "table) that may have to keep the old name for existing configuration. "
            "Review it; it does not fail the check unless --fail-level warning.",
        ),
    ]
    return found


#: Every rule by id, in documentation order.
RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in _rules()})
