"""Model objects shared by the report tests (text, JSON and HTML renderers of one plan
and one debt report), built directly from the frozen dataclasses."""

from __future__ import annotations

import pytest

from oslo_incubator.model.debt import (
    Confidence,
    DebtItem,
    DebtReport,
    DeprecatedKind,
    Deprecation,
    DeprecationSource,
    ProjectVersion,
    Removal,
    RemovalStatus,
    SkippedFile,
    Use,
    UseKind,
)
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import (
    ApiName,
    Baggage,
    Bond,
    CloseCall,
    ConsumerUse,
    Cycle,
    DependencyKind,
    GraduationPlan,
    Granularity,
    ImportLine,
    Library,
    ModuleDependency,
    ModuleEdge,
    ModuleInfo,
    Signal,
    ThirdParty,
    Tie,
)

STRONG, LAZY, WEAK = DependencyKind.STRONG, DependencyKind.LAZY, DependencyKind.WEAK
R = DEFAULT_PACKAGE_ROOT

SIX = ThirdParty("six", ">=1.7", "", "requirements.txt", ("six",), STRONG)
EVENTLET = ThirdParty(
    "eventlet", "", "python_version<'3'", "test-requirements.txt", ("eventlet",), LAZY
)
MOCK = ThirdParty("mock", "", "", "", ("mock",), STRONG)
LOG_TO_I18N = ModuleEdge("log", "gettextutils", STRONG, (ImportLine(f"{R}/log.py", 3, STRONG),))
I18N_TO_LOG = ModuleEdge(
    "gettextutils", "log", LAZY, (ImportLine(f"{R}/gettextutils.py", 40, LAZY),)
)
LOCAL_TO_LOG = ModuleEdge("local", "log", WEAK, (ImportLine(f"{R}/local.py", 7, WEAK),))
BOND = Bond(
    ("gettextutils", "log"),
    0.8123,
    (
        Tie(Signal.CO_CHANGE, 0.5, 3, "changed together in 3 commits"),
        Tie(Signal.IMPORT, 0.3123, 1, "log imports gettextutils"),
    ),
)
LOG_LIBRARY = Library(
    name="oslo.log",
    modules=("log", "local"),
    reasons=("log imports local", "requested: log"),
    files=2,
    lines=1,
    requested=("log",),
    baggage=Baggage(("local",), 120, ("six",)),
    api=tuple(ApiName("log", f"name{i}", i, ("nova",)) for i in range(14)),
    requirements=(SIX, EVENTLET),
    test_requirements=(MOCK,),
    unmapped=("weird_mod",),
    dependencies=(ModuleDependency("gettextutils", "oslo.i18n", STRONG),),
    consumers=(ConsumerUse("nova", 12, 1), ConsumerUse("glance", 1, 3)),
    tests=("tests/unit/test_log.py",),
    bonds=(Bond(("local", "log"), 1.5, (Tie(Signal.IMPORT, 1.5, 1, "log imports local"),)),),
    close_calls=(CloseCall(BOND, ("oslo.i18n", "oslo.log"), "an import cycle between them"),),
)
I18N_LIBRARY = Library(
    name="oslo.i18n",
    modules=("gettextutils",),
    reasons=(),
    files=1,
    lines=300,
    requested=(),
    baggage=None,
    api=(),
    requirements=(),
    test_requirements=(),
    unmapped=(),
    dependencies=(ModuleDependency("log", "oslo.log", LAZY, later=True),),
    consumers=(),
    tests=(),
    close_calls=(CloseCall(BOND, ("oslo.i18n", "oslo.log"), "an import cycle between them"),),
)
CYCLE = Cycle(
    modules=("gettextutils", "log"),
    edges=(I18N_TO_LOG, LOG_TO_I18N),
    breaking_edges=(I18N_TO_LOG,),
    exact=True,
    forced=False,
)


@pytest.fixture
def plan() -> GraduationPlan:
    """Two libraries, the second first (oslo.log imports oslo.i18n), a broken cycle."""
    return GraduationPlan(
        incubator="/src/oslo-incubator",
        head="a" * 40,
        package_root=R,
        projects=("nova", "glance"),
        requested=("log",),
        libraries=(I18N_LIBRARY, LOG_LIBRARY),
        cycles=(CYCLE,),
        modules=(
            ModuleInfo("gettextutils", (f"{R}/gettextutils.py",), 300, (), (), ()),
            ModuleInfo("local", (f"{R}/local.py",), 120, (), (SIX,), ()),
            ModuleInfo("log", (f"{R}/log.py",), 900, ("tests/unit/test_log.py",), (SIX,), ()),
        ),
        edges=(I18N_TO_LOG, LOCAL_TO_LOG, LOG_TO_I18N),
        notes=("setup.cfg: one line not read <é>",),
        granularity=Granularity.FINE,
        weights=((Signal.CO_CHANGE, 1.0), (Signal.NAME, 0.25)),
        released=("oslo.config",),
    )


def _dep(name: str, kind: DeprecatedKind, **kw: object) -> Deprecation:
    base: dict[str, object] = {
        "name": name,
        "kind": kind,
        "source": DeprecationSource.DEBTCOLLECTOR,
        "api": "removals.remove",
        "line": 4,
        "target": name,
        "owner": name,
    }
    return Deprecation(**{**base, **kw})  # type: ignore[arg-type]


USE = Use("nova", "nova/api.py", 10, UseKind.CALL, "nova.api.handler")
POSSIBLE = Use(
    "nova",
    "nova/compute.py",
    22,
    UseKind.REFERENCE,
    "nova.compute.Manager.run",
    Confidence.POSSIBLE,
    "parameter 'client' of nova.compute.Manager.run is not annotated",
)
OVERDUE_ITEM = DebtItem(
    "nova",
    "nova/utils.py",
    _dep(
        "nova.utils.old_api",
        DeprecatedKind.FUNCTION,
        replacement="nova.utils.new_api",
        message="use new_api <now>",
        version="2014.1",
        removal_version="2014.2",
    ),
    Removal(RemovalStatus.OVERDUE, "nova 2015.1.0 has reached 2014.2"),
    uses=(USE,),
    possible_uses=(POSSIBLE,),
)
PENDING_ITEM = DebtItem(
    "glance",
    "glance/common.py",
    _dep(
        "glance.common.f(timeout=)",
        DeprecatedKind.KWARG,
        source=DeprecationSource.PEP702,
        api="deprecated",
        kwarg="timeout",
        target="glance.common.f",
        removal_version="99.0",
    ),
    Removal(RemovalStatus.PENDING, "99.0 is ahead of 1.0"),
)
FEATURE_ITEM = DebtItem(
    "glance",
    "glance/common.py",
    _dep("glance.common.g", DeprecatedKind.FEATURE, line=30),
    Removal(RemovalStatus.UNSCHEDULED, "no removal version"),
)


@pytest.fixture
def debt_report() -> DebtReport:
    """Two projects, an overdue item with uses, a pending one, an untracked feature."""
    return DebtReport(
        projects=(
            ProjectVersion("nova", "/src/nova", "2015.1.0", "setup.cfg", "Kilo"),
            ProjectVersion("glance", "/src/glance", None, None, None),
        ),
        items=(OVERDUE_ITEM, PENDING_ITEM, FEATURE_ITEM),
        files_scanned=57,
        skipped=(
            SkippedFile("nova", "nova/py2.py", 3, "invalid syntax"),
            SkippedFile("glance", "glance/x.py", None, "null bytes"),
        ),
        release="Liberty",
    )
