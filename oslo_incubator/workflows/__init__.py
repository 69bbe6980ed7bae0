"""Use cases that compose operations: a graduation with private copies (graduate +
sync), a program of graduations (graduate + sync, library after library), its proof
(wheels, a fresh virtualenv, the moved tests) and a consumer's move to a program
(migrate, every library at once).

Operations never import each other; what needs two of them lives here, one layer up,
and the command line calls it like any operation.
"""
