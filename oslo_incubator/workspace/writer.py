"""Change a project's files as one transaction: all of them or none, whatever happens.

Every command that writes into a project (sync, update, migrate, graduation's private
copies) goes through :class:`Transaction`:

1. **Lock.** An exclusive ``flock`` on ``<state>/lock``, where ``<state>`` is
   ``.git/oslo-incubator`` of the project (``.oslo-incubator`` when it is not a git
   work tree). A second writer waits :data:`LOCK_WAIT` seconds, then fails naming the
   holder. The caller reads and plans under the lock.
2. **Recover.** A journal left by a writer that died (SIGKILL, a power cut) is
   finished or undone before anything else (see :func:`recover`).
3. **Journal.** Every target must still hold the content the caller read
   (:attr:`FileWrite.expected`), else nothing is done
   (:class:`~oslo_incubator.model.errors.ConcurrentChangeError`). Then what is about
   to happen, with the name of every temporary file, goes to ``<state>/journal.json``,
   ``fsync``-ed with its directory: from here on a killed writer leaves nothing that
   recovery does not know of.
4. **Stage.** Each new content goes to a temporary file beside its target, written and
   ``fsync``-ed (a rename must never expose an empty file after a power cut); each
   file to replace or delete is hard-linked to a backup beside it.
5. **Check** again that no target changed, then **rename** each temporary file over
   its target (a deletion removes the target; its backup keeps the content), and
   ``fsync`` the directories touched; the journal says so.
6. **Commit.** With a message, the caller's committer commits the files; if it fails,
   the renames are undone.
7. **Clean.** Backups, temporary files and the journal are removed.

Ctrl-C, SIGTERM and SIGHUP before the end of step 6 undo everything (signals are held
while an undo or clean-up runs). After SIGKILL, the next transaction on the project (or
``oslo-incubator recover``) reads the journal: if every rename was made it finishes,
making the commit if there was to be one, otherwise it undoes the renames that were
made. No temporary file outlives the transaction that made it.

``fsync`` is used where a power cut would otherwise lose what the journal promises:
the temporary files before their renames, the journal before the first rename, and
the directories after the renames. Nothing else is synced.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import Any, ClassVar

from oslo_incubator.model.errors import (
    ConcurrentChangeError,
    ConfigError,
    OsloIncubatorError,
    ProjectLockedError,
    UnsafePathError,
)

JOURNAL_SCHEMA = "oslo-incubator.journal/1"
#: How long a second writer waits for the project's lock before giving up (seconds).
LOCK_WAIT = 5.0
TEMP_SUFFIX = ".oslo-incubator.tmp"
# Dotted names; '-' is allowed for entries that name companion files only
# (``redhat-eventlet.patch``), as openstack-common.conf allows.
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_][A-Za-z0-9_\-]*)*")
_BACKUP_SUFFIX = ".backup" + TEMP_SUFFIX

#: Called with the name of each step, for tests that inject failures.
FaultHook = Callable[[str], None]
#: Commits ``paths`` of the project with ``message``, leaving the index as it found it
#: when it fails (raises). Supplied by the operation, which owns git.
Committer = Callable[[Path, list[str], str], None]


@dataclass(frozen=True)
class FileWrite:
    """One file to change: its new bytes (``None``: delete it), its permission bits, and
    the content the caller read it with (``expected``: a sha256, :attr:`ABSENT` for a
    file that did not exist, ``None`` to not check), so a change made meanwhile by
    someone else is never overwritten."""

    ABSENT: ClassVar[str] = "absent"

    data: bytes | None
    mode: int = 0o644
    expected: str | None = None

    @staticmethod
    def read_as(data: bytes | None) -> str:
        """The ``expected`` value for a file read as ``data`` (``None``: absent)."""
        return FileWrite.ABSENT if data is None else hashlib.sha256(data).hexdigest()


def safe_destination(project: Path, rel: str) -> Path:
    """The absolute path of ``rel`` inside ``project``, checked.

    Raises:
        UnsafePathError: ``rel`` is empty, absolute, has ``..`` or empty parts, or
            resolves (through a symlink) outside ``project``.
    """
    pure = PurePosixPath(rel)
    if not rel or "\\" in rel or "\0" in rel or pure.is_absolute() or os.path.isabs(rel):
        raise UnsafePathError(f"refusing to write {rel!r}: not a relative path", project / rel)
    if any(part in ("..", ".", "") for part in rel.split("/")):
        raise UnsafePathError(
            f"refusing to write {rel!r}: it would leave the project", project / rel
        )
    root = project.resolve()
    target = project.joinpath(*pure.parts)
    resolved = target.resolve()
    if not _inside(resolved, root):
        raise UnsafePathError(
            f"refusing to write {rel!r}: it resolves to {resolved}, outside the project", target
        )
    return target


def check_module_name(project: Path, name: str) -> None:
    """Accept a dotted module name (``log``, ``report.views.json``, ``redhat-eventlet.patch``).

    Raises:
        UnsafePathError: the name would name a path outside the package root
            (``..``, ``/``, an absolute path).
        ConfigError: the name is not a dotted module name for another reason.
    """
    if _MODULE_NAME.fullmatch(name):
        return
    if "/" in name or "\\" in name or ".." in name or os.path.isabs(name):
        raise UnsafePathError(f"refusing module {name!r}: it would leave the project", project)
    raise ConfigError(f"invalid module name {name!r}", project)


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` found and did: ``finished`` or ``undone`` an interrupted
    transaction (``None``: there was none), the files it put back or completed, and the
    stray temporary files it removed."""

    outcome: str | None
    files: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    command: str = ""


