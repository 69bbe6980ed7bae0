"""``python -m oslo_incubator``: the ``oslo-incubator`` console script."""

from oslo_incubator.cli import main

if __name__ == "__main__":
    main()
