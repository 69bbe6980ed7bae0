"""Per-call overhead of oslo_incubator.deprecation next to debtcollector's.

Run as ``python benchmarks/deprecation.py [--number N] [--repeat R]``. Each
case is timed with :mod:`timeit` (best of R repeats of N calls) twice: with
warnings ignored (``simplefilter('ignore')``, the production default for
DeprecationWarning) and with them recorded (``catch_warnings(record=True)``
plus ``simplefilter('always')``, what a test run looks like). The last column
is ours / debtcollector, so below 1.00 means ours is faster.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import timeit
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

Case = tuple[str, Callable[[], object]]


def _import_ours() -> types.SimpleNamespace:
    """Import our modules, from the checkout when the package is not installed."""
    try:
        importlib.import_module("oslo_incubator.deprecation")
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    return types.SimpleNamespace(
        removals=importlib.import_module("oslo_incubator.deprecation.removals"),
        moves=importlib.import_module("oslo_incubator.deprecation.moves"),
        renames=importlib.import_module("oslo_incubator.deprecation.renames"),
    )


def _import_debtcollector() -> types.SimpleNamespace | None:
    try:
        return types.SimpleNamespace(
            removals=importlib.import_module("debtcollector.removals"),
            moves=importlib.import_module("debtcollector.moves"),
            renames=importlib.import_module("debtcollector.renames"),
        )
    except ImportError:
        return None


def build_cases(lib: types.SimpleNamespace) -> list[Case]:
    """Decorate the same small targets with ``lib`` and return calls to time."""

    @lib.removals.remove
    def removed_function(x: int) -> int:
        return x

    class Thing:
        @lib.removals.remove
        def removed_method(self, x: int) -> int:
            return x

        @lib.moves.moved_method("new_method")
        def old_method(self, x: int) -> int:
            return x

    @lib.renames.renamed_kwarg("old", "new", replace=True)
    def renamed(new: int = 0) -> int:
        return new

    thing = Thing()
    return [
        ("remove: function", lambda: removed_function(1)),
        ("remove: method", lambda: thing.removed_method(1)),
        ("moved_method", lambda: thing.old_method(1)),
        ("renamed_kwarg: old name", lambda: renamed(old=1)),
        ("renamed_kwarg: new name", lambda: renamed(new=1)),
    ]


def time_call(call: Callable[[], object], mode: str, number: int, repeat: int) -> float:
    """Best time of ``call`` in nanoseconds, with warnings handled per ``mode``."""
    best = float("inf")
    for _ in range(repeat):
        with warnings.catch_warnings(record=(mode == "recorded")) as caught:
            warnings.simplefilter("ignore" if mode == "ignored" else "always")
            elapsed = timeit.timeit(call, number=number)
        del caught
        best = min(best, elapsed)
    return best / number * 1e9


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20_000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=7, help="repeats (best is kept)")
    args = parser.parse_args(argv)

    ours = build_cases(_import_ours())
    dc_lib = _import_debtcollector()
    theirs: list[Case | None] = (
        list(build_cases(dc_lib)) if dc_lib is not None else [None] * len(ours)
    )

    rows: list[tuple[str, ...]] = [("case", "warnings", "ours ns/call", "dc ns/call", "ratio")]
    for mode in ("ignored", "recorded"):
        for (name, our_call), their_case in zip(ours, theirs, strict=True):
            our_ns = time_call(our_call, mode, args.number, args.repeat)
            if their_case is None:
                rows.append((name, mode, f"{our_ns:.0f}", "n/a", "n/a"))
                continue
            their_ns = time_call(their_case[1], mode, args.number, args.repeat)
            rows.append(
                (name, mode, f"{our_ns:.0f}", f"{their_ns:.0f}", f"{our_ns / their_ns:.2f}")
            )

    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        cells: list[Any] = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))

    def undecorated(x: int) -> int:
        return x

    baseline = time_call(lambda: undecorated(1), "ignored", args.number, args.repeat)
    print(f"\nFor reference, the same call undecorated: {baseline:.0f} ns/call.")
    if dc_lib is None:
        print("debtcollector is not installed; only our figures are shown.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
