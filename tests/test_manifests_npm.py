"""npm manifest parsers (lint/parsers/manifests): package.json,
package-lock.json / npm-shrinkwrap.json (v1, v2, v3), yarn.lock (v1 and
berry) and pnpm-lock.yaml (v5, v6, v9).

Every parsed dependency is checked to sit exactly on its name in the text
(check_positions), on top of the exact (name, normalized, section, spec,
direct, registry, alias) rows each test expects.
"""
from __future__ import annotations

import json
import time

import pytest

from lambda_secrets_lint.testing import assert_manifest_fuzz_safe

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests import ManifestError, parse_manifest
from lambda_secrets_lint.parsers.manifests.collector import MAX_ISSUES

Row = tuple[str, str, str, str, bool, bool, str]

SECRET = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"


def rows(manifest: Manifest) -> list[Row]:
    return [(d.name, d.normalized, d.section, d.spec, d.direct, d.registry, d.alias) for d in manifest.dependencies]


def check_positions(text: str, manifest: Manifest) -> None:
    """Each dependency's span covers exactly its name's characters, on one line."""
    lines = text.splitlines()
    for dep in manifest.dependencies:
        span = dep.location.span
        assert dep.location.path == manifest.path
        assert dep.ecosystem is Ecosystem.NPM
        assert span.line == span.end_line, dep
        written = lines[span.line - 1][span.col - 1 : span.end_col - 1]
        assert written == dep.name, (dep.name, written, span)


def parse(path: str, text: str) -> Manifest:
    manifest = parse_manifest(path, text)
    check_positions(text, manifest)
    return manifest


GARBAGE = "".join(chr(c) for c in range(1, 0x800, 3)) * 5


@pytest.mark.parametrize("name", ["package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"])
@pytest.mark.parametrize("text", ["", "\n", " \r\n\t"])
def test_empty_file_is_an_empty_manifest(name: str, text: str) -> None:
    manifest = parse_manifest(name, text)
    assert manifest.dependencies == () and manifest.issues == ()
    assert manifest.ecosystem is Ecosystem.NPM and manifest.kind == name


# -- package.json ------------------------------------------------------------------

PACKAGE_JSON = """\
{
  "name": "orders-api",
  "version": "1.4.0",
  "private": true,
  "scripts": {"build": "esbuild src/index.ts --bundle", "test": "jest"},
  "dependencies": {
    "@aws-sdk/client-secrets-manager": "^3.421.0",
    "@middy/core": "4.6.5",
    "lodash": "^4.17.21",
    "my-lodash": "npm:lodash@^4.17.0",
    "scoped-alias": "npm:@types/node@^20",
    "internal-utils": "git+ssh://git@github.com:acme/internal-utils.git#v2.1.0",
    "shorthand": "acme/shorthand#main",
    "gh": "github:acme/gh-lib",
    "tarball": "https://example.com/pkgs/tarball-1.0.0.tgz",
    "local-lib": "file:../local-lib",
    "linked": "link:../linked",
    "ws-pkg": "workspace:^",
    "portal-pkg": "portal:../portal",
    "JSONStream": "latest",
    "next-tag": "next",
    "any": "*"
  },
  "devDependencies": {
    "@types/aws-lambda": "^8.10.119",
    "typescript": "~5.2.2",
    "lodash": "4.17.21"
  },
  "optionalDependencies": {"fsevents": "^2.3.3"},
  "peerDependencies": {"react": ">=17 <19"},
  "bundleDependencies": ["lodash"],
  "bundledDependencies": ["lodash"],
  "workspaces": ["packages/*"]
}
"""


