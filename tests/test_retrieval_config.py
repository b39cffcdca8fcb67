"""LSL501 is about secrets: a plain SSM String read of a config-like name is
configuration (RULES.md), fetched uncached or not."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.testing import lint_directory

HANDLER = """\
import {{ GetParameterCommand, SSMClient }} from '@aws-sdk/client-ssm';

const ssm = new SSMClient({{}});

export const handler = async () => {{
  const res = await ssm.send(new GetParameterCommand({{ Name: {name}{decrypt} }}));
  return {{ ok: Boolean(res.Parameter?.Value) }};
}};
"""


@pytest.mark.parametrize(
    "name,decrypt,fires",
    [
        ("'/reports/log-level'", "", False),
        ("process.env.MANIFEST_PARAM", "", False),
        ("'/reports/api-key'", ", WithDecryption: true", True),
        ("'/reports/log-level'", ", WithDecryption: true", True),  # decrypted: treated as a secret
        ("process.env.API_TOKEN_PARAM", "", True),  # secret-like: LSL503 too
        ("process.env[key]", "", True),  # unknown name: cannot be shown to be config
    ],
)
def test_lsl501_skips_plain_configuration(tmp_path: Path, name: str, decrypt: str, fires: bool) -> None:
    (tmp_path / "h.mjs").write_text(HANDLER.format(name=name, decrypt=decrypt))
    rules = {f.rule_id for f in lint_directory(tmp_path).findings}
    assert ("LSL501" in rules) is fires, rules
