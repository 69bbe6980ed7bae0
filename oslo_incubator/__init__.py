"""See, sync, graduate and deprecate code copied from a master repository.

The package is layered (see ``doc/source/design.rst``): ``cli`` over ``workflows`` (use
cases that compose operations: a graduation with private copies, a program, its
proof), over one module per operation in ``operations``, which use ``workspace``,
``history``, ``analysis`` and ``graph``, all of which share the plain dataclasses of
``model``. ``deprecation`` is
independent and imports only the standard library.
"""

import pkgutil

# ``oslo_incubator.deprecation`` comes from its own distribution (oslo-incubator-deprecation,
# see setup.py), which may sit on another path entry than this package, for instance in
# the system site-packages under a virtualenv: look for it there too.
__path__ = pkgutil.extend_path(__path__, __name__)
