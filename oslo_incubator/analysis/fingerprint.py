"""Fingerprints of Python source for finding copies: tokens, shingles, MinHash, LSH.

How two units (modules, top-level functions or classes) are compared:

1. *Normalise*: :func:`normalise` folds the project's own package names and ``oslo``
   to one placeholder (``analysis.normalise.fold``, once per base package), so
   ``from nova import utils`` and ``from cinder import utils`` read alike, and
   ``nova.openstack.common.log`` reads as the incubator's ``openstack.common.log``.
   :func:`folded_bytes` does that to a file's bytes and gives bytes back.
2. *Tokenise*: :func:`tokenize` cuts the folded bytes with one regular expression
   into names, numbers, whole string literals and operators; comments and layout are
   skipped. Text that is not valid Python 3 tokenises all the same.
3. *Exact copies* have equal :func:`content_key` (a hash of the token sequence).
4. *Similarity* (:func:`similarity`) is the Jaccard index of the two units' sets of
   ``k``-token shingles (``k`` = 5 by default): ``|A ∩ B| / |A ∪ B|``. It is symmetric,
   1.0 for equal token sequences and 0.0 for units with no shingle in common.
5. *Candidates* come from a one-permutation MinHash :func:`signature` (64 bins of
   32 bits, empty bins filled from their right neighbour) cut into bands
   (:func:`candidate_pairs`): units sharing a band are compared exactly, so a scan
   never compares every pair. With 16 bands of 4 values, a pair at similarity 0.8 shares a
   band with probability 0.9998, a pair at 0.5 with probability 0.64.

A shingle's hash mixes the CRC-32s of its tokens with fixed 64-bit multipliers and a
SplitMix64 finaliser, in numpy, a whole file at a time: the same text gives the same
hashes on every machine and every Python version. numpy is imported on first use, so
a scan whose fingerprints are all cached never loads it.
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
import sys
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from oslo_incubator.analysis.normalise import decode, fold, is_trivial
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.scan import (
    FilePrint,
    FingerprintSettings,
    ImportStatement,
    UnitKind,
    UnitPrint,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Hashes = npt.NDArray[np.uint64]

DEFAULT_SETTINGS = FingerprintSettings()
# Smaller symbols get no MinHash signature (exact matches only). Above the longest
# shingle, so a signed unit always has windows of its own.
MIN_SIGNED_TOKENS = 10
_MASK32 = (1 << 32) - 1
_DENSIFY_STEP = 0x9E3779B1  # odd, so filled bins of different offsets differ
# One odd 64-bit multiplier per position in a shingle (SplitMix64/xxHash constants).
_POSITION_MULTIPLIERS = (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x85EBCA77C2B2AE63,
)  # fmt: skip
_SEPARATOR = b"\x1f"  # between tokens in a content key: no token contains it

# A string literal, whole: the loops are unrolled (runs of ordinary characters, then
# one escape or lone quote) so a docstring is matched in a few steps, not one per byte.
_STRING = (
    rb"'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''"
    rb'|"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"""'
    rb"|'[^'\\\n]*+(?:\\.[^'\\\n]*+)*+'"
    rb'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
)
# Layout and comments are skipped before each token (a comment is never a token); at
# the end of the text the empty alternative matches instead, and :func:`tokenize`
# drops the empty tokens it leaves. Possessive repeats (*+) never give back what they
# took, so the engine keeps no state to backtrack into: a tenth faster (Python 3.11+;
# see :func:`without_possessive` for 3.10).
_TOKEN_SOURCE = (
    rb"\s*+(?:\#[^\n]*+\s*+)*+"
    rb"(?:([A-Za-z_\x00\x01][\w\x00\x01]*+"  # names, with the fold placeholders
    rb"|[(),.\[\]{}]"  # the commonest punctuation, before the alternatives it would fail
    rb"|\d[\w.]*+"  # numbers
    rb"|" + _STRING + rb"|\*\*=?|//=?|->|<<=?|>>=?|[-+*/%&|^=<>!@:]="
    rb"|[^\s\w])|\Z)"  # any other byte is a token of its own
)


