"""Finding deprecation declarations in source text, whatever helper and import made them."""

from __future__ import annotations

import ast
import textwrap

import pytest

from oslo_incubator.analysis.deprecations import (
    classify_api,
    find_deprecations,
    module_for_path,
    replacement_from_message,
)
from oslo_incubator.model.debt import DeprecatedKind, Deprecation, DeprecationSource

DC = DeprecationSource.DEBTCOLLECTOR
OI = DeprecationSource.OSLO_INCUBATOR
VU = DeprecationSource.VERSIONUTILS
K = DeprecatedKind


def scan(source: str, module: str = "proj.mod", is_package: bool = False) -> list[Deprecation]:
    return find_deprecations(ast.parse(textwrap.dedent(source)), module, is_package)


def brief(deps: list[Deprecation]) -> list[tuple[str, DeprecatedKind, str, int]]:
    return [(d.name, d.kind, d.api, d.line) for d in deps]


def test_debtcollector_remove_decorates_functions_methods_classes_and_properties() -> None:
    deps = scan(
        """
        from debtcollector import removals

        @removals.remove(message="use new_func() instead", version="1.0", removal_version="2.0")
        def old_func():
            pass

        @removals.remove
        class OldClass(object):
            @removals.remove(removal_version="3.0")
            def old_method(self):
                pass

            @property
            @removals.remove
            def old_prop(self):
                return 1

            @removals.removed_property
            def gone(self):
                return 2
        """
    )
    assert brief(deps) == [
        ("proj.mod.old_func", K.FUNCTION, "removals.remove", 4),
        ("proj.mod.OldClass", K.CLASS, "removals.remove", 8),
        ("proj.mod.OldClass.old_method", K.METHOD, "removals.remove", 10),
        ("proj.mod.OldClass.old_prop", K.PROPERTY, "removals.remove", 15),
        ("proj.mod.OldClass.gone", K.PROPERTY, "removals.removed_property", 19),
    ]
    first = deps[0]
    assert (first.source, first.message, first.version, first.removal_version) == (
        DC, "use new_func() instead", "1.0", "2.0",
    )  # fmt: skip
    assert first.replacement == "new_func()"
    assert deps[2].removal_version == "3.0"


def test_toolkit_helpers_are_found_through_every_import_form() -> None:
    deps = scan(
        """
        import oslo_incubator.deprecation
        from oslo_incubator.deprecation import moves
        from oslo_incubator.deprecation import removals as r
        from oslo_incubator.deprecation.renames import renamed_kwarg

        def new_func():
            pass

        class NewClass:
            pass

        old_func = moves.moved_function(new_func, 'old_func', __name__, version='1.1',
                                        removal_version='2.0')
        OldClass = moves.moved_class(NewClass, 'OldClass', __name__)
        r.removed_module(__name__, replacement='proj.new', removal_version='4.0')

        @renamed_kwarg('old', 'new', removal_version='2.0')
        def f(new=None):
            pass

        @oslo_incubator.deprecation.removals.removed_kwarg('flag', message='no longer used')
        def g(flag=None):
            pass
        """
    )
    assert [(d.name, d.kind, d.source, d.replacement) for d in deps] == [
        ("proj.mod.old_func", K.FUNCTION, OI, "proj.mod.new_func"),
        ("proj.mod.OldClass", K.CLASS, OI, "proj.mod.NewClass"),
        ("proj.mod", K.MODULE, OI, "proj.new"),
        ("proj.mod.f(old=)", K.KWARG, OI, "proj.mod.f(new=)"),
        ("proj.mod.g(flag=)", K.KWARG, OI, None),
    ]
    assert [d.line for d in deps] == [13, 15, 16, 18, 22]
    assert (deps[0].version, deps[0].removal_version) == ("1.1", "2.0")
    assert (deps[3].target, deps[3].kwarg, deps[3].owner) == ("proj.mod.f", "old", "proj.mod.f")


