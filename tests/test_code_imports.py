"""Local imports: what the extractors record and how the linker follows them
from a handler to the helper modules that read its secrets."""
from __future__ import annotations

from pathlib import Path

from lambda_secrets_lint.link.imports import closure
from lambda_secrets_lint.model.code import Language
from lambda_secrets_lint.parsers.js.extract import extract_js
from lambda_secrets_lint.parsers.python.extract import extract_python
from lambda_secrets_lint.testing import lint_directory


def test_python_imports_with_their_dots_also_inside_functions() -> None:
    text = (
        "import os\nfrom . import secrets\nfrom .db import query\nfrom ..shared.cfg import load\n"
        "import common.keys as keys\ntry:\n    from lib import helpers\nexcept ImportError:\n    helpers = None\n"
        "def handler(event, context):\n    import late_import\n"
    )
    facts = extract_python("svc/app.py", text, is_cdk=False)
    assert facts.imports == ("os", ".", ".secrets", ".db", ".db.query", "..shared.cfg", "..shared.cfg.load",
                             "common.keys", "lib", "lib.helpers", "late_import")


def test_js_relative_imports_requires_and_reexports() -> None:
    text = (
        "import middy from '@middy/core';\nimport { getDb } from './lib/db';\nexport { x } from '../shared/x.js';\n"
        "const keys = require('./keys');\nconst _ = require('lodash');\nmodule.exports.h = require('./h').handler;\n"
        "export const lazy = async () => (await import('./lazy/keys.js')).k;\n"
    )
    facts = extract_js("src/app.ts", text, language=Language.TYPESCRIPT, tsx=False, is_cdk=False)
    assert facts.imports == ("./lib/db", "../shared/x.js", "./keys", "./h", "./lazy/keys.js")


def test_closure_follows_python_and_js_resolution_rules() -> None:
    py = {
        "src/app.py": extract_python("src/app.py", "from common.secrets import db\nfrom . import util\n", is_cdk=False),
        "src/common/secrets.py": extract_python("src/common/secrets.py", "from .aws import client\n", is_cdk=False),
        "src/common/aws.py": extract_python("src/common/aws.py", "import boto3\n", is_cdk=False),
        "src/util.py": extract_python("src/util.py", "x = 1\n", is_cdk=False),
    }
    files = set(py) | {"src/common/__init__.py"}
    assert closure("src/app.py", "src", py, files) == ("src/common/secrets.py", "src/util.py", "src/common/aws.py")
    js = {
        "lambda/orders/index.ts": extract_js("lambda/orders/index.ts", "import { key } from '../shared/keys.js';\nimport './lib';\n",
                                             language=Language.TYPESCRIPT, tsx=False, is_cdk=False),
        "lambda/shared/keys.ts": extract_js("lambda/shared/keys.ts", "export const key = 1;\n",
                                            language=Language.TYPESCRIPT, tsx=False, is_cdk=False),
        "lambda/orders/lib/index.ts": extract_js("lambda/orders/lib/index.ts", "export {};\n",
                                                 language=Language.TYPESCRIPT, tsx=False, is_cdk=False),
    }
    assert closure("lambda/orders/index.ts", "lambda/orders", js, set(js)) == ("lambda/shared/keys.ts", "lambda/orders/lib/index.ts")


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          DB_SECRET_ID: orders/db
"""

HANDLER = """\
from common.secrets import db_login, stripe_key


def handler(event, context):
    return {"user": db_login()["username"]}
"""

HELPER = """\
import os
from aws_lambda_powertools.utilities import parameters

CONFIG = parameters.get_parameter("/orders/config", max_age=300)


def db_login():
    return parameters.get_secret(os.environ["DB_SECRET_ID"], transform="json", max_age=300)


def stripe_key():
    return parameters.get_secret("payments/stripe", max_age=300)
"""


def test_reads_in_imported_helpers_count_when_they_surely_run_for_the_function(tmp_path: Path) -> None:
    (tmp_path / "src" / "common").mkdir(parents=True)
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    (tmp_path / "src" / "common" / "__init__.py").write_text("")
    (tmp_path / "src" / "common" / "secrets.py").write_text(HELPER)
    found = sorted((f.location.path, f.location.line) for f in lint_directory(tmp_path).findings if f.rule_id == "LSL301")
    # module-level config read (line 4) and the env-named secret (line 8) run for Orders; the literal
    # 'payments/stripe' getter may serve another handler and is not claimed
    assert found == [("src/common/secrets.py", 4), ("src/common/secrets.py", 8)]


def test_a_handler_without_secret_code_still_leads_to_its_helpers(tmp_path: Path) -> None:
    # app.ts has nothing secret-related (the cheap pre-check skips its parse), but it
    # imports the module that fetches the key at init.
    (tmp_path / "src" / "lib").mkdir(parents=True)
    (tmp_path / "template.yaml").write_text(TEMPLATE.replace("python3.12", "nodejs20.x").replace("CodeUri: src/", "CodeUri: src/"))
    (tmp_path / "src" / "app.ts").write_text("import { run } from './lib/run';\n\nexport const handler = async () => run();\n")
    (tmp_path / "src" / "lib" / "run.ts").write_text(
        "import { getSecret } from '@aws-lambda-powertools/parameters/secrets';\n\n"
        "const key = await getSecret(process.env.DB_SECRET_ID!, { maxAge: 300 });\n\n"
        "export const run = async () => ({ ok: Boolean(key) });\n"
    )
    found = sorted((f.location.path, f.location.line) for f in lint_directory(tmp_path).findings if f.rule_id == "LSL301")
    assert found == [("src/lib/run.ts", 3)]
