"""Python's warnings about the code a command reads are counted, never printed.

Old copies are full of ``'\\d'`` in plain strings: an invalid escape sequence, which
Python 3.12 and later report as a ``SyntaxWarning`` on stderr (earlier versions as a
``DeprecationWarning``). Every command that parses such code records these warnings
(:mod:`oslo_incubator.analysis.syntax`) and ends with one note counting them.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner

import oslo_incubator
from oslo_incubator.analysis.syntax import collect_parse_warnings, parse_expression, parse_python
from oslo_incubator.cli import main

CHECKOUT = Path(oslo_incubator.__file__).resolve().parent.parent
OLD_CODE = "import re\n\nPATTERN = re.compile('\\d+\\.\\d+')\n\n\ndef version(text):\n    return PATTERN.findall(text)\n"
NOTE = "oslo-incubator: note: parsing the code read raised "


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    incubator = make_incubator(
        tmp_path / "incubator",
        [("Add strutils", {"openstack/common/strutils.py": OLD_CODE})],
    ).path
    project = make_project(
        tmp_path / "nova",
        "nova",
        {"strutils.py": OLD_CODE},
        extra={
            "nova/utils.py": "from nova.openstack.common import strutils\n\nSEP = '\\.'\n",
        },
    ).path
    return incubator, project


def test_parsing_records_the_warnings_and_lets_none_through() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as `python -W error` would: still no error
        with collect_parse_warnings() as seen:
            parse_python(OLD_CODE, "nova/strutils.py")
            parse_python(OLD_CODE, "nova/strutils.py")  # the same text again counts once
            parse_expression("['\\d', 'x']", "update.py")
    assert len(seen) == 2 and seen.file_count() == 2
    first = next(iter(seen))
    assert (first.filename, first.line) == ("nova/strutils.py", 3)
    assert first.message == "invalid escape sequence '\\d'"
    assert first.category == (
        "SyntaxWarning" if sys.version_info >= (3, 12) else "DeprecationWarning"
    )


def test_parsing_outside_a_collection_drops_the_warnings() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_python(OLD_CODE)
    assert caught == []


def test_a_parse_that_fails_still_records_what_warned_before() -> None:
    with collect_parse_warnings() as seen, pytest.raises(SyntaxError):
        parse_python("x = '\\d'\nprint 'python 2'\n", "old.py")
    assert [w.line for w in seen] == [1]


@pytest.mark.parametrize(
    "command",
    [
        ["drift", "--incubator", "{incubator}", "{project}"],
        ["check", "--incubator", "{incubator}", "{project}"],
        ["scan", "{project}", "--incubator", "{incubator}"],
        ["debt", "{project}"],
        ["graduate", "plan", "--incubator", "{incubator}", "--project", "{project}"],
        ["sync", "{project}", "--incubator", "{incubator}", "--dry-run"],
    ],
    ids=lambda c: " ".join(w for w in c if not w.startswith(("-", "{"))),
)
def test_commands_count_parse_warnings_in_a_note_and_print_none(
    workspace: tuple[Path, Path], command: list[str]
) -> None:
    incubator, project = workspace
    args = [a.format(incubator=incubator, project=project) for a in command]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    assert [str(w.message) for w in caught] == []
    notes = [line for line in result.stderr.splitlines() if "escape" in line]
    assert len(notes) == 1 and notes[0].startswith(NOTE), result.stderr
    assert "invalid escape sequence" in notes[0] and notes[0].endswith("change no result")


def test_warnings_made_errors_do_not_stop_a_command(workspace: tuple[Path, Path]) -> None:
    incubator, project = workspace
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    done = subprocess.run(
        [sys.executable, "-W", "error::SyntaxWarning", "-W", "error::DeprecationWarning",
         "-m", "oslo_incubator", "check", "--incubator", str(incubator), str(project)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert "Warning:" not in done.stderr.replace("SyntaxWarning: invalid", "").replace(
        "DeprecationWarning: invalid", ""
    )
    assert done.stderr.startswith(NOTE), done.stderr


def test_no_code_parses_foreign_text_but_through_the_helpers() -> None:
    """``ast.parse``, ``compile`` and ``ast.literal_eval`` of text appear only in
    ``analysis/syntax.py``; ``literal_eval`` of a tree (a name) is fine."""
    offenders = []
    for folder in ("oslo_incubator", "tools", "benchmarks"):
        for path in sorted((CHECKOUT / folder).rglob("*.py")):
            if path == CHECKOUT / "oslo_incubator/analysis/syntax.py":
                continue
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _parses_text(node) or _imports_a_parser(node):
                    offenders.append(f"{path.relative_to(CHECKOUT)}:{node.lineno}")
    assert offenders == []


def _parses_text(call: ast.Call) -> bool:
    func = ast.unparse(call.func)
    if func in ("ast.parse", "compile", "builtins.compile"):
        return True
    if func in ("ast.literal_eval", "literal_eval") and call.args:
        argument = call.args[0]
        if isinstance(argument, ast.Call):
            return ast.unparse(argument.func) != "parse_expression"
        return not isinstance(argument, ast.Name | ast.Attribute)
    return False


def _imports_a_parser(node: ast.AST) -> bool:
    """``from ast import parse`` would hide a parse from the check above."""
    return (
        isinstance(node, ast.ImportFrom)
        and node.module in ("ast", "builtins")
        and any(a.name in ("parse", "literal_eval", "compile") for a in node.names)
    )