def test_package_json_sections_specs_and_aliases() -> None:
    manifest = parse("services/orders/package.json", PACKAGE_JSON)
    assert manifest.kind == "package.json" and manifest.ecosystem is Ecosystem.NPM
    assert rows(manifest) == [
        ("@aws-sdk/client-secrets-manager", "@aws-sdk/client-secrets-manager", "dependencies", "^3.421.0", True, True, ""),
        ("@middy/core", "@middy/core", "dependencies", "4.6.5", True, True, ""),
        ("lodash", "lodash", "dependencies", "^4.17.21", True, True, ""),
        ("lodash", "lodash", "dependencies", "^4.17.0", True, True, "my-lodash"),
        ("@types/node", "@types/node", "dependencies", "^20", True, True, "scoped-alias"),
        ("internal-utils", "internal-utils", "dependencies", "git+ssh://git@github.com:acme/internal-utils.git#v2.1.0", True, False, ""),
        ("shorthand", "shorthand", "dependencies", "acme/shorthand#main", True, False, ""),
        ("gh", "gh", "dependencies", "github:acme/gh-lib", True, False, ""),
        ("tarball", "tarball", "dependencies", "https://example.com/pkgs/tarball-1.0.0.tgz", True, False, ""),
        ("local-lib", "local-lib", "dependencies", "file:../local-lib", True, False, ""),
        ("linked", "linked", "dependencies", "link:../linked", True, False, ""),
        ("ws-pkg", "ws-pkg", "dependencies", "workspace:^", True, False, ""),
        ("portal-pkg", "portal-pkg", "dependencies", "portal:../portal", True, False, ""),
        ("JSONStream", "jsonstream", "dependencies", "latest", True, True, ""),
        ("next-tag", "next-tag", "dependencies", "next", True, True, ""),
        ("any", "any", "dependencies", "*", True, True, ""),
        ("@types/aws-lambda", "@types/aws-lambda", "devDependencies", "^8.10.119", True, True, ""),
        ("typescript", "typescript", "devDependencies", "~5.2.2", True, True, ""),
        ("lodash", "lodash", "devDependencies", "4.17.21", True, True, ""),
        ("fsevents", "fsevents", "optionalDependencies", "^2.3.3", True, True, ""),
        ("react", "react", "peerDependencies", ">=17 <19", True, True, ""),
    ]
    assert manifest.issues == ()
    deps = manifest.dependencies
    assert deps[0].location.span == Span(7, 6, 7, 37)  # the key, without its quotes
    assert deps[3].location.span == Span(10, 23, 10, 29)  # "lodash" inside "npm:lodash@^4.17.0"
    assert deps[4].location.span == Span(11, 26, 11, 37)  # "@types/node" inside the alias spec


def test_package_json_bad_values_are_issues_and_the_rest_is_used() -> None:
    text = """{
  "dependencies": {
    "num": 4,
    "obj": {"version": "1"},
    "ok": "^1.0.0",
    "esc\\u0061ped": "^1",
    "bad name": "^1",
    "bad-alias": "npm:",
    "null": null
  },
  "devDependencies": ["not", "an", "object"],
  "peerDependencies": 3
}"""
    manifest = parse("package.json", text)
    assert rows(manifest) == [("ok", "ok", "dependencies", "^1.0.0", True, True, "")]
    assert [(i.message, i.line) for i in manifest.issues] == [
        ("dependencies: a version spec is not a string", 3),
        ("dependencies: a version spec is not a string", 4),
        ("dependencies: a package name is written with escape sequences", 6),
        ("dependencies: invalid package name", 7),
        ("dependencies: invalid or escaped npm: alias", 8),
        ("dependencies: a version spec is not a string", 9),
        ("devDependencies is not an object", 11),
        ("peerDependencies is not an object", 12),
    ]


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ('["lodash"]', 1, 1),
        ("\n  42\n", 2, 3),
        ('{"dependencies": {"a": "^1",}}', 1, 28),
        ('{\n  "dependencies": {\n    "a": ^1\n  }\n}', 3, 10),
        ('{"a": 1} trailing', 1, 10),
        ("[" * 5000 + "]" * 5000, 1, 401),
    ],
)
def test_package_json_whole_file_errors_have_positions(text: str, line: int, col: int) -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest("package.json", text)
    assert (caught.value.line, caught.value.col) == (line, col)


