#!/usr/bin/env python3
"""Replay real "Sync ... from oslo-incubator" commits with ``update --rewrite update.py
--local-changes drop``.

For each sync commit of a project: check the project out at the commit's parent, find
the incubator commit it was synced from (named in the message, else the newest
incubator master commit at the commit's author date that contains every incubator
commit the message lists), sync the modules whose files the commit touched
(``--nodeps``: the touched modules are exactly the ones to replay) with update.py's
rules, and compare every touched or written file with the project at the commit.

A maintainer tool: it reads the mirrors, writes only in its work directory, and is
never run by the tests. Example::

    python tools/replay_syncs.py \\
        --incubator /work/.mirror/openstack-archive+oslo-incubator/repo \\
        /work/.mirror/openstack+nova/repo /work/.mirror/openstack+glance/repo \\
        --limit 10
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from oslo_incubator.analysis.dependencies import companion_files
from oslo_incubator.analysis.normalise import decode, fold, quirk_equal
from oslo_incubator.analysis.rewrite import rewrite_text
from oslo_incubator.analysis.updatepy import ERAS, select_rule_set
from oslo_incubator.history.git import git_text, read_blobs, run_git
from oslo_incubator.history.incubator import Incubator, open_incubator
from oslo_incubator.model.config import ProjectConfig, RewriteMode
from oslo_incubator.model.errors import OsloIncubatorError
from oslo_incubator.model.sync import LocalChanges, SyncOptions, SyncResult
from oslo_incubator.operations.sync import sync_project
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import CONF_NAME, load_project_config, parse_common_conf
from oslo_incubator.workspace.copies import module_files
from oslo_incubator.workspace.lockfile import LOCK_NAME

SUBJECT_RE = re.compile(
    r"\b(sync(ed|ing|hronis\w*)?|update[ds]?|merge)\b.*\b(oslo|incubator)", re.I
)
SHA_RE = re.compile(r"\b[0-9a-f]{7,40}\b")
# "oslo-incubator at 1a2b3c4", "oslo (git 1a2b3c4)": on one line (a list of commits
# whose subject ends in "oslo" must not name the next line's sha).
LEFT_OUT = "the commit left it as it was"
EXPLICIT_RE = re.compile(
    r"(?:oslo-incubator|incubator|oslo)[ \t]*"
    r"(?:\(git[ \t]+|commit[ \t]+|at[ \t]+|git[ \t]+|@[ \t]*)?([0-9a-f]{7,40})\b",
    re.I,
)


@dataclass
class Difference:
    path: str
    reason: str


@dataclass
class Replay:
    project: str
    commit: str
    date: str
    subject: str
    incubator_commit: str | None = None
    how: str = ""
    rules: str = ""
    modules: list[str] = field(default_factory=list)
    compared: int = 0
    identical: bool = False
    differences: list[Difference] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incubator", type=Path, required=True, help="oslo-incubator mirror")
    parser.add_argument("projects", type=Path, nargs="+", help="project mirrors (nova, glance)")
    parser.add_argument(
        "--commit",
        action="append",
        default=[],
        help="replay these commits (sha, repeatable) instead of searching",
    )
    parser.add_argument("--limit", type=int, default=10, help="commits per project (search)")
    parser.add_argument("--since", default="2013-06-01")
    parser.add_argument("--until", default="2015-12-31")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="replay-syncs-"))
    cache = Cache(workdir / "cache")
    replays: list[Replay] = []
    for mirror in args.projects:
        checkout = _checkout(mirror, workdir)
        commits = [c for c in args.commit if _has_commit(mirror, c)] or _sync_commits(
            mirror, args.since, args.until, args.limit
        )
        for commit in commits:
            replay = replay_commit(args.incubator, mirror, checkout, commit, cache)
            replays.append(replay)
            print(_line(replay), file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(r) for r in replays], indent=2))
    else:
        print(render(replays))
    cache.close()
    return 0


def replay_commit(
    incubator_path: Path, mirror: Path, checkout: Path, commit: str, cache: Cache
) -> Replay:
    """Replay one sync commit; see the module docstring."""
    started = time.monotonic()
    sha = git_text(mirror, "rev-parse", commit).strip()
    date, committed, subject, message = _describe(mirror, sha)
    replay = Replay(mirror.parent.name.split("+")[-1], sha, date, subject)
    try:
        _replay(replay, incubator_path, mirror, checkout, message, committed, cache)
    except OsloIncubatorError as exc:
        replay.error = str(exc)
    replay.seconds = round(time.monotonic() - started, 1)
    return replay


def render(replays: list[Replay]) -> str:
    """A table of replays, their differences, and the totals."""
    lines = []
    for r in replays:
        lines.append(_line(r))
        for d in r.differences:
            lines.append(f"      {d.path}: {d.reason}")
        if r.error:
            lines.append(f"      error: {r.error}")
    tried = [r for r in replays if r.error is None]
    same = [r for r in tried if r.identical]
    # Identical on every file the commit changed: what differs is only files update.py
    # rewrote and the commit's author left out.
    touched = [r for r in tried if all(d.reason.startswith(LEFT_OUT) for d in r.differences)]
    lines.append("")
    lines.append(
        f"{len(replays)} sync commits, {len(tried)} replayed, {len(same)} byte-for-byte "
        f"identical, {len(touched)} identical on the files the commit changed"
    )
    kinds: dict[str, set[str]] = {}
    for r in tried:
        for d in r.differences:
            kinds.setdefault(_kind(d.reason), set()).add(r.commit)
    for kind, commits in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(commits):3} replays with: {kind}")
    return "\n".join(lines)


def incubator_candidates(
    incubator: Path, message: str, date: str, committed: str | None = None
) -> list[tuple[str, str]]:
    """The incubator master commits a project commit with ``message``, author ``date``
    and commit date ``committed`` may have been synced from, most likely first, each
    with how it was found (named in the message; the first master commit containing
    every incubator commit the message lists; the newest master commit at the author
    date; the earliest one containing the listed commits; the newest master commit at
    the commit date, when a review was synced again before it merged): at most four."""
    candidates: list[tuple[str, str]] = []
    for match in EXPLICIT_RE.finditer(message):
        sha = _resolve(incubator, match.group(1))
        if sha:
            candidates.append((sha, "named"))
    listed = [s for s in (_resolve(incubator, m) for m in SHA_RE.findall(message)) if s]
    at_date = git_text(incubator, "rev-list", "-1", "--first-parent", f"--before={date}",
                       "master").strip()  # fmt: skip
    if at_date:
        missing = [s for s in listed if not _is_ancestor(incubator, s, at_date)]
        if missing:
            # The message lists commits newer than its date (a rebase kept the author
            # date): take the first master commit that has them all.
            later = git_text(incubator, "rev-list", "--first-parent", "--reverse",
                             f"--after={date}", "master").split()  # fmt: skip
            for sha in later:
                if all(_is_ancestor(incubator, s, sha) for s in listed):
                    candidates.append((sha, "first with listed"))
                    break
        candidates.append((at_date, "by date"))
    if listed:
        earliest = _earliest_containing(incubator, listed, at_date)
        if earliest:
            candidates.append((earliest, "earliest with listed"))
    if committed:
        at_commit = git_text(incubator, "rev-list", "-1", "--first-parent",
                             f"--before={committed}", "master").strip()  # fmt: skip
        if at_commit:
            candidates.append((at_commit, "by commit date"))
    seen: dict[str, str] = {}
    for sha, how in candidates:
        seen.setdefault(sha, how)
    return list(seen.items())[:4]


def first_containing(incubator: Path, shas: list[str]) -> str | None:
    """The first master commit (first-parent chain) that contains every one of ``shas``."""
    resolved = [r for r in (_resolve(incubator, s) for s in shas) if r]
    if not resolved:
        return None
    chain = git_text(incubator, "rev-list", "--first-parent", "--reverse", "master").split()
    low, high = 0, len(chain) - 1
    if not all(_is_ancestor(incubator, s, chain[high]) for s in resolved):
        return None
    while low < high:  # containment only grows along the chain: bisect
        middle = (low + high) // 2
        if all(_is_ancestor(incubator, s, chain[middle]) for s in resolved):
            high = middle
        else:
            low = middle + 1
    return chain[low]


# Private


def _line(r: Replay) -> str:
    verdict = (
        "error" if r.error else ("IDENTICAL" if r.identical else f"{len(r.differences)} differ")
    )
    inc = f"{r.incubator_commit[:8]} ({r.how})" if r.incubator_commit else "-"
    return (
        f"{r.project:7} {r.commit[:10]} {r.date[:10]} {r.subject[:48]:48} inc {inc:24} "
        f"{r.rules:20} {len(r.modules):2} mod {r.compared:3} files  {verdict}"
    )


def _replay(
    replay: Replay, incubator_path: Path, mirror: Path, checkout: Path, message: str,
    committed: str, cache: Cache,
) -> None:  # fmt: skip
    parent = git_text(mirror, "rev-parse", f"{replay.commit}^1").strip()
    run_git(checkout, "checkout", "-q", "-f", parent)
    run_git(checkout, "clean", "-q", "-f", "-d", "-x")
    config = load_project_config(checkout)
    after = read_blobs(checkout, [f"{replay.commit}:{CONF_NAME}"]).get(
        f"{replay.commit}:{CONF_NAME}"
    )
    config_after = parse_common_conf(decode(after)) if after else config
    if not config.base:
        raise OsloIncubatorError("no base package at the parent commit")
    changed = _changed(checkout, parent, replay.commit)
    scope = sorted(p for p in changed if _in_scope(p, config))
    if not scope:
        raise OsloIncubatorError("the commit changes no copied file")
    candidates = incubator_candidates(incubator_path, message, replay.date, committed)
    if candidates:
        index = open_incubator(incubator_path, config.package_root, cache, candidates[0][0]).index
        if not any(index.lineage(_source(p, config)) for p in scope):
            # A project's own file next to the copies (README): no sync to replay.
            raise OsloIncubatorError("the commit changes no file master ever had")
    # Master as the mirror has it now: which version a file equals, whenever it merged.
    latest = open_incubator(incubator_path, config.package_root, cache, "master")
    best: tuple[int, Replay] | None = None
    for candidate, how in candidates:
        trial = Replay(replay.project, replay.commit, replay.date, replay.subject, candidate, how)
        run_git(checkout, "checkout", "-q", "-f", parent)
        run_git(checkout, "clean", "-q", "-f", "-d", "-x")
        incubator = open_incubator(incubator_path, config.package_root, cache, candidate)
        _replay_at(trial, incubator, latest, checkout, config, config_after, scope, cache)
        score = len(trial.differences)
        if best is None or score < best[0]:
            best = (score, trial)
        if trial.identical:
            break
    assert best is not None
    if not best[1].identical:
        # Files that equal another master version say when the sync was really made
        # (a review that sat for days keeps its author date).
        named = [
            m.group(1)
            for d in best[1].differences
            if (m := re.search(r"master's version of ([0-9a-f]{8})", d.reason))
        ]
        # Replay at the first master commit that has them all, and at each such
        # version's own commit: a review checked out and synced before it merged.
        retries = (
            [(first_containing(incubator_path, named), "matched by content")] if named else []
        )
        retries += [(sha, "review commit") for sha in dict.fromkeys(named)]
        tried = {best[1].incubator_commit}
        for sha, how in retries:
            resolved = _resolve(incubator_path, sha) if sha else None
            if resolved is None or resolved in tried:
                continue
            tried.add(resolved)
            trial = Replay(replay.project, replay.commit, replay.date, replay.subject, resolved,
                           how)  # fmt: skip
            run_git(checkout, "checkout", "-q", "-f", parent)
            run_git(checkout, "clean", "-q", "-f", "-d", "-x")
            incubator = open_incubator(incubator_path, config.package_root, cache, resolved)
            _replay_at(trial, incubator, latest, checkout, config, config_after, scope, cache)
            if len(trial.differences) < best[0]:
                best = (len(trial.differences), trial)
    chosen = best[1]
    for name in ("incubator_commit", "how", "rules", "modules", "compared", "identical",
                 "differences"):  # fmt: skip
        setattr(replay, name, getattr(chosen, name))


def _replay_at(
    replay: Replay, incubator: Incubator, latest: Incubator, checkout: Path,
    config: ProjectConfig, config_after: ProjectConfig, scope: list[str], cache: Cache,
) -> None:  # fmt: skip
    index = incubator.index
    declared = list(dict.fromkeys([*config.modules, *config_after.modules]))
    scripts = [s for s in dict.fromkeys([*config.scripts, *config_after.scripts]) if s in scope]
    companions = [p for p in index.head_tree if p.startswith(("tools/", "etc/oslo/"))]
    modules = []
    covered: set[str] = set()
    for module in declared:
        files = module_files(module, index.head_tree, index.package_root)
        destinations = {_destination(p, config) for p in files}
        destinations |= {_destination(p, config) for p in companion_files(module, companions)}
        if destinations & set(scope):
            modules.append(module)
            covered |= destinations
    # Files of modules nobody declared (update.py pulled them in as dependencies,
    # e.g. _i18n.py): replay them as the file modules they are.
    prefix = config.copy_dir + "/"
    for path in scope:
        if path in covered or not path.startswith(prefix) or path.endswith("/__init__.py"):
            continue
        rel = path[len(prefix) :]
        if f"{index.package_root}/{rel}" in index.head_tree and rel.endswith(".py"):
            modules.append(rel[:-3].replace("/", "."))
    replay.modules = modules
    data = index.read_at_head("update.py")
    rules = select_rule_set(decode(data) if data else None, index.commits[index.head].timestamp)
    replay.rules = rules.name
    result: SyncResult | None = None
    if modules or scripts:
        options = SyncOptions(
            modules=tuple(modules), scripts=tuple(scripts), nodeps=True,
            rewrite=RewriteMode.UPDATE_PY, force=True, local_changes=LocalChanges.DROP,
            command="tools/replay_syncs.py",
        )  # fmt: skip
        result = sync_project(incubator, checkout, config, options, cache)
    written = [p for p in (result.written if result else ()) if p != LOCK_NAME]
    paths = sorted(set(scope) | set(written))
    replay.compared = len(paths)
    expected = read_blobs(checkout, [f"{replay.commit}:{p}" for p in paths])
    previous = read_blobs(checkout, [f"{replay.commit}^1:{p}" for p in paths])
    by_path = {f.copy_path: f for f in result.files} if result else {}
    for path in paths:
        want = expected.get(f"{replay.commit}:{path}")
        have = (checkout / path).read_bytes() if (checkout / path).is_file() else None
        if want == have:
            continue
        replay.differences.append(
            Difference(
                path,
                _why(
                    path,
                    want,
                    have,
                    previous.get(f"{replay.commit}^1:{path}"),
                    by_path.get(path),
                    incubator,
                    latest,
                    config,
                    rules,
                ),
            )  # fmt: skip
        )
    replay.identical = not replay.differences


def _why(path, want, have, before, planned, incubator, latest, config, rules):  # type: ignore[no-untyped-def]
    if want is None:
        return "the sync commit deleted it (update.py never deleted files)"
    index = incubator.index
    master_path = planned.master_path if planned else _master_path(path, config)
    life = incubator.lifecycle(master_path) if master_path else None
    if (
        planned is None
        and life is not None
        and life.state.retired
        and master_path in index.head_tree
    ):
        return f"{life.describe()} in master, yet sync did not copy it"
    if planned is None and master_path not in index.head_tree:
        lineage = index.lineage(master_path or "")
        deletion = index.deletion(lineage) if lineage else None
        if deletion is None:
            return "master never had it: a file of the project's own"
        match = _matching_version(latest.index, latest.index.lineage(master_path or "") or "",
                                  want, config, path, rules)  # fmt: skip
        took = f"; the commit has master's version of {match[:8]}" if match else ""
        return f"master deleted it in {deletion.commit[:8]}, before the synced commit{took}"
    if planned is None or have is None:
        return "not part of the replayed sync"
    if before == want:
        return LEFT_OUT + ": update.py rewrote it, its author left it out"
    rendered = rewrite_text(
        decode(index.texts([index.head_tree[master_path]])[index.head_tree[master_path]]),
        config.base, path, rules,
    ).text.encode("utf-8", "surrogateescape")  # fmt: skip
    if want == rendered:
        return "equals update.py's output of this master version, but sync wrote otherwise"
    lineage = latest.index.lineage(master_path) or ""
    match = _matching_version(latest.index, lineage, want, config, path, rules)
    if match:
        return f"the commit has master's version of {match[:8]} instead"
    if before is not None and _is_partial(before, want, have):
        return (
            "the commit took only part of master's changes (a cherry-pick, not a sync): "
            f"{_changed_lines(before, want)} changed lines against sync's "
            f"{_changed_lines(before, have)}"
        )
    changed = _changed_lines(want, have)
    return f"hand edits in the sync commit: matches no master version ({changed} lines differ)"


def _kind(reason: str) -> str:
    """The reason of a difference without its particulars (shas, line counts)."""
    return re.sub(r"[0-9a-f]{8}|\(?\d+ (changed )?lines?[^):]*\)?", "…", reason.split(":")[0])


def _is_partial(before: bytes, want: bytes, have: bytes) -> bool:
    """Every line the commit added is in sync's result, and the commit changed less."""
    import difflib

    old, new, ours = (
        decode(before).splitlines(),
        decode(want).splitlines(),
        set(decode(have).splitlines()),
    )
    added = [
        line
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(
            None, old, new, autojunk=False
        ).get_opcodes()
        if tag in ("insert", "replace")
        for line in new[j1:j2]
    ]
    return all(line in ours for line in added) and _changed_lines(before, want) < _changed_lines(
        before, have
    )