def without_possessive(pattern: bytes) -> bytes:
    """``pattern`` with its possessive repeats (``*+``, ``++``, ``?+``, ``{m,n}+``) made
    plain greedy ones, for Python 3.10, whose ``re`` has no possessive repeats.

    For this module's patterns the two find the same matches: every possessive run is
    followed by something that cannot start inside the run (a quote after a run of
    other bytes, the end of a token after a name), and every alternative that can
    follow a repeat always matches, so backtracking never finds another way. The greedy
    form only keeps the state it never uses; the tests compare both on many texts.
    """
    out = bytearray()
    i, n = 0, len(pattern)
    repeated = False  # the last thing copied was a repeat: a "+" now makes it possessive
    while i < n:
        char = pattern[i : i + 1]
        if char == b"\\":
            out += pattern[i : i + 2]
            i += 2
            repeated = False
            continue
        if char == b"[":  # a class: copied whole, its "*" and "+" are bytes, not repeats
            j = i + 1
            if pattern[j : j + 1] == b"^":
                j += 1
            if pattern[j : j + 1] == b"]":  # first in a class, "]" is a byte
                j += 1
            while j < n and pattern[j : j + 1] != b"]":
                j += 2 if pattern[j : j + 1] == b"\\" else 1
            out += pattern[i : j + 1]
            i = j + 1
            repeated = False
            continue
        if char == b"+" and repeated:
            i += 1  # the possessive mark: dropped
            repeated = False
            continue
        if char in b"*+?}":
            # "(?" opens a group extension; "?" after a repeat makes it lazy.
            repeated = not (repeated or (char == b"?" and out[-1:] == b"("))
        else:
            repeated = False
        out += char
        i += 1
    return bytes(out)


def _compile(pattern: bytes) -> re.Pattern[bytes]:
    """The pattern compiled, possessive repeats and all where ``re`` has them (3.11+).

    ``re.S``: a backslash-newline inside a string is part of the string.
    """
    if sys.version_info < (3, 11):
        pattern = without_possessive(pattern)
    return re.compile(pattern, re.S)


_TOKEN = _compile(_TOKEN_SOURCE)


def normalise(
    text: str, bases: Sequence[str], package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
) -> str:
    """Fold ``text`` for comparison across projects (line *i* stays line *i*).

    Args:
        text: the file's text.
        bases: the project's own top-level package names (``("nova",)``); empty for
            incubator text, which only has ``oslo`` to fold.
        package_root: where the incubator keeps its modules.
    """
    if not bases:
        return fold(text, None, package_root)
    for base in bases:
        text = fold(text, base, package_root)
    return text


def folded_bytes(
    data: bytes, bases: Sequence[str], package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
) -> bytes:
    """A file's bytes, normalised (:func:`normalise`), with CRLF read as LF.

    Bytes that are not UTF-8 come back as they were.
    """
    text = normalise(decode(data), bases, package_root)  # fold reads CRLF as LF
    return text.encode("utf-8", "surrogateescape")


def tokenize(folded: bytes, start: int = 0, end: int | None = None) -> list[bytes]:
    """The tokens of ``folded[start:end]``, comments left out."""
    found: list[bytes] = _TOKEN.findall(folded, start, len(folded) if end is None else end)
    while found and not found[-1]:
        found.pop()
    return found


def content_key(tokens: Sequence[bytes]) -> str:
    """A 64-bit hex hash of a token sequence: equal keys are exact copies."""
    return hashlib.sha1(_SEPARATOR.join(tokens)).hexdigest()[:16]


def shingle_hashes(tokens: Sequence[bytes], k: int = 5) -> Hashes:
    """One 64-bit hash per ``k``-token window, in order (one for shorter input).

    Raises:
        ValueError: ``k`` is not between 1 and 8.
    """
    import numpy as np  # on first use: see the module's docstring

    if not 1 <= k <= len(_POSITION_MULTIPLIERS):
        raise ValueError(f"shingles are 1 to {len(_POSITION_MULTIPLIERS)} tokens, not {k}")
    ids = np.fromiter(map(zlib.crc32, tokens), np.uint64, len(tokens))
    windows = len(ids) - k + 1
    if windows < 1:
        if not len(ids):
            return ids
        k, windows = len(ids), 1  # the whole sequence is the one shingle
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        mixed = ids[:windows] * np.uint64(_POSITION_MULTIPLIERS[0])
        for position in range(1, k):
            mixed += ids[position : position + windows] * np.uint64(
                _POSITION_MULTIPLIERS[position]
            )
        return _finalise(mixed)