def test_json_errors_do_not_quote_the_file() -> None:
    for text in (f'{{"dependencies": {{"a": {SECRET}}}}}', f"{{'{SECRET}': 1}}", f'{{"{SECRET}\x01": 1}}'):
        with pytest.raises(ManifestError) as caught:
            parse_manifest("package.json", text)
        assert SECRET not in str(caught.value)


@pytest.mark.parametrize("name", ["package.json", "package-lock.json", "npm-shrinkwrap.json"])
def test_json_garbage_is_a_manifest_error(name: str) -> None:
    with pytest.raises(ManifestError):
        parse_manifest(name, GARBAGE)


# -- package-lock.json / npm-shrinkwrap.json ---------------------------------------

PACKAGE_LOCK_V3 = """\
{
  "name": "orders-api",
  "version": "1.4.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "orders-api",
      "version": "1.4.0",
      "workspaces": ["packages/*"],
      "dependencies": {"@middy/core": "4.6.5", "lodash": "^4.17.21", "my-lodash": "npm:lodash@^4.17.0"}
    },
    "node_modules/@middy/core": {
      "version": "4.6.5",
      "resolved": "https://registry.npmjs.org/@middy/core/-/core-4.6.5.tgz",
      "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
      "engines": {"node": ">=16"}
    },
    "node_modules/lodash": {
      "version": "4.17.21",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
      "integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="
    },
    "node_modules/my-lodash": {
      "name": "lodash",
      "version": "4.17.0",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.0.tgz"
    },
    "node_modules/@middy/core/node_modules/@types/Node": {
      "version": "20.8.0",
      "resolved": "https://registry.npmjs.org/@types/node/-/node-20.8.0.tgz",
      "dev": true
    },
    "node_modules/internal-utils": {
      "version": "2.1.0",
      "resolved": "git+ssh://git@github.com/acme/internal-utils.git#0123456789abcdef0123456789abcdef01234567"
    },
    "node_modules/gh-tarball": {
      "version": "1.0.0",
      "resolved": "https://codeload.github.com/acme/gh-tarball/tar.gz/0123456789abcdef"
    },
    "node_modules/local-lib": {"resolved": "packages/local-lib", "link": true},
    "node_modules/bundled-dep": {"version": "1.0.0", "inBundle": true},
    "packages/local-lib": {"name": "local-lib", "version": "0.0.1"},
    "node_modules/a/node_modules/lodash": {
      "version": "3.10.1",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-3.10.1.tgz"
    }
  }
}
"""

PACKAGE_LOCK_V1 = """\
{
  "name": "legacy-app",
  "version": "0.1.0",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "express": {
      "version": "4.18.2",
      "resolved": "https://registry.npmjs.org/express/-/express-4.18.2.tgz",
      "integrity": "sha512-5/PsL6iGPdfQ/lKM1UuielYgv3BUoJfz1aUwU9vHZ+J7gyvwdQXFEBIEIaxeGf0GIcreATNyBExtalisDbuMqQ==",
      "requires": {"accepts": "~1.3.8"},
      "dependencies": {
        "debug": {
          "version": "2.6.9",
          "resolved": "https://registry.npmjs.org/debug/-/debug-2.6.9.tgz",
          "dependencies": {
            "ms": {"version": "2.0.0", "resolved": "https://registry.npmjs.org/ms/-/ms-2.0.0.tgz"}
          }
        }
      }
    },
    "accepts": {"version": "1.3.8"},
    "debug": {"version": "4.3.4"},
    "my-lodash": {"version": "npm:lodash@4.17.21", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"},
    "internal-utils": {"version": "github:acme/internal-utils#0123456789abcdef", "from": "github:acme/internal-utils"},
    "local-lib": {"version": "file:../local-lib"},
    "@scope/pkg": {"version": "1.0.0", "resolved": "https://npm.pkg.example.com/@scope/pkg/-/pkg-1.0.0.tgz", "dev": true}
  }
}
"""


