"""Inferring the objects of attribute uses, the way a type checker would: each construct
that makes a use certain, those that rule a use out, and those that must stay possible
(with the reason)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from oslo_incubator.analysis.deprecations import (
    DeprecationIndex,
    describe_module,
    find_references,
)
from oslo_incubator.model.debt import Confidence

LIBRARY = """
from debtcollector import removals, renames


class HTTPClient(object):
    def __init__(self, url=None):
        self.url = url

    @removals.remove(removal_version="Ocata")
    def get(self, url, **kwargs):
        return url

    @property
    @removals.remove
    def token(self):
        return "t"


class Client(HTTPClient):
    pass


class Manager(object):
    @renames.renamed_kwarg("project", "default_project")
    def create(self, name, default_project=None, project=None):
        pass


def make_client():
    return Client()


def make_annotated() -> "HTTPClient":
    return object()


class DBError(Exception):
    @property
    @removals.remove
    def message(self):
        return "m"
"""

Found = list[tuple[int, Confidence, str | None]]


def uses(*modules: tuple[str, str]) -> Found:
    """(line, confidence, reason) of each use of a deprecation in ``lib.http`` from the
    given (module name, source) pairs, modules named ``app.*``."""
    sources = [("lib.http", LIBRARY), *((n, textwrap.dedent(t)) for n, t in modules)]
    trees = {name: ast.parse(text) for name, text in sources}
    described = {name: describe_module(tree, name) for name, tree in trees.items()}
    deprecations = [d for name in trees for d in described[name][0]]
    index = DeprecationIndex(deprecations, [described[name][1] for name in trees])
    found = []
    for name, tree in trees.items():
        if not name.startswith("app"):
            continue
        for ref in find_references(tree, name, False, index.interest()):
            for match in index.match(ref):
                found.append((ref.line, match.confidence, match.reason))
    return sorted(found, key=lambda f: (f[0], f[1].value))


C, P = Confidence.CERTAIN, Confidence.POSSIBLE

# Each case: the client module, and the uses it makes, certain ones with no reason.
CERTAIN_CASES = {
    "constructor call": """
        from lib.http import Client
        c = Client()
        c.get("/")
        Client().get("/")
    """,
    "class hierarchy across the project": """
        from lib import http

        class Mine(http.Client):
            pass

        def f():
            m = Mine()
            m.get("/")
    """,
    "self attribute set in another method": """
        from lib.http import Client

        class Service(object):
            def __init__(self):
                self.client = None

            def connect(self):
                self.client = Client()

            def fetch(self):
                return self.client.get("/")
    """,
    "self attribute set in a base class of another module": """
        from app.base import Base

        class Service(Base):
            def fetch(self):
                return self.client.get("/")
    """,
    "annotated parameter, Optional and string annotations": """
        from typing import Optional
        from lib.http import HTTPClient

        def f(a: HTTPClient, b: Optional[HTTPClient], c: "HTTPClient | None"):
            a.get("/")
            b.get("/")
            c.get("/")
    """,
    "annotated return": """
        from lib.http import make_annotated
        make_annotated().get("/")
    """,
    "inferred return of an unannotated function": """
        from lib.http import make_client

        def f():
            client = make_client()
            return client.get("/")
    """,
    "module alias": """
        import lib.http as h
        h.Client().get("/")
    """,
    "functools.partial of a factory, and of the method": """
        import functools
        from lib import http
        factory = functools.partial(http.Client, "url")
        factory().get("/")
        fetch = functools.partial(http.Client().get, "/")
    """,
    "decorator that keeps the signature": """
        import functools
        from lib.http import Client

        def logged(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, **kwargs)
            return wrapper

        @logged
        def client():
            return Client()

        client().get("/")
    """,
    "super() in a subclass, Python 2 spelling too": """
        from lib.http import Client

        class Mine(Client):
            def get(self, url, **kwargs):
                return super(Mine, self).get(url)

            def again(self, url):
                return super().get(url)
    """,
    "property of an instance, and an exception caught by type": """
        from lib.http import Client, DBError

        def f():
            try:
                return Client().token
            except DBError as error:
                return error.message
    """,
    "a name assigned in two places may hold either value": """
        from lib.http import Client

        def f(flag):
            c = flag
            if not flag:
                c = Client()
            c.get("/")
    """,
}
BASE_MODULE = """
from lib.http import Client

class Base(object):
    def __init__(self):
        self.client = Client()