def shingle_set(tokens: Sequence[bytes], k: int = 5) -> Hashes:
    """The distinct shingle hashes of ``tokens``, sorted (8 bytes each)."""
    import numpy as np

    return np.unique(shingle_hashes(tokens, k))


def jaccard(a: Hashes, b: Hashes) -> float:
    """``|a ∩ b| / |a ∪ b|`` of two sorted arrays of distinct values; 1.0 when both are empty."""
    import numpy as np

    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def similarity(tokens_a: Sequence[bytes], tokens_b: Sequence[bytes], k: int = 5) -> float:
    """The similarity measure of scan: Jaccard over ``k``-token shingle sets."""
    return jaccard(shingle_set(tokens_a, k), shingle_set(tokens_b, k))


def signature(hashes: Hashes, bins: int = 64) -> bytes:
    """One-permutation MinHash of shingle hashes: ``bins`` little-endian uint32.

    The top bits of a hash choose its bin, the low 32 bits of the least hash of a bin
    are its value; an empty bin takes the value of the next non-empty bin to its right
    plus a multiple of a constant (rotation densification). ``b""`` for no hashes.

    Raises:
        ValueError: ``bins`` is not a power of two from 2 to 2**16.
    """
    return signatures(hashes, [(0, len(hashes))], bins)[0]


def signatures(hashes: Hashes, ranges: Sequence[tuple[int, int]], bins: int = 64) -> list[bytes]:
    """The :func:`signature` of each slice ``hashes[first:last]``, all in one pass.

    A file's units are many and mostly small: one pass for all of them costs what a
    few separate ones would.

    Raises:
        ValueError: ``bins`` is not a power of two from 2 to 2**16.
    """
    import numpy as np

    if not 2 <= bins <= 1 << 16 or bins & (bins - 1):
        raise ValueError(f"bins must be a power of two from 2 to 65536, not {bins}")
    wanted = [(first, last) for first, last in ranges if last > first]
    if not wanted:
        return [b""] * len(ranges)
    lengths = [last - first for first, last in wanted]
    values = np.concatenate([hashes[first:last] for first, last in wanted])
    unit = np.repeat(np.arange(len(wanted), dtype=np.int64), lengths)
    cell = unit * bins + (values >> np.uint64(65 - bins.bit_length())).astype(np.int64)
    least = np.full(len(wanted) * bins, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(least, cell, values)
    present = np.bincount(cell, minlength=len(least)) > 0
    low = least.reshape(-1, bins) & np.uint64(_MASK32)  # a row per unit, a column per bin
    filled = present.reshape(-1, bins)
    if not filled.all():
        # Rotation densification: each bin's nearest non-empty bin at or to its right,
        # around the end, is the least index of a non-empty bin in the row written twice.
        slots = np.where(filled, np.arange(bins), 3 * bins)
        twice = np.concatenate((slots, slots + bins), axis=1)
        nearest = np.minimum.accumulate(twice[:, ::-1], axis=1)[:, : -bins - 1 : -1]
        distance = (nearest - np.arange(bins)).astype(np.uint64)
        borrowed = low[np.arange(len(low))[:, np.newaxis], nearest % bins]
        low = (borrowed + distance * np.uint64(_DENSIFY_STEP)) & np.uint64(_MASK32)
    packed = iter(low.astype("<u4"))
    return [next(packed).tobytes() if last > first else b"" for first, last in ranges]


def estimate(sig_a: bytes, sig_b: bytes) -> float:
    """The share of equal MinHash values: an estimate of :func:`similarity`."""
    if not sig_a or len(sig_a) != len(sig_b):
        return 0.0
    count = len(sig_a) // 4
    a = struct.unpack(f"<{count}I", sig_a)
    b = struct.unpack(f"<{count}I", sig_b)
    same: int = sum(map(operator.eq, a, b))
    return same / count


def candidate_pairs(
    signed: Sequence[bytes], open_units: Sequence[bool], bands: int, min_estimate: float
) -> list[tuple[int, int, float]]:
    """Locality-sensitive hashing: the pairs of units worth comparing exactly.

    Each signature is cut into ``bands`` bands; units whose signatures agree on a
    whole band share a bucket. A pair is proposed when it shares a bucket, at least
    one of its units is open (``open_units``), and its :func:`estimate` is at least
    ``min_estimate``.

    Args:
        signed: equally long :func:`signature` results, one per unit.
        open_units: whether each unit still looks for a family.
        bands: how many bands a signature is cut into.
        min_estimate: the least estimate worth an exact comparison.

    Returns:
        ``(i, j, estimate)`` with ``i < j`` indexes into ``signed``, sorted.
    """
    import numpy as np

    if len(signed) < 2:
        return []
    matrix = np.frombuffer(b"".join(signed), dtype="<u4").reshape(len(signed), -1)
    width = matrix.shape[1] // bands
    is_open = list(open_units)
    proposed: set[tuple[int, int]] = set()
    for band in range(bands):
        key = _band_key(matrix, band, width)
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        ends = np.append(starts[1:], len(ordered))
        shared = ends - starts > 1  # most buckets hold one unit
        for start, end in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True):
            members = order[start:end].tolist()
            for a in members:
                if is_open[a]:
                    proposed.update((a, b) if a < b else (b, a) for b in members if b != a)
    if not proposed:
        return []
    pairs = np.array(sorted(proposed), dtype=np.int64)
    estimates = (matrix[pairs[:, 0]] == matrix[pairs[:, 1]]).mean(axis=1)
    kept = estimates >= min_estimate
    return list(
        zip(
            pairs[kept, 0].tolist(), pairs[kept, 1].tolist(), estimates[kept].tolist(), strict=True
        )
    )


