"""Resolving references to deprecated names: aliases, classes, instances, kwargs, and
the limits (no type inference: unresolved attributes are only "possible")."""

from __future__ import annotations

import ast
import textwrap

from oslo_incubator.analysis.deprecations import (
    DeprecationIndex,
    Reference,
    find_deprecations,
    find_mentions,
    find_references,
    outline_module,
)
from oslo_incubator.model.debt import Confidence, UseKind

LIBRARY = """
from debtcollector import removals, renames, updating

@removals.remove(removal_version="2.0")
def old_func():
    return old_func  # inside its own definition: not a caller

@removals.remove
class OldClass(object):
    LIMIT = 1

    def helper(self):
        return OldClass.LIMIT

class Base(object):
    @removals.remove
    def old_method(self):
        pass

    def uses_it(self):
        self.old_method()

    @property
    @removals.remove
    def old_prop(self):
        return 1

    @renames.renamed_kwarg('colour', 'color')
    def paint(self, color=None, colour=None):
        pass

@updating.updated_kwarg_default_value('strict', False, True)
def parse(text, strict=False):
    pass
"""


def uses(client: str, module: str = "app.main") -> list[tuple[str, int, UseKind, Confidence, str]]:
    """(deprecated name, line, kind, confidence, scope) of each use in ``client``."""
    lib_tree = ast.parse(LIBRARY)
    client_tree = ast.parse(textwrap.dedent(client))
    deprecations = find_deprecations(lib_tree, "lib.api")
    index = DeprecationIndex(
        deprecations,
        [outline_module(lib_tree, "lib.api"), outline_module(client_tree, module)],
    )
    found = []
    for tree, name in ((lib_tree, "lib.api"), (client_tree, module)):
        for ref in find_references(tree, name, False, index.interest()):
            for match in index.match(ref):
                dep = deprecations[match.index]
                if name == module:
                    found.append((dep.name, ref.line, match.kind, match.confidence, ref.scope))
    return found


C, P = Confidence.CERTAIN, Confidence.POSSIBLE


def test_name_alias_and_module_alias_and_dotted_import_resolve() -> None:
    assert uses(
        """
        from lib.api import old_func as f
        import lib.api as a
        import lib.api
        from lib import api

        def main():
            f()
            a.old_func()
            lib.api.old_func()
            api.old_func
        """
    ) == [
        ("lib.api.old_func", 2, UseKind.IMPORT, C, "app.main"),
        ("lib.api.old_func", 8, UseKind.CALL, C, "app.main.main"),
        ("lib.api.old_func", 9, UseKind.CALL, C, "app.main.main"),
        ("lib.api.old_func", 10, UseKind.CALL, C, "app.main.main"),
        ("lib.api.old_func", 11, UseKind.REFERENCE, C, "app.main.main"),
    ]


def test_class_instantiation_subclassing_and_attribute_access_are_uses() -> None:
    assert uses(
        """
        from lib.api import OldClass

        class Mine(OldClass):
            pass

        x = OldClass()
        y = OldClass.LIMIT
        """
    ) == [
        ("lib.api.OldClass", 2, UseKind.IMPORT, C, "app.main"),
        ("lib.api.OldClass", 4, UseKind.SUBCLASS, C, "app.main"),
        ("lib.api.OldClass", 7, UseKind.INSTANTIATION, C, "app.main"),
        ("lib.api.OldClass", 8, UseKind.REFERENCE, C, "app.main"),
    ]


def test_methods_resolve_through_the_class_an_instance_self_and_subclasses() -> None:
    assert uses(
        """
        from lib import api

        class Child(api.Base):
            def run(self):
                self.old_method()

        class Override(api.Base):
            def old_method(self):
                pass

            def run(self):
                self.old_method()  # its own method, not the deprecated one

        def main(thing):
            api.Base.old_method(None)
            api.Base().old_method()
            b = api.Base()
            b.old_method()
            Child().old_method()
            thing.old_method()
        """
    ) == [
        ("lib.api.Base.old_method", 6, UseKind.CALL, C, "app.main.Child.run"),
        ("lib.api.Base.old_method", 16, UseKind.CALL, C, "app.main.main"),
        ("lib.api.Base.old_method", 17, UseKind.CALL, C, "app.main.main"),
        ("lib.api.Base.old_method", 19, UseKind.CALL, C, "app.main.main"),
        ("lib.api.Base.old_method", 20, UseKind.CALL, C, "app.main.main"),
        ("lib.api.Base.old_method", 21, UseKind.CALL, P, "app.main.main"),
    ]


def test_a_name_assigned_twice_may_hold_either_value() -> None:
    assert uses(
        """
        from lib.api import Base

        def main(flag):
            b = Base()
            b = flag
            b.old_method()
        """
    ) == [("lib.api.Base.old_method", 7, UseKind.CALL, C, "app.main.main")]


