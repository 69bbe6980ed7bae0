"""The version, from the repository's git tags as pbr gives the toolkit its own, so both
distributions built from one commit carry one version (from an sdist, its PKG-INFO)."""

import setuptools
from pbr import packaging

setuptools.setup(version=packaging.get_version("oslo-incubator-deprecation"))
