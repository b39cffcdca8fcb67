"""PyPI manifest parsers (lint/parsers/manifests): requirements files,
pyproject.toml, Pipfile, setup.cfg, Pipfile.lock, poetry.lock, uv.lock.

Every parsed dependency is checked to sit exactly on its name in the text
(check_positions), on top of the exact (name, normalized, section, spec,
direct, registry, alias) rows each test expects.
"""
from __future__ import annotations

import dataclasses
import sys
import time

import pytest

from lambda_secrets_lint.testing import assert_manifest_fuzz_safe

from lambda_secrets_lint.model.dependencies import Dependency, Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests import ManifestError, manifest_kind, parse_manifest
from lambda_secrets_lint.parsers.manifests.collector import MAX_ISSUES

Row = tuple[str, str, str, str, bool, bool, str]


def rows(manifest: Manifest) -> list[Row]:
    return [(d.name, d.normalized, d.section, d.spec, d.direct, d.registry, d.alias) for d in manifest.dependencies]


def check_positions(text: str, manifest: Manifest) -> None:
    """Each dependency's span covers exactly its name's characters, on one line."""
    lines = text.splitlines()
    for dep in manifest.dependencies:
        span = dep.location.span
        assert dep.location.path == manifest.path
        assert dep.ecosystem is manifest.ecosystem
        assert span.line == span.end_line, dep
        written = lines[span.line - 1][span.col - 1 : span.end_col - 1]
        assert written == dep.name, (dep.name, written, span)


def parse(path: str, text: str, kind: str | None = None) -> Manifest:
    manifest = parse_manifest(path, text, kind)
    check_positions(text, manifest)
    return manifest


def test_check_positions_catches_a_wrong_span() -> None:
    text = "requests==2.31.0\n"
    manifest = parse_manifest("requirements.txt", text)
    dep = manifest.dependencies[0]
    moved = dataclasses.replace(dep, location=dataclasses.replace(dep.location, span=Span(1, 2, 1, 10)))
    with pytest.raises(AssertionError):
        check_positions(text, dataclasses.replace(manifest, dependencies=(moved,)))


# -- manifest_kind / parse_manifest ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("requirements.txt", "requirements"),
        ("svc/requirements-dev.txt", "requirements"),
        ("requirements_test.in", "requirements"),
        ("pyproject.toml", "pyproject"),
        ("a/Pipfile", "pipfile"),
        ("setup.cfg", "setup.cfg"),
        ("Pipfile.lock", "pipfile.lock"),
        ("poetry.lock", "poetry.lock"),
        ("uv.lock", "uv.lock"),
        ("web/package.json", "package.json"),
        ("package-lock.json", "package-lock.json"),
        ("npm-shrinkwrap.json", "npm-shrinkwrap.json"),
        ("yarn.lock", "yarn.lock"),
        ("pnpm-lock.yaml", "pnpm-lock.yaml"),
        ("notes.txt", None),
        ("dev-requirements.txt", None),
        ("requirements.txt.bak", None),
        ("requirements/base.txt", None),
        ("setup.py", None),
        ("pipfile", None),
    ],
)
def test_manifest_kind(path: str, kind: str | None) -> None:
    assert manifest_kind(path) == kind


def test_unknown_file_name_or_kind_is_a_manifest_error() -> None:
    with pytest.raises(ManifestError):
        parse_manifest("notes.txt", "requests\n")
    with pytest.raises(ManifestError):
        parse_manifest("requirements.txt", "requests\n", kind="gemfile")


def test_constraints_file_parses_with_an_explicit_kind() -> None:
    manifest = parse("constraints.txt", "urllib3<2\n", kind="requirements")
    assert rows(manifest) == [("urllib3", "urllib3", "requirements", "<2", True, True, "")]


@pytest.mark.parametrize("name", ["requirements.txt", "pyproject.toml", "Pipfile", "setup.cfg", "Pipfile.lock", "poetry.lock", "uv.lock"])
@pytest.mark.parametrize("text", ["", "\n\n", "  \n\t\n", "\ufeff"])
def test_empty_file_is_an_empty_manifest(name: str, text: str) -> None:
    manifest = parse_manifest(name, text)
    assert manifest.dependencies == () and manifest.issues == () and manifest.includes == ()
    assert manifest.ecosystem is Ecosystem.PYPI