def _matching_version(index, lineage, want, config, path, rules):  # type: ignore[no-untyped-def]
    """The newest master version (of any date: ``index`` is master's) that some
    update.py era, ``rules`` first, or the imports rewrite turns into ``want``."""
    versions = [v for v in index.versions_of(lineage) if v.blob]
    texts = index.texts(v.blob for v in versions if v.blob)
    wanted = decode(want)
    folded = fold(wanted, config.base)
    for version in versions:
        text = decode(texts[version.blob or ""])
        if not quirk_equal(folded, fold(text, config.base)):
            continue  # no rewrite can turn it into the file: skip the renders
        for era in [rules, *reversed(ERAS), None]:
            if rewrite_text(text, config.base, path, era).text == wanted:
                return version.commit
    return None


def _changed_lines(a: bytes, b: bytes) -> int:
    import difflib

    x, y = decode(a).splitlines(), decode(b).splitlines()
    same = sum(
        m.size for m in difflib.SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks()
    )
    return len(x) + len(y) - 2 * same


def _master_path(copy_path: str, config: ProjectConfig) -> str | None:
    prefix = config.copy_dir + "/"
    if copy_path.startswith(prefix):
        return f"{config.package_root}/{copy_path[len(prefix) :]}"
    return None


def _destination(master_path: str, config: ProjectConfig) -> str:
    root = config.package_root.path
    if master_path.startswith(root + "/"):
        return f"{config.copy_dir}/{master_path[len(root) + 1 :]}"
    if master_path.startswith("etc/oslo/"):
        return f"etc/{config.base_path}/{master_path[len('etc/oslo/') :]}"
    return master_path


