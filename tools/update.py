#!/usr/bin/env python3
"""A drop-in for oslo-incubator's ``update.py``, running ``oslo-incubator update``.

Run it as update.py was run, from the incubator's checkout::

    $ cd oslo-incubator
    $ python /path/to/tools/update.py ../nova
    $ python /path/to/tools/update.py --config-file ../nova/openstack-common.conf
    $ python /path/to/tools/update.py --base nova --modules log,lockutils --dest-dir ../nova
    $ python /path/to/tools/update.py --nodeps --base nova --module log ../nova

It writes what update.py would have written (``--rewrite update.py`` unless another
``--rewrite`` is given: the rules of the ``update.py`` in that checkout), but keeps
local patches (three-way merge), writes all files or none, and records the lock file.
Every option of ``oslo-incubator update`` is accepted too (``--incubator``,
``--dry-run``, ``--commit``, ``--allow-conflicts``, ``--force`` ...). The commit
message ends with ``Generated with: python update.py ...``.
"""

from __future__ import annotations

import shlex
import sys


def main(argv: list[str]) -> int:
    """Run ``oslo-incubator update`` with update.py's defaults; return the exit status."""
    import click

    from oslo_incubator.cli import main as cli

    args = list(argv)
    if not any(a == "--rewrite" or a.startswith("--rewrite=") for a in args):
        args += ["--rewrite", "update.py"]
    args += ["--generated-with", shlex.join(["python", "update.py", *argv])]
    try:
        cli.main(["update", *args], prog_name="update.py", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.ClickException as exc:  # usage errors, printed as click prints them
        exc.show()
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
