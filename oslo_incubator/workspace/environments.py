"""Python environments for proofs: an interpreter's version, a fresh virtualenv, pip,
a wheel build, and a test run that reports every test's outcome.

Adapters at the edge: each function runs one outside program without a shell, with
an environment that leaks nothing of the caller's Python (``PYTHONPATH``,
``VIRTUAL_ENV``, ``PYTHONHOME``). The test runner is a small script in the Python that
both Python 2.7 and 3 read, so the era's interpreter can run an era's tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.model.errors import EnvironmentToolError

#: Written to a file and run by the environment's interpreter: loads each named test
#: module with the standard library's loader (``load_tests`` honoured, so testscenarios
#: work), runs it, and appends one JSON line per test (id, outcome) as it goes, so a
#: run cut short by a timeout still says what ran.
RUNNER = r"""
import json
import os
import sys
import unittest

out, top = sys.argv[1], sys.argv[2]
names = sys.argv[3:]
if top:
    sys.path.insert(0, top)
handle = open(out, "a")


def record(test_id, outcome):
    handle.write(json.dumps({"id": test_id, "outcome": outcome}) + "\n")
    handle.flush()


class Result(unittest.TestResult):
    def addSuccess(self, test):
        record(test.id(), "pass")

    def addFailure(self, test, err):
        record(test.id(), "fail")

    def addError(self, test, err):
        record(test.id(), "error")

    def addSkip(self, test, reason):
        record(test.id(), "skip")

    def addExpectedFailure(self, test, err):
        record(test.id(), "xfail")

    def addUnexpectedSuccess(self, test):
        record(test.id(), "fail")


loader = unittest.TestLoader()
for name in names:
    try:
        suite = loader.loadTestsFromName(name)
    except Exception:
        record(name + ".<import>", "error")
        continue
    suite.run(Result())
handle.close()
"""

_CLEAN = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")


@dataclass(frozen=True)
class TestOutcomes:
    """What a test run reported: test id → outcome, and why the run failed, if it did."""

    outcomes: dict[str, str]
    error: str | None = None


def clean_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without what points Python elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN}
    env.update(extra or {})
    return env


def python_version(python: str) -> tuple[int, int, int]:
    """The version of the interpreter ``python`` (a path or a name on ``PATH``).

    Raises:
        EnvironmentToolError: it cannot be run.
    """
    code = "import sys; print('%d %d %d' % sys.version_info[:3])"
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True,
                              env=clean_environment(), timeout=60)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EnvironmentToolError(f"cannot run the interpreter: {exc}", python) from None
    if done.returncode != 0:
        raise EnvironmentToolError(f"cannot run the interpreter: {done.stderr.strip()}", python)
    major, minor, micro = (int(p) for p in done.stdout.split())
    return major, minor, micro


@dataclass(frozen=True)
class Environment:
    """A virtualenv: its interpreter, and whether this interpreter's pip installs
    into it (``pip --python``: no pip of its own, so it is made in a tenth of a
    second) or its own pip does."""

    python: Path
    external_pip: bool = False

    def pip(self) -> list[str]:
        """The command line that starts pip for this environment."""
        if self.external_pip:
            return [sys.executable, "-m", "pip", "--python", str(self.python)]
        return [str(self.python), "-m", "pip"]


def create_environment(python: str, where: Path) -> Environment:
    """A fresh virtualenv of ``python`` at ``where``.

    Python 3.9 and later get ``venv`` without pip, and this interpreter's pip installs
    into them (``pip --python``); older Python 3 gets ``venv`` with pip; Python 2 has
    no ``venv``, so ``virtualenv`` is used, from that interpreter or else from this one
    (``virtualenv -p``).

    Raises:
        EnvironmentToolError: no way to make one worked.
    """
    major, minor, _ = python_version(python)
    external = major == 3 and minor >= 9 and _pip_has_python_option()
    attempts: list[list[str]] = []
    if major >= 3:
        attempts.append([python, "-m", "venv", *(["--without-pip"] if external else []),
                         str(where)])  # fmt: skip
    attempts.append([python, "-m", "virtualenv", "-q", str(where)])
    attempts.append([sys.executable, "-m", "virtualenv", "-q", "-p", python, str(where)])
    errors = []
    for number, command in enumerate(attempts):
        done = subprocess.run(command, capture_output=True, text=True, env=clean_environment())
        if done.returncode == 0 and (where / "bin" / "python").exists():
            return Environment(where / "bin" / "python", external and number == 0)
        errors.append(done.stderr.strip().splitlines()[-1:] or ["failed"])
    raise EnvironmentToolError(
        "cannot make a virtualenv (venv, or virtualenv for Python 2): "
        + "; ".join(e[0] for e in errors),
        python,
    )


def pip_install(env: Environment, arguments: Sequence[str], timeout: float = 1800.0) -> str | None:
    """``pip install -q ARGUMENTS`` into ``env``; the last lines of pip's error, or
    ``None`` when it worked."""
    command = [*env.pip(), "install", "-q", "--disable-pip-version-check", *arguments]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=clean_environment())  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"pip install timed out after {timeout:.0f} s"
    if done.returncode == 0:
        return None
    return _pip_error(done.stderr or done.stdout) or f"pip exited with {done.returncode}"


def _pip_error(output: str) -> str:
    """pip's reason for failing: its ``ERROR:`` lines when it wrote any (an old pip
    under Python 2 puts a deprecation banner last), else its last three lines."""
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return "\n".join(errors[:3] or lines[-3:])


def _pip_has_python_option() -> bool:
    """Whether this interpreter's pip has ``--python`` (pip 22.3 and later)."""
    try:
        from pip import __version__ as pip_version
    except ImportError:
        return False
    parts = tuple(int(p) for p in pip_version.split(".")[:2] if p.isdigit())
    return parts >= (22, 3)


