"""The ``oslo-incubator`` console script: options in, rendering out, nothing else.

Subcommands are imported only when they run, so ``drift`` never pays for libcst or
networkx. To add a command, add one line to ``COMMANDS`` below.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> "module:attribute" of a click command, in the order ``--help`` lists them.
COMMANDS = {
    "drift": "oslo_incubator.cli.drift:drift",
    "check": "oslo_incubator.cli.drift:check",
    "demo": "oslo_incubator.cli.demo:demo",
    "debt": "oslo_incubator.cli.debt:debt",
    "sync": "oslo_incubator.cli.sync:sync",
    "update": "oslo_incubator.cli.sync:update",
    "graduate": "oslo_incubator.cli.graduate:graduate",
    "migrate": "oslo_incubator.cli.migrate:migrate",
    "scan": "oslo_incubator.cli.scan:scan",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
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