def _band_key(matrix: Any, band: int, width: int) -> Any:
    """One band of every row's signature mixed into one 64-bit key; two bands that
    collide only propose a pair the estimate then rejects."""
    import numpy as np

    key = np.zeros(len(matrix), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(band * width, (band + 1) * width):
            key = key * np.uint64(_POSITION_MULTIPLIERS[0]) + matrix[:, column]
    return key


def band_keys(signed: Sequence[bytes], bands: int) -> Any:
    """The bucket of each signature in each band, as :func:`candidate_pairs` buckets
    them: an ``(n, bands)`` array of 64-bit keys. For a cluster, where signatures are
    bucketed where they were made and the buckets brought together by
    :func:`bucket_pairs`."""
    import numpy as np

    if not signed:
        return np.zeros((0, bands), dtype=np.uint64)
    matrix = np.frombuffer(b"".join(signed), dtype="<u4").reshape(len(signed), -1)
    width = matrix.shape[1] // bands
    return np.stack([_band_key(matrix, band, width) for band in range(bands)], axis=1)


def bucket_pairs(
    bands: Any, buckets: Any, units: Any, matrix: Any, min_estimate: float
) -> list[tuple[int, int, float]]:
    """The pairs :func:`candidate_pairs` would propose, but for its open test (the
    caller's): units sharing a bucket whose estimate is at least ``min_estimate``.

    Args:
        bands, buckets, units: equally long arrays, one entry per (band, bucket,
            unit) from :func:`band_keys`; a unit may come more than once.
        matrix: the signatures, one row per unit index.
        min_estimate: the least estimate worth an exact comparison.

    Returns:
        ``(i, j, estimate)`` with ``i < j`` unit indexes, sorted.
    """
    import numpy as np

    if len(units) < 2:
        return []
    order = np.lexsort((units, buckets, bands))
    bands, buckets, units = bands[order], buckets[order], units[order]
    same_bucket = (bands[1:] == bands[:-1]) & (buckets[1:] == buckets[:-1])
    starts = np.flatnonzero(np.concatenate(([True], ~same_bucket)))
    ends = np.append(starts[1:], len(units))
    shared = ends - starts > 1  # most buckets hold one unit
    proposed: set[tuple[int, int]] = set()
    for start, end in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True):
        members = sorted(set(units[start:end].tolist()))
        proposed.update((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
    if not proposed:
        return []
    pairs = np.array(sorted(proposed), dtype=np.int64)
    estimates = (matrix[pairs[:, 0]] == matrix[pairs[:, 1]]).mean(axis=1)
    kept = estimates >= min_estimate
    return list(
        zip(
            pairs[kept, 0].tolist(), pairs[kept, 1].tolist(), estimates[kept].tolist(), strict=True
        )
    )


def fingerprint(
    data: bytes,
    bases: Sequence[str],
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    settings: FingerprintSettings = DEFAULT_SETTINGS,
    symbols: bool = True,
) -> FilePrint:
    """Fingerprint one file: the module and, with ``symbols``, each top-level symbol.

    Args:
        data: the file's bytes.
        bases: the package names to fold (see :func:`normalise`).
        package_root: where the incubator keeps its modules.
        settings: shingle size and signature shape.
        symbols: find top-level functions and classes (:func:`top_level_symbols`)
            and imports; without it only the module is printed.

    Returns:
        The file's fingerprint; ``module`` is ``None`` for a file without tokens.
    """
    text = decode(data)  # fold reads CRLF as LF
    folded = normalise(text, bases, package_root).encode("utf-8", "surrogateescape")
    line_count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    layout = _Layout(folded) if symbols else None
    spans = layout.symbols() if layout is not None else []
    tokens: list[bytes] = []
    ranges: list[tuple[int, int]] = []
    line = 1
    for start, end, _, _ in spans:
        assert layout is not None
        tokens += tokenize(folded, layout.offset(line), layout.offset(start))
        first = len(tokens)
        tokens += tokenize(folded, layout.offset(start), layout.offset(end + 1))
        ranges.append((first, len(tokens)))
        line = end + 1
    tokens += tokenize(folded, layout.offset(line) if layout is not None else 0)
    k, bins = settings.shingle, settings.bins
    hashes = shingle_hashes(tokens, k)
    # A unit's windows are the file's windows inside it. Units under MIN_SIGNED_TOKENS
    # are too small to be compared by similarity at any setting: no signature.
    windows = [(first, last - k + 1 if last - first >= MIN_SIGNED_TOKENS else first)
               for first, last in ranges]  # fmt: skip
    *packed, whole = signatures(hashes, [*windows, (0, len(hashes))], bins)
    units = []
    for (start, end, name, kind), (first, last), sig in zip(spans, ranges, packed, strict=True):
        if last > first:
            units.append(UnitPrint(name, kind, start, end, last - first,
                                   content_key(tokens[first:last]), sig))  # fmt: skip
    module = None
    if tokens:
        module = UnitPrint(None, UnitKind.MODULE, 1, max(line_count, 1), len(tokens),
                           content_key(tokens), whole)  # fmt: skip
    return FilePrint(
        lines=line_count,
        # Empty, comments, or a docstring of one line ("Tests."): a longer lone
        # docstring says what its package is, and copies of it are copies.
        trivial=not tokens or len(tokens) == 1 and b"\n" not in tokens[0] and is_trivial(text),
        module=module,
        symbols=tuple(units),
        imports=layout.imports(text) if layout is not None else (),
    )


def top_level_symbols(text: str) -> list[tuple[int, int, str, UnitKind]]:
    """The top-level functions and classes of Python source: (first, last, name, kind).

    Lines are 1-based and inclusive, decorators included, trailing blank and comment
    lines excluded, exactly as ``ast`` reports them (``lineno`` of the first decorator,
    ``end_lineno``). Found without parsing, so Python 2 text works too: a top-level
    statement starts on a line that begins at column 0, outside a multi-line string,
    not with a closing bracket or a quote (a string continued inside brackets), and
    not after a code line that ends with a backslash, an opening bracket, a comma or
    an operator. On nova, glance, cinder, heat (2014.2) and the incubator this agrees
    with ``ast`` on every one of 11,744 symbols, at a seventh of the cost.
    """
    return _Layout(text.replace("\r\n", "\n").encode("utf-8", "surrogateescape")).symbols()


def line_offsets(text: bytes) -> list[int]:
    """Where each line of ``text`` starts: ``offsets[i]`` for line ``i + 1``, then one
    past the end of the text."""
    return _line_starts(text).tolist()  # type: ignore[no-any-return]


def unit_tokens(
    data: bytes,
    bases: Sequence[str],
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    lines: tuple[int, int] | None = None,
) -> list[bytes]:
    """The normalised tokens of a whole file, or of its ``lines`` (first, last).

    The same tokens :func:`fingerprint` hashed for the unit, for exact comparison.
    """
    folded = folded_bytes(data, bases, package_root)
    return lines_tokens(folded, line_offsets(folded), lines)


def lines_tokens(folded: bytes, offsets: list[int], lines: tuple[int, int] | None) -> list[bytes]:
    """The tokens of ``lines`` (first, last; ``None`` for all) of folded text whose
    :func:`line_offsets` are ``offsets``."""
    if lines is None:
        return tokenize(folded)
    return tokenize(folded, offsets[lines[0] - 1], offsets[min(lines[1], len(offsets) - 1)])


# Private

# What may hide code, run by run: code, comments and one-line strings (group 1), then a
# string that may span lines (group 2): a triple-quoted one, or one continued with a
# backslash-newline; a lone quote or the end of the text closes the last run. Only the
# strings that span lines matter, and there are few: a split into runs costs a third
# less than one into every comment and string.
_ONE_LINE_STRING = (
    rb"'(?!'')(?:[^'\\\n]|\\[^\n])*+'"
    rb'|"(?!"")(?:[^"\\\n]|\\[^\n])*+"'
)
_STRING_RUNS_SOURCE = (
    rb"((?:[^'\"#]++|\#[^\n]*+|" + _ONE_LINE_STRING + rb")*+)(" + _STRING + rb"|['\"]|\Z)"
)
_STRING_RUNS = _compile(_STRING_RUNS_SOURCE)
# A line that may start a statement, found by its newline: a pattern that begins with
# "^" is tried at every byte, one that begins with a literal skips to it (5x faster).
_STATEMENT_START = re.compile(rb"""\n[^\s#)\]}'"]""")
_STATEMENT_FIRST = frozenset(b"""#)]}'\"""" + b" \t\n\r\x0b\x0c")
_CONTINUING = frozenset(b"([{,+-*/%&|^=<>@~.")  # a code line ending so is not complete
_DEFINITION = re.compile(rb"(?:async[ \t]+)?def[ \t]+([\w\x80-\xff]+)|class[ \t]+([\w\x80-\xff]+)")
_IMPORT_WORD = re.compile("import")
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+([^\n#;]+))",
    re.M,
)


def _finalise(mixed: Hashes) -> Hashes:
    """SplitMix64's finaliser, in place: every bit of the input moves the top bits,
    which choose a hash's MinHash bin."""
    import numpy as np

    mixed ^= mixed >> np.uint64(30)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(27)
    mixed *= np.uint64(0x94D049BB133111EB)
    mixed ^= mixed >> np.uint64(31)
    return mixed


def _line_starts(text: bytes) -> npt.NDArray[np.int64]:
    """:func:`line_offsets` as an array, found in C: splitting into lines and adding up
    their lengths would be a Python call per line."""
    import numpy as np

    newlines = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 0x0A)
    return np.concatenate(([0], newlines + 1, [len(text) + 1]))


class _Layout:
    """Lines, multi-line strings and top-level statements of one folded text."""

    def __init__(self, text: bytes):

        self.text = text
        self._offsets = _line_starts(text)
        self.offsets: list[int] = self._offsets.tolist()
        self.line_count = len(self.offsets) - 1
        self._string_starts = []
        self._string_ends = []
        runs = _STRING_RUNS.split(text)  # "", code, string, "", code, string, ..., ""
        position = 0
        for i in range(1, len(runs) - 1, 3):
            position += len(runs[i - 1]) + len(runs[i])
            string = runs[i + 1]
            if b"\n" in string:
                self._string_starts.append(position)
                self._string_ends.append(position + len(string))
            position += len(string)

    def line(self, number: int) -> bytes:
        """The text of 1-based line ``number``, without its newline."""
        return self.text[self.offsets[number - 1] : self.offsets[number] - 1]

    def offset(self, line: int) -> int:
        """Where 1-based ``line`` starts (the end of the text past the last line)."""
        return self.offsets[min(max(line, 1), len(self.offsets)) - 1]

    def in_string(self, position: int) -> bool:
        """Whether ``position`` lies inside a string that spans lines."""
        i = bisect_right(self._string_starts, position) - 1
        return i >= 0 and position < self._string_ends[i]

    def statement_starts(self) -> list[int]:
        """1-based lines where a top-level statement starts."""
        import numpy as np

        first = [0] if self.text and self.text[0] not in _STATEMENT_FIRST else []
        found = first + [m.start() + 1 for m in _STATEMENT_START.finditer(self.text)]
        if not found:
            return []
        positions = np.array(found)
        lines = np.searchsorted(self._offsets, positions, side="right")
        if self._string_starts:  # leave out the line starts inside multi-line strings
            inside = np.searchsorted(self._string_starts, positions, side="right") - 1
            ends = np.array(self._string_ends)[np.maximum(inside, 0)]
            lines = lines[(inside < 0) | (positions >= ends)]
        return [line for line in lines.tolist() if not self._continues(line)]

    def _continues(self, line: int) -> bool:
        """Whether 1-based ``line`` continues the statement of the code line before it:
        that line ends with a backslash, an opening bracket, a comma or an operator."""
        previous = line - 1
        while previous >= 1:
            code = self.line(previous).rstrip()
            if code.endswith(b"\\"):
                return True
            if b"#" in code:
                code = code.split(b"#", 1)[0].rstrip()
            if code:
                return code[-1] in _CONTINUING
            previous -= 1
        return False

    def symbols(self) -> list[tuple[int, int, str, UnitKind]]:
        """See :func:`top_level_symbols`."""
        starts = self.statement_starts()
        found = []
        decorated: int | None = None
        for i, line in enumerate(starts):
            text = self.line(line)
            if text.startswith(b"@"):
                decorated = line if decorated is None else decorated
                continue
            match = _DEFINITION.match(text)
            if match is not None:
                last = starts[i + 1] - 1 if i + 1 < len(starts) else self.line_count
                while last > line and _is_blank_or_comment(self.line(last)):
                    last -= 1
                kind = UnitKind.FUNCTION if match.group(1) else UnitKind.CLASS
                first = line if decorated is None else decorated
                name = (match.group(1) or match.group(2)).decode("utf-8", "surrogateescape")
                found.append((first, last, name, kind))
            decorated = None
        return found

    def imports(self, original: str) -> tuple[ImportStatement, ...]:
        """Every import statement outside multi-line strings, in line order.

        ``original`` is the text before folding (same lines), whose names are wanted.
        """
        found = []
        line, counted = 1, 0  # counted: where line ``line`` starts
        read = -1  # where the last line read starts
        # Only lines with the word "import" can hold one: finding the word is a fast
        # literal search, where the statement's pattern would be tried at every byte.
        for word in _IMPORT_WORD.finditer(original):
            start = original.rfind("\n", 0, word.start()) + 1
            if start == read:
                continue  # the word again, on a line already read
            read = start
            line += original.count("\n", counted, start)
            counted = start
            match = _IMPORT.match(original, start)
            if match is None or self.in_string(self.offset(line)):
                continue
            dots, source, names, plain = match.groups()
            if plain is not None:
                for part in plain.split(","):
                    words = part.split()
                    if words and _is_dotted(words[0]):
                        found.append(ImportStatement(words[0], 0, (), line))
            elif source or dots:
                taken = tuple(
                    words[0]
                    for words in (part.split() for part in names.strip("()\\ \t").split(","))
                    if words and words[0].isidentifier()
                )
                found.append(ImportStatement(source, len(dots), taken, line))
        return tuple(found)


def _is_blank_or_comment(line: bytes) -> bool:
    stripped = line.lstrip()
    return not stripped or stripped[0] == 0x23  # "#"


def _is_dotted(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))