def test_debtcollector_moves_of_methods_and_properties_name_the_class_member() -> None:
    deps = scan(
        """
        import debtcollector.moves as mv

        class Thing:
            @mv.moved_method('run', version='1.0', removal_version='M')
            def execute(self):
                return self.run()

            @property
            @mv.moved_property('size')
            def length(self):
                return self.size

            volume = mv.moved_read_only_property('volume', 'capacity', removal_version='N')
        """
    )
    assert [(d.name, d.kind, d.replacement, d.removal_version) for d in deps] == [
        ("proj.mod.Thing.execute", K.METHOD, "proj.mod.Thing.run", "M"),
        ("proj.mod.Thing.length", K.PROPERTY, "proj.mod.Thing.size", None),
        ("proj.mod.Thing.volume", K.PROPERTY, "proj.mod.Thing.capacity", "N"),
    ]


def test_kwarg_of_init_is_passed_by_instantiating_the_class() -> None:
    deps = scan(
        """
        from debtcollector import removals, updating

        class Client:
            @removals.removed_kwarg('timeout', removal_version='2.0')
            @updating.updated_kwarg_default_value('retries', 3, 5)
            def __init__(self, timeout=None, retries=3):
                pass
        """
    )
    assert [(d.name, d.kind, d.target, d.owner, d.kwarg, d.replacement) for d in deps] == [
        ("proj.mod.Client(timeout=)", K.KWARG, "proj.mod.Client", "proj.mod.Client.__init__",
         "timeout", None),
        ("proj.mod.Client(retries=)", K.KWARG_DEFAULT, "proj.mod.Client",
         "proj.mod.Client.__init__", "retries", "retries=5"),
    ]  # fmt: skip


def test_deprecate_call_deprecates_the_definition_it_opens_else_a_feature() -> None:
    deps = scan(
        """
        import debtcollector

        def old():
            '''Doc.'''
            debtcollector.deprecate("old() is deprecated", removal_version="2.0")

        class Legacy:
            def __init__(self):
                debtcollector.deprecate("Legacy is deprecated", postfix="use Modern")

            def run(self, fast=False):
                if fast:
                    debtcollector.deprecate("fast mode")
        """
    )
    assert [(d.name, d.kind, d.owner, d.message, d.replacement) for d in deps] == [
        ("proj.mod.old", K.FUNCTION, "proj.mod.old", "old() is deprecated", None),
        ("proj.mod.Legacy", K.CLASS, "proj.mod.Legacy", "Legacy is deprecated use Modern", "Modern"),
        ("proj.mod.Legacy.run", K.FEATURE, "proj.mod.Legacy.run", "fast mode", None),
    ]  # fmt: skip


def test_module_level_deprecate_deprecates_the_module() -> None:
    deps = scan("from debtcollector import deprecate\ndeprecate('gone')\n", "proj.old", True)
    assert brief(deps) == [("proj.old", K.MODULE, "deprecate", 2)]


@pytest.mark.parametrize(
    "imports",
    [
        "from warnings import deprecated",
        "from typing_extensions import deprecated",
        "import warnings\ndeprecated = warnings.deprecated",
    ],
)
def test_pep702_deprecated_is_found_on_functions_classes_and_methods(imports: str) -> None:
    deps = scan(
        imports
        + textwrap.dedent(
            """
            @deprecated("Use g() instead")
            def f(): pass

            @deprecated("Replaced by New")
            class Old:
                @deprecated("gone")
                def m(self): pass
            """
        )
    )
    if imports.endswith("warnings.deprecated"):
        assert deps == []  # a module-level alias assignment is not followed
        return
    offset = imports.count("\n")
    assert [(d.name, d.kind, d.source, d.replacement, d.line - offset) for d in deps] == [
        ("proj.mod.f", K.FUNCTION, DeprecationSource.PEP702, "g()", 2),
        ("proj.mod.Old", K.CLASS, DeprecationSource.PEP702, "New", 5),
        ("proj.mod.Old.m", K.METHOD, DeprecationSource.PEP702, None, 7),
    ]