def build_wheel(project: Path, out: Path) -> tuple[Path | None, str | None]:
    """Build ``project``'s wheel into ``out`` with this interpreter, offline and
    without build isolation (pbr and setuptools come from here); the wheel, or the
    reason it could not be built."""
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.whl"))
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
               "--no-index", "--disable-pip-version-check", "-w", str(out),
               str(project)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=clean_environment())
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return None, "\n".join(lines[-3:]) or "pip wheel failed"
    built = sorted(set(out.glob("*.whl")) - before) or sorted(out.glob("*.whl"))
    return (built[-1] if built else None), None if built else "no wheel written"


def run_tests(
    env: Environment,
    modules: Sequence[str],
    cwd: Path,
    top: Path | None,
    timeout: float,
    scratch: Path,
    variables: Mapping[str, str] | None = None,
) -> TestOutcomes:
    """Run the test ``modules`` with ``env``'s interpreter in ``cwd`` (``top`` first on
    the path, ``variables`` in the environment), each test's outcome by id.

    Each module runs in a process of its own, in a session of its own, for at most
    ``timeout`` seconds: a module that hangs (a deadlock after a fork) is killed with
    everything it started, its finished tests still count, and the others run.
    ``scratch`` holds the runner and its output.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    runner = scratch / "oslo_incubator_runner.py"
    runner.write_text(RUNNER)
    out = scratch / "outcomes.jsonl"
    out.write_text("")
    errors = []
    for module in modules:
        command = [str(env.python), str(runner), str(out), str(top or ""), module]
        error = _run_killing_on_timeout(command, cwd, timeout, clean_environment(variables))
        if error:
            errors.append(f"{module}: {error}")
    outcomes: dict[str, str] = {}
    for line in out.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        outcomes[str(entry["id"])] = str(entry["outcome"])
    return TestOutcomes(outcomes, "; ".join(errors) or None)


def _run_killing_on_timeout(
    command: Sequence[str], cwd: Path, timeout: float, env: Mapping[str, str]
) -> str | None:
    process = subprocess.Popen(command, cwd=cwd, env=dict(env), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"timed out after {timeout:.0f} s"
    if process.returncode != 0:
        lines = [line for line in stderr.splitlines() if line.strip()]
        return "\n".join(lines[-3:]) or f"the runner exited with {process.returncode}"
    return None
