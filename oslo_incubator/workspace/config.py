"""Read a project's settings from ``openstack-common.conf`` or ``pyproject.toml``; write
and edit ``openstack-common.conf``.

``openstack-common.conf`` is read as it exists in the wild: an ini file with a
``[DEFAULT]`` section (sometimes missing), repeated ``module=`` lines, the older
``modules=a,b,c`` list (possibly continued on indented lines), ``base=``, ``script=``,
comments and blank lines, and ``release-series = Hibiscus, Ivy`` (OpenStack series
newer than the toolkit knows, for the ``debt`` scan). The same settings may live in
``[tool.oslo-incubator]`` of ``pyproject.toml``; when both exist the conf file wins,
as update.py read only it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from oslo_incubator.analysis.findings import rule_matches
from oslo_incubator.analysis.validation import commit_url_template
from oslo_incubator.model.check import RULES
from oslo_incubator.model.config import (
    CheckIgnore,
    ProjectConfig,
    RewriteMode,
)
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.workspace.files import project_python_files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONF_NAME = "openstack-common.conf"
PYPROJECT_NAME = "pyproject.toml"
_MODULE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# Module entries may also name companion files only, as nova's 2013
# ``module=redhat-eventlet.patch`` (update.py copied ``tools/<module>*``).
_MODULE_ENTRY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_][A-Za-z0-9_\-]*)*$")
_SCRIPT_RE = re.compile(r"^[A-Za-z0-9_.\-/]+$")
_LINE_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_\-]*)\s*[=:]\s*(.*)$")
_CONF_MODULE = re.compile(r"^(\s*module\s*=\s*)(\S+)(\s*)$")
_CONF_MODULES = re.compile(r"^(\s*modules\s*[=:]\s*)(.*?)(\s*)$")


def find_config(project: Path) -> Path | None:
    """Return the configuration file of ``project``, or ``None`` when it has none.

    Raises:
        ConfigError: ``openstack-common.conf`` exists but is no regular file.
    """
    conf = project / CONF_NAME
    if conf.is_file():
        return conf
    if conf.exists() or conf.is_symlink():
        raise ConfigError("not a regular file (a directory, or a dangling link)", conf)
    pyproject = project / PYPROJECT_NAME
    if pyproject.is_file() and _has_tool_table(pyproject):
        return pyproject
    return None


def load_project_config(project: Path, config_file: Path | None = None) -> ProjectConfig:
    """Read the settings of ``project``.

    Args:
        project: the project's root directory.
        config_file: an explicit file; otherwise ``openstack-common.conf`` or
            ``pyproject.toml`` in ``project``.

    Returns:
        The settings; a project without any configuration gets an empty one whose
        base is guessed from its ``*/openstack/common`` directory.

    Raises:
        ConfigError: the file is malformed (the error names the file and line).
    """
    path = config_file or find_config(project)
    if path is None:
        return ProjectConfig(source=None, base=guess_base(project))
    if not path.is_file():
        raise ConfigError("configuration file not found", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read it: {exc.strerror or exc}", path) from None
    if b"\0" in data:
        raise ConfigError("a binary file, not a configuration file", path)
    if path.name.endswith(".toml"):
        try:
            return parse_pyproject(data.decode("utf-8"), path)
        except UnicodeDecodeError as exc:
            raise ConfigError(f"not UTF-8 text (byte {exc.start})", path) from None
    # update.py read it with Python 2's ConfigParser: bytes; latin-1 comments happen.
    return parse_common_conf(data.decode("utf-8", errors="replace"), path)


def parse_common_conf(text: str, path: Path = Path(CONF_NAME)) -> ProjectConfig:
    """Parse the text of an ``openstack-common.conf``; see the module docstring."""
    modules: dict[str, int] = {}
    scripts: dict[str, int] = {}
    base: str | None = None
    extra: dict[str, str] = {}
    extra_lines: dict[str, int] = {}
    ignores: list[CheckIgnore] = []
    last_key: str | None = None
    section_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if raw[0] in " \t" and last_key is not None:
            # An indented line continues the previous value (ini syntax).
            _add_values(last_key, stripped, lineno, path, modules, scripts)
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise ConfigError(f"malformed section header {stripped!r}", path, lineno)
            section = stripped[1:-1].strip()
            if section_seen or section != "DEFAULT":
                raise ConfigError(
                    f"unexpected section [{section}]; settings belong in [DEFAULT]", path, lineno
                )
            section_seen = True
            last_key = None
            continue
        match = _LINE_RE.match(stripped)
        if not match:
            raise ConfigError(f"expected 'key = value', got {stripped!r}", path, lineno)
        key, value = match.group(1).lower().replace("-", "_"), match.group(2).strip()
        last_key = key if key in ("module", "modules", "script", "scripts") else None
        if key in ("module", "modules", "script", "scripts"):
            _add_values(key, value, lineno, path, modules, scripts)
        elif key == "check_ignore":
            ignores.append(parse_check_ignore(value, path, lineno))
        elif key == "base":
            if not _MODULE_RE.match(value.replace("/", ".")):
                raise ConfigError(f"invalid base {value!r}: expected a package name", path, lineno)
            if base is not None and base != value.replace("/", "."):
                raise ConfigError(f"base given twice ({base!r}, {value!r})", path, lineno)
            base = value.replace("/", ".")
        else:
            extra[key] = value
            extra_lines[key] = lineno
    rewrite = _rewrite_mode(extra.get("rewrite"), path)
    return ProjectConfig(
        source=path,
        base=base,
        modules=tuple(modules),
        scripts=tuple(scripts),
        # Named relative to the project, as the configuration file sits at its root.
        incubator=(path.parent / extra["incubator"]) if extra.get("incubator") else None,
        incubator_url=_incubator_url(
            extra.get("incubator_url"), path, extra_lines.get("incubator_url")
        ),
        package_root=_package_root(extra.get("package_root"), path, None),
        rewrite=rewrite,
        release_series=_names_list(extra.get("release_series", "")),
        check_ignores=tuple(ignores),
        module_lines=dict(modules),
    )


def parse_pyproject(text: str, path: Path = Path(PYPROJECT_NAME)) -> ProjectConfig:
    """Parse ``[tool.oslo-incubator]`` from the text of a ``pyproject.toml``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _toml_error_line(str(exc))
        raise ConfigError(f"invalid TOML: {exc}", path, line) from None
    table = data.get("tool", {}).get("oslo-incubator")
    if not isinstance(table, dict):
        raise ConfigError("no [tool.oslo-incubator] table", path)
    line = _table_line(text)
    base = _toml_str(table, "base", path, line)
    modules = _toml_list(table, "modules", path, line)
    scripts = _toml_list(table, "scripts", path, line)
    for module in modules:
        _check_module(module, path, line)
    for script in scripts:
        _check_script(script, path, line)
    incubator = _toml_str(table, "incubator", path, line)
    root = _toml_str(table, "package-root", path, line) or _toml_str(
        table, "package_root", path, line
    )
    if base is not None and not _MODULE_RE.match(base.replace("/", ".")):
        raise ConfigError(f"invalid base {base!r}: expected a package name", path, line)
    return ProjectConfig(
        source=path,
        base=base.replace("/", ".") if base else None,
        modules=tuple(dict.fromkeys(modules)),
        scripts=tuple(dict.fromkeys(scripts)),
        incubator=(path.parent / incubator) if incubator else None,
        incubator_url=_incubator_url(
            _toml_str(table, "incubator-url", path, line)
            or _toml_str(table, "incubator_url", path, line),
            path,
            line,
        ),
        package_root=_package_root(root, path, line),
        rewrite=_rewrite_mode(_toml_str(table, "rewrite", path, line), path, line),
        release_series=tuple(_toml_list(table, "release-series", path, line)),
        check_ignores=_toml_ignores(table, path, line),
        module_lines={m: line or 0 for m in modules},
    )