def _source(copy_path: str, config: ProjectConfig) -> str:
    """The master path a project path is copied from (the inverse of _destination)."""
    master = _master_path(copy_path, config)
    if master is not None:
        return master
    etc = f"etc/{config.base_path}/"
    return f"etc/oslo/{copy_path[len(etc) :]}" if copy_path.startswith(etc) else copy_path


def _in_scope(path: str, config: ProjectConfig) -> bool:
    return path.startswith(
        (config.copy_dir + "/", "tools/install_venv_common", "tools/config/", "tools/colorizer",
         f"etc/{config.base_path}/rootwrap")
    ) or path in config.scripts  # fmt: skip


def _changed(repo: Path, parent: str, commit: str) -> list[str]:
    out = git_text(repo, "diff", "--no-renames", "--name-only", parent, commit)
    return [line for line in out.splitlines() if line]


def _earliest_containing(incubator: Path, listed: list[str], limit: str) -> str | None:
    first_parent = git_text(
        incubator, "rev-list", "--first-parent", "-n", "400", limit or "master"
    )
    chain = first_parent.split()
    found = None
    for sha in chain:  # newest first; stop when one listed commit is missing
        if all(_is_ancestor(incubator, s, sha) for s in listed):
            found = sha
        else:
            break
    return found


def _resolve(repo: Path, name: str) -> str | None:
    try:
        sha = git_text(repo, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").strip()
    except OsloIncubatorError:
        return None
    if not sha:
        return None
    return sha if _is_ancestor(repo, sha, "master") else None


def _is_ancestor(repo: Path, ancestor: str, descendant: str) -> bool:
    try:
        run_git(repo, "merge-base", "--is-ancestor", ancestor, descendant)
    except OsloIncubatorError:
        return False
    return True


def _has_commit(repo: Path, name: str) -> bool:
    try:
        run_git(repo, "cat-file", "-e", f"{name}^{{commit}}")
    except OsloIncubatorError:
        return False
    return True


def _describe(repo: Path, sha: str) -> tuple[str, str, str, str]:
    out = git_text(repo, "log", "-1", "--format=%aI%x00%cI%x00%s%x00%B", sha)
    date, committed, subject, body = out.split("\0", 3)
    return date, committed, subject, body


def _sync_commits(mirror: Path, since: str, until: str, limit: int) -> list[str]:
    out = git_text(mirror, "log", "--no-merges", "--format=%H%x00%s", f"--since={since}",
                   f"--until={until}", "--", "*/openstack/common/*")  # fmt: skip
    found = []
    for line in out.splitlines():
        sha, _, subject = line.partition("\0")
        if SUBJECT_RE.search(subject):
            found.append(sha)
    if len(found) <= limit:
        return found
    step = len(found) / limit  # spread over the period, not just the newest
    return [found[int(i * step)] for i in range(limit)]


def _checkout(mirror: Path, workdir: Path) -> Path:
    target = workdir / mirror.parent.name
    if not target.exists():
        run_git(workdir, "clone", "-q", "--shared", "--no-checkout", str(mirror), str(target))
        run_git(target, "config", "user.name", "replay")
        run_git(target, "config", "user.email", "replay@example.org")
    return target


if __name__ == "__main__":
    sys.exit(main())
