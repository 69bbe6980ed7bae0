"""``demo``: build the sample workspace and run the main commands on it."""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path

import click

from oslo_incubator.cli._common import reports_errors
from oslo_incubator.operations.demo import build_sample_workspace


@click.command()
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Build the workspace in this (new) directory and keep it, to explore it afterwards.",
)
@click.pass_context
@reports_errors
def demo(ctx: click.Context, keep: Path | None) -> None:
    """Build a small sample workspace and run drift, check and a sync dry run on it.

    The workspace is an incubator with history (a renamed module, a deleted one) and
    three projects that between them show every drift status. It lives in a
    temporary directory unless ``--keep`` names one.
    """
    from oslo_incubator.cli import main

    with tempfile.TemporaryDirectory(prefix="oslo-incubator-demo-") as tmp:
        where = keep or Path(tmp)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=False)
        click.echo(f"Building a sample workspace in {where} ...")
        sample = build_sample_workspace(where)
        projects = [str(p) for p in sample.projects]
        runs = [
            ["drift", "--no-cache", "--incubator", str(sample.incubator), *projects],
            ["drift", "--no-cache", "-v", "--incubator", str(sample.incubator), projects[0]],
            ["check", "--no-cache", "--incubator", str(sample.incubator), *projects],
            [
                "sync",
                "--dry-run",
                "--incubator",
                str(sample.incubator),
                "--module",
                "log",
                "--module",
                "jsonutils",
                projects[0],
            ],
        ]
        for args in runs:
            click.echo(f"\n$ oslo-incubator {shlex.join(args)}")
            try:
                main.main(args, standalone_mode=False, prog_name="oslo-incubator")
            except SystemExit as exc:
                click.echo(f"(exit status {exc.code})")
