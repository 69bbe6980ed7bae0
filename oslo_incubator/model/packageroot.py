"""Where the incubator keeps its modules: one value, as a path and as a dotted module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PackageRoot:
    """The incubator's package root (``openstack/common``).

    Master modules live under ``path`` in the incubator; a project's copies live under
    ``<base>/<path>`` and are imported as ``<base>.<module>``. Every command takes it
    from ``--package-root`` or a project's configuration, and passes this value down:
    nothing below converts between the two spellings by hand.

    Raises:
        ValueError: ``path`` is empty, absolute, or has a part that is no package name.
    """

    path: str

    def __post_init__(self) -> None:
        parts = self.path.split("/")
        if not all(part.isidentifier() for part in parts):
            raise ValueError(f"{self.path!r} is not a package root (package names joined by '/')")

    @classmethod
    def parse(cls, text: str) -> PackageRoot:
        """From what a user writes: ``openstack/common``, with or without a trailing
        slash, or dotted (``openstack.common``).

        Raises:
            ValueError: an absolute path, ``..``, or a part that is no package name.
        """
        stripped = text.strip()
        if stripped.startswith("/"):
            raise ValueError(f"{text!r} is not a package root (package names joined by '/')")
        try:
            return cls(stripped.rstrip("/").replace(".", "/"))
        except ValueError:
            raise ValueError(
                f"{text!r} is not a package root (package names joined by '/')"
            ) from None

    @property
    def module(self) -> str:
        """The dotted module (``openstack.common``)."""
        return self.path.replace("/", ".")

    def __str__(self) -> str:
        return self.path


DEFAULT_PACKAGE_ROOT = PackageRoot("openstack/common")
