"""Every ``--format json`` output has a JSON Schema in doc/source/schemas/, and what the
commands really print validates against it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from referencing import Registry, Resource
from schema_outputs import Outputs, collect

from oslo_incubator.cli import COMMANDS, main
from oslo_incubator.workspace.baseline import BASELINE_SCHEMA

SCHEMAS = Path(__file__).resolve().parents[2] / "doc/source/schemas"
# Each command that prints --format json, and the schema file of what it prints.
PRINTS = {
    "drift": "drift",
    "check": "check",
    "sync": "sync",
    "update": "sync",
    "recover": "recover",
    "scan": "scan",
    "debt": "debt",
    "graduate plan": "plan",
    "graduate run": "graduate",
    "migrate": "migrate",
    "impact": "impact",
    "graduate program": "program",
    "graduate verify": "program-proof",
}
# Commands whose real output is validated where they already run, not here: a program
# builds and installs wheels, which takes the time of a test of its own.
VALIDATED_ELSEWHERE = {
    "graduate program": "tests/graduate/test_graduate_program.py",
    "graduate verify": "tests/graduate/test_graduate_program.py (the proof of a program)",
}


def load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())  # type: ignore[no-any-return]


def registry() -> Registry:  # type: ignore[type-arg]
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def validate(document: Any, name: str) -> None:
    schema = load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(
        schema, registry=registry(), format_checker=jsonschema.FormatChecker()
    ).validate(document)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return collect(tmp_path_factory.mktemp("schemas"))


def json_commands() -> dict[str, click.Command]:
    """Every command (``graduate plan`` as one) with ``json`` among its --format choices."""
    found = {}
    ctx = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None
        subs = command.commands if isinstance(command, click.Group) else {"": command}
        for sub, cmd in subs.items():
            for param in cmd.params:
                if param.name == "output_format" and "json" in getattr(param.type, "choices", ()):
                    found[f"{name} {sub}".strip()] = cmd
    return found


def test_every_command_that_prints_json_has_a_schema() -> None:
    assert set(json_commands()) == set(PRINTS)
    for name in set(PRINTS.values()):
        assert (SCHEMAS / f"{name}.schema.json").is_file(), name


def test_every_schema_is_valid_and_names_its_document() -> None:
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith("/" + path.name)
        assert schema["properties"]["schema"]["const"].startswith("oslo-incubator.")


@pytest.mark.parametrize(
    "name", sorted({v for k, v in PRINTS.items() if k not in VALIDATED_ELSEWHERE})
)
def test_real_outputs_validate(outputs: Outputs, name: str) -> None:
    documents = outputs.documents[name]
    assert documents, name
    for argv, document in documents:
        try:
            validate(document, name)
        except jsonschema.ValidationError as exc:  # pragma: no cover - the message helps
            pytest.fail(f"{' '.join(argv)}: {exc.message} at {list(exc.absolute_path)}")


def test_every_command_was_run(outputs: Outputs) -> None:
    ran = {" ".join(argv[:2]) if argv[0] == "graduate" else argv[0]
           for docs in outputs.documents.values() for argv, _ in docs}  # fmt: skip
    assert ran == set(PRINTS) - set(VALIDATED_ELSEWHERE)


def test_a_document_that_breaks_its_schema_is_caught(outputs: Outputs) -> None:
    _, document = outputs.documents["check"][0]
    broken = {**document, "findings": [{**document["findings"][0], "level": "fatal"}]}
    with pytest.raises(jsonschema.ValidationError):
        validate(broken, "check")


def test_the_baseline_file_validates(outputs: Outputs, tmp_path: Path) -> None:
    argv, _ = outputs.documents["check"][0]
    baseline = tmp_path / "baseline.json"
    result = click.testing.CliRunner().invoke(main, [*argv, "--write-baseline", str(baseline)])
    assert result.exit_code == 0, result.output
    document = json.loads(baseline.read_text())
    assert document["schema"] == BASELINE_SCHEMA
    assert document["findings"]
    validate(document, "check-baseline")
