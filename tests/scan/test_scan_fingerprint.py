"""Fingerprints: normalisation, tokens, symbols, the similarity measure, MinHash and LSH."""

from __future__ import annotations

import ast
import struct
import textwrap

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.fingerprint import (
    candidate_pairs,
    content_key,
    estimate,
    fingerprint,
    folded_bytes,
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


def test_top_level_symbols_skip_lines_inside_strings_of_every_kind():
    text = (
        "x = 'one # \"\"\" line'  # a comment with ''' in it\n"
        "y = 'continued \\\n"
        "def not_code(): pass'\n"
        'z = """\n'
        "class NotCode: pass\n"
        '"""\n'
        "empty = ''\n"
        "def real():\n"
        "    return '''\n"
        "def still_not_code(): pass\n"
        "'''\n"
    )

    assert [(a, b, name) for a, b, name, _ in top_level_symbols(text)] == _ast_symbols(text)
    assert [name for _, _, name, _ in top_level_symbols(text)] == ["real"]


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
    text = b"x = 'a # not a comment'  # a comment\ny = '''two\nlines'''\nz **= 2\n"

    assert tokenize(text) == [b"x", b"=", b"'a # not a comment'", b"y", b"=",
                              b"'''two\nlines'''", b"z", b"**=", b"2"]  # fmt: skip


def test_tokenize_skips_a_comment_that_ends_the_text_and_keeps_odd_bytes():
    assert tokenize(b"x = 1  # the end") == [b"x", b"=", b"1"]
    assert tokenize(b"x = 1\n# the end\n\n") == [b"x", b"=", b"1"]
    assert tokenize(b"  # only a comment") == []
    assert tokenize(b"s = '\\'' \\\n'\xe9t\xe9'\n") == [b"s", b"=", b"'\\''", b"\\",
                                                       b"'\xe9t\xe9'"]  # fmt: skip


def test_tokenize_of_a_range_is_the_tokens_inside_it():
    text = b"a = 1\n\ndef f():\n    return 'x'  # done\n\nb = 2\n"
    start, end = text.index(b"def"), text.index(b"b = 2")

    assert tokenize(text, start, end) == [b"def", b"f", b"(", b")", b":", b"return", b"'x'"]


def test_content_key_ignores_comments_and_layout_but_not_code():
    a = tokenize(b"def f(a, b):\n    return a + b  # sum\n")
    b = tokenize(b"# header\ndef f(a,b):\n\n    return a+b\n")
    c = tokenize(b"def f(a, b):\n    return a - b\n")

    assert content_key(a) == content_key(b)
    assert content_key(a) != content_key(c)


def test_similarity_of_a_small_edit_in_a_long_function():
    body = "".join(f"    value_{i} = compute({i}, 'label {i}')\n" for i in range(40))
    original = tokenize(f"def f():\n{body}    return value_0\n".encode())
    edited = tokenize(f"def f():\n{body.replace('label 7', 'tag 7')}    return value_0\n".encode())

    assert 0.9 < similarity(original, edited) < 1.0
    assert similarity(original, tokenize(b"def g():\n    return 42\n")) == 0.0


_token_lists = st.lists(
    st.sampled_from(
        [b"def", b"f", b"(", b")", b":", b"return", b"x", b"+", b"1", b"'s'", b"\x00"]
    ),
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
    tokens = tokenize(folded_bytes(text.encode(), ("nova",)))

    assert similarity(tokens, list(tokens)) == 1.0
    assert estimate(signature(shingle_hashes(tokens)), signature(shingle_hashes(tokens))) == (
        1.0 if tokens else 0.0
    )


def test_jaccard_counts_shared_shingles():
    a = shingle_set(tokenize(b"a b c d e f g h"))
    b = shingle_set(tokenize(b"a b c d e f x y"))

    assert len(a) == len(b) == 4
    assert jaccard(a, b) == len(set(a) & set(b)) / len(set(a) | set(b)) == 2 / 6
    assert jaccard(shingle_set([]), shingle_set([])) == 1.0


@settings(max_examples=200, deadline=None)
@given(_token_lists, st.integers(0, 30), st.integers(1, 8))
def test_shingle_hashes_of_a_slice_are_a_slice_of_the_hashes(tokens, start, k):
    """What fingerprint relies on to hash a file once for all its units."""
    whole = shingle_hashes(tokens, k)
    part = tokens[start:]

    if len(part) >= k:
        assert list(shingle_hashes(part, k)) == list(whole[start:])


def _reference_signature(hashes: list[int], bins: int) -> bytes:
    """MinHash as the docstring says it, one hash at a time."""
    least: dict[int, int] = {}
    for value in hashes:
        slot = value >> (64 - (bins.bit_length() - 1))
        least[slot] = min(value, least.get(slot, value))
    values = []
    for slot in range(bins):
        distance = 0
        while (slot + distance) % bins not in least:
            distance += 1
        borrowed = least[(slot + distance) % bins] & 0xFFFFFFFF
        values.append((borrowed + distance * 0x9E3779B1) & 0xFFFFFFFF)
    return struct.pack(f"<{bins}I", *values)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=200),
    st.sampled_from([2, 8, 64, 256]),
)
def test_signature_is_the_least_hash_of_each_bin_with_empty_bins_borrowed(values, bins):
    hashes = np.array(values, dtype=np.uint64)

    assert signature(hashes, bins) == _reference_signature(values, bins)


def test_signature_estimate_tracks_similarity():
    base = [f"t{i}".encode() for i in range(400)]
    near = base[:380] + [f"u{i}".encode() for i in range(20)]
    sig_a, sig_b = signature(shingle_hashes(base)), signature(shingle_hashes(near))

    assert len(sig_a) == 64 * 4
    assert abs(estimate(sig_a, sig_b) - similarity(base, near)) < 0.15
    assert signature(shingle_hashes([])) == b""


def test_candidate_pairs_are_open_near_pairs_that_share_a_band():
    base = [f"t{i}".encode() for i in range(400)]
    near = base[:380] + [f"u{i}".encode() for i in range(20)]
    other = [f"v{i}".encode() for i in range(400)]
    sigs = [signature(shingle_hashes(tokens)) for tokens in (base, near, other, base)]

    found = candidate_pairs(sigs, [True, True, True, False], bands=16, min_estimate=0.5)

    assert [(i, j) for i, j, _ in found] == [(0, 1), (0, 3), (1, 3)]
    assert found[0][2] == estimate(sigs[0], sigs[1])
    assert found[1][2] == 1.0
    assert candidate_pairs(sigs, [False] * 4, bands=16, min_estimate=0.5) == []
    assert candidate_pairs(sigs, [True] * 4, bands=16, min_estimate=1.0) == [(0, 3, 1.0)]


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
