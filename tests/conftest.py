"""Shared test helpers: run the real CLI entry point in-process."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SAMPLE_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: orders service (test sample)

Parameters:
  Stage:
    Type: String
    Default: dev
  DbPassword:
    Type: String
    NoEcho: true

Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          STAGE: !Ref Stage
          STRIPE_API_KEY: sk_live_51HqLyjWDarjtT1zdp7dcXYZabc
          DB_PASSWORD: !Ref DbPassword
          DB_SECRET_ARN: !Ref DbSecret

  DbSecret:
    Type: AWS::SecretsManager::Secret
"""
STRIPE_SECRET = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys, monkeypatch):  # type: ignore[no-untyped-def]
    from lambda_secrets_lint.cli import main

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["lambda-secrets-lint", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".git").mkdir()  # marks the project root
    (root / "template.yaml").write_text(SAMPLE_TEMPLATE, encoding="utf-8")
    return root
