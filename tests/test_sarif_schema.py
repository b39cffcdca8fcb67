"""The SARIF report validates against the official SARIF 2.1.0 JSON schema.

github/codeql-action's upload-sarif rejects a file that breaks the schema (an
unknown property in a closed object, such as `fixes` in the wrong place), so
this is the check that predicts a rejected upload.

The schema is not committed. `.ci/sarif-tools.sh` installs it from pinned npm
packages and prints `LSL_SARIF_SCHEMA`: a schema path, or several separated
by os.pathsep (the final 2.1.0 schema, draft 2020-12, which is the one
upload-sarif uses; and 2.1.0-rtm.5, draft-04). Each is validated against.
Without it these tests skip. They never touch the network: remote `$ref`s
are refused instead of fetched.

`format` keywords (uri, uri-reference) are only checked if jsonschema's
optional format packages are installed; test_sarif_report.py checks the URI
shapes itself.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jsonschema.protocols import Validator
from jsonschema.validators import Draft202012Validator, validator_for
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from lambda_secrets_lint.model.results import RunResult
from lambda_secrets_lint.reporters.sarif import render_sarif

SCHEMA_ENV = "LSL_SARIF_SCHEMA"
HOW_TO_GET_IT = (
    'run `eval "$(.ci/sarif-tools.sh)"` to install the SARIF 2.1.0 schema (npm packages '
    "@microsoft/sarif-multitool-linux and @microsoft/jest-sarif) and export " + SCHEMA_ENV
)


def _load_sibling(filename: str) -> ModuleType:
    """tests/ is not a package (pytest runs with --import-mode=importlib), so
    the shared sample RunResult is loaded from its file."""
    path = Path(__file__).with_name(filename)
    spec = importlib.util.spec_from_file_location(f"_lsl_sarif_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report_tests = _load_sibling("test_sarif_report.py")


def _schema_params() -> list[Any]:
    paths = [p for p in os.environ.get(SCHEMA_ENV, "").split(os.pathsep) if p.strip()]
    if not paths:
        return [pytest.param(None, id="no-schema")]
    return [pytest.param(p, id=Path(p).name) for p in paths]


def _refuse_remote(uri: str) -> Resource[Any]:
    # The SARIF schemas only use local "#/definitions/..." refs; anything else
    # would mean a network fetch, which tests must never do.
    raise NoSuchResource(uri)


@pytest.fixture(params=_schema_params())
def validator(request: pytest.FixtureRequest) -> Validator:
    path = request.param
    if path is None:
        pytest.skip(f"{SCHEMA_ENV} is not set; {HOW_TO_GET_IT}")
    if not Path(path).is_file():
        pytest.skip(f"{SCHEMA_ENV} names {path!r}, which does not exist; {HOW_TO_GET_IT}")
    schema = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    # The npm schemas differ in draft: sarif-2.1.0.json declares 2020-12,
    # sarif-2.1.0-rtm.5.json draft-04; use the validator the schema asks for.
    cls = validator_for(schema, default=Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema, registry=Registry(retrieve=_refuse_remote), format_checker=cls.FORMAT_CHECKER)


def schema_errors(validator: Validator, document: Any) -> list[str]:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def rendered(result: RunResult, **kw: Any) -> Any:
    kw.setdefault("tool_version", "0.1.0")
    return json.loads(render_sarif(result, **kw))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "my project"
    r.mkdir()
    return r


def test_default_report_is_valid(validator: Validator, root: Path) -> None:
    assert schema_errors(validator, rendered(report_tests.sample_result(root))) == []


def test_report_with_suppressions_and_category_is_valid(validator: Validator, root: Path) -> None:
    doc = rendered(report_tests.sample_result(root), show_suppressed=True, category="lambda-secrets-lint")
    assert any("suppressions" in r for r in doc["runs"][0]["results"])
    assert schema_errors(validator, doc) == []


def test_empty_failed_run_is_valid(validator: Validator, root: Path) -> None:
    result = RunResult(
        root=root, findings=(), notifications=(), rules=report_tests.RULES, files_scanned=0, execution_successful=False
    )
    assert schema_errors(validator, rendered(result)) == []


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(
            lambda run: run["invocations"][0]["toolExecutionNotifications"][0].update(
                suppressions=[{"kind": "inSource"}]
            ),
            id="suppressions-on-notification",
        ),
        pytest.param(
            lambda run: run["results"][0]["locations"][0].update(fixes=run["results"][0].get("fixes", [])),
            id="fixes-on-location",
        ),
        pytest.param(lambda run: run["results"][0].update(level="critical"), id="unknown-level"),
    ],
)
def test_schema_rejects_what_github_would_reject(validator: Validator, root: Path, mutate: Any) -> None:
    """Guards the guard: the schema in use is closed, so the tests above mean something."""
    doc = copy.deepcopy(rendered(report_tests.sample_result(root)))
    mutate(doc["runs"][0])
    assert schema_errors(validator, doc)
