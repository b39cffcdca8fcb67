"""JavaScript / TypeScript handler facts with tree-sitter (docs/design/handler-facts.md).

`extract_js` is the only public name; `lambda_secrets_lint.parsers.js_code`
re-exports it for the loader.
"""
from lambda_secrets_lint.parsers.js.extract import extract_js

__all__ = ["extract_js"]
