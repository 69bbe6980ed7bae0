"""openstack-common.conf and pyproject.toml, in every form found in the wild."""

from __future__ import annotations

from pathlib import Path

import pytest

from oslo_incubator.model.config import RewriteMode
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.workspace.config import (
    guess_base,
    load_project_config,
    parse_common_conf,
    parse_pyproject,
)


def test_repeated_module_lines_with_comments_and_blank_lines() -> None:
    config = parse_common_conf(
        "[DEFAULT]\n\n# The list of modules to copy from oslo-incubator\n"
        "module=cliutils\nmodule = config\nmodule=report.views.json\n\n"
        "# The base module to hold the copy of openstack.common\nbase=nova\n"
    )
    assert config.modules == ("cliutils", "config", "report.views.json")
    assert config.base == "nova"
    assert config.copy_dir == "nova/openstack/common"
    assert config.module_lines == {"cliutils": 4, "config": 5, "report.views.json": 6}


def test_older_comma_separated_modules_list_with_continuation_lines() -> None:
    config = parse_common_conf(
        "[DEFAULT]\nmodules=cfg,iniparser , jsonutils,\n    timeutils,local\nbase=glance\n"
    )
    assert config.modules == ("cfg", "iniparser", "jsonutils", "timeutils", "local")


def test_scripts_and_missing_section_header_are_accepted() -> None:
    config = parse_common_conf("module=log\nscript=tools/colorizer.py\nbase=heat\n")
    assert config.scripts == ("tools/colorizer.py",)
    assert config.modules == ("log",)


def test_duplicate_modules_are_kept_once_in_file_order() -> None:
    config = parse_common_conf("[DEFAULT]\nmodule=log\nmodule=gettextutils\nmodule=log\nbase=x\n")
    assert config.modules == ("log", "gettextutils")


def test_nested_base_package() -> None:
    config = parse_common_conf("[DEFAULT]\nmodule=log\nbase=foo/bar\n")
    assert config.base == "foo.bar"
    assert config.copy_dir == "foo/bar/openstack/common"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("[DEFAULT]\nmodule=log\nthis is not a setting\n", 3, "expected 'key = value'"),
        ("[DEFAULT]\nmodule=../../etc/passwd\n", 2, "invalid module name"),
        ("[DEFAULT]\nmodule=\n", 2, "empty module name"),
        ("[DEFAULT]\n[other]\nmodule=log\n", 2, "unexpected section"),
        ("[DEFAULT\nmodule=log\n", 1, "malformed section header"),
        ("[DEFAULT]\nbase=nova\nbase=glance\n", 3, "base given twice"),
        ("[DEFAULT]\nscript=/etc/passwd\n", 2, "invalid script path"),
        ("[DEFAULT]\nrewrite=sed\n", None, "unknown rewrite"),
    ],
)
def test_bad_conf_names_file_and_line(text: str, line: int | None, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_common_conf(text, Path("proj/openstack-common.conf"))
    assert caught.value.line == line
    assert reason in caught.value.message
    assert str(caught.value).startswith("proj/openstack-common.conf")


def test_pyproject_table() -> None:
    config = parse_pyproject(
        '[project]\nname = "x"\n\n[tool.oslo-incubator]\nbase = "nova"\n'
        'modules = ["log", "report.views"]\nscripts = ["tools/colorizer.py"]\n'
        'incubator = "../inc"\npackage-root = "openstack/common"\nrewrite = "update.py"\n',
        Path("/p/pyproject.toml"),
    )
    assert config.modules == ("log", "report.views")
    assert config.scripts == ("tools/colorizer.py",)
    assert config.incubator == Path("/p/../inc")
    assert config.rewrite is RewriteMode.UPDATE_PY


def test_pyproject_errors_name_the_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_pyproject('[tool.oslo-incubator]\nmodules = "log"\n', Path("pyproject.toml"))
    assert caught.value.line == 1
    with pytest.raises(ConfigError) as caught:
        parse_pyproject("[tool.oslo-incubator\n", Path("pyproject.toml"))
    assert caught.value.line == 1


def test_conf_file_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "openstack-common.conf").write_text("[DEFAULT]\nmodule=log\nbase=a\n")
    (tmp_path / "pyproject.toml").write_text('[tool.oslo-incubator]\nbase = "b"\n')
    assert load_project_config(tmp_path).base == "a"


def test_project_without_config_guesses_base(tmp_path: Path) -> None:
    (tmp_path / "cinder/openstack/common").mkdir(parents=True)
    (tmp_path / "cinder/openstack/common/__init__.py").write_text("")
    config = load_project_config(tmp_path)
    assert config.source is None
    assert config.base == "cinder"
    assert guess_base(tmp_path / "missing") is None


def test_release_series_a_project_adds_are_read_from_either_file() -> None:
    conf = parse_common_conf("[DEFAULT]\nmodule=log\nrelease-series = Hibiscus, Ivy\n")
    toml = parse_pyproject('[tool.oslo-incubator]\nrelease-series = ["Hibiscus", "Ivy"]\n')
    assert conf.release_series == toml.release_series == ("Hibiscus", "Ivy")


def test_the_base_is_guessed_from_the_files_every_command_walks(tmp_path: Path) -> None:
    for folder in ("foo/bar", ".tox/py27/lib/foo", "venv/lib/foo", "build/lib/foo"):
        (tmp_path / folder / "openstack/common").mkdir(parents=True)
        (tmp_path / folder / "openstack/common/__init__.py").write_text("")
    # Copies in a tox or virtual environment, or in build output, are not the project's.
    assert guess_base(tmp_path) == "foo.bar"
    (tmp_path / "other/openstack/common").mkdir(parents=True)
    (tmp_path / "other/openstack/common/__init__.py").write_text("")
    assert guess_base(tmp_path) is None  # two candidates: no guess