def test_importing_the_package_does_not_import_the_heavy_parsers() -> None:
    import subprocess

    code = (
        "import sys, lambda_secrets_lint.parsers.manifests as m;"
        "heavy = [n for n in ('packaging.requirements', 'tomllib', 'yaml', 'lambda_secrets_lint.parsers.cfn_json') if n in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


# -- requirements files ------------------------------------------------------------

REQUIREMENTS = r"""# Production dependencies for the orders service
--index-url https://pypi.org/simple
--extra-index-url https://pkgs.example.com/simple/
-r requirements/base.txt
--constraint ../constraints.txt
-c constraints/extra.txt

requests[socks]==2.31.0 \
    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f \
    --hash=sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1
boto3>=1.28,<2.0  # AWS SDK
Django==4.2.7 ; python_version >= "3.8"
zope.interface>=5.0
typing_extensions; python_version < "3.11"   # expect: LSL401
python-dateutil \
    ==2.8.2
  \
flask==3.0.0
-e git+https://github.com/acme/internal-lib.git@v1.2#egg=internal_lib
-e ./local-package
--editable=.
mypkg @ https://files.example.com/mypkg-1.0.tar.gz
./wheels/custom-1.0-py3-none-any.whl
custom2-1.0-py3-none-any.whl
../shared/lib
https://example.com/archive.zip#egg=archived
https://example.com/no-name.zip
git+https://github.com/acme/other.git#egg=other-tool
--pre
--only-binary :all:
--find-links ./dist
--require-hashes
    urllib3 >= 1.26 , < 3    --hash=sha256:abc
"""


def test_requirements_realistic_file() -> None:
    manifest = parse("services/api/requirements.txt", REQUIREMENTS)
    assert manifest.kind == "requirements" and manifest.ecosystem is Ecosystem.PYPI
    assert rows(manifest) == [
        ("requests", "requests", "requirements", "==2.31.0", True, True, ""),
        ("boto3", "boto3", "requirements", ">=1.28,<2.0", True, True, ""),
        ("Django", "django", "requirements", "==4.2.7", True, True, ""),
        ("zope.interface", "zope-interface", "requirements", ">=5.0", True, True, ""),
        ("typing_extensions", "typing-extensions", "requirements", "", True, True, ""),
        ("python-dateutil", "python-dateutil", "requirements", "==2.8.2", True, True, ""),
        ("flask", "flask", "requirements", "==3.0.0", True, True, ""),
        ("internal_lib", "internal-lib", "requirements", "git+https://github.com/acme/internal-lib.git@v1.2", True, False, ""),
        ("mypkg", "mypkg", "requirements", "https://files.example.com/mypkg-1.0.tar.gz", True, False, ""),
        ("archived", "archived", "requirements", "https://example.com/archive.zip", True, False, ""),
        ("other-tool", "other-tool", "requirements", "git+https://github.com/acme/other.git", True, False, ""),
        ("urllib3", "urllib3", "requirements", ">= 1.26 , < 3", True, True, ""),
    ]
    assert manifest.includes == (
        "services/api/requirements/base.txt",
        "services/constraints.txt",
        "services/api/constraints/extra.txt",
    )
    assert manifest.issues == ()
    # The name that follows a bare continuation line is on the next physical line.
    flask = manifest.dependencies[6]
    assert flask.location.span == Span(18, 1, 18, 6)
    # The egg name inside an editable VCS URL.
    assert manifest.dependencies[7].location.span.line == 19


def test_requirements_name_after_continuations_keeps_its_column() -> None:
    text = "--hash=sha256:00 \\\n    --hash=sha256:11\nfoo \\\n  \\\n   bar\n"
    # pip joins "foo " + "  " + "   bar": an invalid requirement, reported at its first line.
    manifest = parse("requirements.txt", text)
    assert [i.line for i in manifest.issues] == [1, 3]


def test_lines_end_at_newline_only() -> None:
    # The same convention as the JSON template loader: "\r\n" and "\n" end a
    # line; a lone "\r", U+2028 or a form feed inside a line is content.
    text = "# note\u2028more\x0cnote\nrequests==2.0\n"
    manifest = parse_manifest("requirements.txt", text)
    assert manifest.dependencies[0].location.span == Span(2, 1, 2, 9)


def test_bom_is_not_counted() -> None:
    manifest = parse_manifest("requirements.txt", "\ufeffrequests\n")
    assert manifest.dependencies[0].location.span == Span(1, 1, 1, 9)
    manifest = parse_manifest("pyproject.toml", '\ufeff[project]\ndependencies = ["x"]\n')
    assert manifest.dependencies[0].location.span == Span(2, 18, 2, 19)


def test_requirements_crlf_and_tabs() -> None:
    text = "# deps\r\nrequests==2.0\r\n\tboto3  # sdk\r\n"
    manifest = parse("requirements.txt", text)
    assert [(d.name, d.spec, d.location.span) for d in manifest.dependencies] == [
        ("requests", "==2.0", Span(2, 1, 2, 9)),
        ("boto3", "", Span(3, 2, 3, 7)),
    ]


def test_requirements_comment_rules_follow_pip() -> None:
    text = (
        "#requests\n"  # a comment
        "foo#bar\n"  # not a comment: no whitespace before '#', and an invalid requirement
        "baz # qux\n"
        "# trailing backslash in a comment does not continue \\\n"
        "six\n"
    )
    manifest = parse("requirements.txt", text)
    assert [d.name for d in manifest.dependencies] == ["baz", "six"]
    assert [(i.message, i.line) for i in manifest.issues] == [("invalid requirement", 2)]


def test_requirements_includes_are_normalised_and_remote_ones_ignored() -> None:
    text = "-r ./base.txt\n--requirement=../common/dev.txt\n-rextra.txt\n-c https://example.com/c.txt\n-r 'with space.txt'\n"
    manifest = parse("a/b/requirements.in", text)
    assert manifest.includes == ("a/b/base.txt", "a/common/dev.txt", "a/b/extra.txt", "a/b/with space.txt")
    assert manifest.dependencies == ()


def test_requirements_bad_lines_are_issues_and_the_rest_is_used() -> None:
    text = (
        "requests==\n"
        "good==1.0\n"
        "--frobnicate\n"
        "-r\n"
        "-e 'unterminated\n"
        "-e git+https://github.com/acme/x.git#egg=-bad-\n"
        "also-good\n"
    )
    manifest = parse("requirements.txt", text)
    assert [d.name for d in manifest.dependencies] == ["good", "also-good"]
    assert [(i.message, i.line) for i in manifest.issues] == [
        ("invalid requirement", 1),
        ("unsupported option in a requirements file", 3),
        ("option is missing its value", 4),
        ("unbalanced quotes in option line", 5),
        ("invalid #egg= project name", 6),
    ]


def test_requirements_name_split_by_a_continuation_is_an_issue() -> None:
    manifest = parse("requirements.txt", "req\\\nuests==2.0\n")
    assert manifest.dependencies == ()
    assert [i.line for i in manifest.issues] == [1]


def test_requirements_garbage_never_raises_and_issues_are_capped() -> None:
    garbage = "".join(chr(c) for c in range(1, 0x3000, 7)) * 30
    manifest = parse_manifest("requirements.txt", garbage)
    assert len(manifest.issues) <= MAX_ISSUES + 1
    lines = "\n".join(f"bad line {i} ((" for i in range(200))
    manifest = parse_manifest("requirements.txt", lines)
    assert len(manifest.issues) == MAX_ISSUES + 1
    assert manifest.issues[-1].message == f"{200 - MAX_ISSUES} more problem(s) not listed"


def test_requirements_deeply_nested_marker_is_an_issue() -> None:
    text = "foo; " + "(" * 5000 + 'python_version < "3"' + ")" * 5000 + "\nbar\n"
    manifest = parse("requirements.txt", text)
    assert [d.name for d in manifest.dependencies] == ["bar"]
    assert [i.line for i in manifest.issues] == [1]


def test_requirements_nul_in_a_marker_is_an_issue() -> None:
    # packaging's marker parser raises SyntaxError (not InvalidRequirement) here.
    manifest = parse("requirements.txt", 'foo; python_version < "3\x00"\nbar\n')
    assert [d.name for d in manifest.dependencies] == ["bar"]
    assert [i.line for i in manifest.issues] == [1]
    manifest = parse("setup.cfg", '[options]\ninstall_requires =\n    foo; python_version<"3\x00"\n    bar\n')
    assert [d.name for d in manifest.dependencies] == ["bar"]


def test_issue_messages_do_not_quote_the_file() -> None:
    secret = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"
    manifest = parse("requirements.txt", f"--index-url {secret}\n{secret}==\n--token={secret}\n")
    assert manifest.issues
    assert all(secret not in issue.message for issue in manifest.issues)


# -- pyproject.toml ----------------------------------------------------------------

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "orders-service"
version = "1.0.0"
requires-python = ">=3.10"
dependencies = [
    "boto3>=1.28",          # AWS SDK
    "requests[socks] >= 2.31, <3",
    'pydantic>=2; python_version >= "3.8"',
    "internal-lib @ git+https://github.com/acme/internal-lib.git@v1.2",
    "  Jinja2",
]

[project.optional-dependencies]
dev = ["pytest>=7.4", "Black==23.9.1"]
aws = [
  "aws-lambda-powertools[tracer]~=2.26",
]

[dependency-groups]
test = ["pytest-cov", {include-group = "lint"}]
lint = ["ruff>=0.1"]

[tool.black]
line-length = 100
"""

POETRY = """\
[tool.poetry]
name = "orders"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
"zope.interface" = "^5"
django = { version = "^4.2", extras = ["bcrypt"] }
my-lib = { git = "https://github.com/acme/my-lib.git", branch = "main" }
local-pkg = { path = "../local-pkg", develop = true }
numpy = [
    { version = "<1.25", python = "<3.9" },
    { version = "^1.26", python = ">=3.9" },
]
attrs.version = "^23"
'single-quoted' = "*"

[tool.poetry.dev-dependencies]
mypy = "^1.5"

[tool.poetry.group.docs.dependencies]
mkdocs = "^1.5"

[tool.poetry.group.docs.dependencies.mkdocs-material]
version = "^9"
"""


def test_pyproject_pep621_pep735_and_build_system() -> None:
    manifest = parse("pyproject.toml", PYPROJECT)
    assert manifest.kind == "pyproject"
    assert rows(manifest) == [
        ("setuptools", "setuptools", "build-system.requires", ">=68", True, True, ""),
        ("wheel", "wheel", "build-system.requires", "", True, True, ""),
        ("boto3", "boto3", "project.dependencies", ">=1.28", True, True, ""),
        ("requests", "requests", "project.dependencies", ">= 2.31, <3", True, True, ""),
        ("pydantic", "pydantic", "project.dependencies", ">=2", True, True, ""),
        ("internal-lib", "internal-lib", "project.dependencies", "git+https://github.com/acme/internal-lib.git@v1.2", True, False, ""),
        ("Jinja2", "jinja2", "project.dependencies", "", True, True, ""),
        ("pytest", "pytest", "project.optional-dependencies.dev", ">=7.4", True, True, ""),
        ("Black", "black", "project.optional-dependencies.dev", "==23.9.1", True, True, ""),
        ("aws-lambda-powertools", "aws-lambda-powertools", "project.optional-dependencies.aws", "~=2.26", True, True, ""),
        ("pytest-cov", "pytest-cov", "dependency-groups.test", "", True, True, ""),
        ("ruff", "ruff", "dependency-groups.lint", ">=0.1", True, True, ""),
    ]
    assert manifest.issues == ()
    assert manifest.dependencies[6].location.span == Span(14, 8, 14, 14)  # after the leading spaces


def test_pyproject_poetry_tables() -> None:
    manifest = parse("svc/pyproject.toml", POETRY)
    assert rows(manifest) == [
        ("zope.interface", "zope-interface", "tool.poetry.dependencies", "^5", True, True, ""),
        ("django", "django", "tool.poetry.dependencies", "^4.2", True, True, ""),
        ("my-lib", "my-lib", "tool.poetry.dependencies", "", True, False, ""),
        ("local-pkg", "local-pkg", "tool.poetry.dependencies", "", True, False, ""),
        ("numpy", "numpy", "tool.poetry.dependencies", "<1.25 || ^1.26", True, True, ""),
        ("attrs", "attrs", "tool.poetry.dependencies", "^23", True, True, ""),
        ("single-quoted", "single-quoted", "tool.poetry.dependencies", "*", True, True, ""),
        ("mypy", "mypy", "tool.poetry.dev-dependencies", "^1.5", True, True, ""),
        ("mkdocs", "mkdocs", "tool.poetry.group.docs.dependencies", "^1.5", True, True, ""),
        ("mkdocs-material", "mkdocs-material", "tool.poetry.group.docs.dependencies", "^9", True, True, ""),
    ]
    assert manifest.issues == ()
    spans = {d.name: d.location.span for d in manifest.dependencies}
    assert spans["zope.interface"] == Span(7, 2, 7, 16)  # inside the quotes
    assert spans["attrs"] == Span(15, 1, 15, 6)  # the first part of a dotted key
    assert spans["mkdocs-material"] == Span(24, 38, 24, 53)  # the last part of a table header


def test_pyproject_poetry_dotted_keys_from_the_root() -> None:
    text = 'tool.poetry.dependencies.httpx = "^0.25"\ntool . poetry . dependencies . "Flask" = { version = "^3" }\n\n[project]\nname = "x"\n'
    manifest = parse("pyproject.toml", text)
    assert rows(manifest) == [
        ("httpx", "httpx", "tool.poetry.dependencies", "^0.25", True, True, ""),
        ("Flask", "flask", "tool.poetry.dependencies", "^3", True, True, ""),
    ]
    assert [d.location.span for d in manifest.dependencies] == [Span(1, 26, 1, 31), Span(2, 33, 2, 38)]


def test_pyproject_same_string_twice_is_located_at_each_occurrence() -> None:
    text = '[project]\ndependencies = ["requests", "requests>=2"]\n[project.optional-dependencies]\nx = [\n  "requests",\n]\n'
    manifest = parse("pyproject.toml", text)
    assert [d.location.span for d in manifest.dependencies] == [Span(2, 18, 2, 26), Span(2, 30, 2, 38), Span(5, 4, 5, 12)]


def test_pyproject_strings_with_escapes_or_multiline_are_issues_not_guesses() -> None:
    text = '[project]\ndependencies = [\n  "\\u0072equests",\n  """boto3""",\n  """\npyyaml""",\n  "six>=1\\t",\n]\n'
    manifest = parse("pyproject.toml", text)
    # """boto3""" is written exactly as its value; "six>=1\t" has its escape after the name.
    assert [d.name for d in manifest.dependencies] == ["boto3", "six"]
    assert [i.line for i in manifest.issues] == [3, 5]
    assert all("cannot locate" in i.message for i in manifest.issues)


def test_pyproject_escaped_poetry_key_is_an_issue_not_a_guess() -> None:
    text = '[tool.poetry.dependencies]\n"zope\\u002einterface" = "^5"\nrequests = "^2"\n'
    manifest = parse("pyproject.toml", text)
    assert [d.name for d in manifest.dependencies] == ["requests"]
    assert [(i.message, i.line) for i in manifest.issues] == [("tool.poetry.dependencies: cannot locate a package name (escaped key)", 2)]


def test_pyproject_wrong_types_and_invalid_requirements_are_issues() -> None:
    text = """\
[project]
dependencies = "requests"
optional-dependencies = ["x"]

[dependency-groups]
dev = [42, "ok-pkg", "bad ==", {include = "x"}]

[tool.poetry.dependencies]
good = "^1"
weird = 3
"not a name" = "^1"

[tool.poetry.group.x]
dependencies = ["a"]
"""
    manifest = parse("pyproject.toml", text)
    assert [d.name for d in manifest.dependencies] == ["ok-pkg", "good"]
    assert [(i.message, i.line) for i in manifest.issues] == [
        ("project.dependencies is not an array", 2),
        ("project.optional-dependencies is not a table", 3),
        ("dependency-groups.dev: an entry is not a string", 6),
        ("dependency-groups.dev: invalid requirement", 6),
        ("dependency-groups.dev: an entry is not a string", 6),
        ("tool.poetry.dependencies: a dependency value is neither a string, a table nor an array of tables", 10),
        ("tool.poetry.dependencies: invalid package name", 11),
        ("tool.poetry.group.x.dependencies is not a table", 14),
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[project]\ndependencies = [\n  'requests'\n  'boto3',\n]\n", 4),
        ("[project\n", 1),
        ("a = 1\na = 2\n", 2),
        ("x = \x00\n", 1),
    ],
)
def test_pyproject_invalid_toml_is_a_manifest_error_with_a_position(text: str, line: int) -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest("pyproject.toml", text)
    assert caught.value.line == line and caught.value.col is not None
    assert caught.value.message.startswith("invalid TOML")
    assert str(caught.value).startswith(f"line {line}, column ")


def test_toml_errors_do_not_quote_the_file() -> None:
    secret = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"
    with pytest.raises(ManifestError) as caught:
        parse_manifest("pyproject.toml", f"[project]\ndependencies = [{secret}]\n")
    assert secret not in str(caught.value)


def test_deeply_nested_toml_does_not_crash() -> None:
    text = "x = " + "[" * 3000 + "]" * 3000 + '\n[project]\ndependencies = ["requests"]\n'
    try:
        manifest = parse("pyproject.toml", text)
    except ManifestError:
        return
    assert [d.name for d in manifest.dependencies] == ["requests"]


def test_garbage_toml_is_a_manifest_error() -> None:
    garbage = "".join(chr(c) for c in range(1, 0x800, 3))
    for name in ("pyproject.toml", "Pipfile", "poetry.lock", "uv.lock"):
        with pytest.raises(ManifestError):
            parse_manifest(name, garbage)


# -- Pipfile -----------------------------------------------------------------------

PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = "==2.31.0"
boto3 = "*"
django = {version = ">=4.2", extras = ["bcrypt"]}
"zope.interface" = "*"
internal-lib = {git = "https://github.com/acme/internal-lib.git", ref = "v1.2"}
local = {path = "./local", editable = true}

[dev-packages]
pytest = ">=7"
Black = {version = "==23.9.1", index = "pypi"}

[docs]
mkdocs = "*"

[requires]
python_version = "3.11"

[scripts]
test = "pytest"
"""


def test_pipfile_categories_and_value_forms() -> None:
    manifest = parse("Pipfile", PIPFILE)
    assert manifest.kind == "pipfile"
    assert rows(manifest) == [
        ("requests", "requests", "packages", "==2.31.0", True, True, ""),
        ("boto3", "boto3", "packages", "*", True, True, ""),
        ("django", "django", "packages", ">=4.2", True, True, ""),
        ("zope.interface", "zope-interface", "packages", "*", True, True, ""),
        ("internal-lib", "internal-lib", "packages", "", True, False, ""),
        ("local", "local", "packages", "", True, False, ""),
        ("pytest", "pytest", "dev-packages", ">=7", True, True, ""),
        ("Black", "black", "dev-packages", "==23.9.1", True, True, ""),
        ("mkdocs", "mkdocs", "docs", "*", True, True, ""),
    ]
    assert manifest.issues == ()


def test_pipfile_bad_values_are_issues() -> None:
    text = '[packages]\nrequests = "*"\nweird = 1.5\nlisty = ["a"]\n"bad name" = "*"\nok = "*"\n'
    manifest = parse("Pipfile", text)
    assert [d.name for d in manifest.dependencies] == ["requests", "ok"]
    assert [i.line for i in manifest.issues] == [3, 4, 5]


def test_pipfile_invalid_toml() -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest("Pipfile", '[packages]\nrequests = "*\n')
    assert caught.value.line == 2


# -- setup.cfg ---------------------------------------------------------------------

SETUP_CFG = """\
[metadata]
name = orders
version = 1.0
description = install_requires = not-a-dependency

[options]
packages = find:
python_requires = >=3.8
install_requires =
    requests>=2.31  # HTTP
    boto3

    importlib-metadata; python_version<"3.8"
    # a comment line inside the value
    ; another comment style
    Django >=4.2,<5
setup_requires = setuptools_scm>=8
tests_require = pytest; mock
Install-Requires-Ignored = nope

[options.extras_require]
dev =
    pytest>=7
    black==23.9.1
aws = aws-lambda-powertools[tracer]>=2 ; python_version>="3.8"

[flake8]
max-line-length = 100
install_requires = not-this-either
"""


def test_setup_cfg_options_and_extras() -> None:
    manifest = parse("pkg/setup.cfg", SETUP_CFG)
    assert manifest.kind == "setup.cfg"
    assert rows(manifest) == [
        ("requests", "requests", "options.install_requires", ">=2.31", True, True, ""),
        ("boto3", "boto3", "options.install_requires", "", True, True, ""),
        ("importlib-metadata", "importlib-metadata", "options.install_requires", "", True, True, ""),
        ("Django", "django", "options.install_requires", ">=4.2,<5", True, True, ""),
        ("setuptools_scm", "setuptools-scm", "options.setup_requires", ">=8", True, True, ""),
        ("pytest", "pytest", "options.tests_require", "", True, True, ""),
        ("mock", "mock", "options.tests_require", "", True, True, ""),
        ("pytest", "pytest", "options.extras_require.dev", ">=7", True, True, ""),
        ("black", "black", "options.extras_require.dev", "==23.9.1", True, True, ""),
        ("aws-lambda-powertools", "aws-lambda-powertools", "options.extras_require.aws", ">=2", True, True, ""),
    ]
    assert manifest.issues == ()
    assert manifest.dependencies[6].location.span == Span(18, 25, 18, 29)  # "mock" after the ";"


def test_setup_cfg_file_directive_is_an_include() -> None:
    text = "[options]\ninstall_requires = file: requirements.txt, reqs/extra.in\n[options.extras_require]\ndev = file: ../dev.txt\n"
    manifest = parse("pkg/setup.cfg", text)
    assert manifest.dependencies == ()
    assert manifest.includes == ("pkg/requirements.txt", "pkg/reqs/extra.in", "dev.txt")


def test_setup_cfg_bad_lines_are_issues() -> None:
    text = "stray line before any section\n[options]\ninstall_requires =\n    requests==\n    six\nnot a key line\n[options.extras_require]\nx = ok-pkg\n"
    manifest = parse("setup.cfg", text)
    assert [d.name for d in manifest.dependencies] == ["six", "ok-pkg"]
    assert [(i.message, i.line, i.col) for i in manifest.issues] == [
        ("not an INI section header, key or comment", 1, 1),
        ("options.install_requires: invalid requirement", 4, 5),
        ("not an INI section header, key or comment", 6, 1),
    ]


def test_setup_cfg_garbage_never_raises() -> None:
    garbage = "".join(chr(c) for c in range(1, 0x800, 3))
    manifest = parse("setup.cfg", "[options]\ninstall_requires =\n  " + garbage.replace("\n", "\n  "))
    assert len(manifest.issues) <= MAX_ISSUES + 1


# -- Pipfile.lock ------------------------------------------------------------------

PIPFILE_LOCK = """\
{
    "_meta": {
        "hash": {"sha256": "7f0a3e3c3e1f0c2b5d6a4f8e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.11"},
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]
    },
    "default": {
        "boto3": {
            "hashes": ["sha256:5ddf24cf52c7fb6aaa332eaa08ae8c2afc8f2d1e8860680728533dd573904e32"],
            "index": "pypi",
            "markers": "python_version >= '3.7'",
            "version": "==1.28.57"
        },
        "internal-lib": {"git": "https://github.com/acme/internal-lib.git", "ref": "0123456789abcdef"},
        "Zope.Interface": {"version": "==6.0"}
    },
    "develop": {
        "pytest": {"hashes": [], "version": "==7.4.2"},
        "boto3": {"version": "==1.28.57"},
        "zope-interface": {"version": "==6.0"}
    }
}
"""


def test_pipfile_lock_categories_deduplicated() -> None:
    manifest = parse("Pipfile.lock", PIPFILE_LOCK)
    assert manifest.kind == "pipfile.lock"
    assert rows(manifest) == [
        ("boto3", "boto3", "lock", "==1.28.57", False, True, ""),
        ("internal-lib", "internal-lib", "lock", "", False, False, ""),
        ("Zope.Interface", "zope-interface", "lock", "==6.0", False, True, ""),
        ("pytest", "pytest", "lock", "==7.4.2", False, True, ""),
    ]
    assert manifest.dependencies[0].location.span == Span(9, 10, 9, 15)


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ('{"default": {"a": {"version": "==1"},}}', 1, 37),
        ("[1, 2]", 1, 1),
        ('\n\n  "just a string"', 3, 3),
        ('{"default": {"a": nan}}', 1, 19),
    ],
)
def test_pipfile_lock_whole_file_errors(text: str, line: int, col: int) -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest("Pipfile.lock", text)
    assert (caught.value.line, caught.value.col) == (line, col)


