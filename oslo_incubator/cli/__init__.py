"""The ``oslo-incubator`` console script: options in, rendering out, nothing else.

Subcommands are imported only when they run, so ``drift`` never pays for libcst or
networkx. To add a command, add one line to ``COMMANDS`` below.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> ("module:attribute" of a click command, its one-line help), in the order
# ``--help`` lists them; the help is here so that ``--help`` imports no command.
COMMANDS = {
    "drift": ("oslo_incubator.cli.drift:drift", "Where every copy stands against master."),
    "check": (
        "oslo_incubator.cli.drift:check",
        "Drift as a CI gate: exit 1 when the policy fails.",
    ),
    "scan": (
        "oslo_incubator.cli.scan:scan",
        "Families of code copied across projects, and their graph.",
    ),
    "sync": ("oslo_incubator.cli.sync:sync", "Copy modules from master, keeping local patches."),
    "update": ("oslo_incubator.cli.sync:update", "sync with update.py's options."),
    "graduate": (
        "oslo_incubator.cli.graduate:graduate",
        "Plan and carry out graduations into libraries.",
    ),
    "migrate": (
        "oslo_incubator.cli.migrate:migrate",
        "Make a project use a library instead of its copies.",
    ),
    "debt": (
        "oslo_incubator.cli.debt:debt",
        "Deprecated APIs, their remaining callers, overdue removals.",
    ),
    "recover": (
        "oslo_incubator.cli.recover:recover",
        "Finish or undo a write a killed command left in a project.",
    ),
    "demo": (
        "oslo_incubator.cli.demo:demo",
        "Run drift, check and a sync dry run on a sample workspace.",
    ),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in self.lazy.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        target = entry[0]
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="oslo-incubator")
def main() -> None:
    """See, sync, graduate and deprecate code copied from a master repository.

    Exit codes: 0 fine, 1 findings (a failed check, a sync with conflicts), 2 bad usage
    or bad input.
    """
