"""The two distributions this repository builds, as a user gets them.

``oslo-incubator`` is the toolkit; ``oslo-incubator-deprecation`` (built from
``runtime/``) is the light runtime: ``oslo_incubator.deprecation`` alone, for projects
that import the decorators at run time. Both are built here from the working tree,
sdist then wheel from the sdist, offline (``--no-isolation``: the build tools of the
running virtualenv), and installed into fresh virtualenvs with ``--no-index``.
"""

from __future__ import annotations

import email.parser
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

import oslo_incubator

CHECKOUT = Path(oslo_incubator.__file__).resolve().parent.parent
VERSION = "1.2.3"
THIRD_PARTY = ("click", "libcst", "networkx", "numpy")
MEGABYTE = 1_000_000


@dataclass(frozen=True)
class Built:
    """Where the four files are, and what building them printed."""

    toolkit_wheel: Path
    toolkit_sdist: Path
    runtime_wheel: Path
    runtime_sdist: Path
    log: str


# Both distributions built, installed into fresh virtualenvs: seconds each.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    if not (CHECKOUT / "runtime" / "pyproject.toml").exists():
        pytest.skip("not a checkout of the repository")
    source = tmp_path_factory.mktemp("checkout")
    _copy_working_tree(CHECKOUT, source)
    out = tmp_path_factory.mktemp("dist")
    env = {**_clean_env(), "PBR_VERSION": VERSION}
    log = ""
    for project in (source, source / "runtime"):
        log += _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, project,
                    cwd=source, env=env, stderr=True)  # fmt: skip
    return Built(
        toolkit_wheel=out / f"oslo_incubator-{VERSION}-py3-none-any.whl",
        toolkit_sdist=out / f"oslo_incubator-{VERSION}.tar.gz",
        runtime_wheel=out / f"oslo_incubator_deprecation-{VERSION}-py3-none-any.whl",
        runtime_sdist=out / f"oslo_incubator_deprecation-{VERSION}.tar.gz",
        log=log,
    )


def test_the_toolkit_wheel_ships_the_package_less_the_decorators(built: Built) -> None:
    names = _wheel_names(built.toolkit_wheel)
    package = {n for n in names if not n.startswith("oslo_incubator-")}
    assert package == _source_files() - _runtime_files()
    assert {"oslo_incubator/__init__.py", "oslo_incubator/__main__.py"} <= package
    assert "oslo_incubator/py.typed" in package
    assert {"oslo_incubator/report/html/site.css", "oslo_incubator/report/html/site.js"} <= package
    assert "oslo_incubator-1.2.3.dist-info/licenses/LICENSE" in names
    entry_points = _wheel_text(
        built.toolkit_wheel, "oslo_incubator-1.2.3.dist-info/entry_points.txt"
    )
    assert "oslo-incubator = oslo_incubator.cli:main" in entry_points


def test_the_toolkit_requires_the_runtime_and_its_libraries(built: Built) -> None:
    meta = _metadata(built.toolkit_wheel)
    requires = meta.get_all("Requires-Dist") or []
    assert requires[0] == "oslo-incubator-deprecation"
    assert {r.split(">=")[0] for r in requires} >= {"click", "libcst", "networkx", "numpy"}
    assert meta["Requires-Python"] == ">=3.10"


def test_the_runtime_wheel_ships_the_decorators_alone_and_requires_nothing(built: Built) -> None:
    names = _wheel_names(built.runtime_wheel)
    assert {n for n in names if n.startswith("oslo_incubator/")} == _runtime_files()
    assert "oslo_incubator/__init__.py" not in names  # the toolkit's: a namespace here
    meta = _metadata(built.runtime_wheel)
    assert meta["Name"] == "oslo-incubator-deprecation"
    assert meta["Version"] == VERSION  # one version for both, from the same tags
    assert meta.get_all("Requires-Dist") is None
    assert meta["Requires-Python"] == ">=3.10"