def test_pep702_alias_import_is_resolved() -> None:
    deps = scan("from warnings import deprecated as dep\n@dep('old')\ndef f(): pass\n")
    assert brief(deps) == [("proj.mod.f", K.FUNCTION, "deprecated", 2)]


@pytest.mark.parametrize(
    "imports",
    [
        "from nova.openstack.common import versionutils",
        "from oslo_log import versionutils",
        "from proj.openstack.common import versionutils",
        "import oslo_log.versionutils as versionutils",
    ],
)
def test_versionutils_as_of_and_remove_in_give_version_and_removal(imports: str) -> None:
    deps = scan(
        imports
        + textwrap.dedent(
            """

            @versionutils.deprecated(as_of=versionutils.deprecated.JUNO, in_favor_of='x',
                                     remove_in=+1)
            def a(): pass

            @versionutils.deprecated(versionutils.deprecated.ICEHOUSE)
            class B(object): pass

            class C(object):
                @versionutils.deprecated(as_of='K', remove_in=0)
                def never(self): pass

                @versionutils.deprecated(as_of=versionutils.deprecated.KILO, remove_in=None)
                def also_never(self): pass

                @versionutils.deprecated(as_of=versionutils.deprecated.HAVANA, remove_in=3)
                def h(self): pass
            """
        )
    )
    assert [(d.name, d.kind, d.version, d.removal_version, d.replacement) for d in deps] == [
        ("proj.mod.a", K.FUNCTION, "Juno", "Kilo", "x"),
        ("proj.mod.B", K.CLASS, "Icehouse", "Kilo", None),
        ("proj.mod.C.never", K.METHOD, "Kilo", None, None),
        ("proj.mod.C.also_never", K.METHOD, "Kilo", None, None),
        ("proj.mod.C.h", K.METHOD, "Havana", "Kilo", None),
    ]
    assert {(d.source, d.api) for d in deps} == {(VU, "versionutils.deprecated")}
    assert [d.line for d in deps] == [3, 7, 11, 14, 17]


def test_versionutils_with_unreadable_arguments_keeps_the_problem() -> None:
    deps = scan(
        """
        from oslo_log import versionutils
        from oslo_log.versionutils import deprecated

        @versionutils.deprecated(as_of=RELEASE)
        def a(): pass

        @deprecated(as_of=deprecated.JUNO, remove_in=LATER)
        def b(): pass

        @deprecated(as_of=deprecated.TRAIN, remove_in=20)
        def c(): pass
        """
    )
    assert [(d.name, d.version, d.removal_version, d.removal_problem) for d in deps] == [
        ("proj.mod.a", "RELEASE", None, "as_of RELEASE is not a release name"),
        ("proj.mod.b", "Juno", None, "remove_in is an expression (LATER), not a literal"),
        ("proj.mod.c", "Train", None, "Train + 20 releases is past the known releases"),
    ]


def test_non_literal_removal_version_is_kept_with_its_problem() -> None:
    deps = scan(
        """
        from debtcollector import removals
        NEXT = '3.0'

        @removals.remove(removal_version=NEXT, message=_('Use %s') % 'x')
        def f(): pass
        """
    )
    assert [(d.removal_version, d.removal_problem, d.message) for d in deps] == [
        ("NEXT", "removal_version is an expression (NEXT), not a literal", "Use %s")
    ]


def test_assignment_call_forms_deprecate_the_assigned_name() -> None:
    deps = scan(
        """
        from debtcollector import removals
        from warnings import deprecated
        from oslo_log import versionutils

        def _impl(): pass
        class _K: pass

        old = removals.remove(_impl, removal_version='2.0')
        OldK = removals.remove(_K)
        legacy = deprecated("Use _impl")(_impl)
        vu = versionutils.deprecated(as_of=versionutils.deprecated.JUNO)(_impl)
        """
    )
    assert [(d.name, d.kind, d.removal_version) for d in deps] == [
        ("proj.mod.old", K.FUNCTION, "2.0"),
        ("proj.mod.OldK", K.CLASS, None),
        ("proj.mod.legacy", K.FUNCTION, None),
        ("proj.mod.vu", K.FUNCTION, "Liberty"),
    ]


