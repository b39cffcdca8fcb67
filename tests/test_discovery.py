"""Discovery: what is walked, what is skipped, what kind each file is."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.discovery import FileKind, Walker, classify, refine_kind


@pytest.mark.parametrize(
    "path,kind",
    [
        ("template.yaml", FileKind.TEMPLATE),
        ("infra/stack.template.json", FileKind.TEMPLATE),
        ("cdk.out/ApiStack.template.json", FileKind.TEMPLATE),
        ("legacy.template", FileKind.TEMPLATE),
        ("serverless.yml", FileKind.SERVERLESS),
        ("svc/serverless.json", FileKind.SERVERLESS),
        ("main.tf", FileKind.TERRAFORM),
        ("src/app.py", FileKind.PYTHON),
        ("src/index.mjs", FileKind.JAVASCRIPT),
        ("lib/stack.ts", FileKind.JAVASCRIPT),
        ("requirements-dev.txt", FileKind.PYPI_MANIFEST),
        ("pyproject.toml", FileKind.PYPI_MANIFEST),
        ("Pipfile", FileKind.PYPI_MANIFEST),
        ("poetry.lock", FileKind.PYPI_MANIFEST),
        ("package.json", FileKind.NPM_MANIFEST),
        ("pnpm-lock.yaml", FileKind.NPM_MANIFEST),
        ("cdk.context.json", FileKind.CDK_CONTEXT),
        ("tsconfig.json", None),
        ("cdk.json", None),
        ("lib/types.d.ts", None),
        ("public/app.min.js", None),
        ("README.md", None),
    ],
)
def test_classify_by_name(path: str, kind: FileKind | None) -> None:
    assert classify(path) == kind


def test_refine_kind_reads_content() -> None:
    assert refine_kind(FileKind.PYTHON, "app.py", "from aws_cdk import Stack\n") is FileKind.CDK_PY
    assert refine_kind(FileKind.PYTHON, "app.py", "import boto3\n") is FileKind.HANDLER_PY
    assert refine_kind(FileKind.JAVASCRIPT, "stack.ts", "import * as cdk from 'aws-cdk-lib';") is FileKind.CDK_TS
    assert refine_kind(FileKind.JAVASCRIPT, "h.ts", "import { SSMClient } from '@aws-sdk/client-ssm';") is FileKind.HANDLER_JS
    assert refine_kind(FileKind.TEMPLATE, "ci.yml", "on: push\njobs: {}\n") is None
    assert refine_kind(FileKind.TEMPLATE, "x.yaml", "Resources:\n  A:\n    Type: AWS::SQS::Queue\n") is FileKind.TEMPLATE
    assert refine_kind(FileKind.TEMPLATE, "template.yaml", "") is FileKind.TEMPLATE  # by name


def _tree(root: Path, files: list[str]) -> None:
    for rel in files:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")


def _walk(root: Path, **kw) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.rel_path for d in Walker(root, **kw).walk([root])}


def test_vendored_and_build_output_are_skipped(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "template.yaml",
            "src/app.py",
            "node_modules/lodash/index.js",
            ".venv/lib/x.py",
            "env/pyvenv.cfg",
            "env/lib/site.py",
            "layer/python/boto3/session.py",
            "layer/python/boto3-1.34.0.dist-info/METADATA",
            ".aws-sam/build/Fn/app.py",
            "cdk.out/ApiStack.template.json",
            "cdk.out/asset.0123abcd/index.js",
            "cdk.out/manifest.json",
            "dist/bundle.js",
            ".git/config.yaml",
            "web/app.min.js",
        ],
    )
    assert _walk(tmp_path) == {"template.yaml", "src/app.py", "cdk.out/ApiStack.template.json"}


def test_gitignore_nested_and_negated(tmp_path: Path) -> None:
    _tree(tmp_path, ["a/template.yaml", "a/keep.yaml", "b/gen/x.yaml", "b/y.yaml", "c.yaml"])
    (tmp_path / ".gitignore").write_text("a/*.yaml\n!a/keep.yaml\n")
    (tmp_path / "b" / ".gitignore").write_text("gen/\n")
    assert _walk(tmp_path) == {"a/keep.yaml", "b/y.yaml", "c.yaml"}
    assert len(_walk(tmp_path, respect_gitignore=False)) == 5


def test_excludes_are_gitignore_style(tmp_path: Path) -> None:
    _tree(tmp_path, ["stacks/a.yaml", "stacks/test/b.yaml", "c.yaml"])
    assert _walk(tmp_path, excludes=["test/"]) == {"stacks/a.yaml", "c.yaml"}
    assert _walk(tmp_path, excludes=["/stacks"]) == {"c.yaml"}
    assert _walk(tmp_path, excludes=["*.yaml", "!c.yaml"]) == {"c.yaml"}


def test_explicit_files_are_linted_even_if_ignored(tmp_path: Path) -> None:
    _tree(tmp_path, ["gen/template.yaml"])
    (tmp_path / ".gitignore").write_text("gen/\n")
    walked = {d.rel_path for d in Walker(tmp_path).walk([tmp_path / "gen" / "template.yaml"])}
    assert walked == {"gen/template.yaml"}


def test_symlinked_directory_outside_loops_is_followed_once(tmp_path: Path) -> None:
    _tree(tmp_path, ["shared/template.yaml"])
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "shared").symlink_to(tmp_path / "shared")
    w = Walker(tmp_path)
    assert {d.rel_path for d in w.walk([tmp_path])} == {"shared/template.yaml", "svc/shared/template.yaml"}
    assert w.problems == []
