"""``recover``: finish or undo a write that a killed command left in a project."""

from __future__ import annotations

import json
from pathlib import Path

import click

from oslo_incubator.cli._common import format_option, reports_errors
from oslo_incubator.history.git import commit_paths
from oslo_incubator.workspace.writer import recover as recover_project


@click.command()
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option("text", "json")
@reports_errors
def recover(project: Path, output_format: str) -> None:
    """Finish or undo the write a killed sync or migrate left in PROJECT.

    Every command that writes does this first on its own; this command does only this.
    An interrupted write whose files were all in place is finished (its commit made,
    if it was to commit); any other is undone, every file put back as it was. Either
    way no temporary file stays. Waits for (then fails on) a command still writing.
    """
    found = recover_project(project, commit_paths)
    if output_format == "json":
        doc = {
            "schema": "oslo-incubator.recover/1",
            "outcome": found.outcome,
            "command": found.command or None,
            "files": list(found.files),
        }
        click.echo(json.dumps(doc, indent=2))
    elif found.outcome is None:
        click.echo(f"{project}: no interrupted write; nothing to do")
    else:
        click.echo(
            f"{project}: {found.outcome} the interrupted write of {found.command or 'a command'} "
            f"({len(found.files)} file(s))"
        )
        for path in found.files:
            click.echo(f"  {path}")