def test_pipfile_lock_bad_entries_are_issues() -> None:
    text = '{"default": {"a": "==1", "b": {"version": 2}, "c\\u0041": {}, "d": {}}, "develop": []}'
    manifest = parse("Pipfile.lock", text)
    assert rows(manifest) == [("b", "b", "lock", "", False, True, ""), ("d", "d", "lock", "", False, True, "")]
    assert len(manifest.issues) == 2


# -- poetry.lock -------------------------------------------------------------------

POETRY_LOCK = """\
# This file is automatically @generated by Poetry 1.6.1 and should not be changed by hand.

[[package]]
name = "boto3"
version = "1.28.57"
description = "The AWS SDK for Python"
optional = false
python-versions = ">= 3.7"
files = [
    {file = "boto3-1.28.57-py3-none-any.whl", hash = "sha256:5ddf24cf52c7fb6aaa332eaa08ae8c2afc8f2d1e8860680728533dd573904e32"},
    {file = "boto3-1.28.57.tar.gz", hash = "sha256:e5e4e1e5e4e1e5e4e1e5e4e1e5e4e1e5e4e1e5e4e1e5e4e1e5e4e1e5e4e1e5e4"},
]

[package.dependencies]
botocore = ">=1.31.57,<1.32.0"
jmespath = ">=0.7.1,<2.0.0"

[package.extras]
crt = ["botocore[crt] (>=1.21.0,<2.0a0)"]

[[package]]
name = "my-lib"
version = "0.1.0"
description = ""
optional = false
python-versions = "^3.11"
files = []
develop = false

[package.source]
type = "git"
url = "https://github.com/acme/my-lib.git"
reference = "main"
resolved_reference = "0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "private-sdk"
version = "2.0.0"
description = "from a private index"
optional = false
python-versions = "*"
files = []

[package.source]
type = "legacy"
url = "https://pkgs.example.com/simple"
reference = "private"

[[package]]
name = "zope.interface"
version = "6.0"
description = "Interfaces for Python"
optional = false
python-versions = ">=3.7"
files = []

[[package]]
name = "Zope-Interface"
version = "5.0"
description = "an older duplicate"
optional = false
python-versions = "*"
files = []

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "f0e1d2c3b4a59687f0e1d2c3b4a59687f0e1d2c3b4a59687f0e1d2c3b4a59687"
"""


