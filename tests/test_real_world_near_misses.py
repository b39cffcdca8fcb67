"""Patterns from real libraries (botocore, npm) that once looked like
hardcoded secrets: names of secrets, data keys, UI text. Each stays clean,
while a real credential in the same position still fires."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

CLEAN = {
    "providers.py": (
        "class EnvProvider:\n"
        "    ACCESS_KEY = 'AWS_ACCESS_KEY_ID'\n"
        "    SECRET_KEY = 'AWS_SECRET_ACCESS_KEY'\n\n\n"
        "class ConfigProvider:\n"
        "    ACCESS_KEY = 'aws_access_key_id'\n"
        "    SECRET_KEY = 'aws_secret_access_key'\n\n\n"
        "class BotoProvider:\n"
        "    ACCESS_KEY = 'AWSAccessKeyId'\n"
        "    SECRET_KEY = 'AWSSecretKey'\n"
        "AUTH_TYPES = {'smithy.api#httpBearerAuth': 'bearer', 'aws.auth#sigv4': 'v4'}\n"
        "SERVICES = {'secretsmanager': 'secrets-manager'}\n"
        "S3_EXPRESS_SESSION_AUTH = 'AWS::S3::DisableS3ExpressSessionAuth'\n"
    ),
    "read-user-info.js": (
        "const passwordPrompt = 'npm password: ';\n"
        "const tokenErrorMessage = 'Your token has expired.';\n"
        "module.exports = { passwordPrompt, tokenErrorMessage };\n"
    ),
}


def test_names_of_secrets_data_keys_and_ui_text_are_clean(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for name, text in CLEAN.items():
        (tmp_path / name).write_text(text)
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert json.loads(r.out)["findings"] == []


@pytest.mark.parametrize(
    "name,text",
    [
        ("settings.py", "SECRET_KEY = 'Xq7-secret-2024!'\n"),
        ("settings.py", "SECRET_KEY = 'AKIAZ7Q3N4PLM2KRT6WD'\n"),
        ("config.js", "const passwordValue = 'S3cure-Passw0rd';\n"),
    ],
)
def test_real_credentials_in_the_same_position_still_fire(run_cli, tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(text)
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert [f["rule"] for f in json.loads(r.out)["findings"]] == ["LSL205"]


def test_own_source_patterns_are_clean(run_cli, tmp_path: Path) -> None:
    # Found by linting this repository's own code: service names, module
    # specifiers, ARN patterns, private identifiers and template snippets.
    (tmp_path / ".git").mkdir()
    (tmp_path / "consts.py").write_text(
        'SECRETS_MANAGER = "secretsmanager"\n'
        'BROAD = {"secretsmanager": "arn:*:secretsmanager:*:*:secret:*"}\n'
        'CLIENT_VARS = {"secretsmanager": "_secrets", "ssm": "_ssm"}\n'
        '_SECRET_RESOURCE = "  DatabaseSecret:\\n    Type: AWS::SecretsManager::Secret\\n"\n'
    )
    (tmp_path / "symbols.ts").write_text(
        "const PT_SECRETS = '@aws-lambda-powertools/parameters/secrets';\n"
        "const OWN = { secretsManager: '@middy/secrets-manager' };\n"
        "export { PT_SECRETS, OWN };\n"
    )
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert json.loads(r.out)["findings"] == []
