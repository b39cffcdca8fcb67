"""No secret value reaches any output: text, JSON, SARIF, GitHub annotations,
the baseline, or stderr. The secrets are taken from the fixtures themselves:
every literal that LSL101 flags (env values and parameter Defaults)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambda_secrets_lint.secrets.masking import mask
from lambda_secrets_lint.secrets.values import credential_shape
from lambda_secrets_lint.testing import lint_directory

_QUOTED = re.compile(r"""(['"`])((?:(?!\1).){8,}?)\1""")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = sorted(
    {p for p in FIXTURES.glob("*/*") if p.is_dir() and p.parent.name != "demo"} | {FIXTURES / "demo"}
)


def _flagged_secrets(project: Path) -> set[str]:
    from lambda_secrets_lint import config, engine
    from lambda_secrets_lint.discovery import Walker
    from lambda_secrets_lint.parsers.load import load_file

    result = lint_directory(project)
    keys = {f.fingerprint_key for f in result.findings if f.rule_id == "LSL101"}
    secrets: set[str] = set()
    walker = Walker(project)
    for item in walker.walk([project]):
        loaded = load_file(item.rel_path, item.abspath, item.kind, config.DEFAULT_MAX_FILE_SIZE)
        if loaded.template is None:
            continue
        for fn in loaded.template.functions:
            for var in fn.env:
                if var.pointer in keys:
                    texts = [var.value.literal] if var.value.literal is not None else list(var.value.literal_parts)
                    secrets.update(t for t in texts if t and len(t) >= 8)
        for p in loaded.template.parameters:
            if f"Parameters/{p.name}/Default" in keys and p.default:
                secrets.add(p.default)
    # LSL205: the string literals on the lines it flags in handler/CDK code.
    for f in result.findings:
        if f.rule_id != "LSL205":
            continue
        line = (project / f.location.path).read_text("utf-8").splitlines()[f.location.line - 1]
        for m in _QUOTED.finditer(line):
            text = m.group(2)
            # The secret, not the env var name or header name quoted beside it.
            if credential_shape(text) or (re.search(r"\d", text) and re.search(r"[A-Za-z]", text) and len(text) >= 12):
                secrets.add(text)
    del engine
    return secrets


def _public_text(project: Path, secrets: set[str]) -> str:
    """Text that is not secret: the project's files with the secrets cut out
    (names like WarehouseDbPassword are printed on purpose) and the rule docs
    (which show example prefixes such as sk_live_)."""
    from lambda_secrets_lint.rules import ALL_RULES

    parts = [r.meta.doc + r.meta.summary for r in ALL_RULES]
    for path in project.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            for secret in sorted(secrets, key=len, reverse=True):
                text = text.replace(secret, "\x00")
            parts.append(text)
    return "\n".join(parts)


def _windows(secret: str, public: str, size: int = 8) -> set[str]:
    """8-character windows unique to the secret: not in its deliberate mask
    (≤ 4 chars, a URL scheme or PEM header) and not in public text."""
    allowed = mask(secret)
    body = secret.strip()
    windows = {body[i : i + size] for i in range(len(body) - size + 1)}
    return {w for w in windows if w not in allowed and w not in public}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_no_output_format_leaks_a_flagged_secret(run_cli, project: Path, tmp_path: Path) -> None:
    secrets = _flagged_secrets(project)
    if not secrets:
        pytest.skip("no literal secret flagged (LSL101/LSL205) in this fixture")
    outputs = []
    for fmt in ("text", "json", "sarif", "github"):
        for extra in ((), ("--show-suppressed",)):
            r = run_cli("check", str(project), "--format", fmt, "--no-respect-gitignore", *extra)
            outputs += [r.out, r.err]
    base = tmp_path / "baseline.json"
    r = run_cli("baseline", "write", str(base), str(project))
    outputs += [base.read_text(), r.err]
    blob = "\n".join(outputs)
    public = _public_text(project, secrets)
    for secret in secrets:
        assert secret not in blob
        leaked = sorted(w for w in _windows(secret, public) if w in blob)
        assert not leaked, f"fragments of a secret leaked: {len(leaked)} windows"


def test_the_check_itself_can_fail() -> None:
    # Guard against a vacuous test: the demo and the lsl101 fixtures must
    # yield secrets to look for.
    assert _flagged_secrets(FIXTURES / "demo")
    assert sum(len(_flagged_secrets(p)) for p in PROJECTS) >= 15