def test_package_lock_v3_packages() -> None:
    manifest = parse("package-lock.json", PACKAGE_LOCK_V3)
    assert manifest.kind == "package-lock.json"
    assert rows(manifest) == [
        ("@middy/core", "@middy/core", "lock", "4.6.5", False, True, ""),
        ("lodash", "lodash", "lock", "4.17.21", False, True, ""),
        ("@types/Node", "@types/node", "lock", "20.8.0", False, True, ""),
        ("internal-utils", "internal-utils", "lock", "2.1.0", False, False, ""),
        ("gh-tarball", "gh-tarball", "lock", "1.0.0", False, False, ""),
        ("local-lib", "local-lib", "lock", "", False, False, ""),
        ("bundled-dep", "bundled-dep", "lock", "1.0.0", False, True, ""),
    ]
    assert manifest.issues == ()
    deps = manifest.dependencies
    assert deps[0].location.span == Span(13, 19, 13, 30)  # after "node_modules/"
    assert deps[2].location.span == Span(29, 44, 29, 55)  # after the LAST "node_modules/"


def test_package_lock_alias_first_occurrence_keeps_the_alias() -> None:
    text = """{
  "lockfileVersion": 2,
  "packages": {
    "node_modules/my-lodash": {"name": "lodash", "version": "4.17.0"},
    "node_modules/lodash": {"version": "4.17.21"}
  },
  "dependencies": {"ignored-when-packages-exist": {"version": "1.0.0"}}
}"""
    manifest = parse("package-lock.json", text)
    assert rows(manifest) == [("lodash", "lodash", "lock", "4.17.0", False, True, "my-lodash")]
    assert manifest.dependencies[0].location.span == Span(4, 41, 4, 47)  # the "name" value


def test_package_lock_v1_dependency_tree() -> None:
    manifest = parse("npm-shrinkwrap.json", PACKAGE_LOCK_V1)
    assert manifest.kind == "npm-shrinkwrap.json"
    assert rows(manifest) == [
        ("express", "express", "lock", "4.18.2", False, True, ""),
        ("debug", "debug", "lock", "2.6.9", False, True, ""),
        ("ms", "ms", "lock", "2.0.0", False, True, ""),
        ("accepts", "accepts", "lock", "1.3.8", False, True, ""),
        ("lodash", "lodash", "lock", "4.17.21", False, True, "my-lodash"),
        ("internal-utils", "internal-utils", "lock", "github:acme/internal-utils#0123456789abcdef", False, False, ""),
        ("local-lib", "local-lib", "lock", "file:../local-lib", False, False, ""),
        ("@scope/pkg", "@scope/pkg", "lock", "1.0.0", False, True, ""),
    ]
    assert manifest.dependencies[1].location.span == Span(13, 10, 13, 15)  # the nested (first) debug


def test_package_lock_bad_entries_are_issues() -> None:
    text = """{
  "lockfileVersion": 3,
  "packages": {
    "node_modules/num": 5,
    "node_modules/": {},
    "node_modules/esc\\u0061ped": {},
    "node_modules/ok": {"version": "1.0.0"},
    "node_modules/bad-alias": {"name": "has space"}
  }
}"""
    manifest = parse("package-lock.json", text)
    assert rows(manifest) == [("ok", "ok", "lock", "1.0.0", False, True, "")]
    assert [i.line for i in manifest.issues] == [4, 5, 6, 8]
    manifest = parse("package-lock.json", '{"packages": [], "dependencies": {"x": 1, "y": {}}}')
    assert rows(manifest) == [("y", "y", "lock", "", False, True, "")]
    assert len(manifest.issues) == 2


def test_big_package_lock_is_fast() -> None:
    packages = {"": {"name": "big", "version": "1.0.0"}}
    for i in range(15000):
        name = f"@scope{i % 50}/pkg-{i}" if i % 3 == 0 else f"pkg-{i}"
        packages[f"node_modules/{name}"] = {
            "version": f"1.{i}.0",
            "resolved": f"https://registry.npmjs.org/{name}/-/pkg-{i}-1.{i}.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "dependencies": {"other": "^1.0.0"},
            "engines": {"node": ">=14"},
        }
    text = json.dumps({"name": "big", "lockfileVersion": 3, "packages": packages}, indent=2)
    assert len(text) > 5_000_000
    start = time.perf_counter()
    manifest = parse_manifest("package-lock.json", text)
    elapsed = time.perf_counter() - start
    assert len(manifest.dependencies) == 15000
    check_positions(text, manifest)
    assert elapsed < 30  # generous: a few seconds on a laptop


