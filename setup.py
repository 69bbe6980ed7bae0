"""pbr builds the toolkit from setup.cfg; this file only adds what pbr cannot say.

* The SPDX licence expression: setuptools reads it from here, not from setup.cfg.
* The run-time decorators, ``oslo_incubator.deprecation``, are left out: the
  ``oslo-incubator-deprecation`` distribution (``runtime/``) owns those files, and this
  one requires it, so that both can be installed side by side and either removed
  without breaking the other. ``MANIFEST.in`` keeps them out of the sdist.
"""

import setuptools
from setuptools.dist import Distribution

RUNTIME_PACKAGE = "oslo_incubator.deprecation"


class ToolkitDistribution(Distribution):
    """The packages pbr finds, less the run-time decorators."""

    def finalize_options(self) -> None:
        super().finalize_options()  # pbr fills in the packages here
        self.packages = [
            package
            for package in self.packages or []
            if package != RUNTIME_PACKAGE and not package.startswith(RUNTIME_PACKAGE + ".")
        ]


setuptools.setup(
    setup_requires=["pbr>=6.0"],
    pbr=True,
    license_expression="Apache-2.0",
    distclass=ToolkitDistribution,
)
