"""JavaScript / TypeScript extractor (tree-sitter); the implementation lives in
the `lambda_secrets_lint.parsers.js` subpackage."""
from lambda_secrets_lint.parsers.js import extract_js

__all__ = ["extract_js"]