# -- yarn.lock ---------------------------------------------------------------------

YARN_V1 = """\
# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.22.13":
  version "7.22.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.22.13.tgz#e3c1c099402598483b7a8c46a721d1038803755e"
  integrity sha512-XktuhWlJ5g+3TJXc5upd9Ks1HutSArik6jf2eAjYFdIOf4ayfTXc4HvmMQSGDJw4aDcuDaLIZ+BWdkSGl1s4Yw==
  dependencies:
    "@babel/highlight" "^7.22.13"
    chalk "^2.4.2"

lodash@^4.17.19, lodash@^4.17.21:
  version "4.17.21"
  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"
  integrity sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==

"string-width-cjs@npm:string-width@^4.2.0", "string-width@^4.1.0":
  version "4.2.3"
  resolved "https://registry.yarnpkg.com/string-width/-/string-width-4.2.3.tgz#269c7117d27b05ad2e536830a8ec895ef9c6d010"
  dependencies:
    version "^1.0.0"

"internal-utils@git+ssh://git@github.com/acme/internal-utils.git#v2.1.0":
  version "2.1.0"
  resolved "git+ssh://git@github.com/acme/internal-utils.git#0123456789abcdef"

local-lib@file:../local-lib:
  version "0.0.1"

gh-lib@acme/gh-lib:
  version "1.0.0"

lodash@^3.0.0:
  version "3.10.1"
"""

YARN_BERRY = """\
# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@babel/core@npm:^7.0.0, @babel/core@npm:^7.12.3":
  version: 7.23.2
  resolution: "@babel/core@npm:7.23.2"
  dependencies:
    "@babel/code-frame": "npm:^7.22.13"
  checksum: 10c0/b69d7008bcfc6da5d4f3c7e5b7c6a4d9e1f0a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2
  languageName: node
  linkType: hard

"lodash@npm:^4.17.21":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"
  languageName: node
  linkType: hard

"my-lodash@npm:lodash@^4.17.0":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"

"orders-api@workspace:.":
  version: 0.0.0-use.local
  resolution: "orders-api@workspace:."
  languageName: unknown
  linkType: soft

"resolve@patch:resolve@npm%3A^1.20.0#optional!builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d"

"resolve@npm:^1.20.0":
  version: 1.22.8

"@acme/portal-pkg@portal:../portal-pkg::locator=orders-api%40workspace%3A.":
  version: 0.0.0-use.local
"""


def test_yarn_v1() -> None:
    manifest = parse("yarn.lock", YARN_V1)
    assert manifest.kind == "yarn.lock"
    assert rows(manifest) == [
        ("@babel/code-frame", "@babel/code-frame", "lock", "7.22.13", False, True, ""),
        ("lodash", "lodash", "lock", "4.17.21", False, True, ""),
        ("string-width", "string-width", "lock", "4.2.3", False, True, "string-width-cjs"),
        ("internal-utils", "internal-utils", "lock", "2.1.0", False, False, ""),
        ("local-lib", "local-lib", "lock", "0.0.1", False, False, ""),
        ("gh-lib", "gh-lib", "lock", "1.0.0", False, False, ""),
    ]
    assert manifest.issues == ()
    deps = manifest.dependencies
    assert deps[0].location.span == Span(5, 2, 5, 19)
    assert deps[1].location.span == Span(13, 1, 13, 7)
    assert deps[2].location.span == Span(18, 23, 18, 35)  # the real name inside the alias descriptor