def parse_check_ignore(value: str, path: Path, line: int | None) -> CheckIgnore:
    """Read ``<rule> [<path glob> ...]``, as ``check_ignore =`` in
    ``openstack-common.conf`` (or a string in ``check-ignore`` of pyproject.toml) says it.

    Raises:
        ConfigError: no rule, or a rule pattern that matches no rule of ``check``.
    """
    words = value.split()
    if not words:
        raise ConfigError("check_ignore needs a rule id (and optionally path globs)", path, line)
    return _check_ignore(words[0], tuple(words[1:]), path, line)


ENV_INCUBATOR = "OSLO_INCUBATOR"


def resolve_incubator(
    option: Path | None, configs: Sequence[ProjectConfig], environ: Mapping[str, str]
) -> Path:
    """The incubator a command works with: ``--incubator``, else ``$OSLO_INCUBATOR``, else
    the ``incubator`` setting of the projects' configurations (which must agree).

    Raises:
        ConfigError: none of them names one (the message says where to set it), or the
            projects name different incubators.
    """
    if option is not None:
        return option
    if environ.get(ENV_INCUBATOR):
        return Path(environ[ENV_INCUBATOR])
    named = {c.incubator.resolve(): c for c in configs if c.incubator is not None}
    if len(named) == 1:
        return next(iter(named))
    if len(named) > 1:
        places = ", ".join(f"{c.source}: {path}" for path, c in sorted(named.items()))
        raise ConfigError(f"the projects name different incubators ({places}); pass --incubator")
    raise ConfigError(
        "no incubator: pass --incubator, set $OSLO_INCUBATOR, or set incubator= in "
        "openstack-common.conf ([DEFAULT]) or incubator = in [tool.oslo-incubator] of "
        "pyproject.toml"
    )


