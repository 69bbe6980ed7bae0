"""The pure helpers behind check's waivers: ignore comments, patterns, fingerprints, diffs."""

from __future__ import annotations

import pytest

from oslo_incubator.analysis.findings import (
    added_lines,
    fingerprint,
    inline_ignores,
    normalise_line,
    path_matches,
    rule_matches,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("import x", None),
        ("import x  # oslo-incubator: ignore", ("*",)),
        ("import x  #oslo-incubator:ignore[drift/graduated-import]", ("drift/graduated-import",)),
        ("x = 1  # oslo-incubator: ignore[a, b/*]  # noqa", ("a", "b/*")),
        ("x = 1  # oslo-incubator: ignored", None),
        ("x = 1  # oslo-incubator: ignore-me", None),
        ("x = 1  # noqa oslo-incubator: ignore", None),
    ],
)
def test_inline_ignores(line: str, expected: tuple[str, ...] | None) -> None:
    assert inline_ignores(line) == expected


def test_rule_and_path_patterns() -> None:
    assert rule_matches("drift/graduated-string", ["drift/graduated-*"])
    assert not rule_matches("lifecycle/deleted", ["drift/*"])
    assert path_matches("keystone/tests/unit/test_x.py", ["keystone/tests/*"])
    assert path_matches("keystone/tests/unit/test_x.py", ["keystone/tests/"])
    assert not path_matches("keystone/common/x.py", ["keystone/tests/*"])


def test_fingerprints_ignore_indentation_and_ignore_comments() -> None:
    assert (
        normalise_line("    from a   import b  # oslo-incubator: ignore[x]") == "from a import b"
    )
    assert fingerprint("r", "p", normalise_line("  x = 1")) == fingerprint("r", "p", "x = 1")
    assert fingerprint("r", "p", "x", "0") != fingerprint("r", "p", "x", "1")
    assert fingerprint("ab", "c") != fingerprint("a", "bc")


DIFF = """\
diff --git a/keystone/a.py b/keystone/a.py
index 1111111..2222222 100644
--- a/keystone/a.py
+++ b/keystone/a.py
@@ -3 +3 @@ import os
-x = 1
+x = 2
@@ -10,0 +11,2 @@ def f():
+-- not a header
++++ not a header either
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git a/old.py b/new name.py
similarity index 90%
rename from old.py
rename to new name.py
--- a/old.py
+++ "b/new name.py"
@@ -1,0 +2 @@
+y
diff --git a/moved.py b/there.py
similarity index 100%
rename from moved.py
rename to there.py
diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"
--- "a/caf\\303\\251.py"
+++ "b/caf\\303\\251.py"
@@ -0,0 +1,3 @@
+a
+b
+c
"""


def test_added_lines_of_a_zero_context_diff() -> None:
    assert added_lines(DIFF) == {
        "keystone/a.py": frozenset({3, 11, 12}),
        "new name.py": frozenset({2}),
        "there.py": frozenset(),
        "café.py": frozenset({1, 2, 3}),
    }