def test_poetry_lock_packages() -> None:
    manifest = parse("poetry.lock", POETRY_LOCK)
    assert manifest.kind == "poetry.lock"
    assert rows(manifest) == [
        ("boto3", "boto3", "lock", "1.28.57", False, True, ""),
        ("my-lib", "my-lib", "lock", "0.1.0", False, False, ""),
        ("private-sdk", "private-sdk", "lock", "2.0.0", False, True, ""),
        ("zope.interface", "zope-interface", "lock", "6.0", False, True, ""),
    ]
    assert manifest.dependencies[0].location.span == Span(4, 9, 4, 14)
    assert manifest.issues == ()


def test_poetry_lock_bad_entries_are_issues() -> None:
    text = '[[package]]\nversion = "1"\n\n[[package]]\nname = 5\n\n[[package]]\nname = "ok"\n'
    manifest = parse("poetry.lock", text)
    assert [d.name for d in manifest.dependencies] == ["ok"]
    assert [i.line for i in manifest.issues] == [1, 4]
    manifest = parse("poetry.lock", 'package = "not a list"\n')
    assert manifest.dependencies == () and [i.line for i in manifest.issues] == [1]


# -- uv.lock -----------------------------------------------------------------------

UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "certifi"
version = "2023.7.22"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/98/98/c2ff18671db109c9f10ed27f5ef610ae05b73bd876664139cf95bd1429aa/certifi-2023.7.22.tar.gz", hash = "sha256:539cc1d13202e33ca466e88b2807e29f4c13049d6d87031a3c110744495cb082", size = 159517 }
wheels = [
    { url = "https://files.pythonhosted.org/packages/4c/dd/2234eab22353ffc7d94e8d13177aaa050113286e93e7b40eae01fbf7c3d9/certifi-2023.7.22-py3-none-any.whl", hash = "sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9", size = 158334 },
]

