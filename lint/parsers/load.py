"""Read one file once and turn it into facts, or into an LSL000 notice.

This is the only place that touches file contents; everything downstream
works on the facts it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambda_secrets_lint.discovery import FileKind, is_cdk_out_template, looks_like_template_name, refine_kind
from lambda_secrets_lint.model.code import CodeFacts, Language
from lambda_secrets_lint.model.dependencies import Manifest
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.infra import Template
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.project import CdkContextFile, NpmManifest
from lambda_secrets_lint.parsers.textio import SourceError, read_text
from lambda_secrets_lint.suppressions import InlineDirective, scan

# How much of a non-template file's head is read to tell CDK code from handler code.
_HEAD_BYTES = 16 * 1024
# Formats whose comments can carry `lsl:` directives.
_COMMENTED = frozenset({FileKind.TEMPLATE, FileKind.SERVERLESS, FileKind.TERRAFORM})


@dataclass(frozen=True, slots=True)
class Loaded:
    kind: FileKind | None  # None: not a file any parser wants after all
    template: Template | None = None
    code: CodeFacts | None = None
    notices: tuple[Finding, ...] = ()
    directives: tuple[InlineDirective, ...] = ()
    cdk_context: CdkContextFile | None = None
    npm_manifest: NpmManifest | None = None
    manifest: Manifest | None = None  # dependencies (LSL401/402)


def _notice(path: str, message: str, line: int | None = None, col: int | None = None) -> Finding:
    line = line or 1
    col = col or 1
    return Finding(
        rule_id="LSL000",
        rule_name="parse-error",
        level=Level.WARNING,
        message=f"{message}; the file was not checked",
        location=Location(path, Span(line, col, line, col + 1)),
        fingerprint_key=f"parse:{message.split(':', 1)[0].split('(')[0]}",
    )


def _peek(abspath: Path, size: int) -> str:
    try:
        with abspath.open("rb") as fh:
            return fh.read(size).decode("utf-8", errors="replace")
    except OSError:
        return ""


def load_file(rel: str, abspath: Path, kind: FileKind, max_size: int, extra_words: tuple[str, ...] = ()) -> Loaded:
    """Facts of one file. A bug in any parser costs that file an LSL000
    notification, never the run: the other files are still checked."""
    try:
        return _load_file(rel, abspath, kind, max_size, extra_words)
    except Exception as exc:  # noqa: BLE001 - the message names the type only (it could quote content)
        return Loaded(kind, notices=(_notice(rel, f"internal error while analysing this file ({type(exc).__name__}); please report it"),))


def _load_file(rel: str, abspath: Path, kind: FileKind, max_size: int, extra_words: tuple[str, ...]) -> Loaded:
    if kind is FileKind.TEMPLATE:
        return _load_template(rel, abspath, max_size)
    if kind in (FileKind.PYTHON, FileKind.JAVASCRIPT):
        return _load_code(rel, abspath, kind, max_size, extra_words)
    if kind is FileKind.SERVERLESS:
        return _load_serverless(rel, abspath, max_size)
    if kind is FileKind.TERRAFORM:
        return _load_terraform(rel, abspath, max_size)
    if kind is FileKind.CDK_CONTEXT:
        return _load_cdk_context(rel, abspath, max_size)
    if kind in (FileKind.NPM_MANIFEST, FileKind.PYPI_MANIFEST):
        return load_manifest(rel, abspath, kind, max_size)
    return Loaded(kind)


def load_manifest(rel: str, abspath: Path, kind: FileKind, max_size: int, kind_override: str | None = None) -> Loaded:
    """A dependency manifest or lockfile, read once: its dependencies with
    their positions, plus (package.json) the versions LSL104 needs."""
    from lambda_secrets_lint.parsers.manifests import ManifestError, manifest_kind, parse_manifest

    manifest_type = kind_override or manifest_kind(rel)
    if manifest_type is None:
        return Loaded(None)
    if manifest_type in LOCKFILE_KINDS:
        # Generated lockfiles of large monorepos are routinely 10-30 MB and
        # parse in one linear pass; skipping them by the source-file limit
        # would turn every such repository's run into an LSL000 warning.
        max_size = max(max_size, LOCKFILE_MAX_SIZE)
    try:
        text = read_text(abspath, max_size)
    except SourceError as exc:
        return Loaded(kind, notices=(_notice(rel, exc.message),))
    notices: list[Finding] = []
    manifest: Manifest | None = None
    try:
        manifest = parse_manifest(rel, text, manifest_type)
    except ManifestError as exc:
        notices.append(_notice(rel, exc.message, exc.line, exc.col))
    else:
        notices.extend(
            _partial_notice(rel, issue.message, issue.line, issue.col) for issue in manifest.issues[:20]
        )
    npm_manifest: NpmManifest | None = None
    if manifest_type == "package.json" and manifest is not None:
        from lambda_secrets_lint.parsers.npm_manifest import build_npm_manifest

        npm_manifest = build_npm_manifest(manifest, abspath, max_size)
    directives = scan(rel, text) if manifest_type not in _JSON_MANIFESTS else ()
    return Loaded(kind, notices=tuple(notices), npm_manifest=npm_manifest, manifest=manifest, directives=directives)


LOCKFILE_KINDS = frozenset({"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                            "poetry.lock", "uv.lock", "pipfile.lock"})
LOCKFILE_MAX_SIZE = 64 * 1024 * 1024

# JSON has no comments, so no `lsl:` directives (use per-file-ignores or
# allowed-dependencies instead).
_JSON_MANIFESTS = frozenset({"package.json", "package-lock.json", "npm-shrinkwrap.json", "pipfile.lock"})


def _partial_notice(path: str, message: str, line: int, col: int) -> Finding:
    """Part of a file could not be used; the rest was checked."""
    return Finding(
        rule_id="LSL000",
        rule_name="parse-error",
        level=Level.WARNING,
        message=f"{message}; that entry was not checked",
        location=Location(path, Span(line, col, line, col + 1)),
        fingerprint_key=f"parse:{message.split(':', 1)[0].split('(')[0]}",
    )


def _load_cdk_context(rel: str, abspath: Path, max_size: int) -> Loaded:
    from lambda_secrets_lint.parsers.cdk_context import NotAContextFile, build_cdk_context
    from lambda_secrets_lint.parsers.nodes import ParseError

    try:
        text = read_text(abspath, max_size)
    except SourceError as exc:
        return Loaded(FileKind.CDK_CONTEXT, notices=(_notice(rel, exc.message),))
    if not text.strip():
        return Loaded(FileKind.CDK_CONTEXT)
    try:
        return Loaded(FileKind.CDK_CONTEXT, cdk_context=build_cdk_context(rel, text))
    except ParseError as exc:
        return Loaded(FileKind.CDK_CONTEXT, notices=(_notice(rel, f"invalid JSON: {exc.message}", exc.line, exc.col),))
    except NotAContextFile as exc:
        return Loaded(FileKind.CDK_CONTEXT, notices=(_notice(rel, str(exc)),))


def _load_terraform(rel: str, abspath: Path, max_size: int) -> Loaded:
    try:
        text = read_text(abspath, max_size)
    except SourceError as exc:
        return Loaded(FileKind.TERRAFORM, notices=(_notice(rel, exc.message),))
    from lambda_secrets_lint.parsers.nodes import ParseError
    from lambda_secrets_lint.parsers.terraform import build_terraform, read_module_files

    try:
        # A Terraform module is a directory: var./local./data. references
        # resolve across its sibling .tf files.
        template = build_terraform(rel, text, read_module_files(rel, abspath, max_size))
    except ParseError as exc:  # the message already starts "invalid HCL: …"
        return Loaded(FileKind.TERRAFORM, notices=(_notice(rel, exc.message, exc.line, exc.col),))
    # Directives are kept even without a Template: a locals.tf can hold the
    # reported line of an env entry.
    return Loaded(FileKind.TERRAFORM, template=template, directives=scan(rel, text))


def _load_serverless(rel: str, abspath: Path, max_size: int) -> Loaded:
    try:
        text = read_text(abspath, max_size)
    except SourceError as exc:
        return Loaded(FileKind.SERVERLESS, notices=(_notice(rel, exc.message),))
    if not text.strip():
        return Loaded(FileKind.SERVERLESS, notices=(_notice(rel, "file is empty"),))
    from lambda_secrets_lint.parsers.nodes import ParseError
    from lambda_secrets_lint.parsers.serverless import build_serverless

    try:
        doc = _parse(rel, text)
    except ParseError as exc:
        fmt = "JSON" if _is_json(rel, text) else "YAML"
        return Loaded(FileKind.SERVERLESS, notices=(_notice(rel, f"invalid {fmt}: {exc.message}", exc.line, exc.col),))
    template = build_serverless(rel, doc)
    return Loaded(FileKind.SERVERLESS, template=template, directives=scan(rel, text) if template else ())


_TS_SUFFIXES = (".ts", ".mts", ".cts", ".tsx")


def _language(kind: FileKind, rel: str) -> Language:
    if kind is FileKind.PYTHON:
        return Language.PYTHON
    return Language.TYPESCRIPT if rel.lower().endswith(_TS_SUFFIXES) else Language.JAVASCRIPT


def _load_code(rel: str, abspath: Path, kind: FileKind, max_size: int, extra_words: tuple[str, ...]) -> Loaded:
    from lambda_secrets_lint.parsers.code_precheck import MAX_LINE, longest_line, worth_parsing

    try:
        text = read_text(abspath, max_size)
    except SourceError as exc:
        return Loaded(kind, notices=(_notice(rel, exc.message),))
    refined = refine_kind(kind, rel, text)
    assert refined is not None
    if not worth_parsing(text):
        if refined in (FileKind.HANDLER_PY, FileKind.HANDLER_JS):
            # Nothing about secrets here, but the IAM linker follows its imports.
            from lambda_secrets_lint.parsers.text_imports import text_imports

            language = _language(kind, rel)
            return Loaded(refined, code=CodeFacts(rel, language, False, imports=text_imports(text, language)))
        return Loaded(refined)
    longest = longest_line(text)
    if longest > MAX_LINE:
        return Loaded(refined, notices=(_notice(rel, f"skipped: looks minified or generated (a line of {longest:,} characters)"),))
    from lambda_secrets_lint.parsers.nodes import ParseError

    is_cdk = refined in (FileKind.CDK_PY, FileKind.CDK_TS)
    template = None  # CDK app code also defines Lambda functions and their environment
    try:
        if kind is FileKind.PYTHON:
            from lambda_secrets_lint.parsers.python.extract import parse_module
            from lambda_secrets_lint.parsers.python_code import extract_python

            module = parse_module(text)  # once: CDK files are read for literals AND as stacks
            facts = extract_python(rel, text, is_cdk=is_cdk, extra_words=extra_words, module=module)
            if refined is FileKind.CDK_PY:
                from lambda_secrets_lint.parsers.cdk_py import build_cdk_py

                template = build_cdk_py(rel, text, module=module)
        else:
            from lambda_secrets_lint.parsers.js_code import extract_js

            language = _language(kind, rel)
            tsx = rel.lower().endswith(".tsx")
            facts = extract_js(rel, text, language=language, tsx=tsx, is_cdk=is_cdk, extra_words=extra_words)
            if refined is FileKind.CDK_TS:
                from lambda_secrets_lint.parsers.cdk_ts import build_cdk_ts

                template = build_cdk_ts(rel, text, language=language, tsx=tsx)
    except ParseError as exc:
        label = "Python" if kind is FileKind.PYTHON else "JavaScript/TypeScript"
        return Loaded(refined, notices=(_notice(rel, f"invalid {label}: {exc.message}", exc.line, exc.col),))
    return Loaded(refined, code=facts, template=template, directives=scan(rel, text))


def _load_template(rel: str, abspath: Path, max_size: int) -> Loaded:
    named = looks_like_template_name(rel) or is_cdk_out_template(rel)
    try:
        text = read_text(abspath, max_size)
    except SourceError as exc:
        # Only complain about files that are (probably) templates: a big or
        # binary data.json elsewhere in the repo is none of our business.
        if named or refine_kind(FileKind.TEMPLATE, rel, _peek(abspath, _HEAD_BYTES)) is not None:
            return Loaded(FileKind.TEMPLATE, notices=(_notice(rel, exc.message),))
        return Loaded(None)
    if refine_kind(FileKind.TEMPLATE, rel, text) is None:
        return Loaded(None)
    if not text.strip():
        return Loaded(FileKind.TEMPLATE, notices=(_notice(rel, "file is empty"),))
    from lambda_secrets_lint.parsers.cloudformation import build_template
    from lambda_secrets_lint.parsers.nodes import ParseError

    try:
        doc = _parse(rel, text)
    except ParseError as exc:
        fmt = "JSON" if _is_json(rel, text) else "YAML"
        return Loaded(FileKind.TEMPLATE, notices=(_notice(rel, f"invalid {fmt}: {exc.message}", exc.line, exc.col),))
    template = build_template(rel, doc, synthesized=is_cdk_out_template(rel))
    if template is None:
        if named and not isinstance(doc, dict):
            return Loaded(FileKind.TEMPLATE, notices=(_notice(rel, "not a CloudFormation template: the top level is not a mapping"),))
        return Loaded(None)
    return Loaded(FileKind.TEMPLATE, template=template, directives=scan(rel, text))


def _is_json(rel: str, text: str) -> bool:
    return rel.lower().endswith(".json") or text.lstrip()[:1] == "{"


def _parse(rel: str, text: str) -> object:
    if _is_json(rel, text):
        from lambda_secrets_lint.parsers.cfn_json import load_json

        return load_json(text)
    from lambda_secrets_lint.parsers.cfn_yaml import load_yaml

    return load_yaml(text)
