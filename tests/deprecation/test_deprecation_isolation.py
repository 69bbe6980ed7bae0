"""oslo_incubator.deprecation must import with nothing but the standard library."""

import os
import subprocess
import sys
from pathlib import Path

import oslo_incubator

THIRD_PARTY = "{'click', 'libcst', 'networkx', 'packaging', 'debtcollector', 'wrapt', 'fixtures'}"


def test_importing_the_package_imports_no_third_party_module() -> None:
    code = (
        "import sys, oslo_incubator.deprecation; "
        f"bad=[m for m in sys.modules if m.split('.')[0] in {THIRD_PARTY}]; "
        "assert not bad, bad"
    )
    run_python(code)


def test_importing_every_module_imports_no_third_party_module() -> None:
    code = (
        "import sys\n"
        "from oslo_incubator.deprecation import fixtures, moves, removals, renames, updating\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {THIRD_PARTY}]\n"
        "assert not bad, bad\n"
        "ours = sorted(m for m in sys.modules if m.startswith('oslo_incubator.'))\n"
        "assert all(m.startswith('oslo_incubator.deprecation') for m in ours), ours\n"
    )
    run_python(code)


def run_python(code: str) -> None:
    """Run ``code`` in a fresh interpreter that finds this checkout's package."""
    checkout = str(Path(oslo_incubator.__file__).resolve().parent.parent)
    path = os.pathsep.join(filter(None, [checkout, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, env=env)