[[package]]
name = "my-lib"
version = "0.1.0"
source = { git = "https://github.com/acme/my-lib?rev=main#0123456789abcdef" }

[[package]]
name = "orders-service"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "certifi" },
    { name = "my-lib" },
    { name = "local-helper" },
]

[package.metadata]
requires-dist = [
    { name = "certifi" },
    { name = "my-lib", git = "https://github.com/acme/my-lib?rev=main" },
]

[[package]]
name = "workspace-member"
version = "0.1.0"
source = { virtual = "packages/member" }

[[package]]
name = "local-helper"
version = "0.1.0"
source = { directory = "../local-helper" }

[[package]]
name = "Typing_Extensions"
version = "4.8.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_uv_lock_packages() -> None:
    manifest = parse("uv.lock", UV_LOCK)
    assert manifest.kind == "uv.lock"
    assert rows(manifest) == [
        ("certifi", "certifi", "lock", "2023.7.22", False, True, ""),
        ("my-lib", "my-lib", "lock", "0.1.0", False, False, ""),
        ("local-helper", "local-helper", "lock", "0.1.0", False, False, ""),
        ("Typing_Extensions", "typing-extensions", "lock", "4.8.0", False, True, ""),
    ]
    assert manifest.issues == ()


def test_uv_lock_invalid_toml() -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest("uv.lock", 'version = 1\n[[package]]\nname = "x"\nname = "y"\n')
    assert caught.value.line == 4