def test_yarn_berry() -> None:
    manifest = parse("yarn.lock", YARN_BERRY)
    assert rows(manifest) == [
        ("@babel/core", "@babel/core", "lock", "7.23.2", False, True, ""),
        ("lodash", "lodash", "lock", "4.17.21", False, True, ""),
        ("orders-api", "orders-api", "lock", "0.0.0-use.local", False, False, ""),
        ("resolve", "resolve", "lock", "1.22.8", False, False, ""),
        ("@acme/portal-pkg", "@acme/portal-pkg", "lock", "0.0.0-use.local", False, False, ""),
    ]
    assert manifest.issues == ()
    assert manifest.dependencies[0].location.span == Span(8, 2, 8, 13)


def test_yarn_crlf() -> None:
    text = YARN_V1.replace("\n", "\r\n")
    manifest = parse("yarn.lock", text)
    assert [d.name for d in manifest.dependencies][:2] == ["@babel/code-frame", "lodash"]
    assert manifest.dependencies[1].location.span == Span(13, 1, 13, 7)


def test_yarn_bad_lines_are_issues() -> None:
    text = 'not a header\n"@:"\n"@scope@^1":\n"esc\\"aped@^1":\nnoversion:\nok@^1:\n  version "1.0.0"\n\tbad@^1:\n'
    manifest = parse("yarn.lock", text)
    assert rows(manifest) == [("ok", "ok", "lock", "1.0.0", False, True, "")]
    assert [i.line for i in manifest.issues] == [1, 2, 3, 4, 5, 8]


def test_yarn_garbage_never_raises() -> None:
    manifest = parse_manifest("yarn.lock", GARBAGE)
    assert len(manifest.issues) <= MAX_ISSUES + 1


# -- pnpm-lock.yaml ----------------------------------------------------------------

PNPM_V9 = """\
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@middy/core':
        specifier: ^4.6.5
        version: 4.6.5
      lodash:
        specifier: ^4.17.21
        version: 4.17.21
      my-lodash:
        specifier: npm:lodash@^4.17.0
        version: lodash@4.17.0
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
    devDependencies:
      typescript:
        specifier: ~5.2.2
        version: 5.2.2

  packages/api:
    dependencies:
      local-lib:
        specifier: workspace:*
        version: link:../local-lib
      internal-utils:
        specifier: github:acme/internal-utils
        version: https://codeload.github.com/acme/internal-utils/tar.gz/0123456789abcdef

packages:

  '@middy/core@4.6.5':
    resolution: {integrity: sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==}
    engines: {node: '>=16'}

  lodash@4.17.0:
    resolution: {integrity: sha512-BBBB==}

  lodash@4.17.21:
    resolution: {integrity: sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==}

  loose-envify@1.4.0:
    resolution: {integrity: sha512-CCCC==}
    hasBin: true

  internal-utils@https://codeload.github.com/acme/internal-utils/tar.gz/0123456789abcdef:
    resolution: {tarball: https://codeload.github.com/acme/internal-utils/tar.gz/0123456789abcdef}
    version: 2.1.0

snapshots:

  '@middy/core@4.6.5': {}

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0
      scheduler: 0.23.0
    transitivePeerDependencies:
      - supports-color

  js-tokens@4.0.0: {}
"""

PNPM_V6 = """\
lockfileVersion: '6.0'

dependencies:
  lodash:
    specifier: ^4.17.21
    version: 4.17.21
  my-lodash:
    specifier: npm:lodash@^4.17.0
    version: /lodash@4.17.0
  local-lib:
    specifier: file:../local-lib
    version: file:../local-lib

devDependencies:
  '@types/node':
    specifier: ^20.8.0
    version: 20.8.0

packages:

  /@types/node@20.8.0:
    resolution: {integrity: sha512-DDDD==}
    dev: true

  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-EEEE==}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      loose-envify: 1.4.0

  github.com/acme/gh-lib/0123456789abcdef:
    resolution: {tarball: https://codeload.github.com/acme/gh-lib/tar.gz/0123456789abcdef}
    name: gh-lib
    version: 1.0.0
    dev: false

  file:../local-lib:
    resolution: {directory: ../local-lib, type: directory}
    name: local-lib
    dev: false
"""