@dataclass
class _Entry:
    path: str
    temp: str | None  # where the new content waits (None: a deletion)
    backup: str | None  # where the old content is kept (None: there was none)
    old: str | None  # sha256 of the old content (None: absent)
    new: str | None  # sha256 of the new content (None: deleted)


@dataclass
class _Journal:
    command: str
    entries: list[_Entry] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)  # directories the transaction made
    renamed: bool = False  # every rename was made
    commit: str | None = None  # the message, when the files are to be committed

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": JOURNAL_SCHEMA,
            "command": self.command,
            "entries": [vars(e) for e in self.entries],
            "dirs": self.dirs,
            "renamed": self.renamed,
            "commit": self.commit,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _Journal:
        if data.get("schema") != JOURNAL_SCHEMA:
            raise ValueError("not a journal")
        return cls(
            str(data.get("command", "")),
            [_Entry(**e) for e in data["entries"]],
            list(data.get("dirs", [])),
            bool(data.get("renamed")),
            data.get("commit"),
        )


class Transaction:
    """One writer's hold on a project; see the module docstring.

    Use as a context manager; :meth:`write` changes files (once or more) under it.
    """

    def __init__(
        self,
        project: Path,
        command: str = "",
        committer: Committer | None = None,
        wait: float = LOCK_WAIT,
        fault: FaultHook | None = None,
    ):
        self.project = project
        self.command = command
        self.committer = committer
        self.wait = wait
        self.state = state_dir(project)
        self.recovered: Recovery = Recovery(None)
        self._fault = fault or (lambda step: None)
        self._lock_fd: int | None = None
        self._handlers: dict[int, Any] = {}

    def __enter__(self) -> Transaction:
        self._acquire()
        try:
            self.recovered = _recover(self.project, self.state, self.committer)
        except BaseException:
            self._release()
            raise
        self._handlers = _raise_on_terminate()
        return self

    def __exit__(self, *exc: object) -> None:
        _restore_handlers(self._handlers)
        self._release()

    def write(self, files: Mapping[str, FileWrite], message: str | None = None) -> list[str]:
        """Write (or, for ``data=None``, delete) ``files`` all or none.

        Args:
            files: project-relative path → what to write.
            message: commit the files with this message once they are in place (with
                the transaction's committer); if the commit fails, the files are put
                back and the error goes on. A writer that dies before the commit is
                made leaves it to recovery, which makes it.

        Returns:
            The paths changed, sorted.

        Raises:
            UnsafePathError: a path would leave the project (nothing is written).
            ConcurrentChangeError: a file changed since it was read (nothing is written).
            OSError: writing failed (nothing is left changed).
        """
        if self._lock_fd is None:
            raise RuntimeError("Transaction.write outside its with block")
        if message is not None and self.committer is None:
            raise RuntimeError("a commit message but no committer")
        targets = {rel: safe_destination(self.project, rel) for rel in sorted(files)}
        journal = self._journal(files, targets, message)
        journal_path = self.state / "journal.json"
        try:
            # The journal names every temporary file before one exists: a writer
            # killed at any point leaves nothing recovery does not know of.
            self._fault("journal")
            _write_json(journal_path, journal.to_json())
            self._stage(files, targets, journal)
            self._check(journal, targets)
            for n, entry in enumerate(journal.entries):
                self._fault(f"rename:{n}")
                target = targets[entry.path]
                if entry.temp is None:
                    if entry.backup is not None:
                        target.unlink()  # the backup keeps the old content
                else:
                    os.replace(self.project / entry.temp, target)
            _fsync_dirs({targets[e.path].parent for e in journal.entries})
            journal.renamed = True
            _write_json(journal_path, journal.to_json())
            self._fault("commit")
            if message is not None and self.committer is not None:
                self.committer(self.project, sorted(files), message)
            self._fault("clean")
        except BaseException:
            with _signals_held():
                _undo(self.project, journal)
                journal_path.unlink(missing_ok=True)
            raise
        with _signals_held():
            _clean(self.project, journal)
            journal_path.unlink(missing_ok=True)
        return sorted(files)

    # Private

    def _journal(
        self, files: Mapping[str, FileWrite], targets: Mapping[str, Path], message: str | None
    ) -> _Journal:
        """What the write will do, with the names of its temporary files; checks that
        every target still holds what the caller read, before anything is written."""
        tag = os.urandom(4).hex()
        journal = _Journal(self.command, commit=message)
        for rel, target in targets.items():
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
            write = files[rel]
            present = target.exists() or target.is_symlink()
            old = _sha_of(target) if present else None
            expected = write.expected
            if expected is not None and (old or FileWrite.ABSENT) != expected:
                raise ConcurrentChangeError(
                    f"{rel} changed while the command ran; nothing was written, run it again",
                    target,
                )
            parent = PurePosixPath(rel).parent
            name = target.name
            temp = (
                (parent / f".{name}.{tag}{TEMP_SUFFIX}").as_posix()
                if write.data is not None
                else None
            )
            backup = (parent / f".{name}.{tag}{_BACKUP_SUFFIX}").as_posix() if present else None
            new = _sha(write.data) if write.data is not None else None
            journal.entries.append(_Entry(rel, temp, backup, old, new))
        for directory in {t.parent for t in targets.values()}:
            for made in _missing_parents(directory, self.project):
                rel_dir = made.relative_to(self.project).as_posix()
                if rel_dir not in journal.dirs:
                    journal.dirs.append(rel_dir)
        journal.dirs.sort(key=lambda d: d.count("/"))
        return journal

    def _stage(
        self, files: Mapping[str, FileWrite], targets: Mapping[str, Path], journal: _Journal
    ) -> None:
        for directory in journal.dirs:
            (self.project / directory).mkdir(exist_ok=True)
        for entry in journal.entries:
            self._fault(f"stage:{entry.path}")
            write = files[entry.path]
            if entry.temp is not None:
                _write_temp(self.project / entry.temp, write)
            if entry.backup is not None:
                _backup(targets[entry.path], self.project / entry.backup)

    def _check(self, journal: _Journal, targets: Mapping[str, Path]) -> None:
        """Just before the renames: every target still holds what was read."""
        self._fault("check")
        for entry in journal.entries:
            target = targets[entry.path]
            present = target.exists() or target.is_symlink()
            if (_sha_of(target) if present else None) != entry.old:
                raise ConcurrentChangeError(
                    f"{entry.path} changed while the command ran; nothing was written, "
                    "run it again",
                    target,
                )

    # Private

    def _acquire(self) -> None:
        lock = self.state / "lock"
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self.state.mkdir(parents=True, exist_ok=True)
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OsloIncubatorError(
                    f"cannot lock the project: {exc.strerror or exc}", self.state
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise ProjectLockedError(
                        f"another oslo-incubator process is writing to this project "
                        f"({_read_holder(self.state)}); try again when it is done",
                        self.project,
                    ) from None
                time.sleep(0.05)
                continue
            # The holder before us removes the lock file as it lets go: a lock on a
            # file no longer at its path is no lock; take the new one.
            try:
                same = os.stat(lock).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self.command}".strip().encode() + b"\n")
        self._lock_fd = fd

    def _release(self) -> None:
        if self._lock_fd is None:
            return
        # Nothing of the transaction stays in the project: the lock file goes (while
        # still held, so a waiter sees it gone and takes a new one), then the folder.
        with contextlib.suppress(OSError):
            (self.state / "lock").unlink()
        os.close(self._lock_fd)
        self._lock_fd = None
        with contextlib.suppress(OSError):
            self.state.rmdir()