ENV_INCUBATOR_URL = "OSLO_INCUBATOR_URL"


def resolve_incubator_url(
    option: str | None, configs: Sequence[ProjectConfig], environ: Mapping[str, str]
) -> str | None:
    """The template for links to the incubator's commits (``{sha}`` in it): the option,
    else ``$OSLO_INCUBATOR_URL``, else the ``incubator-url`` setting of the projects'
    configurations (which must agree); ``None`` when none says.

    Raises:
        ConfigError: the option or variable is not a web address, or the projects name
            different addresses.
    """
    given = option or environ.get(ENV_INCUBATOR_URL)
    if given:
        try:
            return commit_url_template(given)
        except ValueError as exc:
            where = "--incubator-url" if option else f"${ENV_INCUBATOR_URL}"
            raise ConfigError(f"{where}: {exc}") from None
    named = {c.incubator_url: c for c in configs if c.incubator_url}
    if len(named) > 1:
        places = ", ".join(f"{c.source}: {url}" for url, c in sorted(named.items()))
        raise ConfigError(
            f"the projects name different incubator URLs ({places}); pass --incubator-url"
        )
    return next(iter(named), None)


def guess_base(project: Path, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT) -> str | None:
    """Guess the base package from where ``<base>/openstack/common`` sits, if unique
    among the project's own files (the walk every command shares)."""
    marker = f"{package_root.path}/__init__.py"
    found = {
        path[: -len(marker)].rstrip("/")
        for path in project_python_files(project)
        if path == marker or path.endswith("/" + marker)
    }
    if len(found) != 1:
        return None
    return found.pop().replace("/", ".") or None


def private_copies_conf(package: str, modules: tuple[str, ...]) -> str:
    """The library's ``openstack-common.conf``: its private copies and its base."""
    lines = [
        "[DEFAULT]",
        "",
        "# Private copies of incubator modules this library needs until they graduate.",
        "# They are not part of its API; `oslo-incubator sync` keeps them up to date.",
        *(f"module={m}" for m in modules),
        "",
        "# The base module to hold the copy of openstack.common",
        f"base={package}",
    ]
    return "\n".join(lines) + "\n"


def remove_conf_modules(text: str, modules: Collection[str]) -> tuple[str, tuple[str, ...]]:
    """``openstack-common.conf`` without ``modules``.

    ``module=x`` lines naming one are dropped; from ``modules=a,b,c`` lists (values
    continued on indented lines too) the names are taken out, keeping the separators'
    style; a list left empty loses its lines. Comments and every other line are kept.

    Returns:
        The new text and the modules that were found and removed.
    """
    wanted = set(modules)
    removed: dict[str, None] = {}
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        body = line.rstrip("\r\n")
        index += 1
        if body.lstrip().startswith(("#", ";")):
            out.append(line)
            continue
        single = _CONF_MODULE.match(body)
        if single:
            value = single.group(2).replace("/", ".")
            if value in wanted:
                removed[value] = None
            else:
                out.append(line)
            continue
        listed = _CONF_MODULES.match(body)
        if not listed:
            out.append(line)
            continue
        group = [line]
        while index < len(lines) and lines[index][:1] in (" ", "\t") and lines[index].strip():
            group.append(lines[index])
            index += 1
        rewritten = []
        left = 0  # names left in the whole list
        for number, member in enumerate(group):
            member_body = member.rstrip("\r\n")
            ending = member[len(member_body) :]
            if number == 0:
                prefix, value = listed.group(1), listed.group(2)
            else:
                prefix = member_body[: len(member_body) - len(member_body.lstrip())]
                value = member_body.strip()
            kept, dropped = _drop_from_list(value, wanted)
            removed.update(dict.fromkeys(dropped))
            left += len([n for n in kept.split(",") if n.strip()])
            if number == 0 or kept or not dropped:
                rewritten.append(prefix + kept + ending if kept or number else
                                 prefix.rstrip() + ending)  # fmt: skip
        if left:
            out += rewritten
    return "".join(out), tuple(removed)


# Private


def _add_values(
    key: str,
    value: str,
    lineno: int,
    path: Path,
    modules: dict[str, int],
    scripts: dict[str, int],
) -> None:
    target = modules if key.startswith("module") else scripts
    for item in (v.strip() for v in value.split(",")):
        if not item:
            if key in ("module", "script"):
                raise ConfigError(f"empty {key} name", path, lineno)
            continue
        if target is modules:
            # update.py joined a module name into a path, so nova's real
            # ``module=middleware/base`` meant ``middleware.base``.
            item = item.replace("/", ".")
            _check_module(item, path, lineno)
        else:
            _check_script(item, path, lineno)
        target.setdefault(item, lineno)


