"""Functions → handler files (REFERENCE.md §E.5), groundwork for LSL3xx."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.link.handlers import resolve_handler
from lambda_secrets_lint.model.infra import CodeRef
from lambda_secrets_lint.testing import lint_directory

FILES = {
    "svc/src/app.py",
    "svc/src/pkg/jobs.py",
    "web/src/handlers/api.js",
    "web/src/handlers/orders.mjs",
    "ts/src/handlers/checkout.ts",
    "ts/index.cjs",
}


@pytest.mark.parametrize(
    "code,path,function",
    [
        (CodeRef("svc/src", "app.lambda_handler", "python3.12"), "svc/src/app.py", "lambda_handler"),
        (CodeRef("svc", "src/pkg/jobs.run", "python3.12"), "svc/src/pkg/jobs.py", "run"),
        (CodeRef("svc", "src.pkg.jobs.run", "python3.12"), "svc/src/pkg/jobs.py", "run"),  # dots are directories
        (CodeRef("web", "src/handlers/api.handlers.main", "nodejs20.x"), "web/src/handlers/api.js", "handlers.main"),
        (CodeRef("web/src/handlers", "orders.handler", "nodejs20.x"), "web/src/handlers/orders.mjs", "handler"),
        (CodeRef("ts", "src/handlers/checkout.handler", "nodejs20.x"), "ts/src/handlers/checkout.ts", "handler"),
        (CodeRef("ts", "index.handler", "nodejs20.x"), "ts/index.cjs", "handler"),
        (CodeRef("ts", "checkout.handler", "nodejs20.x", entry_points=("src/handlers/checkout.ts",)),
         "ts/src/handlers/checkout.ts", "handler"),  # SAM esbuild: the Handler names the bundle
    ],
)
def test_resolves(code: CodeRef, path: str, function: str) -> None:
    link = resolve_handler(code, FILES)
    assert (link.path, link.function_name) == (path, function)


@pytest.mark.parametrize(
    "code",
    [
        CodeRef(None, "app.handler", "python3.12"),  # code in S3 / an image
        CodeRef("svc/src", "missing.handler", "python3.12"),
        CodeRef("svc/src", "app.handler", "python3.12", inline=True),  # ZipFile: not a repo file
        CodeRef("web", "src/handlers/nope.handler", "nodejs20.x"),
    ],
)
def test_never_guesses(code: CodeRef) -> None:
    link = resolve_handler(code, FILES)
    assert link.path is None


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    "project,function,expected",
    [
        ("demo", "CheckoutFunction", "src/orders/app.py"),
        ("demo", "FulfilmentFunction", "src/orders/app.py"),
        ("lsl101/sam-payments-api", "ChargeFunction", "src/charge.py"),
    ],
)
def test_fixture_functions_link_to_their_handlers(project: str, function: str, expected: str) -> None:
    result_root = FIXTURES / project
    from lambda_secrets_lint import engine  # noqa: F401  (the loader is what the engine uses)
    from lambda_secrets_lint.config import DEFAULT_MAX_FILE_SIZE
    from lambda_secrets_lint.discovery import Walker
    from lambda_secrets_lint.parsers.load import load_file

    items = list(Walker(result_root).walk([result_root]))
    files = {i.rel_path for i in items}
    functions = {}
    for item in items:
        loaded = load_file(item.rel_path, item.abspath, item.kind, DEFAULT_MAX_FILE_SIZE)
        if loaded.template is not None:
            functions.update({f.logical_id: f for f in loaded.template.functions})
    fn = functions[function]
    assert fn.code is not None
    assert resolve_handler(fn.code, files).path == expected
    assert lint_directory(result_root).files_scanned > 0


def test_missing_entry_point_does_not_fall_back_to_the_bundle_name() -> None:
    # CDK NodejsFunction: entry lib/orders-stack.Worker.ts does not exist; a
    # lib/index.ts (CDK code) must not be taken for `index.handler`.
    code = CodeRef(root="lib", handler="index.handler", runtime="nodejs", entry_points=("orders-stack.Worker.ts",))
    link = resolve_handler(code, {"lib/index.ts", "lib/orders-stack.ts"})
    assert link.path is None and link.tried == ("lib/orders-stack.Worker.ts",)