def write_all(project: Path, files: Mapping[str, FileWrite], command: str = "") -> list[str]:
    """Write ``files`` in a transaction of their own (see :meth:`Transaction.write`)."""
    with Transaction(project, command) as transaction:
        return transaction.write(files)


def recover(project: Path, committer: Committer | None = None) -> Recovery:
    """Finish or undo the transaction a dead writer left in ``project`` (under the
    project's lock).

    Finished when every rename was made (and its commit made, with ``committer``, if it
    had not been); undone otherwise. Either way its temporary files, backups and the
    journal are removed.
    """
    with Transaction(project, "oslo-incubator recover", committer) as transaction:
        return transaction.recovered


def state_dir(project: Path) -> Path:
    """Where a project's lock and journal live: ``.git/oslo-incubator`` (following a
    ``.git`` file to a worktree's git directory), else ``.oslo-incubator``."""
    dot_git = project / ".git"
    if dot_git.is_dir():
        return dot_git / "oslo-incubator"
    if dot_git.is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            line = dot_git.read_text(encoding="utf-8").strip()
            if line.startswith("gitdir:"):
                git_dir = Path(line[len("gitdir:") :].strip())
                git_dir = git_dir if git_dir.is_absolute() else project / git_dir
                if git_dir.is_dir():
                    return git_dir / "oslo-incubator"
    return project / ".oslo-incubator"