@pytest.mark.parametrize("wheel", ["toolkit_wheel", "runtime_wheel"])
def test_wheels_name_their_licence_in_spdx_and_ship_it(built: Built, wheel: str) -> None:
    path: Path = getattr(built, wheel)
    meta = _metadata(path)
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert not [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
    (licence,) = [n for n in _wheel_names(path) if n.endswith(".dist-info/licenses/LICENSE")]
    assert "Apache License" in _wheel_text(path, licence)


def test_building_warns_of_no_licence_classifier(built: Built) -> None:
    assert "License classifiers are deprecated" not in built.log
    assert "superseded by license expressions" not in built.log


def test_the_sdists_hold_what_builds_the_wheels(built: Built) -> None:
    toolkit = _sdist_names(built.toolkit_sdist, f"oslo_incubator-{VERSION}/")
    assert {"LICENSE", "PKG-INFO", "README.rst", "setup.cfg", "setup.py", "pyproject.toml",
            "MANIFEST.in", "requirements.txt", "oslo_incubator/py.typed",
            "oslo_incubator/__main__.py"} <= toolkit  # fmt: skip
    assert not {n for n in toolkit if n.startswith(("oslo_incubator/deprecation", "runtime"))}
    runtime = _sdist_names(built.runtime_sdist, f"oslo_incubator_deprecation-{VERSION}/")
    assert {"LICENSE", "PKG-INFO", "README.rst", "setup.py", "pyproject.toml"} <= runtime
    assert {n for n in runtime if n.startswith("oslo_incubator/")} == _runtime_files() | {
        "oslo_incubator/",
        "oslo_incubator/deprecation/",
    }


def test_the_light_runtime_installs_alone_in_under_a_megabyte(
    built: Built, tmp_path: Path
) -> None:
    venv = _fresh_virtualenv(tmp_path / "venv")
    before = _installed(venv)
    _pip(venv, "install", "--no-index", built.runtime_wheel)
    added = {n: v for n, v in _installed(venv).items() if n not in before}
    assert list(added) == ["oslo-incubator-deprecation"]  # and no third-party package
    assert _installed_bytes(venv, "oslo_incubator_deprecation") < MEGABYTE
    script = (
        "import importlib.util\n"
        "from oslo_incubator.deprecation import (\n"
        "    deprecate, fixtures, moves, removals, renames, updating)\n"
        "from oslo_incubator.deprecation.removals import (\n"
        "    remove, removed_class, removed_kwarg, removed_module, removed_property)\n"
        "from oslo_incubator.deprecation.moves import (\n"
        "    moved_class, moved_function, moved_method, moved_property, moved_read_only_property)\n"
        "from oslo_incubator.deprecation.renames import renamed_kwarg\n"
        "from oslo_incubator.deprecation.updating import updated_kwarg_default_value\n"
        "from oslo_incubator.deprecation.fixtures import silenced, strict\n"
        "@removals.remove(removal_version='2.0')\n"
        "def old(): return 1\n"
        "with fixtures.strict():\n"
        "    try:\n"
        "        old()\n"
        "    except DeprecationWarning as exc:\n"
        "        print('warned:', exc)\n"
        f"for name in {THIRD_PARTY!r}:\n"
        "    print(name, importlib.util.find_spec(name))\n"
    )
    out = _run(venv / "bin/python", "-c", script, cwd=tmp_path)
    assert "warned: Using function/method 'old()' is deprecated" in out
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["None"] * len(THIRD_PARTY)


def test_the_toolkit_and_the_runtime_install_side_by_side_and_apart(
    built: Built, tmp_path: Path
) -> None:
    venv = _fresh_virtualenv(tmp_path / "venv")
    # The toolkit's own requirements are not needed to see where its files land.
    _pip(venv, "install", "--no-index", "--no-deps", built.runtime_wheel, built.toolkit_wheel)
    where = (
        "import oslo_incubator, oslo_incubator.deprecation.removals as r, importlib.util as u\n"
        "print(oslo_incubator.__file__ is not None, u.find_spec('oslo_incubator.cli') is not None)"
    )
    assert _run(venv / "bin/python", "-c", where, cwd=tmp_path).split() == ["True", "True"]
    # Each file has one owner: removing the toolkit leaves the decorators whole.
    _pip(venv, "uninstall", "-y", "oslo-incubator")
    alone = "import oslo_incubator.deprecation.moves; print(oslo_incubator.__file__)"
    assert _run(venv / "bin/python", "-c", alone, cwd=tmp_path).strip() == "None"


def test_python_dash_m_runs_the_console_script(tmp_path: Path) -> None:
    out = _run(sys.executable, "-m", "oslo_incubator", "--help", cwd=tmp_path,
               env={**os.environ, "PYTHONPATH": str(CHECKOUT)})  # fmt: skip
    assert out.startswith("Usage: python -m oslo_incubator [OPTIONS] COMMAND")
    assert "drift" in out and "scan" in out


# Private


def _copy_working_tree(checkout: Path, dest: Path) -> None:
    """The files git would commit now (tracked or new, not ignored), links kept as links,
    in a fresh repository of one commit: pbr lists an sdist's files with git."""
    listed = _run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                  cwd=checkout).split("\0")  # fmt: skip
    for name in filter(None, listed):
        src, dst = checkout / name, dest / name
        if not src.is_symlink() and not src.exists():
            continue  # deleted, not yet staged
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dst)
    git = ("git", "-c", "user.name=test", "-c", "user.email=test@example.com")
    _run(*git, "init", "-q", cwd=dest)
    _run(*git, "add", "-A", cwd=dest)
    _run(*git, "commit", "-q", "-m", "Working tree", cwd=dest)