def test_properties_are_used_by_attribute_access() -> None:
    assert uses(
        """
        from lib.api import Base

        def main(other):
            return Base().old_prop + other.old_prop
        """
    ) == [
        ("lib.api.Base.old_prop", 5, UseKind.REFERENCE, C, "app.main.main"),
        ("lib.api.Base.old_prop", 5, UseKind.REFERENCE, P, "app.main.main"),
    ]


def test_kwarg_uses_are_calls_passing_it_and_default_uses_are_calls_omitting_it() -> None:
    assert uses(
        """
        from lib.api import Base, parse

        def main(options):
            Base().paint(colour='red')
            Base().paint(color='red')
            parse('x')
            parse('x', strict=True)
            parse('x', **options)
        """
    ) == [
        ("lib.api.Base.paint(colour=)", 5, UseKind.CALL, C, "app.main.main"),
        ("lib.api.parse(strict=)", 7, UseKind.CALL, C, "app.main.main"),
    ]


def test_uses_inside_the_declaring_definition_are_not_callers_but_siblings_are() -> None:
    found = []
    tree = ast.parse(LIBRARY)
    deprecations = find_deprecations(tree, "lib.api")
    index = DeprecationIndex(deprecations, [outline_module(tree, "lib.api")])
    for ref in find_references(tree, "lib.api", False, index.interest()):
        for match in index.match(ref):
            found.append((deprecations[match.index].name, ref.line, ref.scope))
    assert found == [("lib.api.Base.old_method", 21, "lib.api.Base.uses_it")]


def test_star_import_resolves_a_single_star_module() -> None:
    assert uses("from lib.api import *\nold_func()\n") == [
        ("lib.api.old_func", 2, UseKind.CALL, C, "app.main"),
    ]


def test_reexport_through_a_package_init_resolves_to_the_definition() -> None:
    lib_tree = ast.parse(LIBRARY)
    init_tree = ast.parse("from lib.api import old_func\n")
    client = ast.parse("import lib\nlib.old_func()\n")
    deprecations = find_deprecations(lib_tree, "lib.api")
    index = DeprecationIndex(
        deprecations,
        [outline_module(lib_tree, "lib.api"), outline_module(init_tree, "lib", True)],
    )
    refs = find_references(client, "app", False, index.interest())
    assert [(ref.target, [m.kind for m in index.match(ref)]) for ref in refs] == [
        ("lib.old_func", [UseKind.CALL]),
    ]


def test_reference_scan_keeps_only_interesting_names() -> None:
    tree = ast.parse("import os\nfrom lib.api import old_func\nos.path.join('a')\nold_func()\n")
    index = DeprecationIndex(find_deprecations(ast.parse(LIBRARY), "lib.api"), [])
    refs = find_references(tree, "app", False, index.interest())
    assert [(r.target, r.line, r.kind) for r in refs] == [
        ("lib.api.old_func", 2, UseKind.IMPORT),
        ("lib.api.old_func", 4, UseKind.CALL),
    ]


def test_text_mentions_in_unparsable_files_are_possible_uses() -> None:
    text = "print 'x'\nold_func()\nexcept Exception, e: Base().old_method()\n"
    assert find_mentions(text, ["old_func", "old_method", "Base"]) == [
        ("old_func", 2),
        ("Base", 3),
        ("old_method", 3),
    ]
    index = DeprecationIndex(find_deprecations(ast.parse(LIBRARY), "lib.api"), [])
    ref = Reference(None, "old_func", 2, UseKind.TEXT, "app")
    assert [(m.kind, m.confidence) for m in index.match(ref)] == [(UseKind.TEXT, P)]


def test_a_name_holding_an_instance_is_not_a_reference_to_the_class() -> None:
    assert uses(
        """
        from lib.api import OldClass

        def main():
            thing = OldClass()
            thing()
            return thing
        """
    ) == [
        ("lib.api.OldClass", 2, UseKind.IMPORT, C, "app.main"),
        ("lib.api.OldClass", 5, UseKind.INSTANTIATION, C, "app.main.main"),
    ]


def test_property_setter_and_deleter_are_part_of_the_property_not_uses() -> None:
    source = """
        from debtcollector import removals

        class Ship(object):
            @removals.removed_property
            def hull(self):
                return 1

            @hull.setter
            def hull(self, value):
                pass

            @hull.deleter
            def hull(self):
                pass
        """
    tree = ast.parse(textwrap.dedent(source))
    deprecations = find_deprecations(tree, "lib.ship")
    index = DeprecationIndex(deprecations, [outline_module(tree, "lib.ship")])
    refs = find_references(tree, "lib.ship", False, index.interest())
    assert [d.name for d in deprecations] == ["lib.ship.Ship.hull"]
    assert [m for ref in refs for m in index.match(ref)] == []


def test_using_the_result_of_a_deprecated_call_is_not_another_use() -> None:
    assert uses(
        """
        from lib.api import OldClass

        def main():
            thing = OldClass()
            thing.helper()
            return thing.LIMIT
        """
    ) == [
        ("lib.api.OldClass", 2, UseKind.IMPORT, C, "app.main"),
        ("lib.api.OldClass", 5, UseKind.INSTANTIATION, C, "app.main.main"),
    ]