# Private: recovery


def _recover(project: Path, state: Path, committer: Committer | None) -> Recovery:
    path = state / "journal.json"
    if not path.exists():
        return Recovery(None)
    try:
        journal = _Journal.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OsloIncubatorError(
            f"an interrupted write left a journal that cannot be read ({exc}); "
            "look at the files it names, then delete it",
            path,
        ) from None
    applied = [_is_applied(project, e) for e in journal.entries]
    finished = journal.renamed or all(applied)
    if finished and journal.commit is not None:
        if committer is None:
            finished = False  # cannot commit here: put the files back, as if never run
        else:
            try:
                committer(project, [e.path for e in journal.entries], journal.commit)
            except OsloIncubatorError:
                finished = False
    with _signals_held():
        if finished:
            _clean(project, journal)
        else:
            _undo(project, journal)
        path.unlink(missing_ok=True)
    return Recovery(
        "finished" if finished else "undone",
        tuple(e.path for e in journal.entries),
        tuple(p for e in journal.entries for p in (e.temp, e.backup) if p),
        journal.command,
    )


def _is_applied(project: Path, entry: _Entry) -> bool:
    target = project / entry.path
    present = target.exists() or target.is_symlink()
    if entry.new is None:
        return not present
    return present and _sha_of(target) == entry.new


def _undo(project: Path, journal: _Journal) -> None:
    for entry in reversed(journal.entries):
        target = project / entry.path
        if _is_applied(project, entry) or (entry.new is None and entry.backup):
            if entry.backup is not None and (project / entry.backup).exists():
                os.replace(project / entry.backup, target)
            elif entry.old is None:
                target.unlink(missing_ok=True)
        for leftover in (entry.temp, entry.backup):
            if leftover:
                (project / leftover).unlink(missing_ok=True)
    for directory in reversed(journal.dirs):
        with contextlib.suppress(OSError):
            (project / directory).rmdir()


def _clean(project: Path, journal: _Journal) -> None:
    for entry in journal.entries:
        for leftover in (entry.temp, entry.backup):
            if leftover:
                (project / leftover).unlink(missing_ok=True)
    # Folders a deletion left empty go too (never the project itself).
    root = project.resolve()
    for entry in journal.entries:
        if entry.new is not None:
            continue
        folder = (project / entry.path).parent
        while folder.resolve() != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _missing_parents(directory: Path, project: Path) -> list[Path]:
    missing: list[Path] = []
    current = directory
    while not current.exists() and current != project:
        missing.append(current)
        current = current.parent
    return list(reversed(missing))


def _write_temp(path: Path, content: FileWrite) -> None:
    assert content.data is not None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content.data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, content.mode)


def _backup(target: Path, backup: Path) -> None:
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, backup, follow_symlinks=False)


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    temp = path.with_name(path.name + ".new")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_dirs([path.parent])


def _fsync_dirs(directories: Iterable[Path]) -> None:
    for directory in directories:
        with contextlib.suppress(OSError):
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_of(path: Path) -> str:
    if path.is_symlink():
        return _sha(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
    return _sha(path.read_bytes())


def _read_holder(state: Path) -> str:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = (state / "lock").read_text(encoding="utf-8").strip()
        if text:
            pid, _, command = text.partition(" ")
            return f"pid {pid}" + (f": {command}" if command else "")
    return "holder unknown"


# Private: signals


class _Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP) during a transaction: handled like Ctrl-C, so it undoes."""


def _raise_on_terminate() -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(f"signal {signum}")

    previous: dict[int, Any] = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _restore_handlers(previous: Mapping[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and termination while an undo or a clean-up runs to its end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
