"""The generated fleets the fleet tests scan: an incubator with history, and projects
made of copies, near copies and code of their own."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builders import make_project

RETRY = '''\
"""Retrying calls."""

import time


def retry(func, attempts=3, delay=0.5):
    """Call func until it succeeds or attempts run out."""
    for attempt in range(attempts):
        try:
            return func()
        except Exception:
            if attempt == attempts - 1:
                raise
            time.sleep(delay * (attempt + 1))


def chunks(items, size):
    """Split items into lists of at most size elements."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
'''

STRUTILS_V1 = '''\
"""String utilities."""

TRUE_STRINGS = ('1', 't', 'true', 'on', 'y', 'yes')
FALSE_STRINGS = ('0', 'f', 'false', 'off', 'n', 'no')


def bool_from_string(subject, strict=False, default=False):
    """Interpret a string as a boolean."""
    if isinstance(subject, bool):
        return subject
    lowered = str(subject).strip().lower()
    if lowered in TRUE_STRINGS:
        return True
    elif lowered in FALSE_STRINGS:
        return False
    elif strict:
        raise ValueError('Unrecognized value %r' % subject)
    return default
'''

STRUTILS_V2 = (
    STRUTILS_V1
    + '''

def mask_password(message, secret='***'):
    """Replace passwords in message with secret."""
    for key in ('password', 'admin_pass', 'auth_token'):
        if key in message:
            message = message.split(key)[0] + key + '=' + secret
    return message
'''
)

MANAGER = '''\
"""The {what} manager of {base}."""


class {name}Manager(object):
    """Keeps the {what}s of one host."""

    def __init__(self, driver, host):
        self.driver = driver
        self.host = host
        self.{what}s = {{}}

    def {verb}(self, context, {what}_id, force=False):
        """{verb} a {what}."""
        found = self.{what}s.get({what}_id)
        if found is None and not force:
            raise KeyError({what}_id)
        return self.driver.{verb}(context, found)
'''

#: Master modules the generated projects may copy: (module, text at each version).
MASTERS = {"strutils": (STRUTILS_V1, STRUTILS_V2)}


@dataclass(frozen=True)
class ProjectPlan:
    """What one generated project holds (see :func:`build_project`)."""

    base: str
    strutils: int | None  # the master version it copied (0 or 1), or None
    patched: bool  # a local change to that copy
    retry: str | None  # "exact", "near" or None: its own copy of RETRY
    managers: tuple[str, ...]  # unrelated managers of its own


def build_project(root: Path, plan: ProjectPlan) -> Path:
    """A project repository as ``plan`` says, at ``root / plan.base``."""
    copies: dict[str, str] = {}
    if plan.strutils is not None:
        text = MASTERS["strutils"][plan.strutils]
        if plan.patched:
            text = text.replace("return default\n", "return bool(default)\n")
        copies["strutils.py"] = text
    extra: dict[str, str | bytes | None] = {}
    if plan.retry is not None:
        text = RETRY if plan.retry == "exact" else RETRY.replace("== size", ">= size")
        extra[f"{plan.base}/common/retry.py"] = text
    for what in plan.managers:
        extra[f"{plan.base}/{what}/__init__.py"] = ""
        extra[f"{plan.base}/{what}/manager.py"] = MANAGER.format(
            base=plan.base, what=what, name=what.title(), verb="stop"
        )
    if extra and f"{plan.base}/common/__init__.py" not in extra and plan.retry:
        extra[f"{plan.base}/common/__init__.py"] = ""
    make_project(root / plan.base, plan.base, copies, extra=extra)
    return root / plan.base


def no_scheduler_env() -> dict[str, str]:
    """This environment without ``DASK_SCHEDULER_ADDRESS``."""
    return {k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"}