def _runtime_files() -> set[str]:
    """The files the runtime distribution owns: every file of the decorators' package."""
    return {p for p in _source_files() if p.startswith("oslo_incubator/deprecation/")}


# Sources, and the report's stylesheet and script (package_data in setup.cfg).
_PACKAGE_DATA = (".py", ".css", ".js")


def _source_files() -> set[str]:
    root = CHECKOUT / "oslo_incubator"
    return {
        f"oslo_incubator/{p.relative_to(root).as_posix()}"
        for p in root.rglob("*")
        if p.is_file() and (p.suffix in _PACKAGE_DATA or p.name == "py.typed")
    }


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _wheel_text(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name).decode()


def _metadata(wheel: Path) -> Message:
    (name,) = [n for n in _wheel_names(wheel) if n.endswith(".dist-info/METADATA")]
    return email.parser.Parser().parsestr(_wheel_text(wheel, name))


def _sdist_names(sdist: Path, prefix: str) -> set[str]:
    with tarfile.open(sdist) as archive:
        names = [m.name + ("/" if m.isdir() else "") for m in archive.getmembers()]
    return {n[len(prefix) :] for n in names if n.startswith(prefix) and n != prefix}


def _fresh_virtualenv(path: Path) -> Path:
    _run(sys.executable, "-m", "venv", path, cwd=path.parent)
    return path


def _pip(venv: Path, *args: str | Path) -> str:
    return _run(venv / "bin/python", "-m", "pip", *args, cwd=venv)


def _installed(venv: Path) -> dict[str, str]:
    out = _pip(venv, "list", "--format", "json")
    return {p["name"]: p["version"] for p in json.loads(out)}


def _installed_bytes(venv: Path, dist_name: str) -> int:
    """The size of every file the distribution's RECORD lists (compiled files too)."""
    (record,) = venv.glob(f"lib/python*/site-packages/{dist_name}-*.dist-info/RECORD")
    site = record.parent.parent
    total = 0
    for line in record.read_text().splitlines():
        path = site / line.split(",")[0]
        if path.is_file():
            total += path.stat().st_size
    return total


def _clean_env() -> dict[str, str]:
    """This process's environment without what would reach outside the test: no pip
    configuration (indexes, find-links), no path of the running virtualenv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PIP_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, stderr: bool = False
) -> str:
    """The command's output (with what it printed to stderr when asked); it must succeed."""
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_clean_env() if env is None else env,
        timeout=300,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}{done.stderr}"
    return done.stdout + (done.stderr if stderr else "")
