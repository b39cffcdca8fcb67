"""Configuration keys change behaviour the way the README says."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from lambda_secrets_lint import config

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          PARTNER_PIN: "48151623"
          PUBLIC_STRIPE_KEY: pk_live_51HqLyjWDarjtT1zdxyz
          DB_PASSWORD: correct-horse-battery-staple
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "legacy").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "legacy" / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def _rules_by_path(run_cli, root: Path) -> dict[str, list[tuple[int, str]]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[tuple[int, str]]] = {}
    for f in json.loads(run_cli("check", str(root), "--format", "json").out)["findings"]:
        out.setdefault(f["path"], []).append((f["line"], f["rule"]))
    return out


def _config(root: Path, text: str) -> None:
    (root / ".lambda-secrets-lint.toml").write_text(text)


def test_defaults(run_cli, project: Path) -> None:
    assert _rules_by_path(run_cli, project)["template.yaml"] == [(12, "LSL101")]


def test_extra_secret_words(run_cli, project: Path) -> None:
    _config(project, 'extra-secret-words = ["PIN"]\n')
    assert _rules_by_path(run_cli, project)["template.yaml"] == [(10, "LSL101"), (12, "LSL101")]


def test_allowed_env_names(run_cli, project: Path) -> None:
    _config(project, 'allowed-env-names = ["DB_*"]\n')
    assert "template.yaml" not in _rules_by_path(run_cli, project)


def test_allowed_value_hashes(run_cli, project: Path) -> None:
    digest = hashlib.sha256(b"correct-horse-battery-staple").hexdigest()
    _config(project, f'allowed-value-hashes = ["{digest}"]\n')
    assert "template.yaml" not in _rules_by_path(run_cli, project)


def test_per_file_ignores(run_cli, project: Path) -> None:
    _config(project, '[per-file-ignores]\n"legacy/" = ["LSL101"]\n')
    got = _rules_by_path(run_cli, project)
    assert "legacy/template.yaml" not in got and got["template.yaml"] == [(12, "LSL101")]


def test_exclude_and_select_from_config(run_cli, project: Path) -> None:
    _config(project, 'exclude = ["legacy/"]\nselect = ["LSL102"]\n')
    assert _rules_by_path(run_cli, project) == {}
    # The command line's --select replaces the config's.
    r = run_cli("check", str(project), "--select", "LSL101", "--format", "json")
    assert {f["path"] for f in json.loads(r.out)["findings"]} == {"template.yaml"}


def test_fail_on_from_config_and_cli_override(run_cli, project: Path) -> None:
    _config(project, 'fail-on = "never"\n')
    assert run_cli("check", str(project)).code == 0
    assert run_cli("check", str(project), "--fail-on", "error").code == 1


def test_nearest_config_above_the_first_path(run_cli, project: Path) -> None:
    _config(project, 'fail-on = "never"\n')
    assert run_cli("check", str(project / "legacy")).code == 0


@pytest.mark.parametrize(
    "text,needle",
    [
        ("selekt = []\n", "unknown key 'selekt'"),
        ("select = 1\n", "'select'"),
        ('fail-on = "sometimes"\n', "'fail-on'"),
        ("max-file-size = -1\n", "'max-file-size'"),
        ('max-file-size = "lots"\n', "'max-file-size'"),
        ("[per-file-ignores]\n'x/' = 3\n", "per-file-ignores"),
        ('allowed-value-hashes = ["not-a-hash"]\n', "allowed-value-hashes"),
    ],
)
def test_invalid_config_exits_2_naming_key_and_file(run_cli, project: Path, text: str, needle: str) -> None:
    _config(project, text)
    r = run_cli("check", str(project))
    assert r.code == 2
    assert needle in r.err and ".lambda-secrets-lint.toml" in r.err and "Traceback" not in r.err


def test_pyproject_section_errors_name_the_section(tmp_path: Path) -> None:
    p = tmp_path / "pyproject.toml"
    p.write_text('[tool.lambda-secrets-lint]\nbogus = true\n')
    with pytest.raises(config.ConfigError, match=r"pyproject.toml \[tool.lambda-secrets-lint\]: unknown key 'bogus'"):
        config.discover(tmp_path)


@pytest.mark.parametrize("text,size", [(5, 5), ("5MB", 5 * 1024**2), ("512 KiB", 512 * 1024), ("1.5M", int(1.5 * 1024**2)), ("100b", 100)])
def test_parse_size(text, size) -> None:  # type: ignore[no-untyped-def]
    assert config.parse_size(text) == size
