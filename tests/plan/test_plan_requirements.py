"""Requirements files and import names → distributions, as the plan reads them."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.requirements import (
    IMPORT_TO_DISTRIBUTION,
    PYTHON2_STDLIB,
    RequirementLine,
    Requirements,
    distribution_of,
    is_stdlib,
    merge_requirements,
    parse_requirements,
    unmapped_name,
)

REQUIREMENTS = """\
# The order of packages is significant.
pbr>=0.6,!=0.7,<1.0
SQLAlchemy>=0.7.8,<=0.9.99
-e git+https://example.com/x.git#egg=x
-r other-requirements.txt
--index-url https://pypi.example.com/simple

PyYAML>=3.1.0  # for the config loader
posix_ipc
argparse; python_version < "2.7"
six>=1.6.0,\\
    !=1.7.0
not a requirement!!
"""


def test_requirements_keep_names_specifiers_and_markers_in_file_order() -> None:
    parsed = parse_requirements(REQUIREMENTS, "requirements.txt")
    assert parsed.lines == (
        RequirementLine("pbr", "!=0.7,<1.0,>=0.6", "", "requirements.txt", 2),
        RequirementLine("SQLAlchemy", "<=0.9.99,>=0.7.8", "", "requirements.txt", 3),
        RequirementLine("PyYAML", ">=3.1.0", "", "requirements.txt", 8),
        RequirementLine("posix_ipc", "", "", "requirements.txt", 9),
        RequirementLine("argparse", "", 'python_version < "2.7"', "requirements.txt", 10),
        RequirementLine("six", "!=1.7.0,>=1.6.0", "", "requirements.txt", 11),
    )


def test_requirements_report_a_line_packaging_cannot_read_instead_of_dropping_it() -> None:
    parsed = parse_requirements(REQUIREMENTS, "requirements.txt")
    (bad,) = parsed.invalid
    assert (bad.source, bad.line, bad.text) == ("requirements.txt", 13, "not a requirement!!")
    assert bad.reason


def test_merged_requirements_find_a_distribution_by_its_canonical_name() -> None:
    merged = merge_requirements(
        [
            parse_requirements(REQUIREMENTS, "requirements.txt"),
            parse_requirements("mock>=1.0\n", "test-requirements.txt"),
        ]
    )
    assert merged.find("sqlalchemy") == merged.lines[1]
    assert merged.find("posix-ipc") == merged.lines[3]
    found = merged.find("Mock")
    assert found is not None and found.source == "test-requirements.txt"
    assert merged.find("eventlet") is None


def test_standard_library_names_of_python_3_and_2_are_left_out() -> None:
    for name in ("os", "os.path", "json", "__future__", "logging.handlers"):
        assert distribution_of(name, Requirements()).stdlib, name
    for name in ("urlparse", "ConfigParser", "cPickle", "StringIO", "httplib", "Queue"):
        assert distribution_of(name, Requirements()).stdlib, name
    for name in ("__builtin__", "cStringIO", "urllib2", "commands"):
        assert distribution_of(name, Requirements()).stdlib, name


def test_names_spelled_differently_from_their_distribution_are_mapped() -> None:
    reqs = parse_requirements(REQUIREMENTS, "requirements.txt")
    yaml = distribution_of("yaml", reqs)
    assert (yaml.distribution, yaml.requirement) == ("PyYAML", reqs.lines[2])
    expected = {
        "sqlalchemy.orm": "SQLAlchemy",
        "memcache": "python-memcached",
        "keystoneclient.middleware.auth_token": "python-keystoneclient",
        "oslo.config.cfg": "oslo.config",
        "oslo_config": "oslo.config",
        "oslo.i18n": "oslo.i18n",
        "oslo.messaging.rpc": "oslo.messaging",
        "oslo_concurrency.lockutils": "oslo.concurrency",
        "Crypto.Cipher": "pycrypto",
        "dateutil.parser": "python-dateutil",
        "qpid.messaging": "qpid-python",
        "zmq": "pyzmq",
        "routes.middleware": "Routes",
        "webob.exc": "WebOb",
        "paste.urlmap": "Paste",
        "paste.deploy": "PasteDeploy",
        "babel.messages": "Babel",
        "migrate.versioning": "sqlalchemy-migrate",
        "six.moves": "six",
    }
    for name, distribution in expected.items():
        assert distribution_of(name, Requirements()).distribution == distribution, name


def test_a_listed_name_resolves_to_its_requirement_without_a_mapping() -> None:
    reqs = parse_requirements(REQUIREMENTS, "requirements.txt")
    resolved = distribution_of("posix_ipc", reqs)
    assert (resolved.distribution, resolved.requirement) == ("posix_ipc", reqs.lines[3])


def test_an_unknown_name_is_unmapped_and_reported_by_its_top_level_package() -> None:
    resolved = distribution_of("frobnicate.core", Requirements())
    assert resolved.unmapped
    assert unmapped_name("frobnicate.core") == "frobnicate"
    assert unmapped_name("oslo.unknown.thing") == "oslo.unknown"


def test_every_mapped_name_is_neither_stdlib_nor_unmapped() -> None:
    for name, distribution in IMPORT_TO_DISTRIBUTION.items():
        resolved = distribution_of(name, Requirements())
        assert not resolved.stdlib and resolved.distribution == distribution, name


@given(
    st.sampled_from(sorted(sys.stdlib_module_names | PYTHON2_STDLIB)), st.text("abc.", max_size=6)
)
def test_any_submodule_of_a_standard_library_module_is_standard_library(
    top: str, rest: str
) -> None:
    assert is_stdlib(top + ("." + rest.strip(".") if rest.strip(".") else ""))


@given(
    st.from_regex(r"[A-Za-z]([A-Za-z0-9_\-]{0,9}[A-Za-z0-9])?", fullmatch=True),
    st.lists(st.sampled_from([">=1.0", "<2", "!=1.5", "==1.2.3"]), max_size=3, unique=True),
    st.sampled_from(["", "  # why", "\t#c"]),
)
def test_any_plain_requirement_line_is_read_with_its_specifier(
    name: str, specifiers: list[str], comment: str
) -> None:
    (line,) = parse_requirements(f"{name}{','.join(specifiers)}{comment}\n", "r.txt").lines
    assert line.name == name
    assert sorted(s for s in line.specifier.split(",") if s) == sorted(specifiers)