PNPM_V5 = """\
lockfileVersion: 5.4

specifiers:
  '@babel/core': ^7.0.0
  lodash: ^4.17.21
  my-lodash: npm:lodash@^4.17.0
  shared: link:../shared

dependencies:
  '@babel/core': 7.23.2
  lodash: 4.17.21
  my-lodash: /lodash/4.17.0
  shared: link:../shared

devDependencies:
  react-dom: 18.2.0_react@18.2.0

packages:

  /@babel/core/7.23.2:
    resolution: {integrity: sha512-FFFF==}
    engines: {node: '>=6.9.0'}
    dependencies:
      '@babel/code-frame': 7.22.13
    dev: false

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-GGGG==}
    dev: true

  /string_decoder/1.3.0:
    resolution: {integrity: sha512-HHHH==}
"""


def test_pnpm_v9() -> None:
    manifest = parse("pnpm-lock.yaml", PNPM_V9)
    assert manifest.kind == "pnpm-lock.yaml"
    assert rows(manifest) == [
        ("@middy/core", "@middy/core", "lock", "4.6.5", False, True, ""),
        ("lodash", "lodash", "lock", "4.17.21", False, True, ""),
        ("react-dom", "react-dom", "lock", "18.2.0", False, True, ""),
        ("typescript", "typescript", "lock", "5.2.2", False, True, ""),
        ("local-lib", "local-lib", "lock", "link:../local-lib", False, False, ""),
        ("internal-utils", "internal-utils", "lock", "https://codeload.github.com/acme/internal-utils/tar.gz/0123456789abcdef", False, False, ""),
        ("loose-envify", "loose-envify", "lock", "1.4.0", False, True, ""),
        ("js-tokens", "js-tokens", "lock", "4.0.0", False, True, ""),
    ]
    assert manifest.issues == ()
    deps = manifest.dependencies
    assert deps[0].location.span == Span(11, 8, 11, 19)  # inside the quotes


def test_pnpm_v9_alias_is_located_in_the_version() -> None:
    text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      my-lodash:\n        specifier: npm:lodash@^4.17.0\n        version: lodash@4.17.0\n"
    manifest = parse("pnpm-lock.yaml", text)
    assert rows(manifest) == [("lodash", "lodash", "lock", "4.17.0", False, True, "my-lodash")]
    assert manifest.dependencies[0].location.span == Span(7, 18, 7, 24)


def test_pnpm_v6() -> None:
    manifest = parse("pnpm-lock.yaml", PNPM_V6)
    assert rows(manifest) == [
        ("lodash", "lodash", "lock", "4.17.21", False, True, ""),
        ("local-lib", "local-lib", "lock", "file:../local-lib", False, False, ""),
        ("@types/node", "@types/node", "lock", "20.8.0", False, True, ""),
        ("react-dom", "react-dom", "lock", "18.2.0", False, True, ""),
        ("gh-lib", "gh-lib", "lock", "", False, False, ""),
    ]
    # lodash came first, so the alias at /lodash@4.17.0 is the same name, deduplicated.
    assert manifest.issues == ()
    assert manifest.dependencies[3].location.span == Span(25, 4, 25, 13)  # after the leading "/"
    assert manifest.dependencies[4].location.span == Span(34, 11, 34, 17)  # the name: sub-key


def test_pnpm_v6_alias_first() -> None:
    text = "lockfileVersion: '6.0'\n\ndependencies:\n  my-lodash:\n    specifier: npm:lodash@^4.17.0\n    version: /lodash@4.17.0\n"
    manifest = parse("pnpm-lock.yaml", text)
    assert rows(manifest) == [("lodash", "lodash", "lock", "4.17.0", False, True, "my-lodash")]
    assert manifest.dependencies[0].location.span == Span(6, 15, 6, 21)