# -- performance ---------------------------------------------------------------------


def test_big_poetry_lock_is_linear() -> None:
    entry = (
        '[[package]]\nname = "pkg-{i}"\nversion = "1.0.{i}"\ndescription = "x"\noptional = false\n'
        'python-versions = "*"\nfiles = [\n    {{file = "pkg_{i}-1.0-py3-none-any.whl", hash = "sha256:{h}"}},\n]\n\n'
        '[package.dependencies]\nother = ">=1"\n\n'
    )
    text = "".join(entry.format(i=i, h="ab" * 32) for i in range(8000))  # ~2.4 MB
    start = time.perf_counter()
    manifest = parse_manifest("poetry.lock", text)
    elapsed = time.perf_counter() - start
    assert len(manifest.dependencies) == 8000
    assert manifest.dependencies[-1].location.span.line == 13 * 7999 + 2
    assert elapsed < 20  # generous: about 1 s on a laptop; quadratic behaviour would take minutes


def test_dependency_is_frozen_and_typed() -> None:
    dep = parse_manifest("requirements.txt", "requests\n").dependencies[0]
    assert isinstance(dep, Dependency)
    with pytest.raises(dataclasses.FrozenInstanceError):
        dep.name = "x"  # type: ignore[misc]
    assert not hasattr(dep, "__dict__")  # slots


FUZZ_SAMPLES = [
    ("requirements.txt", REQUIREMENTS),
    ("pyproject.toml", PYPROJECT),
    ("pyproject.toml", POETRY),
    ("Pipfile", PIPFILE),
    ("setup.cfg", SETUP_CFG),
    ("Pipfile.lock", PIPFILE_LOCK),
    ("poetry.lock", POETRY_LOCK),
    ("uv.lock", UV_LOCK),
]


# -- mutation fuzz: only ManifestError escapes, and every span stays exact ----------

@pytest.mark.parametrize(("name", "sample"), FUZZ_SAMPLES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(FUZZ_SAMPLES)])
def test_mutated_samples_never_crash_and_spans_stay_exact(name: str, sample: str) -> None:
    assert_manifest_fuzz_safe(name, sample)