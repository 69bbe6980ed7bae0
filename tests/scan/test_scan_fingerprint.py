"""Fingerprints: normalisation, tokens, symbols, the similarity measure, MinHash and LSH."""

from __future__ import annotations

import ast
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.fingerprint import (
    band_keys,
    content_key,
    estimate,
    fingerprint,
    jaccard,
    normalise,
    shingle_hashes,
    shingle_set,
    signature,
    similarity,
    tokenize,
    top_level_symbols,
    unit_tokens,
)
from oslo_incubator.model.scan import ImportStatement, UnitKind

TRICKY = textwrap.dedent(
    '''\
    """Module docstring.

    def not_a_function():
    class NotAClass:
    """
    import os


    @decorator
    @other(
        arg=1,
    )
    def decorated(a,
    b):
        text = """
    def inside_a_string():
        pass
    """
        value = ("first part "
    "continued at column 0")
        return text + value
        # a trailing comment is not part of the function

    # a comment between symbols


    async def coroutine():
        await something()


    class Klass(object):
        attribute = [
            1,
        ]

        def method(self):
            return \\
                1


    if __name__ == "__main__":
        decorated(1, 2)
    '''
)


def _ast_symbols(text: str) -> list[tuple[int, int, str]]:
    found = []
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found.append((first, node.end_lineno or node.lineno, node.name))
    return found


def test_top_level_symbols_agree_with_ast_on_tricky_layout():
    found = top_level_symbols(TRICKY)

    assert [(a, b, name) for a, b, name, _ in found] == _ast_symbols(TRICKY)
    assert [(name, kind) for _, _, name, kind in found] == [
        ("decorated", UnitKind.FUNCTION),
        ("coroutine", UnitKind.FUNCTION),
        ("Klass", UnitKind.CLASS),
    ]


def test_top_level_symbols_of_python_2_text_that_ast_cannot_parse():
    text = "import sys\n\n\ndef shout(x):\n    print 'x', x\n    return x\n\n\nprint shout(1)\n"

    assert top_level_symbols(text) == [(4, 6, "shout", UnitKind.FUNCTION)]


def test_normalise_folds_the_project_package_and_oslo_alike():
    nova = "from nova.openstack.common import log\nfrom nova import utils\nfrom oslo.config import cfg\n"
    cinder = "from cinder.openstack.common import log\nfrom cinder import utils\n"
    cinder += "from oslo.config import cfg\n"
    master = "from openstack.common import log\n"

    assert normalise(nova, ("nova",)) == normalise(cinder, ("cinder",))
    assert normalise(nova, ("nova",)).splitlines()[0] == normalise(master, ()).splitlines()[0]


def test_tokenize_drops_comments_and_keeps_strings_whole():
    text = "x = 'a # not a comment'  # a comment\ny = '''two\nlines'''\nz **= 2\n"

    assert tokenize(text) == ["x", "=", "'a # not a comment'", "y", "=", "'''two\nlines'''",
                              "z", "**=", "2"]  # fmt: skip


def test_content_key_ignores_comments_and_layout_but_not_code():
    a = tokenize("def f(a, b):\n    return a + b  # sum\n")
    b = tokenize("# header\ndef f(a,b):\n\n    return a+b\n")
    c = tokenize("def f(a, b):\n    return a - b\n")

    assert content_key(a) == content_key(b)
    assert content_key(a) != content_key(c)


def test_similarity_of_a_small_edit_in_a_long_function():
    body = "".join(f"    value_{i} = compute({i}, 'label {i}')\n" for i in range(40))
    original = tokenize(f"def f():\n{body}    return value_0\n")
    edited = tokenize(f"def f():\n{body.replace('label 7', 'tag 7')}    return value_0\n")

    assert 0.9 < similarity(original, edited) < 1.0
    assert similarity(original, tokenize("def g():\n    return 42\n")) == 0.0


_token_lists = st.lists(
    st.sampled_from(["def", "f", "(", ")", ":", "return", "x", "+", "1", "'s'", "\x00"]),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(_token_lists, _token_lists)
def test_similarity_is_symmetric_and_between_zero_and_one(a, b):
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdef ()=+:\n'#\"", max_size=200))
def test_similarity_is_one_for_identical_normalised_text(text):
    tokens = tokenize(normalise(text, ("nova",)))

    assert similarity(tokens, list(tokens)) == 1.0
    assert estimate(signature(shingle_hashes(tokens)), signature(shingle_hashes(tokens))) == (
        1.0 if tokens else 0.0
    )


def test_jaccard_of_sets_and_of_sorted_arrays_agree():
    a = shingle_set(tokenize("a b c d e f g h"))
    b = shingle_set(tokenize("a b c d e f x y"))

    assert jaccard(a, b) == jaccard(set(a), set(b)) == 2 / 6
    assert jaccard(shingle_set([]), shingle_set([])) == 1.0


def test_signature_estimate_tracks_similarity_and_bands_split_it():
    base = [f"t{i}" for i in range(400)]
    near = base[:380] + [f"u{i}" for i in range(20)]
    sig_a, sig_b = signature(shingle_hashes(base)), signature(shingle_hashes(near))

    assert len(sig_a) == 64 * 4
    assert abs(estimate(sig_a, sig_b) - similarity(base, near)) < 0.15
    assert len(band_keys(sig_a, 16)) == 16
    assert set(band_keys(sig_a, 16)) & set(band_keys(sig_b, 16))
    assert signature([]) == b"" and band_keys(b"") == []


def test_fingerprint_prints_the_module_and_each_top_level_symbol():
    data = TRICKY.replace("import os", "import os\nfrom nova.openstack.common import log").encode()

    found = fingerprint(data, ("nova",))

    assert found.lines == TRICKY.count("\n") + 1
    assert not found.trivial
    assert found.module is not None
    assert found.module.tokens == len(unit_tokens(data, ("nova",)))
    assert [(u.start, u.end, u.name) for u in found.symbols] == [
        (10, 22, "decorated"),
        (28, 29, "coroutine"),
        (32, 39, "Klass"),
    ]
    for unit in found.symbols:
        tokens = unit_tokens(data, ("nova",), lines=(unit.start, unit.end))
        assert unit.key == content_key(tokens)
        assert unit.tokens == len(tokens)
        assert unit.signature == signature(shingle_hashes(tokens))
    module_tokens = unit_tokens(data, ("nova",))
    assert found.module.signature == signature(shingle_hashes(module_tokens))
    assert found.imports == (
        ImportStatement("os", 0, (), 6),
        ImportStatement("nova.openstack.common", 0, ("log",), 7),
    )


def test_fingerprint_reads_imports_of_every_form_but_not_in_strings():
    text = textwrap.dedent(
        '''\
        """Example:

        from not.an import import_
        """
        import a.b as c, d
        from . import sibling
        from ..pkg.mod import (one,
                               two as deux)


        def f():
            from lazy import thing
        '''
    )

    found = fingerprint(text.encode(), ())

    assert found.imports == (
        ImportStatement("a.b", 0, (), 5),
        ImportStatement("d", 0, (), 5),
        ImportStatement("", 1, ("sibling",), 6),
        ImportStatement("pkg.mod", 2, ("one", "two"), 7),
        ImportStatement("lazy", 0, ("thing",), 12),
    )


def test_fingerprint_of_trivial_and_empty_files():
    assert fingerprint(b'"""Just a docstring."""\n', ()).trivial
    empty = fingerprint(b"", ())
    assert empty.trivial and empty.module is None and empty.lines == 0