def _check_script(item: str, path: Path, line: int | None) -> None:
    """A script is a path inside the project: relative, no ``..``."""
    if not _SCRIPT_RE.match(item) or ".." in item.split("/") or item.startswith("/"):
        raise ConfigError(f"invalid script path {item!r}: it must stay in the project", path, line)


def _package_root(value: str | None, path: Path, line: int | None) -> PackageRoot:
    """The package root is a relative path of package names (``openstack/common``)."""
    if not value:
        return DEFAULT_PACKAGE_ROOT
    try:
        return PackageRoot.parse(value.strip().strip("/"))
    except ValueError:
        raise ConfigError(
            f"invalid package root {value!r}: expected package names joined by '/'", path, line
        ) from None


def _incubator_url(value: str | None, path: Path, line: int | None) -> str | None:
    if not value:
        return None
    try:
        return commit_url_template(value.strip().strip("\"'"))
    except ValueError as exc:
        raise ConfigError(f"incubator-url: {exc}", path, line) from None


def _names_list(value: str) -> tuple[str, ...]:
    """``a, b,c`` as ``("a", "b", "c")`` (an ini value listing names)."""
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _check_module(name: str, path: Path, lineno: int | None) -> None:
    if not _MODULE_ENTRY_RE.match(name):
        raise ConfigError(f"invalid module name {name!r}", path, lineno)


def _rewrite_mode(value: str | None, path: Path, line: int | None = None) -> RewriteMode:
    if value is None:
        return RewriteMode.CONVENTIONS
    try:
        return RewriteMode(value.strip().strip("\"'"))
    except ValueError:
        choices = ", ".join(m.value for m in RewriteMode)
        raise ConfigError(f"unknown rewrite {value!r} (choose {choices})", path, line) from None


def _has_tool_table(path: Path) -> bool:
    return "[tool.oslo-incubator]" in path.read_text(encoding="utf-8", errors="replace")


def _table_line(text: str) -> int | None:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "[tool.oslo-incubator]":
            return lineno
    return None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _toml_str(table: dict[str, Any], key: str, path: Path, line: int | None) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"'{key}' must be a string", path, line)
    return value


def _check_ignore(rule: str, paths: tuple[str, ...], path: Path, line: int | None) -> CheckIgnore:
    if not _rule_matches_any(rule):
        known = ", ".join(RULES)
        raise ConfigError(f"check_ignore: {rule!r} matches no rule (rules: {known})", path, line)
    if any(p.startswith("/") or ".." in p.split("/") for p in paths):
        raise ConfigError("check_ignore: path globs are relative to the project", path, line)
    return CheckIgnore(rule, paths, line)


def _rule_matches_any(pattern: str) -> bool:
    """Whether ``pattern`` (an id or a glob) names at least one rule of ``check``."""
    return any(rule_matches(rule_id, [pattern]) for rule_id in RULES)


def _toml_ignores(table: dict[str, Any], path: Path, line: int | None) -> tuple[CheckIgnore, ...]:
    value = table.get("check-ignore", table.get("check_ignore", []))
    if not isinstance(value, list):
        raise ConfigError("'check-ignore' must be a list", path, line)
    found = []
    for item in value:
        if isinstance(item, str):
            found.append(parse_check_ignore(item, path, line))
            continue
        rule = item.get("rule") if isinstance(item, dict) else None
        paths = item.get("paths", []) if isinstance(item, dict) else None
        if (
            not isinstance(rule, str)
            or not isinstance(paths, list)
            or not all(isinstance(p, str) for p in paths)
        ):
            raise ConfigError(
                "'check-ignore' entries are \"<rule> <glob>...\" strings or "
                '{rule = "...", paths = [...]} tables',
                path,
                line,
            )
        found.append(_check_ignore(rule, tuple(paths), path, line))
    return tuple(found)


def _toml_list(table: dict[str, Any], key: str, path: Path, line: int | None) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings", path, line)
    return list(value)


def _drop_from_list(value: str, wanted: set[str]) -> tuple[str, list[str]]:
    trailing_comma = value.rstrip().endswith(",")
    items = [item for item in value.split(",")]
    if trailing_comma:
        items = items[:-1]
    separator = ", " if ", " in value else ","
    kept = []
    dropped = []
    for item in items:
        name = item.strip().replace("/", ".")
        if not name:
            continue
        if name in wanted:
            dropped.append(name)
        else:
            kept.append(name)
    if not dropped:
        return value, []
    text = separator.join(kept)
    if trailing_comma and kept:
        text += ","
    return text, dropped