def test_lookalike_helpers_from_other_libraries_are_ignored() -> None:
    deps = scan(
        """
        from mylib import removals
        from deprecated import deprecated

        @removals.remove
        def f(): pass

        @deprecated(reason="x")
        def g(): pass

        def removals_remove(): pass
        """
    )
    assert deps == []


def test_local_name_shadowing_an_import_is_not_the_helper() -> None:
    deps = scan(
        """
        from debtcollector import removals

        def make(removals):
            @removals.remove
            def inner(): pass
            return inner
        """
    )
    assert deps == []


def test_relative_import_of_a_versionutils_copy_is_resolved() -> None:
    deps = scan(
        """
        from . import versionutils

        @versionutils.deprecated(as_of=versionutils.deprecated.KILO)
        class RequestIdMiddleware(object): pass
        """,
        module="nova.openstack.common.middleware",
        is_package=True,
    )
    assert [(d.name, d.removal_version) for d in deps] == [
        ("nova.openstack.common.middleware.RequestIdMiddleware", "Mitaka")
    ]


@pytest.mark.parametrize(
    ("dotted", "expected"),
    [
        ("debtcollector.removals.remove", (DC, "removals.remove")),
        ("debtcollector.deprecate", (DC, "deprecate")),
        ("oslo_incubator.deprecation.moves.moved_class", (OI, "moves.moved_class")),
        ("nova.openstack.common.versionutils.deprecated", (VU, "versionutils.deprecated")),
        ("warnings.deprecated", (DeprecationSource.PEP702, "deprecated")),
        ("debtcollector.removals.other", None),
        ("myversionutils.deprecated", None),
    ],
)
def test_helpers_are_classified_by_their_resolved_name(
    dotted: str, expected: tuple[DeprecationSource, str] | None
) -> None:
    assert classify_api(dotted) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("nova/utils.py", ("nova.utils", False)),
        ("nova/__init__.py", ("nova", True)),
        ("nova/api/auth.py", ("nova.api.auth", False)),
        ("src/pkg/x.py", ("pkg.x", False)),
        ("tools/hooks.py", ("tools.hooks", False)),
        ("setup.py", ("setup", False)),
    ],
)
def test_module_names_come_from_the_package_chain(path: str, expected: tuple[str, bool]) -> None:
    packages = {"nova", "nova/api", "src/pkg"}
    assert module_for_path(path, packages) == expected


@pytest.mark.parametrize(
    ("message", "replacement"),
    [
        ("Please use new_thing() instead", "new_thing()"),
        ("deprecated in favor of 'oslo_utils.timeutils'", "oslo_utils.timeutils"),
        ("Replaced by Modern.", "Modern"),
        ("This will go away", None),
        (None, None),
    ],
)
def test_replacement_is_read_from_the_message(
    message: str | None, replacement: str | None
) -> None:
    assert replacement_from_message(message) == replacement


def test_a_moved_shim_is_named_by_the_name_it_is_bound_to() -> None:
    deps = scan(
        """
        from debtcollector import moves

        class NewHotness: pass

        OldHotness2 = moves.moved_class(NewHotness, 'OldHotness', __name__)
        moves.moved_function(NewHotness, 'unbound', 'proj.elsewhere')
        """
    )
    assert [(d.name, d.kind) for d in deps] == [
        ("proj.mod.OldHotness2", K.CLASS),
        ("proj.elsewhere.unbound", K.FUNCTION),
    ]


def test_removed_module_called_inside_a_function_is_a_feature_not_the_module() -> None:
    deps = scan(
        """
        from debtcollector import removals

        def test_removed_module():
            removals.removed_module(__name__)
        """
    )
    assert brief(deps) == [
        ("proj.mod.test_removed_module", K.FEATURE, "removals.removed_module", 5)
    ]
