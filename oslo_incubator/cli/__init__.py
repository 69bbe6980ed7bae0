"""The ``oslo-incubator`` console script: options in, rendering out, nothing else."""

from __future__ import annotations

import click

from oslo_incubator.cli.demo import demo
from oslo_incubator.cli.drift import check, drift


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="oslo-incubator")
def main() -> None:
    """See, sync, graduate and deprecate code copied from a master repository.

    Exit codes: 0 fine, 1 findings (a failed check, a sync with conflicts), 2 bad usage
    or bad input.
    """


main.add_command(drift)
main.add_command(check)
main.add_command(demo)