def test_pnpm_v5() -> None:
    manifest = parse("pnpm-lock.yaml", PNPM_V5)
    assert rows(manifest) == [
        ("@babel/core", "@babel/core", "lock", "7.23.2", False, True, ""),
        ("lodash", "lodash", "lock", "4.17.21", False, True, ""),
        ("shared", "shared", "lock", "link:../shared", False, False, ""),
        ("react-dom", "react-dom", "lock", "18.2.0", False, True, ""),
        ("string_decoder", "string_decoder", "lock", "1.3.0", False, True, ""),
    ]
    assert manifest.issues == ()
    text = "lockfileVersion: 5.3\ndependencies:\n  my-lodash: /lodash/4.17.0\n"
    manifest = parse("pnpm-lock.yaml", text)
    assert rows(manifest) == [("lodash", "lodash", "lock", "4.17.0", False, True, "my-lodash")]
    assert manifest.dependencies[0].location.span == Span(3, 15, 3, 21)


def test_pnpm_two_documents() -> None:
    text = (
        "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    packageManagerDependencies:\n      pnpm:\n        specifier: 10.x\n        version: 10.0.0\n\n"
        "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4\n        version: 4.17.21\n"
    )
    manifest = parse("pnpm-lock.yaml", text)
    assert [d.name for d in manifest.dependencies] == ["lodash"]


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("lockfileVersion: '9.0'\npackages:\n\tlodash@1.0.0:\n", 3, 1),
        ("lockfileVersion: '9.0'\npackages:\n  \tlodash@1.0.0:\n", 3, 3),
        ("- lodash\n- react\n", 1, 1),
        ("just some text\n", 1, 1),
    ],
)
def test_pnpm_whole_file_errors(text: str, line: int, col: int) -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest("pnpm-lock.yaml", text)
    assert (caught.value.line, caught.value.col) == (line, col)


def test_pnpm_bad_entries_are_issues_and_odd_yaml_is_skipped() -> None:
    text = (
        "lockfileVersion: '9.0'\n"
        "importers:\n"
        "  .:\n"
        "    dependencies:\n"
        "      'bad name':\n"
        "        version: 1.0.0\n"
        "      \"esc\\u0061ped\": 1.0.0\n"
        "      ok:\n"
        "        specifier: ^1\n"
        "        version: 1.0.0\n"
        "packages:\n"
        "  note: |\n"
        "    lodash@1.0.0:\n"
        "      this is a block scalar\n"
        "  flow: {a: 1,\n"
        "    b@1.0.0: 2}\n"
        "  'it''s@1.0.0': {}\n"
    )
    manifest = parse("pnpm-lock.yaml", text)
    assert rows(manifest) == [("ok", "ok", "lock", "1.0.0", False, True, "")]
    assert [i.line for i in manifest.issues] == [5, 7, 17]


def test_pnpm_garbage_never_raises_anything_but_manifest_error() -> None:
    try:
        manifest = parse_manifest("pnpm-lock.yaml", GARBAGE)
    except ManifestError as exc:
        assert exc.line is not None
    else:
        assert len(manifest.issues) <= MAX_ISSUES + 1
    manifest = parse_manifest("pnpm-lock.yaml", "lockfileVersion: 9\npackages:\n" + "  " + GARBAGE.replace("\n", "\n  "))
    assert len(manifest.issues) <= MAX_ISSUES + 1


FUZZ_SAMPLES = [
    ("package.json", PACKAGE_JSON),
    ("package-lock.json", PACKAGE_LOCK_V3),
    ("npm-shrinkwrap.json", PACKAGE_LOCK_V1),
    ("yarn.lock", YARN_V1),
    ("yarn.lock", YARN_BERRY),
    ("pnpm-lock.yaml", PNPM_V9),
    ("pnpm-lock.yaml", PNPM_V6),
    ("pnpm-lock.yaml", PNPM_V5),
]


# -- mutation fuzz: only ManifestError escapes, and every span stays exact ----------

@pytest.mark.parametrize(("name", "sample"), FUZZ_SAMPLES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(FUZZ_SAMPLES)])
def test_mutated_samples_never_crash_and_spans_stay_exact(name: str, sample: str) -> None:
    assert_manifest_fuzz_safe(name, sample)