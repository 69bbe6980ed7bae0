"""Read what the incubator says about its modules' fate: MAINTAINERS and obsolete.txt."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

# Statuses that mean master no longer carries the module (MAINTAINERS "S:" lines).
OBSOLETE_STATUSES = frozenset({"obsolete", "graduated", "deprecated"})
_LIBRARY_RE = re.compile(r"\boslo[._-][a-z][a-z0-9_]*|\boslotest\b|\bpbr\b|\bdebtcollector\b")


@dataclass(frozen=True)
class ModuleFate:
    """One rule: files matching ``pattern`` (relative to the incubator root) are obsolete."""

    pattern: str
    source: str  # "MAINTAINERS" or "obsolete.txt"
    status: str
    library: str | None


def parse_maintainers(text: str, package_root: str = "openstack/common") -> list[ModuleFate]:
    """Rules for the MAINTAINERS entries whose status says the module left or is leaving.

    An entry is ``== name ==`` followed by ``S: Status [...]`` and ``F: pattern`` lines
    (patterns relative to the package root). A library named anywhere in the entry
    (``S: Graduated (oslo.log)``, ``L: oslo.log``) is taken as the replacement.
    """
    fates = []
    for block in re.split(r"^==\s*[^=\n]+==\s*$", text, flags=re.MULTILINE)[1:]:
        status = ""
        files: list[str] = []
        for line in block.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "S":
                status = value.strip()
            elif key.strip() == "F" and value.strip():
                files.append(value.strip())
        word = status.split()[0].lower() if status else ""
        if word not in OBSOLETE_STATUSES:
            continue
        library = _library_in(block)
        for pattern in files:
            full = f"{package_root}/{pattern}"
            if full.endswith("/"):
                full += "*"
            fates.append(ModuleFate(full, "MAINTAINERS", word, library))
    return fates


def parse_obsolete_list(text: str) -> list[ModuleFate]:
    """Rules from ``obsolete.txt``: ``<glob> <replacement>`` per line, ``#`` comments."""
    fates = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) == 2:
            fates.append(ModuleFate(parts[0], "obsolete.txt", "obsolete", parts[1]))
    return fates


def fate_of(path: str, fates: list[ModuleFate]) -> ModuleFate | None:
    """The first rule that matches a master path (obsolete.txt is as update.py read it)."""
    for fate in fates:
        if fnmatch.fnmatch(path, fate.pattern):
            return fate
    return None


_GRADUATED_AREA_RE = re.compile(
    r"\bgraduated\s+([a-z][a-z0-9_]*)\s+(?:files|modules|code)\b", re.I
)


def library_in_message(message: str) -> str | None:
    """The library a deleting commit names.

    Either literally (``... as oslo.reports is graduating``) or, failing that, as the
    incubator's deletion commits phrased it: "Delete graduated serialization files"
    names ``oslo.serialization``.
    """
    named = _library_in(message)
    if named is not None:
        return named
    match = _GRADUATED_AREA_RE.search(message)
    return f"oslo.{match.group(1).lower()}" if match else None


def _library_in(text: str) -> str | None:
    for match in _LIBRARY_RE.finditer(text):
        name = match.group(0)
        if name not in ("oslo-incubator", "oslo_incubator", "oslo.incubator"):
            return name.replace("_", ".").replace("-", ".")
    return None