"""


@pytest.mark.parametrize("case", sorted(CERTAIN_CASES))
def test_inferred_objects_make_certain_uses(case: str) -> None:
    found = uses(("app.main", CERTAIN_CASES[case]), ("app.base", BASE_MODULE))
    assert found and all(confidence is C and reason is None for _, confidence, reason in found)


def test_each_certain_case_finds_every_use_it_makes() -> None:
    counts = {
        case: len(uses(("app.main", text), ("app.base", BASE_MODULE)))
        for case, text in CERTAIN_CASES.items()
    }
    assert counts == {
        "constructor call": 2,
        "class hierarchy across the project": 1,
        "self attribute set in another method": 1,
        "self attribute set in a base class of another module": 1,
        "annotated parameter, Optional and string annotations": 3,
        "annotated return": 1,
        "inferred return of an unannotated function": 1,
        "module alias": 1,
        "functools.partial of a factory, and of the method": 2,
        "decorator that keeps the signature": 1,
        "super() in a subclass, Python 2 spelling too": 2,
        "property of an instance, and an exception caught by type": 2,
        "a name assigned in two places may hold either value": 1,
    }


NO_USE_CASES = {
    "a dict literal": "d = {}\nd.get('k')\n",
    "a builtin's result": "def f(text):\n    return dict(a=1).get('a')\n",
    "an object of a library outside the scan": (
        "import requests\ns = requests.Session()\ns.get('/')\n"
    ),
    "an unrelated class of the project": (
        "class Store(object):\n    def get(self, key):\n        pass\n\nStore().get('k')\n"
    ),
    "a call the deprecated signature refuses": "def f(c):\n    return c.get('k', None)\n",
    "a name also subscripted, which the class does not support": (
        "def f(options):\n    options.get('a')\n    return options['b']\n"
    ),
    "an exception of another class": (
        "def f():\n    try:\n        pass\n    except ValueError as e:\n        e.message\n"
    ),
}


@pytest.mark.parametrize("case", sorted(NO_USE_CASES))
def test_known_unrelated_objects_and_impossible_calls_are_no_use(case: str) -> None:
    assert uses(("app.main", NO_USE_CASES[case])) == []


POSSIBLE_CASES = {
    "an unannotated parameter": (
        "def f(client):\n    client.get('/')\n",
        "parameter 'client' of app.main.f is not annotated",
    ),
    "a loop variable": (
        "def f(clients):\n    for c in clients:\n        c.get('/')\n",
        "a loop variable",
    ),
    "an item of a container": (
        "def f(clients):\n    return clients['a'].get('/')\n",
        "an item taken from a container",
    ),
    "a tuple unpacked": (
        "def f(pair):\n    a, b = pair\n    return a.get('/')\n",
        "unpacked from a sequence",
    ),
    "an attribute nobody assigns": (
        "class S(object):\n    def f(self):\n        return self.client.get('/')\n",
        "'client' is never assigned on app.main.S in the scanned code",
    ),
    "a class answering any attribute": (
        "class Proxy(object):\n    def __getattr__(self, name):\n        pass\n\n"
        "Proxy().remote.get('/')\n",
        "app.main.Proxy answers any attribute (__getattr__)",
    ),
}


@pytest.mark.parametrize("case", sorted(POSSIBLE_CASES))
def test_objects_that_cannot_be_known_stay_possible_with_the_reason(case: str) -> None:
    text, reason = POSSIBLE_CASES[case]
    found = uses(("app.main", text))
    assert found and all(c is P and r == reason for _, c, r in found)


def test_keyword_deprecations_are_matched_through_inferred_receivers() -> None:
    assert uses(
        (
            "app.main",
            "from lib.http import Manager\n\n"
            "def f(m: Manager, other):\n"
            "    m.create('x', project='p')\n"
            "    other.create('x', project='p')\n"
            "    other.create('x', 'p', 'q', 'r')\n",
        )
    ) == [(4, C, None), (5, P, "parameter 'other' of app.main.f is not annotated")]


def test_names_a_package_re_exports_with_a_star_import_reach_their_definition() -> None:
    package = ("lib", "from lib.http import *  # noqa\n")
    client = ("app.main", "import lib\n\nlib.Client().get('/')\nlib.make_client().get('/')\n")
    assert uses(package, client) == [(3, C, None), (4, C, None)]


def test_a_star_re_export_does_not_redirect_a_module_of_the_package() -> None:
    package = ("lib", "from lib.other import *  # noqa\nfrom lib.http import *  # noqa\n")
    other = ("lib.other", "from lib import http\n")
    client = ("app.main", "import lib.http\n\nlib.http.Client().get('/')\n")
    assert uses(package, other, client) == [(3, C, None)]


def test_a_tuple_unpacked_from_a_display_pairs_its_elements() -> None:
    client = "from lib.http import Client\n\ndef f():\n    c, d = Client(), {}\n    c.get('/')\n    d.get('k')\n"
    assert uses(("app.main", client)) == [(5, C, None)]
